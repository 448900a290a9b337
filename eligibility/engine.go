package eligibility

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/arena"
	"github.com/eligo-dev/eligo/eligibility/internal/printable"
	"github.com/eligo-dev/eligo/eligibility/internal/snapshot"
	"github.com/eligo-dev/eligo/eligibility/internal/view"
	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/acto"
)

// EngineOf decides applicants of type T against one compiled rule set:
// levels, routes, categories, courses, gates, the verified view, settle
// actions, Next, benefits and fees. T is either [Document], for an
// [Engine] over the applicant model the rule set declares (built by
// [New]), or the caller's own struct type, following the conventions of
// the package docs ("Your own applicant type"; built by [NewFor], which
// rejects a T it cannot decide). Both decide alike, with the same speed.
// An EngineOf is immutable once built and safe for concurrent use by many
// goroutines.
type EngineOf[T any] struct {
	engine
}

// Engine decides [Document] values: applicant documents of the model its
// rule set declares under its model key, with no Go type of the caller's.
// [New] builds one for any rule set that declares a model; [Default] for
// the embedded default rule set, ACTO's.
type Engine = EngineOf[Document]

// engine is what an EngineOf holds, whatever its type T: it handles
// applicants by address, as values of model, so that the decision code
// is compiled once and not per type.
type engine struct {
	model      reflect.Type             // the applicant model the rules are compiled against
	box        func(unsafe.Pointer) any // a *T as an interface, without allocating
	id         func(unsafe.Pointer) string
	prog       *rules.Program
	set        *rules.Set
	validator  *modelValidator
	quick      *quickValidator // nil: every applicant goes to validator
	view       *view.Plan      // the model's verified view
	snap       *snapshot.Plan  // the copy a decision keeps of its applicant
	events     *view.Events    // the model's as-of view; nil when it has no event dates
	reqs       []*rules.Requirement
	gates      []int            // the rule set's gates, as indexes into reqs
	claims     [][]claimSection // per requirement: sections with claims to verify
	reads      []view.Fields    // per requirement: the model's fields it reads
	levels     []*award
	categories []*award
	courses    []*award
	awards     int // how many: levels, categories and courses
	benefits   map[string]*benefit

	heads jsonText // what of a decision's JSON the rule set fixes, escaped (initJSON)

	// Memory reused from one evaluation to the next (see alloc.go and
	// evalState): blocks sized for the rule set's decisions, and per
	// goroutine the runs of both views.
	blocks     blocks // of decisions
	explBlocks blocks // of their explanations
	states     sync.Pool

	bothViews bool // evaluate both views always (tests of the shortcut)

	// observe is told of each applicant decided (WithObserver); nil for
	// none, the usual case, which costs nothing.
	observe func(context.Context, Event)

	// documents: the engine decides *Document values of its declared
	// model, whose values it reaches through at (see New).
	documents bool
}

// at returns the address of the applicant's values: a, for a caller's Go
// type; a Document's values, for an engine over a declared model, which
// refuses a Document of another model or the zero Document.
func (e *engine) at(a unsafe.Pointer) (unsafe.Pointer, error) {
	if !e.documents {
		return a, nil
	}
	d := (*Document)(a)
	if d.model != e.model {
		return nil, errForeignDocument(d, e.model)
	}
	return d.v, nil
}

// New builds an Engine deciding documents of the applicant model set
// declares (its model key): it builds the model's Go struct type once
// ([rules.ModelType]) and compiles the rules against it, so that documents
// decode, validate and decide as fast as a Go type of the caller's would.
// Rule errors come back as a *rules.ErrorList. A rule set that declares
// no model gives an error wrapping [ErrModel]: decide a Go type of your
// own with [NewFor]. So does a model with a section or list that a
// requirement some level, category, course, benefit or gate needs reads, with no
// verified: true on it or around it and no explicit verified: false: the
// error wraps both ErrModel and a *rules.ErrorList, positioned at the
// field's key in the model.
func New(set *rules.Set, opts ...Option) (*Engine, error) {
	return newForModel(set, opts)
}

