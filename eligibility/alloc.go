package eligibility

import (
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
	"weak"
)

// A decision is many small slices: a result per requirement, its clauses,
// their missing paths and values, the awards and their requirement lists,
// and so on. Allocating each on its own costs hundreds of allocations per
// applicant. Instead Evaluate allocates one block per decision, a struct
// type made for the engine with reflect.StructOf, holding an array of each
// kind of element, and carves the decision's slices out of it. Every slice
// is capped at its own length, so a caller appending to one gets a copy and
// never overwrites its neighbour. The block's type carries the pointer
// layout of its arrays, so the garbage collector sees it like any struct.
//
// The arrays are sized from the rule set and grow to the largest decision
// seen so far: a decision that needs more than its block has takes the
// rest from ordinary allocations and makes the next blocks bigger.

// area is one array of the block.
type area int

const (
	areaDecision area = iota
	areaGap
	areaReqs
	areaClauses
	areaStrings
	areaValues
	areaEntries
	areaConds
	areaFloats
	areaInts
	areaDates
	areaAwards
	areaStatuses
	areaRoutes
	areaActions
	areaBenefits
	areaFees
	numAreas
)

var areaTypes = [numAreas]reflect.Type{
	areaDecision: reflect.TypeFor[Decision](),
	areaGap:      reflect.TypeFor[Gap](),
	areaReqs:     reflect.TypeFor[RequirementResult](),
	areaClauses:  reflect.TypeFor[ClauseResult](),
	areaStrings:  reflect.TypeFor[string](),
	areaValues:   reflect.TypeFor[Value](),
	areaEntries:  reflect.TypeFor[EntryGap](),
	areaConds:    reflect.TypeFor[ConditionGap](),
	areaFloats:   reflect.TypeFor[float64](),
	areaInts:     reflect.TypeFor[int](),
	areaDates:    reflect.TypeFor[Date](),
	areaAwards:   reflect.TypeFor[AwardResult](),
	areaStatuses: reflect.TypeFor[RequirementStatus](),
	areaRoutes:   reflect.TypeFor[RouteResult](),
	areaActions:  reflect.TypeFor[Action](),
	areaBenefits: reflect.TypeFor[BenefitResult](),
	areaFees:     reflect.TypeFor[Fee](),
}

// blockLayout is the type of an engine's blocks and where each array lies.
type blockLayout struct {
	typ  reflect.Type
	size [numAreas]int
	off  [numAreas]uintptr
}

func newBlockLayout(size [numAreas]int) *blockLayout {
	l := &blockLayout{size: size}
	fields := make([]reflect.StructField, numAreas)
	for a := range numAreas {
		l.size[a] = max(l.size[a], 1)
		fields[a] = reflect.StructField{Name: "A" + string(rune('A'+a)), Type: reflect.ArrayOf(l.size[a], areaTypes[a])}
	}
	l.typ = reflect.StructOf(fields)
	for a := range numAreas {
		l.off[a] = l.typ.Field(int(a)).Offset
	}
	return l
}

// blocks hands out blocks and learns how big they must be.
type blocks struct {
	layout   atomic.Pointer[blockLayout]
	limit    [numAreas]int // no area grows beyond this
	reusable sync.Map      // weak.Pointer[Decision] -> *blockLayout: decisions made for Reusing
}

func (bs *blocks) init(size [numAreas]int) {
	for a := range numAreas {
		bs.limit[a] = max(size[a]+size[a]/2, 4)
	}
	bs.limit[areaClauses] = 8 * size[areaClauses] // fixed by the rules: learnt from the first decision
	bs.layout.Store(newBlockLayout(size))
}

// block is the memory of one decision being made.
type block struct {
	l      *blockLayout
	base   unsafe.Pointer
	used   [numAreas]int
	over   bool // some area ran out
	reused bool // the block of an earlier decision
}

// get returns a block for a decision: the block reuse was made in,
// cleared, when it is one of the current layout that Evaluate made for
// Reusing; else a new one.
func (bs *blocks) get(reuse *Decision) block {
	l := bs.layout.Load()
	if reuse != nil {
		if v, ok := bs.reusable.Load(weak.Make(reuse)); ok && v.(*blockLayout) == l {
			// The decision is the block's first field: its address is the block's.
			base := unsafe.Pointer(reuse)
			reflect.NewAt(l.typ, base).Elem().SetZero()
			return block{l: l, base: base, reused: true}
		}
	}
	return block{l: l, base: reflect.New(l.typ).UnsafePointer()}
}

// keep records that d, made in b, may be reused. The record is keyed by a
// weak pointer and goes when d does, so that Decision carries no hidden
// state (two decisions alike are equal, as values).
func (bs *blocks) keep(d *Decision, b *block) {
	if b.reused {
		return
	}
	key := weak.Make(d)
	bs.reusable.Store(key, b.l)
	runtime.AddCleanup(d, func(k weak.Pointer[Decision]) { bs.reusable.Delete(k) }, key)
}

// done records how much of each area the decision used, so that later
// blocks have room for a decision like it.
func (bs *blocks) done(b *block) {
	if !b.over {
		return
	}
	for {
		old := bs.layout.Load()
		size := old.size
		grow := false
		for a := range numAreas {
			if b.used[a] > size[a] && size[a] < bs.limit[a] {
				size[a] = min(b.used[a], bs.limit[a])
				grow = true
			}
		}
		if !grow || bs.layout.CompareAndSwap(old, newBlockLayout(size)) {
			return
		}
	}
}

// take returns n elements of area a, from the block while it has room.
func take[T any](b *block, a area, n int) []T {
	if n == 0 {
		return nil
	}
	used := b.used[a]
	b.used[a] += n
	if b.used[a] > b.l.size[a] {
		b.over = true
		return make([]T, n)
	}
	var zero T
	p := (*T)(unsafe.Add(b.base, b.l.off[a]+uintptr(used)*unsafe.Sizeof(zero)))
	return unsafe.Slice(p, n)
}

// takeEmpty returns a non-nil empty slice with room for n elements of area a.
func takeEmpty[T any](b *block, a area, n int) []T {
	if n == 0 {
		return []T{}
	}
	return take[T](b, a, n)[:0]
}

// one returns a pointer to one element of area a.
func one[T any](b *block, a area) *T { return &take[T](b, a, 1)[0] }

// value keeps v, a value from a lent rules.Result, in the block: numbers,
// texts and dates are copied into it (the run will reuse their memory);
// dates become Dates, for their document form. Other values are shared:
// rules makes them afresh, or they are the rule set's own (parameters).
func (b *block) value(v any) any {
	switch x := v.(type) {
	case float64:
		p := one[float64](b, areaFloats)
		*p = x
		return boxFloat(p)
	case int:
		p := one[int](b, areaInts)
		*p = x
		return boxInt(p)
	case string:
		p := one[string](b, areaStrings)
		*p = x
		return boxString(p)
	case time.Time:
		p := one[Date](b, areaDates)
		*p = Date{x}
		return boxDate(p)
	}
	return v
}

// float returns s's address in the block.
func (b *block) float(s float64) *float64 {
	p := one[float64](b, areaFloats)
	*p = s
	return p
}
