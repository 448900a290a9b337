package snapshot

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eligo-dev/eligo/rules/acto"
	"github.com/eligo-dev/eligo/rules/acto/actogen"
)

// keepExpr drops the fields rules cannot see, as eligo does.
func keepExpr(f reflect.StructField) bool { return f.Tag.Get("expr") != "-" }

var asOf = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// applicants returns n generated applicants, and n twins equal to them
// that share no memory with them.
func applicants(seed uint64, n int) (as, twins []*acto.Applicant) {
	for a := range actogen.Applicants(seed, n, asOf) {
		as = append(as, a)
	}
	for a := range actogen.Applicants(seed, n, asOf) {
		twins = append(twins, a)
	}
	return as, twins
}

// slabs returns a Mem whose slab k has room for n[k] elements (for all
// slabs if n has one size), the memory newly allocated.
func slabs(p *Plan, n ...int) *Mem {
	m := new(Mem)
	m.Init(make([]Slab, len(p.Types())))
	for k, t := range p.Types() {
		size := n[0]
		if len(n) > 1 {
			size = n[k]
		}
		m.slabs[k] = Slab{base: reflect.New(reflect.ArrayOf(size, t)).UnsafePointer(), cap: size}
	}
	return m
}

// copyInto packs the value at src with p and unpacks it to dst, taking
// memory from m: the deep copy a decision makes and explains from.
func copyInto(p *Plan, dst, src unsafe.Pointer, m *Mem) error {
	pk, err := p.Pack(src, new(Packer), Packed{})
	if err != nil {
		return err
	}
	p.Unpack(dst, pk, m)
	return nil
}

// copyOf deep-copies *src with p (copyInto), taking memory from m.
func copyOf[T any](t *testing.T, p *Plan, src *T, m *Mem) *T {
	t.Helper()
	dst := new(T)
	require.NoError(t, copyInto(p, unsafe.Pointer(dst), unsafe.Pointer(src), m))
	return dst
}

func plan[T any](t testing.TB, keep func(reflect.StructField) bool) *Plan {
	t.Helper()
	p, err := New(reflect.TypeFor[T](), keep)
	require.NoError(t, err)
	return p
}

// withName returns a shallow copy of a with name as its Name, for
// comparing a copy, whose Name is dropped, with the original.
func withName(a *acto.Applicant, name string) *acto.Applicant {
	b := *a
	b.Name = name
	return &b
}

// TestCopyACTO checks generated applicants' copies: equal but for the
// dropped Name, sharing no memory with the original, and unchanged by any
// change to it.
func TestCopyACTO(t *testing.T) {
	p := plan[acto.Applicant](t, keepExpr)
	as, twins := applicants(1, 300)
	m := new(Mem)
	m.Init(make([]Slab, len(p.Types())))
	for i, a := range as {
		cp := copyOf(t, p, a, m)
		require.Empty(t, cp.Name)
		require.Equal(t, twins[i], withName(cp, a.Name), "copy of %s", a.ID)
		assertDisjoint(t, reflect.ValueOf(cp), reflect.ValueOf(a))
		mutate(reflect.ValueOf(a))
		require.NotEqual(t, twins[i], withName(a, twins[i].Name), "mutate left %s as it was", a.ID)
		require.Equal(t, twins[i], withName(cp, twins[i].Name), "changing %s changed its copy", a.ID)
	}
}

// mutate changes every exported part of v reachable from it: strings,
// numbers, booleans, dates, list entries; and appends to lists.
func mutate(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			mutate(v.Elem())
		}
	case reflect.Interface:
		if !v.IsNil() {
			e := reflect.New(v.Elem().Type()).Elem()
			e.Set(v.Elem())
			mutate(e)
			if v.CanSet() {
				v.Set(e)
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		for i := range v.Len() {
			mutate(v.Index(i))
		}
		if v.CanSet() {
			v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
		}
	case reflect.Array:
		for i := range v.Len() {
			mutate(v.Index(i))
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(it.Value())
			mutate(e)
			v.SetMapIndex(it.Key(), e)
		}
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			v.Set(reflect.ValueOf(t.AddDate(1, 0, 0)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				mutate(v.Field(i))
			}
		}
	case reflect.String:
		v.SetString(v.String() + "!")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int:
		v.SetInt(v.Int() + 1)
	case reflect.Float64:
		v.SetFloat(v.Float() + 1)
	}
}

