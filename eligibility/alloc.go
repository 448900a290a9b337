package eligibility

import (
	"fmt"
	"reflect"
	"sync/atomic"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/arena"
	"github.com/eligo-dev/eligo/eligibility/internal/snapshot"
)

// A decision and its explanation are many small slices: a result per
// requirement, its clauses, their missing paths and values, the gap to the
// next level, a status byte per requirement, and so on. Allocating each on
// its own costs hundreds of allocations per applicant. Instead Evaluate
// carves the decision's slices out of one slab per kind of element, and
// allocates the slabs, the Decision and its Gap together, in one
// allocation: a struct type built with reflect.StructOf
// for the slabs' sizes (a layout), holding the Decision, the block and an
// array per slab. Reflect built the type, so the garbage collector knows
// where its pointers are; every slice of the decision points into it, so
// any of them keeps it alive.
//
// Every slice is capped at its own length, so a caller appending to one
// gets a copy and never overwrites its neighbour. Nothing but the decision
// refers to its memory, and nothing writes it once Evaluate has returned,
// so the decision owns its memory (Reusing aside, which hands it back on
// purpose).
//
// The slabs are sized from the rule set and grow to the largest decision
// seen so far, up to a limit: a decision that needs more than a slab has
// takes the rest from ordinary allocations and makes the next slabs
// bigger. Each size gets its layout, built once; sizes grow by a quarter
// at least, so an engine builds few of them.
//
// The copy of its applicant a decision explains from is not in this
// memory: it is packed apart, in memory sized to the applicant (keep.go).

// area is one kind of element of a decision.
type area int

const (
	areaReqs area = iota
	areaClauses
	areaStrings
	areaValues
	areaEntries
	areaConds
	areaFloats
	areaStatuses
	areaActions
	areaBenefits
	areaFees
	areaCodes
	numAreas
)

// block is the bookkeeping of one decision, or explanation, being made:
// its slabs, carving the memory of one layout. It lives in the evaluation
// state of a goroutine (evalState), not in the decision's memory, and lets
// go of that memory when the decision is made (release).
type block struct {
	reqs     arena.Slab[RequirementResult]
	clauses  arena.Slab[ClauseResult]
	strs     arena.Slab[string]
	values   arena.Slab[Value]
	entries  arena.Slab[EntryGap]
	conds    arena.Slab[ConditionGap]
	floats   arena.Slab[float64]
	statuses arena.Slab[RequirementStatus]
	actions  arena.Slab[Action]
	benefits arena.Slab[BenefitResult]
	fees     arena.Slab[Fee]
	codes    arena.Slab[statusByte]
	layout   *layout        // of the memory the slabs carve
	base     unsafe.Pointer // that memory
}

// extras is what a decision's memory holds besides its Decision and its
// arrays: its Gap and its explanation.
type extras struct {
	gap  Gap
	expl explanation // explain.go
	// The decision's layout when it was made for Reusing, else nil: what
	// blocks.get checks of a decision handed back.
	reusable *layout
}

// extras returns the extras of the decision b is making.
func (b *block) extras() *extras { return (*extras)(unsafe.Add(b.base, b.layout.extras)) }

// release lets go of the memory b carved.
func (b *block) release() { *b = block{} }

// areas says, for each area, its element type and how its slab in a
// block takes its memory: the two come from one type parameter, so the
// arrays reflect builds for an area hold the elements its slab carves.
var areas = [numAreas]areaKind{
	areaReqs:     kind(func(b *block) *arena.Slab[RequirementResult] { return &b.reqs }),
	areaClauses:  kind(func(b *block) *arena.Slab[ClauseResult] { return &b.clauses }),
	areaStrings:  kind(func(b *block) *arena.Slab[string] { return &b.strs }),
	areaValues:   kind(func(b *block) *arena.Slab[Value] { return &b.values }),
	areaEntries:  kind(func(b *block) *arena.Slab[EntryGap] { return &b.entries }),
	areaConds:    kind(func(b *block) *arena.Slab[ConditionGap] { return &b.conds }),
	areaFloats:   kind(func(b *block) *arena.Slab[float64] { return &b.floats }),
	areaStatuses: kind(func(b *block) *arena.Slab[RequirementStatus] { return &b.statuses }),
	areaActions:  kind(func(b *block) *arena.Slab[Action] { return &b.actions }),
	areaBenefits: kind(func(b *block) *arena.Slab[BenefitResult] { return &b.benefits }),
	areaFees:     kind(func(b *block) *arena.Slab[Fee] { return &b.fees }),
	areaCodes:    kind(func(b *block) *arena.Slab[statusByte] { return &b.codes }),
}

// areaKind is one area's element type and the use of its memory.
type areaKind struct {
	typ reflect.Type
	// init gives b's slab of the area room for n elements of its own
	// (arena.Slab.Init): for a block that keeps its memory (streamJSON).
	init func(b *block, n int)
	// need is how many elements b's slab of the area was asked for.
	need func(b *block) int
}

