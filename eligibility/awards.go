package eligibility

import (
	"fmt"
	"slices"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/arena"
	"github.com/eligo-dev/eligo/rules"
)

type award struct {
	a        *rules.Award
	requires []int
	routes   []route
	entry    []int // a level's entry condition (rules.Award.Entry), as indexes into reqs; nil for none
}

// next returns the index of the level Next describes, or -1 for none: the
// first level above the highest granted one, top (from the ladder's first
// when top is -1), that is open to the applicant: one with no entry
// condition, or one some requirement of whose entry condition is met or
// unverified (the applicant's own evidence, verified or claimed, points
// there). A side entry none of the applicant's evidence points to is
// skipped, above a granted level as below one.
func (e *engine) next(top int, statuses []Status) int {
	for i := top + 1; i < len(e.levels); i++ {
		l := e.levels[i]
		if l.entry == nil {
			return i
		}
		for _, ri := range l.entry {
			if s := statuses[ri]; s == Met || s == Unverified {
				return i
			}
		}
	}
	return -1
}

type route struct {
	name   string
	review bool
	reqs   []int    // the award's shared requirements, then the route's own
	ids    []string // their ids
	judge  string   // "route NAME": who judges a panel route
}

type benefit struct {
	b    *rules.Benefit
	reqs []int
}

// awards decides each award: every route's outcome, the best one chosen,
// and what would settle it, from the requirements' statuses on st (codes,
// the same a byte each), the state of the evaluation of the applicant at p.
func (e *engine) awards(b *block, as []*award, codes []statusByte, st *evalState, p unsafe.Pointer) ([]AwardResult, error) {
	statuses := st.statuses
	out := arena.TakeEmpty(&b.awards, len(as))[:len(as)]
	for i, aw := range as {
		res := &out[i]
		*res = AwardResult{ID: aw.a.ID, Title: aw.a.Title, Outcome: Refused}
		if len(aw.routes) > 1 {
			res.Routes = arena.Take(&b.routes, len(aw.routes))[:0]
		}
		best, bestRank := -1, 0
		for k, rt := range aw.routes {
			ref := arena.TakeEmpty(&b.statuses, len(rt.reqs))[:len(rt.reqs)]
			for j, ri := range rt.reqs {
				ref[j] = RequirementStatus{ID: rt.ids[j], Status: statuses[ri]}
			}
			o, rank := combineCodes(codes, rt.reqs, rt.review)
			if len(aw.routes) > 1 {
				res.Routes = append(res.Routes, RouteResult{Name: rt.name, Outcome: o, Review: rt.review, Requirements: ref})
			}
			if best < 0 || rank > bestRank {
				best, bestRank = k, rank
				res.Outcome, res.Route, res.Requirements = o, rt.name, ref
			}
		}
		if best >= 0 && res.Outcome != Granted && res.Outcome != Refused {
			n, err := e.settleCount(aw.routes[best], st, p)
			if err != nil {
				return nil, err
			}
			if n > 0 {
				st.settle = append(st.settle, pendingSettle{res, &aw.routes[best], n})
			}
		}
	}
	return out, nil
}

// pendingSettle is an award whose outcome n actions would settle: the
// actions of route rt (settle), listed once every award is decided.
type pendingSettle struct {
	res *AwardResult
	rt  *route
	n   int
}

// settleAll lists what would settle each award that awards found
// undecided, in one allocation of the size they need together: how many
// actions an applicant needs varies too much for memory sized ahead.
func (e *engine) settleAll(st *evalState, p unsafe.Pointer) {
	total := 0
	for _, s := range st.settle {
		total += s.n
	}
	if total == 0 {
		return
	}
	acts := make([]Action, 0, total)
	for _, s := range st.settle {
		start := len(acts)
		acts = e.settle(acts, *s.rt, st, p)
		s.res.Settle = acts[start:len(acts):len(acts)]
	}
	clear(st.settle)
	st.settle = st.settle[:0]
}

// outcome is the award's outcome, as awards decides it: its best route's.
func (aw *award) outcome(statuses []Status) Outcome {
	best := Refused
	for k, rt := range aw.routes {
		if o := combineRoute(statuses, rt.reqs, rt.review); k == 0 || o.betterThan(best) {
			best = o
		}
	}
	return best
}

// settleCount is how many actions would settle a route's outcome (settle).
func (e *engine) settleCount(rt route, st *evalState, p unsafe.Pointer) (int, error) {
	n := 0
	for _, ri := range rt.reqs {
		switch st.statuses[ri] {
		case Unverified:
			n += len(e.unverified(st, ri, p))
		case Unknown:
			m, err := e.missing(st, ri)
			if err != nil {
				return 0, err
			}
			n += max(1, len(m))
		case Review:
			n++
		}
	}
	if rt.review {
		n++
	}
	return n, nil
}