// A region is the memory of a pointee or a slice's elements.
type region struct{ start, end uintptr }

// regions returns the regions reachable from v through exported fields,
// pointers, slices, maps and interfaces. Strings are shared, so they are
// not regions.
func regions(v reflect.Value, rs []region) []region {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			rs = append(rs, region{v.Pointer(), v.Pointer() + v.Type().Elem().Size()})
			rs = regions(v.Elem(), rs)
		}
	case reflect.Slice:
		if v.Cap() > 0 {
			rs = append(rs, region{v.Pointer(), v.Pointer() + uintptr(v.Cap())*v.Type().Elem().Size()})
		}
		for i := range v.Len() {
			rs = regions(v.Index(i), rs)
		}
	case reflect.Interface:
		if !v.IsNil() {
			rs = regions(v.Elem(), rs)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			rs = regions(it.Value(), rs)
		}
	case reflect.Array:
		for i := range v.Len() {
			rs = regions(v.Index(i), rs)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				rs = regions(v.Field(i), rs)
			}
		}
	}
	return rs
}

// assertDisjoint asserts that no memory reachable from cp is reachable
// from src.
func assertDisjoint(t *testing.T, cp, src reflect.Value) {
	t.Helper()
	theirs := regions(src, nil)
	for _, r := range regions(cp, nil) {
		for _, s := range theirs {
			if r.start < s.end && s.start < r.end {
				t.Fatalf("the copy's %#x..%#x overlaps the source's %#x..%#x", r.start, r.end, s.start, s.end)
			}
		}
	}
}

type lists struct {
	Nil   []int
	Empty []int
	Full  []int
	Ptrs  []*int
	Strs  []string
	NilP  *int
	Inner []lists
}

func TestSlicesNilAndEmpty(t *testing.T) {
	p := plan[lists](t, nil)
	one := 1
	src := &lists{Empty: []int{}, Full: make([]int, 2, 10), Ptrs: []*int{&one, nil}, Strs: []string{},
		Inner: []lists{{Empty: []int{}}, {}}}
	cp := copyOf(t, p, src, slabs(p, 8))
	assert.Equal(t, src, cp)
	assert.Nil(t, cp.Nil)
	assert.NotNil(t, cp.Empty)
	assert.NotNil(t, cp.Strs)
	assert.Nil(t, cp.NilP)
	assert.Equal(t, 2, cap(cp.Full), "a copied slice's capacity is its length")
	assert.NotNil(t, cp.Inner[0].Empty)
	assert.Nil(t, cp.Inner[1].Empty)
	assertDisjoint(t, reflect.ValueOf(cp), reflect.ValueOf(src))
	one = 2
	assert.Equal(t, 1, *cp.Ptrs[0])
}

type entry struct {
	N       *int
	Private string `expr:"-"`
}

type dynamic struct {
	M     map[string]*entry
	NilM  map[int]int
	Any   any
	Anys  []any
	NilIf fmt.Stringer
	PM    *map[string][]int
}

func TestMapsAndInterfaces(t *testing.T) {
	p := plan[dynamic](t, keepExpr)
	n := func(i int) *int { return &i }
	inner := map[string][]int{"a": {1, 2}}
	src := &dynamic{
		M:    map[string]*entry{"x": {N: n(1), Private: "secret"}, "nil": nil},
		Any:  &entry{N: n(2), Private: "secret"},
		Anys: []any{[]int{3}, entry{N: n(4), Private: "secret"}, nil, "s", map[string]any{"k": []string{"v"}}},
		PM:   &inner,
	}
	cp := copyOf(t, p, src, slabs(p, 4))
	want := &dynamic{
		M:    map[string]*entry{"x": {N: n(1)}, "nil": nil},
		Any:  &entry{N: n(2)},
		Anys: []any{[]int{3}, entry{N: n(4)}, nil, "s", map[string]any{"k": []string{"v"}}},
		PM:   &map[string][]int{"a": {1, 2}},
	}
	require.Equal(t, want, cp)
	assertDisjoint(t, reflect.ValueOf(cp), reflect.ValueOf(src))
	mutate(reflect.ValueOf(src))
	*src.M["x"].N = 9
	*src.Any.(*entry).N = 9
	src.Anys[0].([]int)[0] = 9
	inner["a"][0] = 9
	src.Anys[4].(map[string]any)["k"].([]string)[0] = "w"
	assert.Equal(t, want, cp)
}