// NewFor compiles set against the caller's struct type T and builds an
// engine deciding *T values. Rule errors come back as a *rules.ErrorList,
// as from New. A T the engine cannot decide is rejected here, never when
// an applicant is evaluated, with an error wrapping [ErrModel]: T not a
// struct, claims in a shape the verified view does not filter, a
// verification flag or label of the wrong type, validate tags the
// validator does not know, data that a requirement some level, category,
// course, benefit or gate needs reads outside any claim (unless opted out with
// `eligo:"unverifiable"`; see the package docs, "Your own applicant
// type"). A field type rules cannot read gives a *rules.ErrorList naming
// the rule.
func NewFor[T any](set *rules.Set, opts ...Option) (*EngineOf[T], error) {
	if reflect.TypeFor[T]() == reflect.TypeFor[Document]() {
		return nil, errDocumentType
	}
	e := &EngineOf[T]{}
	box := func(p unsafe.Pointer) any { return (*T)(p) }
	if err := e.init(set, reflect.TypeFor[T](), box, opts); err != nil {
		return nil, err
	}
	return e, nil
}

// init builds e, in place, for model.
func (e *engine) init(set *rules.Set, model reflect.Type, box func(unsafe.Pointer) any, opts []Option) error {
	if set == nil {
		return errors.New("eligibility: New with a nil rule set")
	}
	var cfg engineConfig
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return err
		}
	}
	if err := checkModel(model); err != nil {
		return err
	}
	prog, err := rules.Compile(set, reflect.New(model).Elem().Interface(), cfg.compile...)
	if err != nil {
		return err
	}
	v, err := newModelValidator(model)
	if err != nil {
		return err
	}
	v.values = valuesFor(model, e.documents)
	e.model, e.box, e.id, e.prog, e.set, e.validator = model, box, idOf(model), prog, set, v
	e.observe = cfg.observer()
	e.reqs, e.benefits = set.Requirements, map[string]*benefit{}
	index := func(ids []string) []int {
		out := make([]int, 0, len(ids))
		for _, id := range ids {
			if i, ok := prog.Requirement(id); ok {
				out = append(out, i)
			}
		}
		return out
	}
	e.gates = index(set.Gates)
	// A gate joins every route of every award, first; a gate the award
	// or route also lists counts once, as a gate.
	notGate := func(ids []int) []int {
		return slices.DeleteFunc(ids, func(i int) bool { return slices.Contains(e.gates, i) })
	}
	build := func(as []*rules.Award) []*award {
		out := make([]*award, len(as))
		for i, a := range as {
			aw := &award{a: a, requires: notGate(index(a.Requires))}
			if len(a.Entry) > 0 {
				aw.entry = index(a.Entry)
			}
			for _, r := range a.Routes {
				reqs := slices.Concat(e.gates, aw.requires, notGate(index(r.Requires)))
				ids := make([]string, len(reqs))
				for j, ri := range reqs {
					ids[j] = e.reqs[ri].ID
				}
				rt := route{name: r.Name, review: r.Review, reqs: reqs, ids: ids, judge: "route " + r.Name}
				if len(e.reqs) <= maxMasked {
					for _, ri := range reqs {
						rt.mask |= 1 << ri
					}
				}
				aw.routes = append(aw.routes, rt)
			}
			out[i] = aw
		}
		return out
	}
	e.levels, e.categories, e.courses = build(set.Levels), build(set.Categories), build(set.Courses)
	e.awards = len(e.levels) + len(e.categories) + len(e.courses)
	for _, b := range set.Benefits {
		e.benefits[b.ID] = &benefit{b: b, reqs: index(b.Requires)}
	}
	if us := e.unclaimedReads(); len(us) > 0 {
		if e.documents {
			return errUnclaimedDeclared(set, us)
		}
		return errUnclaimedGo(model, us)
	}
	e.quick = newQuickValidator(e.model)
	if e.view, err = view.New(e.model); err != nil {
		if se := (*view.ShapeError)(nil); errors.As(err, &se) {
			return errShape(set, e.model, e.documents, se)
		}
		return fmt.Errorf("eligibility: %w: %w", ErrModel, err)
	}
	if e.events, err = view.NewEvents(e.model); err != nil {
		return fmt.Errorf("eligibility: %w: %w", ErrModel, err)
	}
	for i := range e.reqs {
		e.claims = append(e.claims, claimSections(e.view, e.events, prog.Reads(i)))
		e.reads = append(e.reads, e.view.Reads(prog.Reads(i)))
	}
	if e.snap, err = snapshot.New(e.model, kept); err != nil {
		return fmt.Errorf("eligibility: %w: %w", ErrModel, err)
	}
	e.initJSON()
	decision, explain := e.blockSizes()
	e.blocks.init(decision, true)
	e.explBlocks.init(explain, false)
	return nil
}

