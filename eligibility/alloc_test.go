package eligibility

import (
	"reflect"
	"runtime"
	"strconv"
	"testing"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/arena"
)

// TestLayout: a layout's memory is where reflect says its fields are.
// layout.new computes the addresses of the Decision, its extras and each
// area's array from the offsets of the struct type reflect built; here reflect's own Field and Addr find them,
// and each slab's memory must be its area's array, of its element type and
// length. A layout or a block that drifts from the other fails here, not
// in a decision.
func TestLayout(t *testing.T) {
	var size [numAreas]int
	for a := range numAreas {
		size[a] = 3 + int(a)
	}
	size[areaFloats] = 0 // an empty area has no memory
	for _, decision := range []bool{true, false} {
		l := newLayout(size, decision)
		var b block
		d := l.new(&b)
		v := reflect.NewAt(l.typ, b.base).Elem()
		first := 0
		if decision {
			first = 2
			if d == nil || v.Field(0).Addr().Interface() != d {
				t.Fatalf("the Decision is not the layout's first field")
			}
			if v.Field(1).Addr().Interface() != b.extras() {
				t.Fatalf("the extras are not the layout's second field")
			}
		} else if d != nil {
			t.Fatalf("an explanation's memory has a Decision")
		}
		bv := reflect.ValueOf(&b).Elem()
		for a := range numAreas {
			arr := v.Field(first + int(a))
			buf := bv.Field(int(a)).FieldByName("buf")
			want := size[a]
			switch {
			case arr.Type().Elem() != buf.Type().Elem() || arr.Type().Elem() != areas[a].typ:
				t.Errorf("area %d: array of %s, slab of %s, area of %s", a, arr.Type().Elem(), buf.Type().Elem(), areas[a].typ)
			case want == 0 && !buf.IsNil():
				t.Errorf("area %d: an empty area's slab has memory", a)
			case want > 0 && buf.Pointer() != arr.Addr().Pointer():
				t.Errorf("area %d: the slab's memory is not the area's array", a)
			case buf.Len() != 0 || buf.Cap() != want || arr.Len() != want:
				t.Errorf("area %d: slab len %d cap %d, array len %d; want 0, %d, %d", a, buf.Len(), buf.Cap(), arr.Len(), want, want)
			}
		}
		// needs reads each area's slab.
		for a := range numAreas {
			*(*int)(unsafe.Pointer(bv.Field(int(a)).FieldByName("need").UnsafeAddr())) = 10 + int(a)
		}
		for a, n := range b.needs() {
			if n != 10+a || areas[a].need(&b) != n {
				t.Errorf("area %d: needs %d, its slab %d, want %d", a, n, areas[a].need(&b), 10+a)
			}
		}
	}
}

// TestLayoutPointers: the garbage collector sees the pointers in a
// decision's memory (reflect built its type), so what the decision's
// slices refer to lives as long as the decision, and the decision's memory
// as long as any slice of it.
func TestLayoutPointers(t *testing.T) {
	var size [numAreas]int
	for a := range numAreas {
		size[a] = 8
	}
	l := newLayout(size, true)
	var kept [][]string
	for range 100 {
		var b block
		l.new(&b)
		s := arena.Take(&b.strs, 4)
		for i := range s {
			s[i] = strconv.Itoa(1000 + i) // on the heap, referred to from the slab alone
		}
		kept = append(kept, s[1:3]) // an interior pointer alone keeps the memory
	}
	for range 3 {
		runtime.GC()
	}
	for range 100 { // reuse whatever the collector freed
		var b block
		l.new(&b)
		clear(arena.Take(&b.strs, 8))
		_ = make([]byte, 1<<10)
	}
	for _, s := range kept {
		if s[0] != "1001" || s[1] != "1002" {
			t.Fatalf("a kept slice changed after collections: %q", s)
		}
	}
}

// TestExtrasOffset: every decision layout, whatever its sizes, has the
// extras at one offset, which madeFor relies on to recognise a decision
// made in such memory from its explanation's address alone.
func TestExtrasOffset(t *testing.T) {
	var size [numAreas]int
	want := newLayout(size, true).extras
	for n := range 5 {
		for a := range numAreas {
			size[a] = n * (int(a) + 1)
		}
		l := newLayout(size, true)
		if l.extras != want {
			t.Fatalf("sizes %v: extras at %d, want %d as in every decision layout", size, l.extras, want)
		}
		var b block
		d := l.new(&b)
		d.expl = &b.extras().expl
		if x := madeFor(d, l); x != b.extras() {
			t.Fatalf("sizes %v: madeFor does not find the extras of a decision made in the layout's memory", size)
		}
		copied := *d
		if madeFor(&copied, l) != nil {
			t.Fatalf("sizes %v: madeFor takes a copy of a decision for the decision", size)
		}
	}
}