type tree struct {
	Value int
	Next  *tree
	Kids  []tree
	Arr   [2]*tree
}

func TestRecursive(t *testing.T) {
	p := plan[tree](t, nil)
	var src *tree
	for i := range 100 {
		src = &tree{Value: i, Next: src, Kids: []tree{{Value: -i}}}
	}
	src.Arr[1] = &tree{Value: 7, Kids: []tree{}}
	cp := copyOf(t, p, src, slabs(p, 50))
	assert.Equal(t, src, cp)
	assertDisjoint(t, reflect.ValueOf(cp), reflect.ValueOf(src))
}

func TestCyclic(t *testing.T) {
	type loop struct {
		Next *tree
		Any  any
		M    map[int]*loop
	}
	p := plan[tree](t, nil)
	cyc := &tree{}
	cyc.Next = cyc
	err := copyInto(p, unsafe.Pointer(new(tree)), unsafe.Pointer(cyc), slabs(p, 0))
	require.ErrorContains(t, err, "10000")

	cyc = &tree{Kids: make([]tree, 1)}
	cyc.Kids[0].Kids = cyc.Kids
	require.ErrorContains(t, copyInto(p, unsafe.Pointer(new(tree)), unsafe.Pointer(cyc), slabs(p, 0)), "10000")

	lp := plan[loop](t, nil)
	l := &loop{M: map[int]*loop{}}
	l.M[0] = l
	l.Any = l
	require.ErrorContains(t, copyInto(lp, unsafe.Pointer(new(loop)), unsafe.Pointer(l), slabs(lp, 0)), "10000")
}

type cell struct {
	P    *int
	S    []string
	Name string `expr:"-"`
}

type arrays struct {
	Cells [3]cell
	Ptrs  [2]*int
	Flat  [4]int
	Empty [0]*int
	Grid  [2][2]cell
}

func TestArrays(t *testing.T) {
	p := plan[arrays](t, keepExpr)
	n := func(i int) *int { return &i }
	src := &arrays{Ptrs: [2]*int{n(1), nil}, Flat: [4]int{1, 2, 3, 4}}
	for i := range src.Cells {
		src.Cells[i] = cell{P: n(i), S: []string{"a"}, Name: "x"}
	}
	src.Grid[1][0] = cell{P: n(5), Name: "y"}
	cp := copyOf(t, p, src, slabs(p, 8))
	want := *src
	for i := range want.Cells {
		want.Cells[i].Name = ""
	}
	want.Grid[1][0].Name = ""
	assert.Equal(t, &want, cp)
	assertDisjoint(t, reflect.ValueOf(cp), reflect.ValueOf(src))
}

type withUnexported struct {
	Exported *int
	hidden   *int
	When     time.Time
}

func TestUnexportedShallow(t *testing.T) {
	p := plan[withUnexported](t, nil)
	a, b := 1, 2
	src := &withUnexported{Exported: &a, hidden: &b, When: time.Now()}
	cp := copyOf(t, p, src, slabs(p, 1))
	assert.Same(t, src.hidden, cp.hidden, "an unexported field is copied as it is")
	assert.NotSame(t, src.Exported, cp.Exported)
	assert.True(t, cp.When.Equal(src.When))
	assert.Equal(t, src.When.Round(0), cp.When, "a time keeps its instant and location, not its monotonic reading")
	src.When = cp.When
	assert.Equal(t, src, cp)
}

// TestTimes: times keep their instant and their location, UTC, local or
// any other, the zero time included.
func TestTimes(t *testing.T) {
	type dates struct {
		At   time.Time
		Opt  *time.Time
		List []time.Time
	}
	p := plan[dates](t, nil)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	when := time.Date(2025, 7, 1, 9, 30, 15, 123456789, paris)
	for _, at := range []time.Time{{}, when, when.UTC(), when.Local(), time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), when.In(time.FixedZone("X", -3600))} {
		src := &dates{At: at, Opt: &at, List: []time.Time{at, {}}}
		cp := copyOf(t, p, src, slabs(p, 0))
		assert.Equal(t, src, cp, "%v", at)
		assert.Same(t, at.Location(), cp.At.Location(), "%v", at)
	}
}

