package eligibility

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/arena"
	"github.com/eligo-dev/eligo/eligibility/internal/snapshot"
	"github.com/eligo-dev/eligo/rules"
)

type award struct {
	a        *rules.Award
	requires []int
	routes   []route
	entry    []int  // a level's entry condition (rules.Award.Entry), as indexes into reqs; nil for none
	head     string // its JSON up to its outcome, `{"id":"…","title":"…","outcome":` (initJSON)
}

// next returns the index of the level Next describes, or -1 for none: the
// first level above the highest granted one, top (from the ladder's first
// when top is -1), that is open to the applicant: one with no entry
// condition, or one some requirement of whose entry condition is met or
// unverified (the applicant's own evidence, verified or claimed, points
// there). A side entry none of the applicant's evidence points to is
// skipped, above a granted level as below one.
func (e *engine) next(top int, codes []statusByte) int {
	for i := top + 1; i < len(e.levels); i++ {
		l := e.levels[i]
		if l.entry == nil {
			return i
		}
		for _, ri := range l.entry {
			if c := codes[ri]; c == codeMet || c == codeUnverified {
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
	mask   uint64   // reqs as bits, 1<<ri, when the rules have at most maxMasked requirements (masks)
	quoted string   // its name as a JSON string (initJSON)
}

// maxMasked is the most requirements rules may have for masks to serve
// them: a bit each in a word.
const maxMasked = 64

// masks are the requirements' statuses as bit sets, 1<<ri for requirement
// ri, for rules of at most maxMasked requirements: what a route's outcome needs,
// a word each. unmet holds every status but the other four, failing
// closed as combineCodes does.
type masks struct{ unmet, unknown, review, unverified uint64 }

// maskOf sets the bits of codes, at most 64 of them.
func maskOf(codes []statusByte) masks {
	var m masks
	for i, c := range codes {
		bit := uint64(1) << i
		switch c {
		case codeMet:
		case codeUnknown:
			m.unknown |= bit
		case codeReview:
			m.review |= bit
		case codeUnverified:
			m.unverified |= bit
		default:
			m.unmet |= bit
		}
	}
	return m
}

// rank is the rank (Outcome.rank) of combineCodes of route rt, from the
// masks.
func (m *masks) rank(rt *route) int {
	switch {
	case rt.mask&m.unmet != 0:
		return 0 // Refused
	case rt.mask&m.unknown != 0:
		return 1 // Undetermined
	case rt.review || rt.mask&m.review != 0:
		return 2 // Referred
	case rt.mask&m.unverified != 0:
		return 3 // Provisional
	}
	return rankGranted
}

// best is best from the masks, the outcome as its rank.
func (m *masks) best(aw *award) (int, int) { return bestRoute(aw, m.rank) }

type benefit struct {
	b    *rules.Benefit
	reqs []int
}

// awardLists is what Gates, Levels, Categories and Courses return: the
// JSON's members of those names.
type awardLists struct {
	Gates      []RequirementStatus `json:"gates,omitempty"`
	Levels     []AwardResult       `json:"levels"`
	Categories []AwardResult       `json:"categories"`
	Courses    []AwardResult       `json:"courses"`
}

// groups are the awards, levels then categories then courses: the order
// in which settles numbers them.
func (e *engine) groups() [3][]*award { return [3][]*award{e.levels, e.categories, e.courses} }

// best returns the index of aw's best route on codes, the first of the
// highest rank, and its outcome; -1 and Refused when aw has no route.
func best(aw *award, codes []statusByte) (int, Outcome) {
	k, r := bestRank(aw, codes)
	return k, outcomeOfRank[r]
}

// bestRank is best, the outcome as its rank (Outcome.rank).
func bestRank(aw *award, codes []statusByte) (int, int) {
	return bestRoute(aw, func(rt *route) int {
		_, r := combineCodes(codes, rt.reqs, rt.review)
		return r
	})
}

// routeCodes is route rt's outcome on codes (combineCodes).
func routeCodes(codes []statusByte, rt *route) Outcome {
	o, _ := combineCodes(codes, rt.reqs, rt.review)
	return o
}

// bestRoute returns the index of aw's best route by its outcome's rank
// (Outcome.rank), the first of the highest, and that rank; -1 and
// Refused's when aw has no route.
func bestRoute(aw *award, rank func(*route) int) (k, r int) {
	k = -1
	for j := range aw.routes {
		if rr := rank(&aw.routes[j]); k < 0 || rr > r {
			k, r = j, rr
		}
	}
	return k, r
}

// lists reports whether requirement ri is one of aw's, on any route.
func (aw *award) lists(ri int) bool {
	for _, rt := range aw.routes {
		if slices.Contains(rt.reqs, ri) {
			return true
		}
	}
	return false
}

// outcomeOfRank is the Outcome of each rank (Outcome.rank).
var outcomeOfRank = [...]Outcome{Refused, Undetermined, Referred, Provisional, Granted}

// rankGranted is Granted's rank (Outcome.rank): a decision keeps each
// award's outcome as its rank, a byte.
const rankGranted = 4

// granted returns the ids of the awards of group n of groups granted, as
// ranks (every award's outcome's rank, in award order) say.
func (e *engine) granted(n int, ranks []statusByte) []string {
	groups := e.groups()
	for _, g := range groups[:n] {
		ranks = ranks[len(g):]
	}
	count := 0
	for i := range groups[n] {
		if ranks[i] == rankGranted {
			count++
		}
	}
	out := make([]string, 0, count) // one allocation, none for none
	for i, aw := range groups[n] {
		if ranks[i] == rankGranted {
			out = append(out, aw.a.ID)
		}
	}
	return out
}

// decideAwards decides every award from the requirements' statuses on st
// (codes, the same a byte each) into ranks: each award's outcome's rank
// (Outcome.rank), in award order (groups). It returns the index of the
// highest granted level, -1 for none, and sets st.route to each level's
// best route (as gap needs it).
func (e *engine) decideAwards(codes, ranks []statusByte, st *evalState) (top int) {
	top, g := -1, 0
	masked := len(codes) <= maxMasked
	var m masks
	if masked {
		m = maskOf(codes)
	}
	for n, group := range e.groups() {
		for i, aw := range group {
			var k, r int
			if masked {
				k, r = m.best(aw)
			} else {
				k, r = bestRank(aw, codes)
			}
			ranks[g] = statusByte(r)
			g++
			if n == 0 {
				st.route[i] = k
				if r == rankGranted {
					top = i
				}
			}
		}
	}
	return top
}

// markSettle marks in need the requirements whose actions (settleAll)
// would settle an award neither granted nor refused, on the requirements'
// statuses codes: those of its best route that are unverified, unknown or
// for review. It reports whether it marked any.
func (e *engine) markSettle(need []bool, codes []statusByte) bool {
	marked := false
	for _, group := range e.groups() {
		for _, aw := range group {
			k, o := best(aw, codes)
			if !settled(k, o) {
				continue
			}
			for _, ri := range aw.routes[k].reqs {
				switch codes[ri] {
				case codeUnknown, codeUnverified, codeReview:
					need[ri], marked = true, true
				}
			}
		}
	}
	return marked
}

// awardLists makes a decision's award lists from its requirements'
// statuses (codes) and their actions (acts, settleAll's), in memory of
// their own: the awards, their requirement lists, their routes, what
// settles them and the lists, five allocations at most. Each list is
// capped at its length, so that appending to one never writes another.
func (e *engine) awardLists(codes []statusByte, acts []Action) *awardLists {
	nAw, nSt, nRt, nAct := 0, len(e.gates), 0, 0
	for _, group := range e.groups() {
		nAw += len(group)
		for _, aw := range group {
			if len(aw.routes) > 1 {
				nRt += len(aw.routes)
			}
			for _, rt := range aw.routes {
				nSt += len(rt.reqs)
			}
			if k, o := best(aw, codes); settled(k, o) {
				for range e.settleOf(&aw.routes[k], codes, acts) {
					nAct++
				}
			}
		}
	}
	awards := make([]AwardResult, nAw)
	var settle []Action
	if nAct > 0 {
		settle = make([]Action, 0, nAct)
	}
	sts := make([]RequirementStatus, nSt)
	var routes []RouteResult
	if nRt > 0 {
		routes = make([]RouteResult, nRt)
	}
	take := func(n int) []RequirementStatus {
		out := sts[:n:n]
		sts = sts[n:]
		return out
	}
	out := new(awardLists)
	if len(e.gates) > 0 {
		out.Gates = take(len(e.gates))
		for j, ri := range e.gates {
			out.Gates[j] = RequirementStatus{ID: e.reqs[ri].ID, Status: statusOfByte[codes[ri]]}
		}
	}
	for n, group := range e.groups() {
		res := awards[:len(group):len(group)]
		awards = awards[len(group):]
		*[...]*[]AwardResult{&out.Levels, &out.Categories, &out.Courses}[n] = res
		for i, aw := range group {
			r := &res[i]
			*r = AwardResult{ID: aw.a.ID, Title: aw.a.Title, Outcome: Refused}
			if len(aw.routes) > 1 {
				r.Routes = routes[:len(aw.routes):len(aw.routes)]
				routes = routes[len(aw.routes):]
			}
			bestK, o := best(aw, codes)
			r.Outcome = o
			for k, rt := range aw.routes {
				ref := take(len(rt.reqs))
				for j, ri := range rt.reqs {
					ref[j] = RequirementStatus{ID: rt.ids[j], Status: statusOfByte[codes[ri]]}
				}
				if r.Routes != nil {
					r.Routes[k] = RouteResult{Name: rt.name, Outcome: routeCodes(codes, &rt), Review: rt.review, Requirements: ref}
				}
				if k == bestK {
					r.Route, r.Requirements = rt.name, ref
				}
			}
			if settled(bestK, o) {
				lo := len(settle)
				settle = slices.AppendSeq(settle, e.settleOf(&aw.routes[bestK], codes, acts))
				if len(settle) > lo {
					r.Settle = settle[lo:len(settle):len(settle)]
				}
			}
		}
	}
	return out
}

// settled reports whether an award whose best route is k, with outcome o,
// lists what would settle it: one neither granted nor refused.
func settled(k int, o Outcome) bool { return k >= 0 && o != Granted && o != Refused }

// settleOf yields what would settle route rt's outcome: the actions
// (acts, settleAll's) of its requirements that are unverified, unknown or
// for review, in the route's order, then the panel's judgement of a
// review route. AwardResult.Settle lists them, and so does the JSON.
func (e *engine) settleOf(rt *route, codes []statusByte, acts []Action) iter.Seq[Action] {
	return func(yield func(Action) bool) {
		for _, ri := range rt.reqs {
			switch codes[ri] {
			case codeUnverified, codeUnknown, codeReview:
				for _, a := range actionsOf(acts, e.reqs[ri].ID) {
					if !yield(a) {
						return
					}
				}
			}
		}
		if rt.review {
			yield(Action{Kind: Judge, Requirement: rt.judge})
		}
	}
}

// actionsOf returns the run of acts, actions in the order of their
// requirements, that settles requirement id.
func actionsOf(acts []Action, id string) []Action {
	lo := 0
	for lo < len(acts) && acts[lo].Requirement != id {
		lo++
	}
	hi := lo
	for hi < len(acts) && acts[hi].Requirement == id {
		hi++
	}
	return acts[lo:hi]
}

// settle lists what settles each requirement that settles an award
// (settleAll) for a decision, on the requirements' statuses codes, from
// its copy of the applicant, app, evaluated on asOf, in memory of its own:
// a decision finds them when first asked (explanation.actions), as it
// explains its requirements, not when it is made. Its copy is the
// applicant it was made from, so the actions are those it would have
// found then.
func (e *engine) settle(app snapshot.Packed, asOf time.Time, codes []statusByte) []Action {
	st := e.state()
	defer e.finish(st, false, nil, nil)
	acts, _ := e.settleIn(st, app, asOf, codes)
	if len(acts) == 0 {
		return nil
	}
	out := slices.Clone(acts)
	releaseActs(st, acts)
	return out
}

// settleIn is settle into st's memory: the actions are valid until st
// is finished or bound again, and releaseActs clears them. When it needed
// the copy it returns it unpacked and st bound to it (bindState), else p
// is nil and st is as it was. st.need is clear before and after.
func (e *engine) settleIn(st *evalState, app snapshot.Packed, asOf time.Time, codes []statusByte) (acts []Action, p unsafe.Pointer) {
	if !e.markSettle(st.need, codes) {
		return nil, nil // nothing to settle: no need of the copy
	}
	defer clear(st.need)
	p = e.unpack(st, app)
	if err := e.bindState(context.Background(), st, p, asOf, false); err != nil {
		// The copy bound when the decision was made, so this does not
		// happen; should it, each requirement is named without the
		// claims or data it would take.
		acts = st.settleActs[:0]
		for ri, c := range codes {
			if !st.need[ri] {
				continue
			}
			kind := Judge
			switch c {
			case codeUnknown:
				kind = Supply
			case codeUnverified:
				kind = Verify
			}
			acts = append(acts, Action{Kind: kind, Requirement: e.reqs[ri].ID})
		}
		st.settleActs = acts[:0]
		return acts, nil
	}
	return e.settleAll(st, codes, p), p
}

// releaseActs clears the actions settleIn listed in st's memory, so that
// the pooled state keeps nothing of the applicant's.
func releaseActs(st *evalState, acts []Action) {
	clear(acts)
	st.settleActs = st.settleActs[:0]
}

// settleAll lists the actions of the requirements marked in st.need
// (markSettle), in rule-set order (settleActions), each requirement's once
// whichever awards it settles, in st's memory (settleIn says for how
// long). Each award's own list (AwardResult.Settle) is made from them
// (settleOf).
func (e *engine) settleAll(st *evalState, codes []statusByte, p unsafe.Pointer) []Action {
	acts := st.settleActs[:0]
	for ri, need := range st.need {
		if need {
			acts = e.settleActions(acts, ri, codes[ri], st, p)
		}
	}
	st.settleActs = acts[:0]
	return acts
}

// settleActions appends to out what would settle requirement ri, of
// status c: its unverified claims, the data it lacks (as its explanation
// lists them), or a judgement.
func (e *engine) settleActions(out []Action, ri int, c statusByte, st *evalState, p unsafe.Pointer) []Action {
	id := e.reqs[ri].ID
	switch c {
	case codeUnverified:
		out = append(out, e.unverified(st, ri, p)...)
	case codeUnknown:
		m, _ := e.missing(st, ri) // an error lists no paths
		for _, path := range m {
			out = append(out, Action{Kind: Supply, Requirement: id, Item: path})
		}
		if len(m) == 0 {
			out = append(out, Action{Kind: Supply, Requirement: id})
		}
	case codeReview:
		out = append(out, Action{Kind: Judge, Requirement: id})
	}
	return out
}

// entitlements fills in benefits and fees for the granted level and
// categories, each list in memory of its own, as long as it needs: how
// many there are varies too much for memory sized ahead.
func (e *engine) entitlements(d *Decision, top int, codes, ranks []statusByte, asOf time.Time) error {
	cats := ranks[len(e.levels):] // the categories' outcomes' ranks
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
	for i, c := range e.categories {
		if cats[i] == rankGranted {
			count(c.a)
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
		if err := e.grant(d, e.levels[top].a, codes, asOf); err != nil {
			return err
		}
	}
	for i, c := range e.categories {
		if cats[i] == rankGranted {
			if err := e.grant(d, c.a, codes, asOf); err != nil {
				return err
			}
		}
	}
	d.Benefits = slices.Clip(d.Benefits)
	d.Fees = slices.Clip(d.Fees)
	return nil
}

// grant adds the fee and the benefits of a granted award.
func (e *engine) grant(d *Decision, g *rules.Award, codes []statusByte, asOf time.Time) error {
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
			if codes[ri] != codeMet {
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

// metAndUnmet returns a gap's Met and Unmet, empty, with room for met ids
// and unmet statuses, from one piece of the block's statuses: a
// RequirementStatus is two strings (an id and a Status) and nothing else,
// laid out as a [2]string is, so the ids take (met+1)/2 of its elements
// as strings and the statuses the rest. A route's requirements are met or
// not, so a decision needs the room of one route's statuses, not that of
// its ids and its statuses both.
func metAndUnmet(b *block, met, unmet int) ([]string, []RequirementStatus) {
	ids, statuses := []string{}, []RequirementStatus{}
	n := (met + 1) / 2
	mem := arena.Take(&b.statuses, n+unmet)
	if n > 0 {
		s := unsafe.Slice((*string)(unsafe.Pointer(&mem[0])), 2*n)
		s[2*n-1] = "" // the half of the last element the ids leave, written whole as the rest (Reusing)
		ids = s[:0:met]
	}
	if unmet > 0 {
		statuses = mem[n:n]
	}
	return ids, statuses
}

// A RequirementStatus is laid out as two strings, as metAndUnmet needs:
// were it not, these arrays' lengths would be negative constants, and the
// package would not compile. TestStatusIsTwoStrings says so in words.
var (
	_ [unsafe.Sizeof(RequirementStatus{}) - 2*unsafe.Sizeof("")]struct{}
	_ [2*unsafe.Sizeof("") - unsafe.Sizeof(RequirementStatus{})]struct{}
	_ [unsafe.Offsetof(RequirementStatus{}.Status) - unsafe.Sizeof("")]struct{}
	_ [unsafe.Sizeof("") - unsafe.Offsetof(RequirementStatus{}.Status)]struct{}
)

// gap describes what separates the applicant from level aw, on codes: its
// best route's requirements, met and not; k is that route (-1 for none)
// and o its outcome, as decideAwards found them.
func gap(b *block, aw *award, codes []statusByte, k int, o Outcome) *Gap {
	g := &b.extras().gap // zero, as the decision is (blocks.get)
	g.Level, g.Title, g.Outcome = aw.a.ID, aw.a.Title, o
	var rt route
	if k >= 0 {
		rt = aw.routes[k]
		g.Route = rt.name
	}
	met := 0
	for _, ri := range rt.reqs {
		if codes[ri] == codeMet {
			met++
		}
	}
	g.Met, g.Unmet = metAndUnmet(b, met, len(rt.reqs)-met)
	for j, ri := range rt.reqs {
		if codes[ri] == codeMet {
			g.Met = append(g.Met, rt.ids[j])
		} else {
			g.Unmet = append(g.Unmet, RequirementStatus{ID: rt.ids[j], Status: statusOfByte[codes[ri]]})
		}
	}
	return g
}
