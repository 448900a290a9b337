package eligibility

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/arena"
	"github.com/eligo-dev/eligo/eligibility/internal/snapshot"
)

// Evaluate decides from the requirements' statuses alone: the outcomes,
// the routes, what would settle them, Next, the benefits and the fees need
// no more. Explaining every requirement (its clauses, the values they
// observed, the closest list entries) costs as much again, and many
// callers never look: a service that stores the level, a batch that
// counts outcomes. So a decision keeps a copy of the applicant as it was
// evaluated, in its own memory, and explains its requirements from it the
// first time they are asked for (Decision.Requirements, the JSON, the
// text). The explanation is the one Evaluate would have given: the same
// rules on the same data, on the same date.

// explanation is how a decision's requirements are explained: from a copy
// of the applicant, on first use, or from the requirements of a decision
// read back from JSON. It lives in the decision's memory (block).
type explanation struct {
	e   *engine         // nil for a decision read from JSON
	app snapshot.Packed // the decision's copy of the applicant
	// asOf is the evaluation date, in Unix seconds: midnight UTC, as
	// every evaluation date is (dateOf); date gives it back.
	asOf int64
	// codes holds every requirement's status, in rule-set order, and after
	// them, up to its capacity, every award's outcome's rank
	// (Outcome.rank), in award order (engine.groups): see ranks.
	codes []statusByte
	// What is made of the explanation on first use (lazy), in memory of
	// its own: a decision never asked for it never has it.
	made atomic.Pointer[made]
}

// made is what a decision makes on first use: its requirements explained,
// their statuses listed, its award lists; or what was read from JSON.
type made struct {
	once    sync.Once
	done    atomic.Bool // results are set (once has run)
	results []RequirementResult

	listed   sync.Once
	statuses []RequirementStatus // Statuses, made from codes

	// The award lists (Decision.Levels...), made from codes and settle on
	// first use, or read from JSON.
	awardsMade  sync.Once
	awardsReady atomic.Bool // awards is set (awardsMade has run)
	awards      *awardLists

	// What settles each requirement that settles an award (actions).
	settleMade sync.Once
	settle     []Action
}

// lazy returns what x made on first use, making its memory the first time.
func (x *explanation) lazy() *made {
	if m := x.made.Load(); m != nil {
		return m
	}
	x.made.CompareAndSwap(nil, new(made))
	return x.made.Load()
}

// ready returns what x made on first use, or nil when nothing was asked
// of it yet.
func (x *explanation) ready() *made { return x.made.Load() }

// date is the evaluation date.
func (x *explanation) date() time.Time { return time.Unix(x.asOf, 0).UTC() }

// ranks returns every award's outcome's rank, in award order: the
// bytes after the requirements' statuses in codes.
func (x *explanation) ranks() []statusByte { return x.codes[len(x.codes):cap(x.codes)] }

// statusByte is a Status in a byte: its index in statusOfByte.
type statusByte uint8

const (
	codeUnmet statusByte = iota
	codeMet
	codeUnknown
	codeUnverified
	codeReview
)

var statusOfByte = [...]Status{codeUnmet: Unmet, codeMet: Met, codeUnknown: Unknown, codeUnverified: Unverified, codeReview: Review}

// Requirements returns every requirement's result, in rule-set order,
// explained: its clauses with the values they observed, the data missing,
// the claims unverified. Evaluate decides from the requirements' statuses
// and leaves the explanations for this first call, which works them out
// from the decision's own copy of the applicant as it was evaluated (so a
// change to the applicant after Evaluate does not reach them) and keeps
// them: later calls, and the decision's JSON and text, return the same
// results, safely from many goroutines. The first call costs about what
// Evaluate did, and the results about 20 KB for ACTO's rules.
//
// The slice and what it holds are shared by every call: treat them as
// read-only. A requirement whose explanation fails (a rule that fails
// only while it explains the entries of a failed list condition, which
// its status does not need) keeps its status, has no clauses, and says
// why in Error.
func (d *Decision) Requirements() []RequirementResult {
	x := d.expl
	if x == nil {
		return nil
	}
	m := x.lazy()
	m.once.Do(func() { x.explain(m) })
	return m.results
}

