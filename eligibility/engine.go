package eligibility

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/eligo-dev/eligo/rules"
)

// Engine decides applicants against one compiled rule set. It is immutable
// once built and safe for concurrent use by many goroutines.
type Engine struct {
	prog       *rules.Program
	set        *rules.Set
	validator  *applicantValidator
	quick      *quickValidator // nil: every applicant goes to validator
	reqs       []*rules.Requirement
	claims     [][]claimSection // per requirement: sections with claims to verify
	reads      []fieldSet       // per requirement: the Applicant fields it reads
	levels     []*award
	categories []*award
	courses    []*award
	benefits   map[string]*benefit

	// Memory reused from one evaluation to the next (see alloc.go and
	// evalState): blocks sized for the rule set's decisions, and per
	// goroutine the runs of both views.
	blocks blocks
	states sync.Pool

	bothViews bool // evaluate both views always (tests of the shortcut)
}

type award struct {
	a        *rules.Award
	requires []int
	routes   []route
}

type route struct {
	name   string
	review bool
	reqs   []int  // the award's shared requirements, then the route's own
	judge  string // "route NAME": who judges a panel route
}

type benefit struct {
	b    *rules.Benefit
	reqs []int
}

// Option configures New.
type Option func(*engineConfig) error

type engineConfig struct {
	compile []rules.Option
}

// WithCompileOptions passes options, such as safety limits, to
// rules.Compile.
func WithCompileOptions(opts ...rules.Option) Option {
	return func(c *engineConfig) error {
		c.compile = append(c.compile, opts...)
		return nil
	}
}

// New compiles set against the Applicant model and builds an Engine. Rule
// errors come back as a *rules.ErrorList.
func New(set *rules.Set, opts ...Option) (*Engine, error) {
	if set == nil {
		return nil, errors.New("eligibility: New with a nil rule set")
	}
	var cfg engineConfig
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	prog, err := rules.Compile(set, Applicant{}, cfg.compile...)
	if err != nil {
		return nil, err
	}
	v, err := newApplicantValidator()
	if err != nil {
		return nil, fmt.Errorf("eligibility: %w", err)
	}
	e := &Engine{prog: prog, set: set, validator: v, reqs: set.Requirements, benefits: map[string]*benefit{}}
	index := func(ids []string) []int {
		out := make([]int, 0, len(ids))
		for _, id := range ids {
			if i, ok := prog.Requirement(id); ok {
				out = append(out, i)
			}
		}
		return out
	}
	build := func(as []*rules.Award) []*award {
		out := make([]*award, len(as))
		for i, a := range as {
			aw := &award{a: a, requires: index(a.Requires)}
			for _, r := range a.Routes {
				reqs := append(append([]int{}, aw.requires...), index(r.Requires)...)
				aw.routes = append(aw.routes, route{name: r.Name, review: r.Review, reqs: reqs, judge: "route " + r.Name})
			}
			out[i] = aw
		}
		return out
	}
	e.levels, e.categories, e.courses = build(set.Levels), build(set.Categories), build(set.Courses)
	for _, b := range set.Benefits {
		e.benefits[b.ID] = &benefit{b: b, reqs: index(b.Requires)}
	}
	e.quick = newQuickValidator()
	for i := range e.reqs {
		e.claims = append(e.claims, claimSections(prog.Reads(i)))
		e.reads = append(e.reads, readSet(prog.Reads(i)))
	}
	e.blocks.init(e.blockSizes())
	return e, nil
}

// Default returns an Engine for the embedded ACTO rule set.
func Default() (*Engine, error) {
	set, err := rules.ACTO()
	if err != nil {
		return nil, err
	}
	return New(set)
}

// RuleSet returns the rule set the engine decides with.
func (e *Engine) RuleSet() *rules.Set { return e.set }

// EvalOption configures one call of Evaluate.
type EvalOption func(*evalConfig)

type evalConfig struct {
	asOf    time.Time
	hasAsOf bool // AsOf was given
	reusing bool // Reusing was given
	reuse   *Decision
	workers int   // EvaluateAll and Decisions
	dateErr error // EvaluateAll and Decisions: asOf is unusable, every applicant's error
}

// AsOf sets the evaluation date: dates in the applicant are compared with
// it and dated parameters take their value on it. Only the calendar date
// counts, in date's own location. Without AsOf, Evaluate uses today's date
// in UTC. A date outside 1900-01-01 to 9999-12-31, the zero time.Time
// included, is not taken for today: Evaluate and the batch calls then
// decide nothing and return an error wrapping [ErrEvaluationDate].
func AsOf(date time.Time) EvalOption {
	return func(c *evalConfig) { c.asOf, c.hasAsOf = date, true }
}