func TestNewRejectsNonStruct(t *testing.T) {
	for _, typ := range []reflect.Type{nil, reflect.TypeFor[int](), reflect.TypeFor[*acto.Applicant]()} {
		_, err := New(typ, nil)
		assert.Error(t, err, "%v", typ)
	}
}

// TestSlabs checks that a copy takes memory from its slabs first, goes on
// in ordinary memory when they run short, and counts what it needed.
func TestSlabs(t *testing.T) {
	type item struct{ P *int }
	type doc struct {
		Items []item
		One   *int
	}
	p := plan[doc](t, nil)
	require.Equal(t, []reflect.Type{reflect.TypeFor[item](), reflect.TypeFor[int]()}, p.Types())
	n := func(i int) *int { return &i }
	src := &doc{Items: []item{{n(1)}, {nil}, {n(3)}}, One: n(4)}

	items := new([3]item)
	ints := new([2]int)
	var m Mem
	m.Init(make([]Slab, 2))
	m.slabs[0] = Slab{base: unsafe.Pointer(items), cap: len(items)}
	m.slabs[1] = Slab{base: unsafe.Pointer(ints), cap: len(ints)}
	cp := copyOf(t, p, src, &m)
	assert.Equal(t, src, cp)
	assert.Same(t, &items[0], &cp.Items[0], "the list is not in its slab")
	assert.Same(t, &ints[0], cp.Items[0].P, "the first pointee is not in its slab")
	assert.Same(t, &ints[1], cp.Items[2].P)
	assert.Equal(t, []int{3, 3}, []int{m.Need(0), m.Need(1)})
	assertDisjoint(t, reflect.ValueOf(cp), reflect.ValueOf(src))

	cp2 := copyOf(t, p, src, &m) // no room left: ordinary memory
	assert.Equal(t, src, cp2)
	assert.Equal(t, []int{6, 6}, []int{m.Need(0), m.Need(1)})
	assert.Equal(t, 1, *cp.Items[0].P, "the second copy overwrote the first")
	assertDisjoint(t, reflect.ValueOf(cp2), reflect.ValueOf(src))
	assertDisjoint(t, reflect.ValueOf(cp2), reflect.ValueOf(cp))

	m.Init(make([]Slab, 2)) // no room at all
	assert.Equal(t, src, copyOf(t, p, src, &m))
	assert.Equal(t, []int{3, 3}, []int{m.Need(0), m.Need(1)})
	assert.Panics(t, func() { _ = copyInto(p, unsafe.Pointer(new(doc)), unsafe.Pointer(src), new(Mem)) })
}

// need returns the slab sizes the copies of as need.
func need(t testing.TB, p *Plan, as []*acto.Applicant) []int {
	size := make([]int, len(p.Types()))
	var m Mem
	m.Init(make([]Slab, len(size)))
	for _, a := range as {
		m.Init(m.slabs)
		require.NoError(t, copyInto(p, unsafe.Pointer(new(acto.Applicant)), unsafe.Pointer(a), &m))
		for k := range size {
			size[k] = max(size[k], m.Need(k))
		}
	}
	return size
}

// TestGC packs applicants while the garbage collector runs, then changes
// the originals and drops them, and checks the copies unpacked from what
// was packed: the packed pointers alone keep their strings and locations
// alive.
func TestGC(t *testing.T) {
	p := plan[acto.Applicant](t, keepExpr)
	as, twins := applicants(2, 200)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				runtime.GC()
			}
		}
	})
	var pks []Packed
	var pk Packer
	for round := range 5 {
		for _, a := range as {
			packed, err := p.Pack(unsafe.Pointer(a), &pk, Packed{})
			require.NoError(t, err)
			if round == 4 {
				pks = append(pks, packed)
			}
		}
	}
	for _, a := range as {
		mutate(reflect.ValueOf(a))
	}
	as = nil
	runtime.GC()
	close(stop)
	wg.Wait()
	runtime.GC()
	var m Mem
	m.Init(make([]Slab, len(p.Types())))
	for i, packed := range pks {
		cp := new(acto.Applicant)
		p.Unpack(unsafe.Pointer(cp), packed, &m)
		require.Equal(t, twins[i], withName(cp, twins[i].Name))
	}
}