// Statuses returns every requirement's id and status, in rule-set order,
// as Requirements has them, without explaining them: the first call makes
// the list, later ones return it. The slice is shared by every call:
// treat it as read-only.
func (d *Decision) Statuses() []RequirementStatus {
	x := d.expl
	if x == nil {
		return nil
	}
	m := x.lazy()
	m.listed.Do(func() {
		m.statuses = make([]RequirementStatus, len(x.codes))
		for i, c := range x.codes {
			m.statuses[i] = RequirementStatus{ID: x.e.reqs[i].ID, Status: statusOfByte[c]}
		}
	})
	return m.statuses
}

// Requirement returns the result for requirement id, explained (see
// Requirements).
func (d *Decision) Requirement(id string) (RequirementResult, bool) {
	for i, s := range d.Statuses() {
		if s.ID == id {
			return d.Requirements()[i], true
		}
	}
	return RequirementResult{}, false
}

// Status returns requirement id's status, without explaining it.
func (d *Decision) Status(id string) (Status, bool) {
	if x := d.expl; x != nil && x.e != nil {
		for i, r := range x.e.reqs {
			if r.ID == id {
				return statusOfByte[x.codes[i]], true
			}
		}
		return "", false
	}
	for _, s := range d.Statuses() {
		if s.ID == id {
			return s.Status, true
		}
	}
	return "", false
}

// explained returns an explanation already made: results and the award
// lists, read from JSON.
func explained(results []RequirementResult, awards awardLists) *explanation {
	m := &made{results: results, awards: &awards}
	m.awardsMade.Do(func() {})
	m.awardsReady.Store(true)
	if results != nil {
		m.statuses = make([]RequirementStatus, len(results))
		for i, r := range results {
			m.statuses[i] = RequirementStatus{ID: r.ID, Status: r.Status}
		}
	}
	m.once.Do(func() {})
	m.done.Store(true)
	m.listed.Do(func() {})
	x := new(explanation)
	x.made.Store(m)
	return x
}

// actions returns what settles each requirement that settles an award
// (engine.settle), found on first use and kept; nil for a decision read
// from JSON, whose award lists hold them.
func (x *explanation) actions() []Action {
	if x.e == nil {
		return nil
	}
	m := x.lazy()
	m.settleMade.Do(func() { m.settle = x.e.settle(x.app, x.date(), x.codes) })
	return m.settle
}

// explain explains every requirement of the decision into m, once.
func (x *explanation) explain(m *made) {
	m.results = x.e.explain(x.app, x.date(), x.codes)
	m.done.Store(true)
}

// appendJSON appends the JSON array of the requirements, explained: from
// their results when they are, else (streamJSON) each explained into
// scratch memory and written, the results kept nowhere: a decision written
// once as JSON, as a service or the CLI writes it, need not hold its
// explanations. st, when not nil, is a state the encoder took (jsonState),
// bound to the decision's copy at p when p is not nil.
func (x *explanation) appendJSON(b []byte, st *evalState, p unsafe.Pointer) ([]byte, error) {
	if m := x.ready(); x.e == nil || m != nil && m.done.Load() {
		var results []RequirementResult
		if m != nil {
			results = m.results
		}
		var heads []jsonHead
		if x.e != nil {
			heads = x.e.heads.req
		}
		return appendRequirements(b, results, heads)
	}
	return x.e.streamJSON(b, x, st, p)
}

// explain explains every requirement for the applicant app, a copy the
// engine packed of an applicant it validated, on asOf, into memory of its
// own. statuses are the decision's: a requirement that cannot be explained
// keeps its status.
func (e *engine) explain(app snapshot.Packed, asOf time.Time, statuses []statusByte) []RequirementResult {
	st := e.state()
	defer e.finish(st, false, nil, nil)
	p := e.unpack(st, app)
	b, bound := &st.block, e.bindState(context.Background(), st, p, asOf, false)
	views := st
	if bound != nil {
		views = nil
	}
	e.explBlocks.get(b, nil)
	out := arena.TakeEmpty(&b.reqs, len(e.reqs))[:len(e.reqs)]
	for i := range e.reqs {
		e.explainOne(b, &out[i], i, views, bound, p, statuses[i])
	}
	e.explBlocks.done(b)
	b.release()
	return out
}

// unverified returns requirement i's unverified claims in the applicant
// at p, as its explanation lists them, from st's memory: valid until the
// next evaluation on st.
func (e *engine) unverified(st *evalState, i int, p unsafe.Pointer) []Action {
	s := &st.spans[i]
	if !s.claims {
		lo := len(st.acts)
		st.acts = unverifiedClaims(st.acts, e.reqs[i].ID, reflect.NewAt(e.model, p).Elem(), e.claims[i], st.dated, st.asOf)
		s.claims, s.acts = true, [2]int32{int32(lo), int32(len(st.acts))}
	}
	return st.acts[s.acts[0]:s.acts[1]]
}

