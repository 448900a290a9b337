package eligibility

import (
	"runtime"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/eligo-dev/eligo/eligibility/internal/arena"
)

// A decision is many small slices: a result per requirement, its clauses,
// their missing paths and values, the awards and their requirement lists,
// and so on. Allocating each on its own costs hundreds of allocations per
// applicant. Instead Evaluate allocates one slab per kind of element for a
// decision and carves the decision's slices out of them. Every slice is
// capped at its own length, so a caller appending to one gets a copy and
// never overwrites its neighbour. The slabs are ordinary Go slices: the
// decision holding their elements keeps them alive, and nothing else
// writes them, so the decision owns its memory (Reusing aside, which hands
// it back on purpose).
//
// The slabs are sized from the rule set and grow to the largest decision
// seen so far: a decision that needs more than a slab has takes the rest
// from ordinary allocations and makes the next slabs bigger.

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

// block is the memory of one decision being made.
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
	reused   bool // the block of an earlier decision
	// No field refers to the decision: the reusable map holds blocks
	// strongly, and must not keep their decisions alive.
}

// init sizes b's slabs.
func (b *block) init(size *[numAreas]int) {
	b.reqs.Init(size[areaReqs])
	b.clauses.Init(size[areaClauses])
	b.strs.Init(size[areaStrings])
	b.values.Init(size[areaValues])
	b.entries.Init(size[areaEntries])
	b.conds.Init(size[areaConds])
	b.floats.Init(size[areaFloats])
	b.awards.Init(size[areaAwards])
	b.statuses.Init(size[areaStatuses])
	b.routes.Init(size[areaRoutes])
	b.actions.Init(size[areaActions])
	b.benefits.Init(size[areaBenefits])
	b.fees.Init(size[areaFees])
}

// needs is how many elements of each area the decision asked for.
func (b *block) needs() [numAreas]int {
	return [numAreas]int{
		areaReqs: b.reqs.Need(), areaClauses: b.clauses.Need(), areaStrings: b.strs.Need(),
		areaValues: b.values.Need(), areaEntries: b.entries.Need(), areaConds: b.conds.Need(),
		areaFloats: b.floats.Need(), areaAwards: b.awards.Need(), areaStatuses: b.statuses.Need(),
		areaRoutes: b.routes.Need(), areaActions: b.actions.Need(), areaBenefits: b.benefits.Need(),
		areaFees: b.fees.Need(),
	}
}

// blocks hands out blocks and learns how big they must be.
type blocks struct {
	size     atomic.Pointer[[numAreas]int]
	limit    [numAreas]int // no area grows beyond this
	reusable sync.Map      // weak.Pointer[Decision] -> *block: decisions made for Reusing
}

func (bs *blocks) init(size [numAreas]int) {
	for a := range numAreas {
		bs.limit[a] = max(size[a]+size[a]/2, 4)
	}
	bs.limit[areaClauses] = 8 * size[areaClauses] // fixed by the rules: learnt from the first decision
	bs.size.Store(&size)
}

// get returns a block for a decision and the decision: reuse and the
// block it was made in, cleared, when Evaluate made reuse for Reusing; else
// new ones.
func (bs *blocks) get(reuse *Decision) (*block, *Decision) {
	size := bs.size.Load()
	if reuse != nil {
		if v, ok := bs.reusable.Load(weak.Make(reuse)); ok {
			b := v.(*block)
			b.init(size)
			*reuse, b.gap = Decision{}, Gap{}
			b.reused = true
			return b, reuse
		}
	}
	b := &block{}
	b.init(size)
	return b, new(Decision)
}

// keep records that d, made in b, may be reused. The record is keyed by a
// weak pointer and goes when d does, so that Decision carries no hidden
// state (two decisions alike are equal, as values).
func (bs *blocks) keep(d *Decision, b *block) {
	if b.reused {
		return
	}
	key := weak.Make(d)
	bs.reusable.Store(key, b)
	runtime.AddCleanup(d, func(k weak.Pointer[Decision]) { bs.reusable.Delete(k) }, key)
}

// done records how much of each area the decision used, so that later
// blocks have room for a decision like it.
func (bs *blocks) done(b *block) {
	need := b.needs()
	for {
		old := bs.size.Load()
		size := *old
		grow := false
		for a := range numAreas {
			if need[a] > size[a] && size[a] < bs.limit[a] {
				size[a] = min(need[a], bs.limit[a])
				grow = true
			}
		}
		if !grow {
			return
		}
		grown := size // moved to the heap here, when a decision outgrew its block, not before
		if bs.size.CompareAndSwap(old, &grown) {
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
// block a decision needs. Blocks grow beyond it (up to a limit) as
// decisions need; a decision needing more still gets it, from ordinary
// allocations.
func (e *engine) blockSizes() [numAreas]int {
	var s [numAreas]int
	n := len(e.reqs)
	// A clause a requirement at least; lists of values, missing paths,
	// list entries (closest or meeting) and claims vary from one applicant
	// to the next.
	s[areaReqs], s[areaClauses], s[areaStrings], s[areaValues] = n, n, n, n
	s[areaEntries], s[areaConds], s[areaFloats], s[areaActions] = n/2, n/4, n/4, n/4
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
	s[areaStatuses] += longest + len(e.gates) // the gap to the next level; the gates
	s[areaBenefits], s[areaFees] = benefits, fees+benefits
	return s
}
