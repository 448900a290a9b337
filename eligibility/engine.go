package eligibility

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"time"

	"github.com/eligo-dev/eligo/rules"
)

// Engine decides applicants against one compiled rule set. It is immutable
// once built and safe for concurrent use by many goroutines.
type Engine struct {
	prog       *rules.Program
	set        *rules.Set
	validator  *applicantValidator
	reqs       []*rules.Requirement
	levels     []*award
	categories []*award
	courses    []*award
	benefits   map[string]*benefit
}

type award struct {
	a        *rules.Award
	requires []int
	routes   []route
}

type route struct {
	name   string
	review bool
	reqs   []int // the award's shared requirements, then the route's own
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
				aw.routes = append(aw.routes, route{name: r.Name, review: r.Review, reqs: reqs})
			}
			out[i] = aw
		}
		return out
	}
	e.levels, e.categories, e.courses = build(set.Levels), build(set.Categories), build(set.Courses)
	for _, b := range set.Benefits {
		e.benefits[b.ID] = &benefit{b: b, reqs: index(b.Requires)}
	}
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
	asOf time.Time
}

// AsOf sets the evaluation date: dates in the applicant are compared with
// it and dated parameters take their value on it. Only the calendar date
// counts. Without AsOf, Evaluate uses today's date in UTC.
func AsOf(date time.Time) EvalOption {
	return func(c *evalConfig) { c.asOf = date }
}

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Evaluate decides one applicant. It validates the applicant first: an
// invalid applicant gets an *InputError and no decision. A rule that fails
// while it runs gets an error wrapping *rules.EvalError and no decision:
// nothing is ever granted on an error (fail closed). Evaluate stops early
// with ctx's error when ctx is done.
func (e *Engine) Evaluate(ctx context.Context, a *Applicant, opts ...EvalOption) (*Decision, error) {
	if a == nil {
		return nil, errors.New("eligibility: Evaluate of a nil applicant")
	}
	cfg := evalConfig{}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.asOf.IsZero() {
		cfg.asOf = time.Now()
	}
	asOf := dateOnly(cfg.asOf)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := e.validator.validate(a, asOf); err != nil {
		return nil, err
	}
	var vbuf Applicant
	verified := verifiedView(&vbuf, a)
	vrun, err := e.prog.NewRun(verified, asOf)
	if err != nil {
		return nil, fmt.Errorf("eligibility: %w", err)
	}
	frun, err := e.prog.NewRun(a, asOf)
	if err != nil {
		return nil, fmt.Errorf("eligibility: %w", err)
	}
	d := &Decision{
		Applicant: a.ID,
		RuleSet:   RuleSetInfo{Name: e.set.Name, Version: e.set.Version, Digest: e.set.Digest},
		AsOf:      Date{asOf},
	}
	d.Requirements = make([]RequirementResult, len(e.reqs))
	for i, r := range e.reqs {
		if i%16 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		res, err := e.requirement(i, r, vrun, frun, a)
		if err != nil {
			return nil, fmt.Errorf("eligibility: applicant %s: %w", a.ID, err)
		}
		d.Requirements[i] = res
	}
	statuses := make([]Status, len(d.Requirements))
	for i := range d.Requirements {
		statuses[i] = d.Requirements[i].Status
	}
	d.Levels = e.awards(e.levels, d, statuses)
	d.Categories = e.awards(e.categories, d, statuses)
	d.Courses = e.awards(e.courses, d, statuses)
	top := -1
	for i, l := range d.Levels {
		if l.Granted() {
			top = i
		}
	}
	if top >= 0 {
		d.Level = d.Levels[top].ID
	}
	if err := e.entitlements(d, top, statuses, asOf); err != nil {
		return nil, err
	}
	if top+1 < len(d.Levels) {
		d.Next = gap(d.Levels[top+1])
	}
	return d, nil
}

