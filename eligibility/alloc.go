package eligibility

import (
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
	"weak"

	"github.com/eligo-dev/eligo/eligibility/internal/arena"
	"github.com/eligo-dev/eligo/eligibility/internal/snapshot"
)

// A decision is many small slices: a result per requirement, its clauses,
// their missing paths and values, the awards and their requirement lists,
// and so on. Allocating each on its own costs hundreds of allocations per
// applicant. Instead Evaluate carves the decision's slices out of one slab
// per kind of element, and allocates the slabs, the Decision and its Gap
// together, in one allocation: a struct type built with reflect.StructOf
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
	areaAwards
	areaStatuses
	areaRoutes
	areaActions
	areaBenefits
	areaFees
	numAreas
)

// block is the bookkeeping of one decision being made: its slabs, and
// its Gap. It lives in the decision's memory, beside the Decision.
type block struct {
	reqs     arena.Slab[RequirementResult]
	clauses  arena.Slab[ClauseResult]
	strs     arena.Slab[string]
	values   arena.Slab[Value]
	entries  arena.Slab[EntryGap]
	conds    arena.Slab[ConditionGap]
	floats   arena.Slab[float64]
	awards   arena.Slab[AwardResult]
	statuses arena.Slab[RequirementStatus]
	routes   arena.Slab[RouteResult]
	actions  arena.Slab[Action]
	benefits arena.Slab[BenefitResult]
	fees     arena.Slab[Fee]
	gap      Gap
	expl     explanation // the decision's explanation (explain.go)
	snap     snapshot.Mem
	layout   *layout        // the layout the block was made in
	app      unsafe.Pointer // the memory of the decision's copy of the applicant
	reused   bool           // the block of an earlier decision
}

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
	areaAwards:   kind(func(b *block) *arena.Slab[AwardResult] { return &b.awards }),
	areaStatuses: kind(func(b *block) *arena.Slab[RequirementStatus] { return &b.statuses }),
	areaRoutes:   kind(func(b *block) *arena.Slab[RouteResult] { return &b.routes }),
	areaActions:  kind(func(b *block) *arena.Slab[Action] { return &b.actions }),
	areaBenefits: kind(func(b *block) *arena.Slab[BenefitResult] { return &b.benefits }),
	areaFees:     kind(func(b *block) *arena.Slab[Fee] { return &b.fees }),
}

// areaKind is one area's element type and the use of its memory.
type areaKind struct {
	typ reflect.Type
	// use points b's slab of the area at the n elements at p, an array
	// of typ's elements.
	use func(b *block, p unsafe.Pointer, n int)
	// init gives b's slab of the area room for n elements (Slab.Init).
	init func(b *block, n int)
	// need is how many elements b's slab of the area was asked for.
	need func(b *block) int
}

func kind[T any](slab func(*block) *arena.Slab[T]) areaKind {
	return areaKind{
		typ:  reflect.TypeFor[T](),
		use:  func(b *block, p unsafe.Pointer, n int) { slab(b).Use(unsafe.Slice((*T)(p), n)) },
		init: func(b *block, n int) { slab(b).Init(n) },
		need: func(b *block) int { return slab(b).Need() },
	}
}

// layout is the memory of a decision for one vector of slab sizes: a
// struct type with the Decision (its first field, at offset 0), its block
// and an array per area, each as long as the area's slab. The memory of
// a decision's explanation (explain.go) has the same shape without the
// Decision.
type layout struct {
	size     [numAreas]int
	typ      reflect.Type
	decision bool              // typ starts with a Decision
	block    uintptr           // the block's offset in typ
	areas    [numAreas]uintptr // each area's array's offset in typ

	// The memory of a decision's copy of its applicant (a decision's
	// layout only): the copy, its slabs' bookkeeping and an array per
	// type of the snapshot plan, as long as snap says.
	plan      *snapshot.Plan
	snap      []int
	app       uintptr   // the copy's offset
	slabs     uintptr   // the [len(snap)]snapshot.Slab's offset
	snapAreas []uintptr // each slab's array's offset
}