// settle appends to out what would settle a route's outcome: the
// unverified claims and the missing data of its requirements, as their
// explanations list them, and the judgements. settleCount has found them.
func (e *engine) settle(out []Action, rt route, st *evalState, p unsafe.Pointer) []Action {
	for _, ri := range rt.reqs {
		id := e.reqs[ri].ID
		switch st.statuses[ri] {
		case Unverified:
			out = append(out, e.unverified(st, ri, p)...)
		case Unknown:
			m, _ := e.missing(st, ri) // found by settleCount
			for _, path := range m {
				out = append(out, Action{Kind: Supply, Requirement: id, Item: path})
			}
			if len(m) == 0 {
				out = append(out, Action{Kind: Supply, Requirement: id})
			}
		case Review:
			out = append(out, Action{Kind: Judge, Requirement: id})
		}
	}
	if rt.review {
		out = append(out, Action{Kind: Judge, Requirement: rt.judge})
	}
	return out
}

// entitlements fills in benefits and fees for the granted level and
// categories, each list in memory of its own, as long as it needs: how
// many there are varies too much for memory sized ahead.
func (e *engine) entitlements(d *Decision, top int, statuses []Status, asOf time.Time) error {
	var benefits, fees int
	count := func(g *rules.Award) {
		if g.Fee != "" {
			fees++
		}
		benefits += len(g.Benefits)
		for _, id := range g.Benefits {
			if b := e.benefits[id]; b != nil && b.b.Fee != "" {
				fees++
			}
		}
	}
	if top >= 0 {
		count(e.levels[top].a)
	}
	for i, c := range d.Categories {
		if c.Granted() {
			count(e.categories[i].a)
		}
	}
	d.Benefits, d.Fees = []BenefitResult{}, []Fee{}
	if benefits > 0 {
		d.Benefits = make([]BenefitResult, 0, benefits)
	}
	if fees > 0 {
		d.Fees = make([]Fee, 0, fees)
	}
	if top >= 0 {
		if err := e.grant(d, e.levels[top].a, statuses, asOf); err != nil {
			return err
		}
	}
	for i, c := range d.Categories {
		if c.Granted() {
			if err := e.grant(d, e.categories[i].a, statuses, asOf); err != nil {
				return err
			}
		}
	}
	d.Benefits = slices.Clip(d.Benefits)
	d.Fees = slices.Clip(d.Fees)
	return nil
}

// grant adds the fee and the benefits of a granted award.
func (e *engine) grant(d *Decision, g *rules.Award, statuses []Status, asOf time.Time) error {
	if g.Fee != "" {
		if err := e.addFee(d, g.ID, g.Fee, asOf); err != nil {
			return err
		}
	}
next:
	for _, id := range g.Benefits {
		b := e.benefits[id]
		if b == nil {
			continue
		}
		for _, have := range d.Benefits {
			if have.ID == id {
				continue next
			}
		}
		for _, ri := range b.reqs {
			if statuses[ri] != Met {
				continue next
			}
		}
		d.Benefits = append(d.Benefits, BenefitResult{ID: id, Title: b.b.Title, From: g.ID})
		if b.b.Fee != "" {
			if err := e.addFee(d, id, b.b.Fee, asOf); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *engine) addFee(d *Decision, item, param string, asOf time.Time) error {
	v, err := e.prog.Param(param, asOf)
	if err != nil {
		return fmt.Errorf("eligibility: fee for %s: %w", item, err)
	}
	amount, ok := v.(float64)
	if !ok {
		return fmt.Errorf("eligibility: fee for %s: parameter %s is %T, not a number", item, param, v)
	}
	d.Fees = append(d.Fees, Fee{Item: item, Param: param, Amount: amount})
	d.FeeTotal += amount
	return nil
}

// gap describes what separates the applicant from a level.
func gap(b *block, l AwardResult) *Gap {
	met := 0
	for _, r := range l.Requirements {
		if r.Status == Met {
			met++
		}
	}
	g := &b.extras().gap
	*g = Gap{Level: l.ID, Title: l.Title, Outcome: l.Outcome, Route: l.Route,
		Met: arena.TakeEmpty(&b.strs, met), Unmet: arena.TakeEmpty(&b.statuses, len(l.Requirements)-met)}
	for _, r := range l.Requirements {
		if r.Status == Met {
			g.Met = append(g.Met, r.ID)
		} else {
			g.Unmet = append(g.Unmet, r)
		}
	}
	return g
}