// requirement evaluates requirement i on the verified view, then, unless it
// is met there, on the full view.
func (e *Engine) requirement(i int, r *rules.Requirement, vrun, frun *rules.Run, a *Applicant) (RequirementResult, error) {
	out := RequirementResult{ID: r.ID, Title: r.Title, Source: r.Source, explain: r.Explain}
	vres, err := vrun.Requirement(i)
	if err != nil {
		return out, err
	}
	fres, err := frun.Requirement(i)
	if err != nil {
		return out, err
	}
	out.Status = statusOf(vres.Status, fres.Status)
	shown := vres
	if out.Status != Met {
		shown = fres
	}
	if out.Status == Unverified {
		out.Unverified = unverifiedClaims(r.ID, a, e.prog.Reads(i))
	}
	out.Clauses = clauses(shown)
	if out.Status == Unknown {
		for _, c := range shown.Clauses {
			for _, m := range c.Missing {
				if !slices.Contains(out.Missing, m) {
					out.Missing = append(out.Missing, m)
				}
			}
		}
	}
	return out, nil
}

// clauses copies the rules' clause results into the decision's shapes.
func clauses(res rules.Result) []ClauseResult {
	out := make([]ClauseResult, len(res.Clauses))
	for k, c := range res.Clauses {
		cr := ClauseResult{Text: c.Text, Status: clauseStatus(c.Status), Op: c.Op,
			Observed: jsonValue(c.Observed), Required: jsonValue(c.Required), Missing: c.Missing}
		if c.Status == rules.Unmet {
			cr.Shortfall = shortfall(c.Op, c.Observed, c.Required)
		}
		for _, v := range c.Values {
			cr.Values = append(cr.Values, Value{Name: v.Name, Value: jsonValue(v.Value)})
		}
		if c.Closest != nil {
			g := &EntryGap{Path: c.Closest.Path, Label: c.Closest.Label, Met: c.Closest.Met, Total: c.Closest.Total}
			for _, f := range c.Closest.Failed {
				g.Failed = append(g.Failed, ConditionGap{Text: f.Text, Op: f.Op, Observed: jsonValue(f.Observed),
					Required: jsonValue(f.Required), Shortfall: shortfall(f.Op, f.Observed, f.Required)})
			}
			cr.Closest = g
		}
		out[k] = cr
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

// jsonValue gives dates their document form; other values pass unchanged.
func jsonValue(v any) any {
	if t, ok := v.(time.Time); ok {
		return Date{t}
	}
	return v
}

// shortfall is how far a failed numeric comparison falls short.
func shortfall(op string, observed, required any) *float64 {
	o, ok1 := number(observed)
	r, ok2 := number(required)
	if !ok1 || !ok2 {
		return nil
	}
	var s float64
	switch op {
	case ">=", ">":
		s = r - o
	case "<=", "<":
		s = o - r
	default:
		return nil
	}
	if s < 0 {
		return nil
	}
	// Hours and amounts are given to a few decimals: round away the
	// binary noise of sums such as 0.1+0.2 so "0.3 short" reads as such.
	s = math.Round(s*1e6) / 1e6
	return &s
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

// unverifiedClaims lists the unverified entries of the sections a
// requirement reads: the claims an administrator could verify to settle it.
func unverifiedClaims(req string, a *Applicant, reads []string) []Action {
	var out []Action
	av := reflect.ValueOf(a).Elem()
	for _, name := range reads {
		f, ok := fieldByExprName(av, name)
		if !ok {
			continue
		}
		switch f.Kind() {
		case reflect.Slice:
			for i := 0; i < f.Len(); i++ {
				if v, ok := verifiedFlag(f.Index(i)); ok && !v {
					out = append(out, Action{Kind: Verify, Requirement: req, Item: fmt.Sprintf("%s[%d]", name, i), Label: entryLabel(f.Index(i))})
				}
			}
		case reflect.Pointer:
			if !f.IsNil() {
				if v, ok := verifiedFlag(f.Elem()); ok && !v {
					out = append(out, Action{Kind: Verify, Requirement: req, Item: name})
				}
			}
		}
	}
	return out
}

func fieldByExprName(v reflect.Value, name string) (reflect.Value, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("expr") == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func verifiedFlag(v reflect.Value) (bool, bool) {
	if v.Kind() != reflect.Struct {
		return false, false
	}
	f := v.FieldByName("Verified")
	if !f.IsValid() || f.Kind() != reflect.Bool {
		return false, false
	}
	return f.Bool(), true
}

func entryLabel(v reflect.Value) string {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("eligo") == "label" {
			return v.Field(i).String()
		}
	}
	return ""
}

// awards decides each award: every route's outcome, the best one chosen.
func (e *Engine) awards(as []*award, d *Decision, statuses []Status) []AwardResult {
	out := make([]AwardResult, len(as))
	for i, aw := range as {
		res := AwardResult{ID: aw.a.ID, Title: aw.a.Title, Outcome: Refused}
		best := -1
		for k, rt := range aw.routes {
			rs := make([]Status, len(rt.reqs))
			ref := make([]RequirementStatus, len(rt.reqs))
			for j, ri := range rt.reqs {
				rs[j] = statuses[ri]
				ref[j] = RequirementStatus{ID: e.reqs[ri].ID, Status: statuses[ri]}
			}
			o := combine(rs, rt.review)
			if len(aw.routes) > 1 {
				res.Routes = append(res.Routes, RouteResult{Name: rt.name, Outcome: o, Review: rt.review, Requirements: ref})
			}
			if best < 0 || o.rank() > res.Outcome.rank() {
				best = k
				res.Outcome, res.Route, res.Requirements = o, rt.name, ref
			}
		}
		if best >= 0 && res.Outcome != Granted && res.Outcome != Refused {
			res.Settle = settle(aw.routes[best], d, statuses, e.reqs)
		}
		out[i] = res
	}
	return out
}

// settle lists what would settle a route's outcome.
func settle(rt route, d *Decision, statuses []Status, reqs []*rules.Requirement) []Action {
	var out []Action
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
		out = append(out, Action{Kind: Judge, Requirement: "route " + rt.name})
	}
	return out
}

// entitlements fills in benefits and fees for the granted level and
// categories.
func (e *Engine) entitlements(d *Decision, top int, statuses []Status, asOf time.Time) error {
	d.Benefits = []BenefitResult{}
	d.Fees = []Fee{}
	var grants []*rules.Award
	if top >= 0 {
		grants = append(grants, e.levels[top].a)
	}
	for i, c := range d.Categories {
		if c.Granted() {
			grants = append(grants, e.categories[i].a)
		}
	}
	seen := map[string]bool{}
	for _, g := range grants {
		if g.Fee != "" {
			if err := e.addFee(d, g.ID, g.Fee, asOf); err != nil {
				return err
			}
		}
		for _, id := range g.Benefits {
			b := e.benefits[id]
			if b == nil || seen[id] {
				continue
			}
			ok := true
			for _, ri := range b.reqs {
				ok = ok && statuses[ri] == Met
			}
			if !ok {
				continue
			}
			seen[id] = true
			d.Benefits = append(d.Benefits, BenefitResult{ID: id, Title: b.b.Title, From: g.ID})
			if b.b.Fee != "" {
				if err := e.addFee(d, id, b.b.Fee, asOf); err != nil {
					return err
				}
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
func gap(l AwardResult) *Gap {
	g := &Gap{Level: l.ID, Title: l.Title, Outcome: l.Outcome, Route: l.Route, Met: []string{}, Unmet: []RequirementStatus{}}
	for _, r := range l.Requirements {
		if r.Status == Met {
			g.Met = append(g.Met, r.ID)
		} else {
			g.Unmet = append(g.Unmet, r)
		}
	}
	return g
}