// TestPackAllocations: packing into a Packed handed back with the room,
// and unpacking into memory rewound and cleared, allocate nothing.
func TestPackAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	p := plan[acto.Applicant](t, keepExpr)
	as, twins := applicants(3, 100)
	var pk Packer
	reuse := Packed{bytes: &make([]byte, 1<<16)[0], ptrs: &make([]unsafe.Pointer, 1<<12)[0], nbytes: 1 << 16, nptrs: 1 << 12}
	var m Mem
	m.Init(make([]Slab, len(p.Types())))
	dst := new(acto.Applicant)
	i, check := 0, true
	one := func() {
		a := as[i%len(as)]
		packed, err := p.Pack(unsafe.Pointer(a), &pk, reuse)
		if err != nil {
			panic(err)
		}
		m.Rewind()
		p.Unpack(unsafe.Pointer(dst), packed, &m)
		if check && !reflect.DeepEqual(twins[i], withName(dst, twins[i].Name)) {
			t.Errorf("copy %d differs", i)
		}
		p.Clear(unsafe.Pointer(dst), &m)
		i++
	}
	for range as { // the slabs grow to the largest
		one()
	}
	i, check = 0, false
	assert.Zero(t, testing.AllocsPerRun(200, one))
}

// BenchmarkPackACTO packs 1,000 generated applicants in turn, each into
// memory of its own, as every decision does.
func BenchmarkPackACTO(b *testing.B) {
	p := plan[acto.Applicant](b, keepExpr)
	var as []*acto.Applicant
	for a := range actogen.Applicants(4, 1000, asOf) {
		as = append(as, a)
	}
	var pk Packer
	b.ReportAllocs()
	i, size := 0, 0
	for b.Loop() {
		packed, err := p.Pack(unsafe.Pointer(as[i]), &pk, Packed{})
		if err != nil {
			b.Fatal(err)
		}
		size += packed.Size()
		if i++; i == len(as) {
			i = 0
		}
	}
	b.ReportMetric(float64(size)/float64(b.N), "packed-B/op")
}

// BenchmarkUnpackACTO unpacks 1,000 generated applicants in turn into
// reused memory, as explaining a decision does.
func BenchmarkUnpackACTO(b *testing.B) {
	p := plan[acto.Applicant](b, keepExpr)
	var pks []Packed
	var pk Packer
	for a := range actogen.Applicants(4, 1000, asOf) {
		packed, err := p.Pack(unsafe.Pointer(a), &pk, Packed{})
		require.NoError(b, err)
		pks = append(pks, packed)
	}
	var m Mem
	m.Init(make([]Slab, len(p.Types())))
	dst := new(acto.Applicant)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Rewind()
		p.Unpack(unsafe.Pointer(dst), pks[i], &m)
		p.Clear(unsafe.Pointer(dst), &m)
		if i++; i == len(pks) {
			i = 0
		}
	}
}

func TestTypesDescribed(t *testing.T) {
	p := plan[acto.Applicant](t, keepExpr)
	var names []string
	for _, t := range p.Types() {
		names = append(names, t.String())
	}
	assert.Contains(t, strings.Join(names, " "), "time.Time")
}

// TestShallowKinds checks that channels, functions and unsafe pointers are
// shared.
func TestShallowKinds(t *testing.T) {
	type shallow struct {
		C  chan int
		F  func() int
		U  unsafe.Pointer
		Ps []*func() int
	}
	p := plan[shallow](t, nil)
	x := 1
	f := func() int { return x }
	src := &shallow{C: make(chan int), F: f, U: unsafe.Pointer(&x), Ps: []*func() int{&f}}
	cp := copyOf(t, p, src, slabs(p, 1))
	assert.Equal(t, src.C, cp.C)
	assert.Equal(t, src.U, cp.U)
	assert.Equal(t, 1, cp.F())
	assert.NotSame(t, src.Ps[0], cp.Ps[0])
	assert.Equal(t, 1, (*cp.Ps[0])())
}

// TestClear: memory rewound and cleared after each copy holds the next
// copy whole (Unpack writes every part but dropped fields, which stay
// zero), and once cleared holds nothing of the copies: the memory of the
// copy and every element taken from its slabs is zero.
func TestClear(t *testing.T) {
	p := plan[acto.Applicant](t, keepExpr)
	as, twins := applicants(5, 200)
	m := slabs(p, need(t, p, as)...)
	dst := new(acto.Applicant)
	for i, a := range as {
		m.Rewind()
		p.Unpack(unsafe.Pointer(dst), pack(t, p, a), m)
		require.Equal(t, twins[i], withName(dst, a.Name))
		p.Clear(unsafe.Pointer(dst), m)
		require.Equal(t, acto.Applicant{}, *dst)
		for k, typ := range p.Types() {
			s := m.slabs[k]
			elems := reflect.NewAt(reflect.ArrayOf(s.used, typ), s.base).Elem()
			require.True(t, elems.IsZero(), "slab of %v", typ)
		}
	}
}