// shape is what a layout holds besides the areas: a Decision, and the
// memory of the copy of its applicant (plan, for model, with slabs of
// the sizes snap).
type shape struct {
	decision bool
	model    reflect.Type
	plan     *snapshot.Plan
	snap     []int
}

// newLayout builds the layout for slabs of size, with what sh says
// besides.
func newLayout(size [numAreas]int, sh shape) *layout {
	var fields []reflect.StructField
	if sh.decision {
		fields = append(fields, reflect.StructField{Name: "Decision", Type: reflect.TypeFor[Decision]()})
	}
	fields = append(fields, reflect.StructField{Name: "Block", Type: reflect.TypeFor[block]()})
	first := len(fields)
	for a := range numAreas {
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("Area%d", a), Type: reflect.ArrayOf(size[a], areas[a].typ)})
	}
	l := &layout{size: size, decision: sh.decision, plan: sh.plan}
	if sh.plan != nil {
		l.snap = make([]int, len(sh.snap))
		fields = append(fields,
			reflect.StructField{Name: "Applicant", Type: sh.model},
			reflect.StructField{Name: "Slabs", Type: reflect.ArrayOf(len(sh.snap), reflect.TypeFor[snapshot.Slab]())})
		for k, t := range sh.plan.Types() {
			l.snap[k] = max(sh.snap[k], 1)
			fields = append(fields, reflect.StructField{Name: fmt.Sprintf("Snap%d", k), Type: reflect.ArrayOf(l.snap[k], t)})
		}
	}
	if fields[len(fields)-1].Type.Size() == 0 {
		// A slice of a zero-length array at the end would point past
		// the memory.
		fields = append(fields, reflect.StructField{Name: "End", Type: reflect.TypeFor[byte]()})
	}
	l.typ = reflect.StructOf(fields)
	l.block = l.typ.Field(first - 1).Offset
	for a := range numAreas {
		l.areas[a] = l.typ.Field(first + int(a)).Offset
	}
	if sh.plan != nil {
		next := first + int(numAreas)
		l.app, l.slabs = l.typ.Field(next).Offset, l.typ.Field(next+1).Offset
		for k := range l.snap {
			l.snapAreas = append(l.snapAreas, l.typ.Field(next+2+k).Offset)
		}
	}
	return l
}

// new allocates a decision's memory, in one allocation, and returns its
// block, its slabs pointing at their arrays, and its Decision (nil for
// the memory of an explanation).
//
// The pointers into the memory are its address plus the offsets reflect
// gave the fields, each converted to a pointer to its field's type, or its
// array's element type (the unsafe package's patterns 1 and 3, within one
// allocation): reflect.Value's Field and Addr would give the same
// pointers, slower (Addr looks up the pointer type of each array type in a
// map), as TestLayout checks.
func (l *layout) new() (*block, *Decision) {
	p := reflect.New(l.typ).UnsafePointer()
	b := (*block)(unsafe.Add(p, l.block))
	b.layout = l
	for a := range numAreas {
		areas[a].use(b, unsafe.Add(p, l.areas[a]), l.size[a])
	}
	l.useSnap(b)
	if !l.decision {
		return b, nil
	}
	return b, (*Decision)(p)
}

// useSnap points b's snapshot memory at its arrays in the layout, afresh.
func (l *layout) useSnap(b *block) {
	if l.plan == nil {
		return
	}
	p := unsafe.Add(unsafe.Pointer(b), -int(l.block))
	b.app = unsafe.Add(p, l.app)
	b.snap.Init(unsafe.Slice((*snapshot.Slab)(unsafe.Add(p, l.slabs)), len(l.snap)))
	for k, n := range l.snap {
		b.snap.Use(k, unsafe.Add(p, l.snapAreas[k]), n)
	}
}

// init sizes b's slabs, reusing their memory where it has room.
func (b *block) init(size *[numAreas]int) {
	for a := range numAreas {
		areas[a].init(b, size[a])
	}
}

