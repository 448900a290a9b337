package snapshot

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// fuzzed is a value of every kind a program packs: texts of a type of
// their own, numbers with padding around them, dates in several
// locations, pointers, nested lists, a dropped field, a map and an
// interface.
type fuzzed struct {
	ID     string
	Secret string `expr:"-"`
	N      int8
	F      float64
	L      level
	B      bool
	At     time.Time
	Opt    *time.Time
	Ptr    *fuzzed
	Kids   []fuzzed
	Tags   []string
	Nums   []uint16
	Grid   [2]struct{ S string }
	M      map[string]int
	Any    any
	hidden []int
}

// fuzzValue builds a fuzzed value from r, depth levels deep at most.
func fuzzValue(r *rand.Rand, depth int) *fuzzed {
	locs := []*time.Location{time.UTC, time.Local, time.FixedZone("F", 5400)}
	str := func() string {
		if r.IntN(4) == 0 {
			return ""
		}
		b := make([]byte, r.IntN(200)) // lengths past one varint byte too
		for i := range b {
			b[i] = byte('a' + r.IntN(26))
		}
		return string(b)
	}
	date := func() time.Time {
		if r.IntN(5) == 0 {
			return time.Time{}
		}
		return time.Unix(r.Int64N(1<<40)-1<<39, r.Int64N(1e9)).In(locs[r.IntN(len(locs))])
	}
	v := &fuzzed{ID: str(), Secret: str(), N: int8(r.Int()), F: math.Float64frombits(r.Uint64()), L: level(str()), B: r.IntN(2) == 0, At: date()}
	if math.IsNaN(v.F) {
		v.F = 1.5 // DeepEqual never holds for NaN
	}
	if r.IntN(2) == 0 {
		d := date()
		v.Opt = &d
	}
	if depth > 0 && r.IntN(3) == 0 {
		v.Ptr = fuzzValue(r, depth-1)
	}
	if depth > 0 && r.IntN(2) == 0 {
		v.Kids = []fuzzed{}
		for range r.IntN(4) {
			v.Kids = append(v.Kids, *fuzzValue(r, depth-1))
		}
	}
	if r.IntN(2) == 0 {
		v.Tags = make([]string, r.IntN(5))
		for i := range v.Tags {
			v.Tags[i] = str()
		}
	}
	if r.IntN(2) == 0 {
		v.Nums = make([]uint16, r.IntN(300))
		for i := range v.Nums {
			v.Nums[i] = uint16(r.Int())
		}
	}
	v.Grid[r.IntN(2)].S = str()
	if r.IntN(3) == 0 {
		v.M = map[string]int{str(): r.Int()}
	}
	if r.IntN(3) == 0 {
		v.Any = []string{str()}
	}
	if r.IntN(3) == 0 {
		v.hidden = []int{r.Int()}
	}
	return v
}

// FuzzPack: a generated value unpacked from its packed copy equals it but
// for the dropped field (which is zero, everywhere in it), shares no
// exported memory with it, and neither does a second unpacking into the
// same memory, rewound after the first was cleared.
func FuzzPack(f *testing.F) {
	for seed := range uint64(8) {
		f.Add(seed)
	}
	p := plan[fuzzed](f, keepExpr)
	f.Fuzz(func(t *testing.T, seed uint64) {
		src := fuzzValue(rand.New(rand.NewPCG(seed, 7)), 3)
		pk := pack(t, p, src)
		var m Mem
		m.Init(make([]Slab, len(p.Types())))
		for range 2 {
			cp := new(fuzzed)
			m.Rewind()
			p.Unpack(unsafe.Pointer(cp), pk, &m)
			require.Equal(t, withoutSecrets(src), cp)
			assertDisjoint(t, reflect.ValueOf(cp), reflect.ValueOf(src))
			p.Clear(unsafe.Pointer(cp), &m)
		}
	})
}

// withoutSecrets is a deep copy of v with every Secret zero, made by
// reflection, as Pack and Unpack should make it.
func withoutSecrets(v *fuzzed) *fuzzed {
	if v == nil {
		return nil
	}
	c := *v
	c.Secret = ""
	c.Ptr = withoutSecrets(v.Ptr)
	if v.Kids != nil {
		c.Kids = make([]fuzzed, len(v.Kids))
		for i := range v.Kids {
			c.Kids[i] = *withoutSecrets(&v.Kids[i])
		}
	}
	return &c
}