// Default returns an Engine for the embedded default rule set, ACTO's
// ([acto.Rules]), over the applicant model it declares; an error means the
// embedded rules are faulty. A Go service holding ACTO applicants as Go
// values decides them with NewFor[acto.Applicant](set).
func Default() (*Engine, error) {
	set, err := acto.Rules()
	if err != nil {
		return nil, err
	}
	return New(set)
}

// RuleSet returns the rule set the engine decides with.
func (e *EngineOf[T]) RuleSet() *rules.Set { return e.set }

// Evaluate decides one applicant. It validates the applicant first: an
// invalid or nil applicant gets an *InputError and no decision. It decides
// the applicant as it stood on the evaluation date: evidence dated after
// it by an event date is left out and listed in [Decision].LeftOut (see
// "Event dates" in the package docs); a is never changed. A rule that fails
// while it runs gets an error wrapping *rules.EvalError and no decision:
// nothing is ever granted on an error (fail closed). An evaluation date
// before the rule set's effective date gets a [*NotInForceError], wrapping
// [ErrNotInForce], and no decision. Evaluate stops early with ctx's error
// when ctx is done. An observer ([WithObserver]) is told of each call.
func (e *EngineOf[T]) Evaluate(ctx context.Context, a *T, opts ...EvalOption) (*Decision, error) {
	if e.observe == nil {
		return e.decide(ctx, unsafe.Pointer(a), opts...)
	}
	start := time.Now()
	d, err := e.decide(ctx, unsafe.Pointer(a), opts...)
	e.report(ctx, unsafe.Pointer(a), start, d, err, false)
	return d, err
}