// Reusing makes Evaluate build its decision in the memory of d instead of
// allocating: Evaluate returns d, overwritten, and whatever was read from d
// before (its slices, their elements) changes with it. It is for loops that
// are done with each decision before they ask for the next, such as a tool
// scanning a whole membership:
//
//	var d *eligibility.Decision
//	for _, a := range applicants {
//		d, err = engine.Evaluate(ctx, a, eligibility.Reusing(d))
//		...
//	}
//
// Only a decision this engine made with Reusing is reused; any other d (nil,
// a decision made without Reusing, another engine's) is left alone and
// Evaluate allocates as usual. d's contents are lost even when Evaluate
// fails. Without Reusing every decision is the caller's for good.
func Reusing(d *Decision) EvalOption {
	return func(c *evalConfig) { c.reusing, c.reuse = true, d }
}

// date is the evaluation date of cfg: AsOf's calendar date, or today's
// date in UTC without AsOf. AsOf's date outside the document range, zero
// included, is an error wrapping ErrEvaluationDate.
func (c *evalConfig) date() (time.Time, error) {
	if !c.hasAsOf {
		return dateOf(time.Now().UTC()), nil
	}
	if c.asOf.IsZero() {
		return time.Time{}, fmt.Errorf("eligibility: AsOf(zero time.Time): %w", ErrEvaluationDate)
	}
	if !inDateRange(c.asOf) {
		return time.Time{}, fmt.Errorf("eligibility: AsOf(%s): %w", dateOf(c.asOf).Format(dateLayout), ErrEvaluationDate)
	}
	return dateOf(c.asOf), nil
}