func kind[T any](slab func(*block) *arena.Slab[T]) areaKind {
	return areaKind{
		typ:  reflect.TypeFor[T](),
		init: func(b *block, n int) { slab(b).Init(n) },
		need: func(b *block) int { return slab(b).Need() },
	}
}

// layout is the memory of a decision for one vector of slab sizes: a
// struct type with the Decision (its first field, at offset 0), its extras,
// and an array per area, each as long as the area's slab. The memory of a
// decision's explanation (explain.go) has the arrays alone.
type layout struct {
	size     [numAreas]int
	typ      reflect.Type
	decision bool              // typ starts with a Decision and its extras
	extras   uintptr           // the extras' offset in typ
	areas    [numAreas]uintptr // each area's array's offset in typ
}

// newLayout builds the layout for slabs of size, of a decision's memory
// or (decision false) an explanation's.
func newLayout(size [numAreas]int, decision bool) *layout {
	var fields []reflect.StructField
	if decision {
		fields = append(fields,
			reflect.StructField{Name: "Decision", Type: reflect.TypeFor[Decision]()},
			reflect.StructField{Name: "Extras", Type: reflect.TypeFor[extras]()})
	}
	first := len(fields)
	for a := range numAreas {
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("Area%d", a), Type: reflect.ArrayOf(size[a], areas[a].typ)})
	}
	l := &layout{size: size, decision: decision}
	if fields[len(fields)-1].Type.Size() == 0 {
		// A slice of a zero-length array at the end would point past
		// the memory.
		fields = append(fields, reflect.StructField{Name: "End", Type: reflect.TypeFor[byte]()})
	}
	l.typ = reflect.StructOf(fields)
	if decision {
		l.extras = l.typ.Field(1).Offset
	}
	for a := range numAreas {
		l.areas[a] = l.typ.Field(first + int(a)).Offset
	}
	return l
}

// new allocates a decision's memory, in one allocation, points b's slabs
// at their arrays in it, and returns its Decision (nil for the memory of
// an explanation).
//
// The pointers into the memory are its address plus the offsets reflect
// gave the fields, each converted to a pointer to its field's type, or its
// array's element type (the unsafe package's patterns 1 and 3, within one
// allocation): reflect.Value's Field and Addr would give the same
// pointers, slower (Addr looks up the pointer type of each array type in a
// map), as TestLayout checks.
func (l *layout) new(b *block) *Decision {
	p := reflect.New(l.typ).UnsafePointer()
	l.use(b, p)
	if !l.decision {
		return nil
	}
	return (*Decision)(p)
}

// use points b's slabs at the arrays of the memory p, of this layout,
// which must be zeroed.
func (l *layout) use(b *block, p unsafe.Pointer) {
	b.layout, b.base = l, p
	// Slab by slab, not through areas: a call each rather than three
	// through closures (TestLayout holds this to the areas).
	useArea(&b.reqs, l, p, areaReqs)
	useArea(&b.clauses, l, p, areaClauses)
	useArea(&b.strs, l, p, areaStrings)
	useArea(&b.values, l, p, areaValues)
	useArea(&b.entries, l, p, areaEntries)
	useArea(&b.conds, l, p, areaConds)
	useArea(&b.floats, l, p, areaFloats)
	useArea(&b.statuses, l, p, areaStatuses)
	useArea(&b.actions, l, p, areaActions)
	useArea(&b.benefits, l, p, areaBenefits)
	useArea(&b.fees, l, p, areaFees)
	useArea(&b.codes, l, p, areaCodes)
}

// useArea points s, the slab of area a, at the area's array in the memory
// p of layout l.
func useArea[T any](s *arena.Slab[T], l *layout, p unsafe.Pointer, a area) {
	s.Use(areaAt[T](unsafe.Add(p, l.areas[a]), l.size[a]))
}

// areaAt is the array of n elements at p, an area's; nil for n == 0 (p
// may then be the end of the layout's memory, where no T lies).
func areaAt[T any](p unsafe.Pointer, n int) []T {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*T)(p), n)
}

// reuse clears the Decision and the extras in the memory p, of this
// layout, of a decision made for Reusing, and points b's slabs at it. Its
// arrays are left as they are: a decision writes every element it takes
// from its areas whole (an AwardResult, a RequirementStatus, a string...;
// TestReusing holds reused decisions to fresh ones).
func (l *layout) reuse(b *block, p unsafe.Pointer) {
	*(*Decision)(p) = Decision{}
	*(*extras)(unsafe.Add(p, l.extras)) = extras{}
	l.use(b, p)
}