// decide is Evaluate of the applicant at a, a *T.
func (e *engine) decide(ctx context.Context, a unsafe.Pointer, opts ...EvalOption) (*Decision, error) {
	if a == nil {
		return nil, errNilApplicant()
	}
	cfg := evalConfig{}
	for _, o := range opts {
		cfg.apply(o)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	asOf, err := cfg.date()
	if err != nil {
		return nil, err
	}
	if err := e.inForce(asOf); err != nil {
		return nil, err
	}
	p, err := e.at(a)
	if err != nil {
		return nil, err
	}
	return e.evaluate(ctx, p, asOf, cfg.reusing, cfg.reuse, cfg.validity)
}

// Validate checks a against the rules of the applicant document (its
// validate tags and, for a type that has one, its Validate method) as
// Evaluate does before it decides, with asOf as the evaluation date: a
// date tagged not_after_as_of may not lie after it; an event date tagged
// eligo:"event" or eligo:"start" may (Evaluate leaves it out), as may an
// expiry date. It returns nil, or the
// *InputError Evaluate would return for a, with every problem at its
// document path, and its line and column when a was decoded from a document.
// A nil a is an *InputError too, whatever asOf. An asOf outside 1900-01-01 to 9999-12-31,
// the zero time.Time included, gives an error wrapping [ErrEvaluationDate]
// and no verdict: unlike Evaluate, Validate has no default date. An asOf
// before the rule set's effective date gives a [*NotInForceError], wrapping
// [ErrNotInForce], and no verdict, as Evaluate would.
//
// An applicant Validate accepts is decided by Evaluate on the same date
// unless a rule fails while it runs or ctx is done. Validate runs no rules.
func (e *EngineOf[T]) Validate(a *T, asOf time.Time) error {
	if a == nil {
		return errNilApplicant()
	}
	date, err := evaluationDate("Validate", asOf)
	if err != nil {
		return err
	}
	if err := e.inForce(date); err != nil {
		return err
	}
	p, err := e.at(unsafe.Pointer(a))
	if err != nil {
		return err
	}
	return e.validate(p, date)
}

// validate is Validate on a date already checked: the quick check, then
// validator's, which says what is wrong, when the quick check fails; then
// the model's own Validate method, if it has one.
func (e *engine) validate(p unsafe.Pointer, asOf time.Time) error {
	tagsValid := e.quick.validAt(p, asOf) && printable.Is(e.validator.id(p))
	if tagsValid && !e.validator.self {
		return nil
	}
	return e.validator.check(e.box(p), p, asOf, tagsValid)
}

// evalState is what one goroutine reuses from one evaluation to the next:
// the runs of the verified and the full view, and the buffers of the
// as-of and the verified view.
type evalState struct {
	vrun, frun *rules.Run
	events     *view.EventBuffers // nil when the model has no event dates
	view       *view.Buffers
	diff       view.Fields    // the fields in which the views differ
	codes      []statusByte   // every requirement's status, a byte each (statuses)
	full       []rules.Status // the full view's statuses (statuses)
	left       []view.Left    // what the as-of view left out, lent by events
	// What settling outcomes needs of requirements, found at most once
	// per evaluation: their unverified claims, acts, and missing paths,
	// strs, where spans says (unverified, missing); and scratch memory.
	spans   []spans
	acts    []Action
	strs    []string
	scratch []Action
	// The requirements whose actions settle some award (markSettle),
	// marked only while settleIn runs, and memory for those actions
	// (settleAll).
	need       []bool
	settleActs []Action
	route      []int // each level's best route, -1 for none (decideAwards)
	// packer packs a decision's copy of its applicant (keep); unpacked,
	// in unpackMem, is the copy of a decision being explained (unpack),
	// in use when unpacking.
	packer    snapshot.Packer
	unpacked  unsafe.Pointer
	unpackMem snapshot.Mem
	unpacking bool
	block     block     // of the decision or explanation being made
	stream    block     // of the requirement being explained into JSON (streamJSON)
	both      bool      // the verified view's run is bound: the views differ, or bothViews
	asOf      time.Time // the evaluation date
	dated     bool      // the as-of view left something out
}

// unbind lets go of the context the runs were bound to.
func (st *evalState) unbind() {
	for _, r := range []*rules.Run{st.vrun, st.frun} {
		if r != nil {
			r.SetContext(nil)
		}
	}
}

// evaluate decides the applicant at p on asOf and, with validity, how long
// the decision holds (validity.go).
func (e *engine) evaluate(ctx context.Context, p unsafe.Pointer, asOf time.Time, reusing bool, reuse *Decision, validity bool) (*Decision, error) {
	d, next, why, err := e.decideTracked(ctx, p, asOf, reusing, reuse, validity)
	if err != nil || !validity {
		return d, err
	}
	if err := e.validity(ctx, p, d, next, why); err != nil {
		if d == reuse {
			*d = Decision{} // it must not read as a decision of p
		}
		return nil, err
	}
	return d, nil
}

// decideTracked is evaluate's decision. With track, next is the first day after
// asOf on which the decision may differ (zero for never) and why what may
// change it (rules.Run.NextChange, over the runs of both views).
func (e *engine) decideTracked(ctx context.Context, p unsafe.Pointer, asOf time.Time, reusing bool, reuse *Decision, track bool) (_ *Decision, next time.Time, why rules.Change, _ error) {
	d, err := e.decision(ctx, p, asOf, reusing, reuse, track, &next, &why)
	return d, next, why, err
}

// start validates the applicant at p on asOf and binds a pooled state's
// runs to it: the as-of view (the applicant as it stood on asOf, without
// the evidence dated after it; the applicant itself, uncopied, when
// nothing is: see internal/view) and, judged first, the verified view of
// it, which shows what verified evidence alone supports. With track, the
// runs track changes (rules.Run.Track). finish returns the state.
func (e *engine) start(ctx context.Context, p unsafe.Pointer, asOf time.Time, track bool) (*evalState, error) {
	if err := e.validate(p, asOf); err != nil {
		return nil, err
	}
	return e.bindViews(ctx, p, asOf, track)
}

// bindViews is start without the validation: for an applicant validated
// already (a decision's copy, explained).
func (e *engine) bindViews(ctx context.Context, p unsafe.Pointer, asOf time.Time, track bool) (*evalState, error) {
	st := e.state()
	if err := e.bindState(ctx, st, p, asOf, track); err != nil {
		e.finish(st, false, nil, nil)
		return nil, err
	}
	return st, nil
}

// state returns a pooled evaluation state, or a new one; finish returns it.
func (e *engine) state() *evalState {
	st, _ := e.states.Get().(*evalState)
	if st == nil {
		st = &evalState{view: e.view.NewBuffers(), codes: make([]statusByte, len(e.reqs)), full: make([]rules.Status, len(e.reqs)), spans: make([]spans, len(e.reqs)), need: make([]bool, len(e.reqs)), route: make([]int, len(e.levels))}
		if e.events != nil {
			st.events = e.events.NewBuffers()
		}
	}
	return st
}

// bindState binds st's runs to the applicant at p as bindViews does; the
// caller returns st to the pool (finish) whether or not it succeeds.
func (e *engine) bindState(ctx context.Context, st *evalState, p unsafe.Pointer, asOf time.Time, track bool) error {
	clear(st.spans)
	st.acts, st.strs = st.acts[:0], st.strs[:0]
	ap := p
	st.left = nil
	if st.events != nil {
		ap, st.left = st.events.AsOf(p, asOf)
	}
	st.asOf, st.dated = asOf, len(st.left) > 0
	vp, diff := st.view.Verified(ap)
	st.diff = diff
	st.both = diff != 0 || e.bothViews
	if st.both {
		if err := e.bind(&st.vrun, e.box(vp), asOf); err != nil {
			return err
		}
		st.vrun.SetContext(ctx)
	}
	if err := e.bind(&st.frun, e.box(ap), asOf); err != nil {
		return err
	}
	st.frun.SetContext(ctx) // rules stop soon after ctx is done
	if track {
		st.frun.Track()
		if st.both {
			st.vrun.Track()
		}
	}
	return nil
}

// finish returns st to the pool, letting go of the caller's context and,
// with track, setting next and why to the first day the runs' results may
// differ and what may change them (rules.Run.NextChange, over both views).
func (e *engine) finish(st *evalState, track bool, next *time.Time, why *rules.Change) {
	if track {
		*next, *why = st.frun.NextChange()
		if st.both {
			if n, w := st.vrun.NextChange(); !n.IsZero() && (next.IsZero() || n.Before(*next)) {
				*next, *why = n, w
			}
		}
	}
	st.unbind() // a pooled run keeps no caller's context
	if st.unpacking {
		e.snap.Clear(st.unpacked, &st.unpackMem) // nor anything of an applicant's
		st.unpacking = false
	}
	st.left = nil
	if cap(st.acts) > 1024 || cap(st.strs) > 1024 || cap(st.scratch) > 1024 || cap(st.settleActs) > 1024 {
		st.acts, st.strs, st.scratch, st.settleActs = nil, nil, nil, nil // keep no huge applicant's
	}
	e.states.Put(st)
}

// statuses sets codes to every requirement's status on the views st is
// bound to, a byte each, without explanations: the full view's, all in
// one call (rules.Run.Statuses), and, where the full view meets a
// requirement that reads a field in which the views differ, the verified
// view's, which says whether it is met or unverified (codeOf).
func (e *engine) statuses(st *evalState, codes []statusByte) error {
	full := st.full
	if err := st.frun.Statuses(full); err != nil {
		return err
	}
	for i, f := range full {
		verified := f
		if f == rules.Met && (e.reads[i]&st.diff != 0 || e.bothViews) {
			var err error
			if verified, err = st.vrun.Status(i); err != nil {
				return err
			}
		}
		codes[i] = codeOf(verified, f)
	}
	return nil
}

// decision decides the applicant at p on asOf, from the requirements'
// statuses, into reuse's memory with reusing, keeping a copy of the
// applicant to explain them on demand (explain.go); with track, it sets
// next and why as decideTracked says.
func (e *engine) decision(ctx context.Context, p unsafe.Pointer, asOf time.Time, reusing bool, reuse *Decision, track bool, next *time.Time, why *rules.Change) (*Decision, error) {
	st, err := e.start(ctx, p, asOf, track)
	if err != nil {
		return nil, err
	}
	defer e.finish(st, track, next, why)
	b := &st.block
	d, reusePacked := e.blocks.get(b, reuse)
	defer b.release()
	failed := true
	defer func() {
		if failed {
			// reuse's memory held part of this decision: it must not
			// read as one, half made, granting what it says.
			*d = Decision{}
		}
	}()
	// d is zero (blocks.get), so only what is set is written.
	d.Applicant = e.id(p)
	d.RuleSet = RuleSetInfo{Name: e.set.Name, Version: e.set.Version, Digest: e.set.Digest}
	d.AsOf = Date{asOf}
	if len(st.left) > 0 {
		d.LeftOut = leftOut(st.left)
	}
	// Every requirement's status, then every award's outcome's rank.
	codes := arena.Take(&b.codes, len(e.reqs)+e.awards)
	codes, ranks := codes[:len(e.reqs)], codes[len(e.reqs):] // explanation.ranks
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := e.statuses(st, codes); err != nil {
		return nil, fmt.Errorf("eligibility: applicant %s: %w", e.id(p), err)
	}
	top := e.decideAwards(codes, ranks, st)
	if top >= 0 {
		d.Level = e.levels[top].a.ID
	}
	if err := e.entitlements(d, top, codes, ranks, asOf); err != nil {
		return nil, err
	}
	if n := e.next(top, codes); n >= 0 {
		d.Next = gap(b, e.levels[n], codes, st.route[n], outcomeOfRank[ranks[n]])
	}
	app, err := e.keep(st, p, reusePacked)
	if err != nil {
		return nil, err
	}
	x := &b.extras().expl // zero, as d is
	x.e, x.app, x.asOf, x.codes = e, app, asOf.Unix(), codes
	d.expl = x
	e.blocks.done(b)
	if reusing {
		e.blocks.keep(b)
	}
	failed = false
	return d, nil
}

// leftOut copies what the as-of view left out into memory of the
// decision's own; nil when it left out nothing.
func leftOut(left []view.Left) []LeftOut {
	if len(left) == 0 {
		return nil
	}
	out := make([]LeftOut, len(left))
	for i, l := range left {
		out[i] = LeftOut{Path: l.Path, Field: l.Field, Date: Date{l.Date}, Why: DatedLater}
		if l.Start {
			out[i].Why = StartsLater
		}
	}
	return out
}

// bind points a reused run at an applicant, making it the first time.
func (e *engine) bind(run **rules.Run, a any, asOf time.Time) error {
	var err error
	if *run == nil {
		*run, err = e.prog.NewRun(a, asOf)
	} else {
		err = (*run).Reset(a, asOf)
	}
	if err != nil {
		*run = nil
		return fmt.Errorf("eligibility: %w", err)
	}
	return nil
}

// errNilApplicant is the error for a nil *T: an applicant with
// nothing in it, which is invalid input.
func errNilApplicant() error {
	return newInputError("", []*FieldError{{Err: ErrInvalid, Msg: "no applicant"}}, 0)
}