// Evaluate decides one applicant. It validates the applicant first: an
// invalid or nil applicant gets an *InputError and no decision. A rule that fails
// while it runs gets an error wrapping *rules.EvalError and no decision:
// nothing is ever granted on an error (fail closed). Evaluate stops early
// with ctx's error when ctx is done.
func (e *Engine) Evaluate(ctx context.Context, a *Applicant, opts ...EvalOption) (*Decision, error) {
	if a == nil {
		return nil, errNilApplicant()
	}
	cfg := evalConfig{}
	for _, o := range opts {
		o(&cfg)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	asOf, err := cfg.date()
	if err != nil {
		return nil, err
	}
	return e.evaluate(ctx, a, asOf, cfg.reusing, cfg.reuse)
}

// evalState is what one goroutine reuses from one evaluation to the next:
// the runs of the verified and the full view, and the verified view's
// lists.
type evalState struct {
	vrun, frun *rules.Run
	view       viewBuffers
	diff       fieldSet // the fields in which the views differ
	statuses   []Status
}

// unbind lets go of the context the runs were bound to.
func (st *evalState) unbind() {
	for _, r := range []*rules.Run{st.vrun, st.frun} {
		if r != nil {
			r.SetContext(nil)
		}
	}
}

func (e *Engine) evaluate(ctx context.Context, a *Applicant, asOf time.Time, reusing bool, reuse *Decision) (*Decision, error) {
	if !e.quick.valid(a, asOf) {
		if err := e.validator.validate(a, asOf); err != nil {
			return nil, err
		}
	}
	st, _ := e.states.Get().(*evalState)
	if st == nil {
		st = &evalState{statuses: make([]Status, len(e.reqs))}
	}
	defer e.states.Put(st)
	defer st.unbind() // a pooled run keeps no caller's context
	verified, diff := st.view.verifiedView(a)
	st.diff = diff
	if diff != 0 || e.bothViews {
		if err := e.bind(&st.vrun, verified, asOf); err != nil {
			return nil, err
		}
		st.vrun.SetContext(ctx)
	}
	if err := e.bind(&st.frun, a, asOf); err != nil {
		return nil, err
	}
	st.frun.SetContext(ctx) // rules stop soon after ctx is done
	b, d := e.blocks.get(reuse)
	*d = Decision{
		Applicant: a.ID,
		RuleSet:   RuleSetInfo{Name: e.set.Name, Version: e.set.Version, Digest: e.set.Digest},
		AsOf:      Date{asOf},
	}
	d.Requirements = takeEmpty(&b.reqs, len(e.reqs))[:len(e.reqs)]
	for i, r := range e.reqs {
		if i%16 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if err := e.requirement(b, &d.Requirements[i], i, r, st, a); err != nil {
			return nil, fmt.Errorf("eligibility: applicant %s: %w", a.ID, err)
		}
	}
	statuses := st.statuses
	for i := range d.Requirements {
		statuses[i] = d.Requirements[i].Status
	}
	d.Levels = e.awards(b, e.levels, d, statuses)
	d.Categories = e.awards(b, e.categories, d, statuses)
	d.Courses = e.awards(b, e.courses, d, statuses)
	top := -1
	for i, l := range d.Levels {
		if l.Granted() {
			top = i
		}
	}
	if top >= 0 {
		d.Level = d.Levels[top].ID
	}
	if err := e.entitlements(b, d, top, statuses, asOf); err != nil {
		return nil, err
	}
	if top+1 < len(d.Levels) {
		d.Next = gap(b, d.Levels[top+1])
	}
	e.blocks.done(b)
	if reusing {
		e.blocks.keep(d, b)
	}
	return d, nil
}

// bind points a reused run at an applicant, making it the first time.
func (e *Engine) bind(run **rules.Run, a *Applicant, asOf time.Time) error {
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

// requirement evaluates requirement i on the verified view and on the full
// view, and explains it from the view its status comes from. A requirement
// that reads no field in which the views differ is evaluated once: the
// views give it the same input, so the same result.
func (e *Engine) requirement(b *block, out *RequirementResult, i int, r *rules.Requirement, st *evalState, a *Applicant) error {
	*out = RequirementResult{ID: r.ID, Title: r.Title, Source: r.Source, explain: r.Explain}
	same := e.reads[i]&st.diff == 0 && !e.bothViews
	var vres rules.Result
	var err error
	if !same {
		if vres, err = st.vrun.Eval(i); err != nil {
			return err
		}
	}
	fres, err := st.frun.Eval(i)
	if err != nil {
		return err
	}
	if same {
		vres = fres
	}
	out.Status = statusOf(vres.Status, fres.Status)
	shown := vres
	if out.Status != Met {
		shown = fres
	}
	if out.Status == Unverified {
		out.Unverified = unverifiedClaims(b, r.ID, a, e.claims[i])
	}
	out.Clauses = clauses(b, shown)
	if out.Status == Unknown {
		n := 0
		for _, c := range shown.Clauses {
			n += len(c.Missing)
		}
		if n > 0 {
			missing := take(&b.strs, n)[:0]
			for _, c := range shown.Clauses {
				for _, m := range c.Missing {
					if !slices.Contains(missing, m) {
						missing = append(missing, m)
					}
				}
			}
			out.Missing = missing[:len(missing):len(missing)]
		}
	}
	return nil
}

// clauses copies the rules' clause results into the decision's shapes.
func clauses(b *block, res rules.Result) []ClauseResult {
	out := takeEmpty(&b.clauses, len(res.Clauses))[:len(res.Clauses)]
	for k := range res.Clauses {
		c, cr := &res.Clauses[k], &out[k]
		*cr = ClauseResult{Text: c.Text, Status: clauseStatus(c.Status), Op: c.Op,
			Observed: c.Observed, Required: c.Required}
		if len(c.Missing) > 0 {
			cr.Missing = take(&b.strs, len(c.Missing))
			copy(cr.Missing, c.Missing)
		}
		if c.Status == rules.Unmet {
			if s, ok := shortfall(c.Op, c.Observed, c.Required); ok {
				cr.Shortfall = b.float(s)
			}
		}
		if len(c.Values) > 0 {
			cr.Values = take(&b.values, len(c.Values))
			for j, v := range c.Values {
				cr.Values[j] = Value{Name: v.Name, Value: v.Value}
			}
		}
		if c.Closest != nil {
			g := &take(&b.entries, 1)[0]
			*g = EntryGap{Path: c.Closest.Path, Label: c.Closest.Label, Met: c.Closest.Met, Total: c.Closest.Total, Failed: []ConditionGap{}}
			if len(c.Closest.Failed) > 0 {
				g.Failed = take(&b.conds, len(c.Closest.Failed))
				for j, f := range c.Closest.Failed {
					g.Failed[j] = ConditionGap{Text: f.Text, Op: f.Op, Observed: f.Observed, Required: f.Required}
					if s, ok := shortfall(f.Op, f.Observed, f.Required); ok {
						g.Failed[j].Shortfall = b.float(s)
					}
				}
			}
			cr.Closest = g
		}
	}
	return out
}

func clauseStatus(s rules.Status) Status {
	switch s {
	case rules.Met:
		return Met
	case rules.Unknown:
		return Unknown
	case rules.Review:
		return Review
	}
	return Unmet
}

// shortfall is how far a failed numeric comparison falls short.
func shortfall(op string, observed, required rules.Value) (float64, bool) {
	o, ok1 := observed.Number()
	r, ok2 := required.Number()
	if !ok1 || !ok2 {
		return 0, false
	}
	var s float64
	switch op {
	case ">=", ">":
		s = r - o
	case "<=", "<":
		s = o - r
	default:
		return 0, false
	}
	if s < 0 {
		return 0, false
	}
	// Hours and amounts are given to a few decimals: round away the
	// binary noise of sums such as 0.1+0.2 so "0.3 short" reads as such.
	return math.Round(s*1e6) / 1e6, true
}

// claimSection is a section of the applicant a requirement reads whose
// entries (a list) or itself (a pointer) carry a Verified flag. A section
// without a flag of its own is searched one level down for lists of
// flagged entries (practice.log).
type claimSection struct {
	name     string
	field    int   // in Applicant
	inner    int   // the list's field in the section, or -1
	list     bool  // a list of entries, else a section
	verified []int // the Verified field in an entry or the section
	label    int   // the entry's `eligo:"label"` field, or -1
	paths    []string
}

// claimSections finds, once per engine, the sections of reads that carry
// claims to verify.
func claimSections(reads []string) []claimSection {
	var out []claimSection
	t := reflect.TypeFor[Applicant]()
	for _, name := range reads {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Tag.Get("expr") != name {
				continue
			}
			switch f.Type.Kind() {
			case reflect.Slice:
				if cs, ok := claimList(name, f.Type.Elem()); ok {
					cs.field, cs.inner = i, -1
					out = append(out, cs)
				}
			case reflect.Pointer:
				st := f.Type.Elem()
				if st.Kind() != reflect.Struct {
					break
				}
				if vf, ok := st.FieldByName("Verified"); ok && vf.Type.Kind() == reflect.Bool {
					out = append(out, claimSection{name: name, field: i, inner: -1, verified: vf.Index, label: -1})
					break
				}
				for j := 0; j < st.NumField(); j++ {
					inner := st.Field(j)
					if inner.Type.Kind() != reflect.Slice || inner.Tag.Get("expr") == "" {
						continue
					}
					if cs, ok := claimList(name+"."+inner.Tag.Get("expr"), inner.Type.Elem()); ok {
						cs.field, cs.inner = i, j
						out = append(out, cs)
					}
				}
			}
			break
		}
	}
	return out
}

// claimList describes the list name of entries of type et, if they carry
// a Verified flag.
func claimList(name string, et reflect.Type) (claimSection, bool) {
	if et.Kind() != reflect.Struct {
		return claimSection{}, false
	}
	vf, ok := et.FieldByName("Verified")
	if !ok || vf.Type.Kind() != reflect.Bool {
		return claimSection{}, false
	}
	cs := claimSection{name: name, list: true, verified: vf.Index, label: -1}
	for j := 0; j < et.NumField(); j++ {
		if et.Field(j).Tag.Get("eligo") == "label" {
			cs.label = j
			break
		}
	}
	for k := range 32 {
		cs.paths = append(cs.paths, fmt.Sprintf("%s[%d]", name, k))
	}
	return cs, true
}

// value returns the section's list or the section itself in av, an
// Applicant; ok is false when the section is absent.
func (cs *claimSection) value(av reflect.Value) (v reflect.Value, ok bool) {
	v = av.Field(cs.field)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return v, false
		}
		if cs.inner < 0 {
			return v.Elem(), true
		}
		v = v.Elem().Field(cs.inner)
	}
	return v, true
}