// pack packs *src with p into memory of its own.
func pack[T any](t *testing.T, p *Plan, src *T) Packed {
	t.Helper()
	pk, err := p.Pack(unsafe.Pointer(src), new(Packer), Packed{})
	require.NoError(t, err)
	return pk
}

// TestPackedLeavesOut: what a plan drops is not packed, neither a
// string's data nor a number's bytes, and a packed copy holds only what
// it needs: for the generated applicants, far less than the slabs sized
// for the largest of them that a copy would need.
func TestPackedLeavesOut(t *testing.T) {
	type person struct {
		ID     string
		Name   string `expr:"-"`
		Phone  uint64 `expr:"-"`
		Scores []int
	}
	p := plan[person](t, keepExpr)
	name := strings.Repeat("Jo Bloggs", 2)
	pk := pack(t, p, &person{ID: "a1", Name: name, Phone: 0x0123456789abcdef, Scores: []int{7}})
	for _, q := range pk.pointers() {
		assert.NotEqual(t, unsafe.Pointer(unsafe.StringData(name)), q)
	}
	assert.NotContains(t, string(pk.data()), "\xef\xcd\xab\x89")
	assert.Len(t, pk.pointers(), 1, "the id's data")

	pa := plan[acto.Applicant](t, keepExpr)
	as, _ := applicants(6, 300)
	slab := 0
	for k, n := range need(t, pa, as) {
		slab += n * int(pa.Types()[k].Size())
	}
	total := 0
	for _, a := range as {
		total += pack(t, pa, a).Size()
	}
	avg := total / len(as)
	t.Logf("packed %d bytes on average; slabs for the largest %d, and the applicant %d", avg, slab, reflect.TypeFor[acto.Applicant]().Size())
	assert.Less(t, avg, slab)
}

// mixed has a field of each kind a program packs, padding between them,
// a dropped field, and a nested struct.
type mixed struct {
	A     bool
	B     string
	C     level
	N     int32
	When  time.Time
	P     *int
	Inner struct {
		X  uint8
		Y  uint8
		S  []string
		Ts []time.Time
	}
	Z    int16
	Drop int16 `expr:"-"`
	W    int32
	At   *time.Time
}

// level is a text of a type of its own.
type level string

// TestProgram: a struct of texts, numbers, dates, pointers and slices is
// packed field by field, neighbouring numbers in one step, a dropped
// field in none; a copy of it equals it.
func TestProgram(t *testing.T) {
	p := plan[mixed](t, keepExpr)
	var kinds []instrKind
	for _, in := range p.root.prog {
		kinds = append(kinds, in.kind)
	}
	// A; B; C; N; When; P; X and Y; S; Ts; Z; W; At.
	assert.Equal(t, []instrKind{iBytes, iString, iString, iBytes, iTime, iPointer, iBytes, iSlice, iSlice, iBytes, iBytes, iPointer}, kinds)
	assert.Equal(t, uintptr(2), p.root.prog[6].n, "X and Y in one step")
	assert.Equal(t, []instrKind{iBoxed, iBoxed, iBoxed, iSlice, iBoxed, iPointer}, kindsOf(plan[dynamic](t, keepExpr).root.prog))

	n, when := 7, time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	src := &mixed{A: true, B: "b", C: "c", N: -3, When: when, P: &n, Z: 9, Drop: 5, W: -1, At: &when}
	src.Inner.X, src.Inner.Y, src.Inner.S, src.Inner.Ts = 200, 1, []string{"x", "y"}, []time.Time{when, when.AddDate(1, 0, 0)}
	cp := copyOf(t, p, src, slabs(p, 4))
	want := *src
	want.Drop = 0
	require.Equal(t, &want, cp)
	assertDisjoint(t, reflect.ValueOf(cp), reflect.ValueOf(src))
}

func kindsOf(prog []instr) []instrKind {
	var kinds []instrKind
	for _, in := range prog {
		kinds = append(kinds, in.kind)
	}
	return kinds
}