// needs is how many elements of each area the decision asked for.
func (b *block) needs() [numAreas]int {
	return [numAreas]int{
		areaReqs: b.reqs.Need(), areaClauses: b.clauses.Need(), areaStrings: b.strs.Need(),
		areaValues: b.values.Need(), areaEntries: b.entries.Need(), areaConds: b.conds.Need(),
		areaFloats: b.floats.Need(), areaStatuses: b.statuses.Need(), areaActions: b.actions.Need(),
		areaBenefits: b.benefits.Need(), areaFees: b.fees.Need(), areaCodes: b.codes.Need(),
	}
}

// blocks hands out decisions' memory and learns how big it must be.
type blocks struct {
	layout   atomic.Pointer[layout] // for the current sizes
	limit    [numAreas]int          // no area grows beyond this
	decision bool                   // of decisions, not explanations
}

func (bs *blocks) init(size [numAreas]int, decision bool) {
	for a := range numAreas {
		bs.limit[a] = max(size[a]+size[a]/2, 4)
	}
	bs.limit[areaClauses] = 8 * size[areaClauses] // fixed by the rules: learnt from the first decision
	bs.decision = decision
	bs.layout.Store(newLayout(size, decision))
}

// get points b at the memory of a decision and returns the decision:
// reuse, cleared, when Evaluate made it for Reusing in memory of the
// current layout, with the memory of its copy of its applicant, for the
// new decision's; else new memory.
func (bs *blocks) get(b *block, reuse *Decision) (*Decision, snapshot.Packed) {
	l := bs.layout.Load()
	if x := madeFor(reuse, l); x != nil && x.reusable == l {
		app := x.expl.app
		l.reuse(b, unsafe.Pointer(reuse))
		return reuse, app
	}
	return l.new(b), snapshot.Packed{}
}

// madeFor returns the extras of d when d is a decision Evaluate made in
// memory of a layout like l, else nil. Every such layout has the extras
// at the same offset, after the Decision, and the decision's explanation
// in them (d.expl): so a Decision d whose expl points at the explanation
// in the extras at that offset from d is one (a copy of the value points
// at its original's, a decision read from JSON at one of its own, a
// Decision{} at none), and only then is the memory there read. A
// decision of an older layout, smaller than decisions now need, or of
// another engine, is left alone by get, which checks the extras' layout.
//
// The check compares addresses as numbers: a pointer made past the end of
// d, a Decision of the caller's, would point outside its allocation.
func madeFor(d *Decision, l *layout) *extras {
	if d == nil || d.expl == nil || !l.decision {
		return nil
	}
	at := unsafe.Offsetof(extras{}.expl)
	if uintptr(unsafe.Pointer(d.expl))-uintptr(unsafe.Pointer(d)) != l.extras+at {
		return nil
	}
	return (*extras)(unsafe.Add(unsafe.Pointer(d.expl), -int(at)))
}

// keep records that the decision made in b's memory may be reused
// (Reusing).
func (bs *blocks) keep(b *block) { b.extras().reusable = b.layout }

// done records how much of each area the decision used, so that later
// blocks have room for a decision like it. An area grows by a quarter at
// least, so that sizes, and layouts, change rarely.
func (bs *blocks) done(b *block) {
	need := b.needs()
	for {
		old := bs.layout.Load()
		size := old.size
		grow := false
		for a := range numAreas {
			if need[a] > size[a] && size[a] < bs.limit[a] {
				size[a] = min(max(need[a], size[a]+size[a]/4), bs.limit[a])
				grow = true
			}
		}
		if !grow {
			return
		}
		if bs.layout.CompareAndSwap(old, newLayout(size, bs.decision)) {
			return
		}
	}
}

// float returns s's address in the block.
func (b *block) float(s float64) *float64 {
	p := &arena.Take(&b.floats, 1)[0]
	*p = s
	return p
}

// blockSizes estimates, from the rule set, how much of each area of a
// block a decision needs (decision) and its explanation needs (explain).
// Blocks grow beyond it (up to a limit) as decisions need; a decision
// needing more still gets it, from ordinary allocations.
func (e *engine) blockSizes() (decision, explain [numAreas]int) {
	n := len(e.reqs)
	// A clause a requirement at least; lists of values, missing paths,
	// list entries (closest or meeting) and claims vary from one applicant
	// to the next.
	x := &explain
	x[areaReqs], x[areaClauses], x[areaStrings], x[areaValues] = n, n, n, n
	x[areaEntries], x[areaConds], x[areaFloats], x[areaActions] = n/2, n/4, n/4, n/4
	s := &decision
	// A decision holds its requirements' statuses, a byte each, and the
	// gap to the next level: the longest route's requirements, met (ids)
	// and not (statuses). The award lists are made on demand, in memory
	// of their own (awardLists).
	longest := 0
	for _, group := range e.groups() {
		for _, aw := range group {
			for _, rt := range aw.routes {
				longest = max(longest, len(rt.reqs))
			}
		}
	}
	s[areaStatuses] = longest   // the ids met and the statuses not (metAndUnmet)
	s[areaCodes] = n + e.awards // and the awards' outcomes
	return decision, explain
}