// unverifiedClaims lists the unverified entries of the sections a
// requirement reads: the claims an administrator could verify to settle it.
func unverifiedClaims(b *block, req string, a *Applicant, sections []claimSection) []Action {
	av := reflect.ValueOf(a).Elem()
	n := 0
	for i := range sections {
		cs := &sections[i]
		f, ok := cs.value(av)
		switch {
		case !ok:
		case cs.list:
			for k := 0; k < f.Len(); k++ {
				if !f.Index(k).FieldByIndex(cs.verified).Bool() {
					n++
				}
			}
		case !f.FieldByIndex(cs.verified).Bool():
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := take(&b.actions, n)[:0]
	for i := range sections {
		cs := &sections[i]
		f, ok := cs.value(av)
		if !ok {
			continue
		}
		if !cs.list {
			if !f.FieldByIndex(cs.verified).Bool() {
				out = append(out, Action{Kind: Verify, Requirement: req, Item: cs.name})
			}
			continue
		}
		for k := 0; k < f.Len(); k++ {
			entry := f.Index(k)
			if entry.FieldByIndex(cs.verified).Bool() {
				continue
			}
			act := Action{Kind: Verify, Requirement: req}
			if k < len(cs.paths) {
				act.Item = cs.paths[k]
			} else {
				act.Item = fmt.Sprintf("%s[%d]", cs.name, k)
			}
			if cs.label >= 0 {
				act.Label = entry.Field(cs.label).String()
			}
			out = append(out, act)
		}
	}
	return out
}

// awards decides each award: every route's outcome, the best one chosen.
func (e *Engine) awards(b *block, as []*award, d *Decision, statuses []Status) []AwardResult {
	out := takeEmpty(&b.awards, len(as))[:len(as)]
	for i, aw := range as {
		res := &out[i]
		*res = AwardResult{ID: aw.a.ID, Title: aw.a.Title, Outcome: Refused}
		if len(aw.routes) > 1 {
			res.Routes = take(&b.routes, len(aw.routes))[:0]
		}
		best := -1
		for k, rt := range aw.routes {
			ref := takeEmpty(&b.statuses, len(rt.reqs))[:len(rt.reqs)]
			for j, ri := range rt.reqs {
				ref[j] = RequirementStatus{ID: e.reqs[ri].ID, Status: statuses[ri]}
			}
			o := combineRoute(statuses, rt.reqs, rt.review)
			if len(aw.routes) > 1 {
				res.Routes = append(res.Routes, RouteResult{Name: rt.name, Outcome: o, Review: rt.review, Requirements: ref})
			}
			if best < 0 || o.rank() > res.Outcome.rank() {
				best = k
				res.Outcome, res.Route, res.Requirements = o, rt.name, ref
			}
		}
		if best >= 0 && res.Outcome != Granted && res.Outcome != Refused {
			res.Settle = settle(b, aw.routes[best], d, statuses, e.reqs)
		}
	}
	return out
}

// settle lists what would settle a route's outcome.
func settle(b *block, rt route, d *Decision, statuses []Status, reqs []*rules.Requirement) []Action {
	n := 0
	for _, ri := range rt.reqs {
		switch statuses[ri] {
		case Unverified:
			n += len(d.Requirements[ri].Unverified)
		case Unknown:
			n += max(1, len(d.Requirements[ri].Missing))
		case Review:
			n++
		}
	}
	if rt.review {
		n++
	}
	if n == 0 {
		return nil
	}
	out := take(&b.actions, n)[:0]
	for _, ri := range rt.reqs {
		id := reqs[ri].ID
		switch statuses[ri] {
		case Unverified:
			out = append(out, d.Requirements[ri].Unverified...)
		case Unknown:
			for _, m := range d.Requirements[ri].Missing {
				out = append(out, Action{Kind: Supply, Requirement: id, Item: m})
			}
			if len(d.Requirements[ri].Missing) == 0 {
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
// categories.
func (e *Engine) entitlements(b *block, d *Decision, top int, statuses []Status, asOf time.Time) error {
	d.Benefits = takeEmpty(&b.benefits, cap(b.benefits.buf))
	d.Fees = takeEmpty(&b.fees, cap(b.fees.buf))
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
func (e *Engine) grant(d *Decision, g *rules.Award, statuses []Status, asOf time.Time) error {
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

func (e *Engine) addFee(d *Decision, item, param string, asOf time.Time) error {
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
	g := &b.gap
	*g = Gap{Level: l.ID, Title: l.Title, Outcome: l.Outcome, Route: l.Route,
		Met: takeEmpty(&b.strs, met), Unmet: takeEmpty(&b.statuses, len(l.Requirements)-met)}
	for _, r := range l.Requirements {
		if r.Status == Met {
			g.Met = append(g.Met, r.ID)
		} else {
			g.Unmet = append(g.Unmet, r)
		}
	}
	return g
}

// blockSizes estimates, from the rule set, how much of each area of a
// block a decision needs. Blocks grow beyond it (up to a limit) as
// decisions need; a decision needing more still gets it, from ordinary
// allocations.
func (e *Engine) blockSizes() [numAreas]int {
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
	s[areaStatuses] += longest // the gap to the next level
	s[areaBenefits], s[areaFees] = benefits, fees+benefits
	return s
}

// errNilApplicant is the error for a nil *Applicant: an applicant with
// nothing in it, which is invalid input.
func errNilApplicant() error {
	return newInputError("", []*FieldError{{Err: ErrInvalid, Msg: "no applicant"}}, 0)
}
