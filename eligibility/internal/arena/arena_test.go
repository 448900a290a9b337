package arena

import "testing"

func TestSlab(t *testing.T) {
	var s Slab[int]
	s.Init(4)
	a, b := Take(&s, 2), Take(&s, 2)
	first := &a[0]
	a[0], a[1], b[0], b[1] = 1, 2, 3, 4
	if cap(a) != 2 || cap(b) != 2 {
		t.Fatalf("slices not capped: cap %d and %d", cap(a), cap(b))
	}
	_ = append(a, 9) // a copy: b is untouched
	if b[0] != 3 {
		t.Errorf("append to one slice overwrote its neighbour: %v", b)
	}
	c := Take(&s, 3) // beyond the slab: a new slab, as big as the old
	if len(c) != 3 || cap(c) != 3 || s.Need() != 7 || s.Cap() != 4 {
		t.Errorf("len %d, cap %d, need %d, slab cap %d; want 3, 3, 7, 4", len(c), cap(c), s.Need(), s.Cap())
	}
	c[0] = 5
	if x := Take(&s, 1); x[0] != 0 || &s.buf[0] != &c[0] || &s.buf[3] != &x[0] {
		t.Error("the new slab did not go on after its first slice")
	}
	if b[0] != 3 || a[0] != 1 {
		t.Error("the new slab wrote the old")
	}
	first = &c[0]
	if e := TakeEmpty(&s, 0); e == nil || len(e) != 0 {
		t.Errorf("TakeEmpty(0) = %#v, want a non-nil empty slice", e)
	}
	if Take(&s, 0) != nil {
		t.Error("Take(0) is not nil")
	}
	s.Init(4) // reuse: the same memory (the last slab), cleared
	d := Take(&s, 4)
	if &d[0] != first {
		t.Error("Init with room did not reuse the slab's memory")
	}
	for _, x := range d {
		if x != 0 {
			t.Fatalf("reused slab not cleared: %v", d)
		}
	}
	if s.Need() != 4 {
		t.Errorf("need %d after Init, want 4", s.Need())
	}
}