// needs is how many elements of each area the decision asked for.
func (b *block) needs() [numAreas]int {
	var n [numAreas]int
	for a := range numAreas {
		n[a] = areas[a].need(b)
	}
	return n
}

// blocks hands out blocks and learns how big they must be.
type blocks struct {
	layout   atomic.Pointer[layout] // for the current sizes
	limit    [numAreas]int          // no area grows beyond this
	shape    shape                  // the blocks' besides the areas
	reusable sync.Map               // weak.Pointer[Decision] -> weak.Pointer[block]: decisions made for Reusing
}

// snapLimit is the most elements a slab of a decision's copy of its
// applicant grows to: a list longer than that takes ordinary memory.
const snapLimit = 64

func (bs *blocks) init(size [numAreas]int, sh shape) {
	for a := range numAreas {
		bs.limit[a] = max(size[a]+size[a]/2, 4)
	}
	bs.limit[areaClauses] = 8 * size[areaClauses] // fixed by the rules: learnt from the first decision
	if sh.plan != nil && sh.snap == nil {
		sh.snap = make([]int, len(sh.plan.Types()))
	}
	bs.shape = sh
	bs.layout.Store(newLayout(size, sh))
}

// get returns a block for a decision and the decision: reuse and the
// block it was made in, cleared, when Evaluate made reuse for Reusing; else
// new ones, in one allocation.
func (bs *blocks) get(reuse *Decision) (*block, *Decision) {
	l := bs.layout.Load()
	if reuse != nil {
		if v, ok := bs.reusable.Load(weak.Make(reuse)); ok {
			// reuse is alive, and so is its block, in the same allocation.
			// A block of an older layout, smaller than decisions now
			// need, is left for new memory.
			if b := v.(weak.Pointer[block]).Value(); b != nil && b.layout == l {
				b.init(&l.size)
				*reuse, b.gap, b.expl = Decision{}, Gap{}, explanation{}
				b.layout.useSnap(b)
				b.reused = true
				return b, reuse
			}
		}
	}
	return l.new()
}

// keep records that d, made in b, may be reused. The record is keyed by a
// weak pointer and goes when d does, so that Decision carries no hidden
// state (two decisions alike are equal, as values). It holds b weakly too:
// b shares d's allocation, which it must not keep alive.
func (bs *blocks) keep(d *Decision, b *block) {
	if b.reused {
		return
	}
	key := weak.Make(d)
	bs.reusable.Store(key, weak.Make(b))
	runtime.AddCleanup(d, func(k weak.Pointer[Decision]) { bs.reusable.Delete(k) }, key)
}

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
		sh := bs.shape
		sh.snap = old.snap
		cloned := false // sh.snap is old.snap until a slab grows
		for k, was := range old.snap {
			if n := b.snap.Need(k); n > was && was < snapLimit {
				if !cloned {
					sh.snap, cloned = slices.Clone(old.snap), true
				}
				sh.snap[k] = min(max(n, was+was/4), snapLimit)
				grow = true
			}
		}
		if !grow {
			return
		}
		if bs.layout.CompareAndSwap(old, newLayout(size, sh)) {
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
	fees, benefits, longest := 1, 0, 0
	for _, l := range e.levels {
		benefits = max(benefits, len(l.a.Benefits))
	}
	for _, group := range [][]*award{e.levels, e.categories, e.courses} {
		s[areaAwards] += len(group)
		for _, aw := range group {
			if len(aw.routes) > 1 {
				s[areaRoutes] += len(aw.routes)
			}
			for _, rt := range aw.routes {
				s[areaStatuses] += len(rt.reqs)
				longest = max(longest, len(rt.reqs))
			}
		}
	}
	for _, c := range e.categories {
		benefits += len(c.a.Benefits)
		fees++
	}
	// Every requirement's status; the gap to the next level; the gates.
	s[areaStatuses] += n + longest + len(e.gates)
	s[areaStrings] = longest
	s[areaBenefits], s[areaFees] = benefits, fees+benefits
	return decision, explain
}