// missing returns the document paths of the data requirement i, unknown,
// lacks, as its explanation lists them, from st's memory: valid until the
// next evaluation on st. Its explanation's status comes from the full
// view (it is not met), and so do they.
func (e *engine) missing(st *evalState, i int) ([]string, error) {
	s := &st.spans[i]
	if !s.paths {
		res, err := st.frun.Eval(i)
		if err != nil {
			return nil, err
		}
		lo := len(st.strs)
		st.strs = appendMissing(st.strs, res.Clauses)
		s.paths, s.strs = true, [2]int32{int32(lo), int32(len(st.strs))}
	}
	return st.strs[s.strs[0]:s.strs[1]], nil
}

// spans says where, in an evalState's memory, a requirement's unverified
// claims and missing paths are, once found.
type spans struct {
	acts, strs    [2]int32
	claims, paths bool
}

// Equal reports whether d and o are the same decision: the same exported
// fields, the same award lists (Gates, Levels, Categories, Courses), and
// the same requirements ([RequirementResult.Equal]), which it
// explains as needed. It is how decisions compare whatever they hold
// unexported (a decision from Evaluate explains its requirements from a
// copy of the applicant; one read from JSON has them read); go-cmp uses
// it.
func (d *Decision) Equal(o *Decision) bool {
	if d == nil || o == nil {
		return d == o
	}
	if !equalExported(reflect.ValueOf(d).Elem(), reflect.ValueOf(o).Elem()) ||
		!equalExported(reflect.ValueOf(d.awardLists()).Elem(), reflect.ValueOf(o.awardLists()).Elem()) {
		return false
	}
	a, b := d.Requirements(), o.Requirements()
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// explainOne explains requirement i into out, from the views st is bound
// to (bound is why they could not be, if they could not), for the
// applicant at p: a requirement that cannot be explained keeps its status,
// decided, and says why.
func (e *engine) explainOne(b *block, out *RequirementResult, i int, st *evalState, bound error, p unsafe.Pointer, decided statusByte) {
	failed := bound
	if failed == nil {
		if failed = e.requirement(b, out, i, e.reqs[i], st, p); failed == nil {
			return
		}
	}
	r := e.reqs[i]
	*out = RequirementResult{ID: r.ID, Title: r.Title, Source: r.Source, Status: statusOfByte[decided], explain: r.Explain,
		Clauses: []ClauseResult{}, Error: failed.Error()}
}

// streamJSON appends the JSON array of x's requirements, each explained
// into the slabs of the goroutine's state (sized as an explanation's
// memory, reused from one decision to the next) and written before the
// next: the bytes explain's results give, without their memory.
//
// st, when not nil, is a state of the caller's, bound to the copy already
// when p is not nil (settleIn); else streamJSON takes one of its own.
func (e *engine) streamJSON(b []byte, x *explanation, st *evalState, p unsafe.Pointer) ([]byte, error) {
	if st == nil {
		st = e.state()
		defer e.finish(st, false, nil, nil)
	}
	if p == nil {
		p = e.unpack(st, x.app)
		if err := e.bindState(context.Background(), st, p, x.date(), false); err != nil {
			return appendRequirements(b, (&Decision{expl: x}).Requirements(), e.heads.req)
		}
	}
	sb := &st.stream
	size := &e.explBlocks.layout.Load().size
	for a := range numAreas {
		areas[a].init(sb, size[a])
	}
	b = append(b, '[')
	var res RequirementResult
	var err error
	for i := range e.reqs {
		if i > 0 {
			b = append(b, ',')
		}
		e.explainOne(sb, &res, i, st, nil, p, x.codes[i])
		if b, err = res.appendJSON(b, &e.heads.req[i]); err != nil {
			break
		}
	}
	// Clear what was written, so that the pooled state keeps nothing of
	// this applicant's alive, and make room for as much next time.
	for a := range numAreas {
		areas[a].init(sb, max(size[a], areas[a].need(sb)))
	}
	if err != nil {
		return nil, fmt.Errorf("requirement %s: %w", res.ID, err)
	}
	return append(b, ']'), nil
}
