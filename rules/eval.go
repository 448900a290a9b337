// This file is over 600 lines until issue 16 splits it into run.go,
// run_vm.go and result.go.

package rules

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/eligo-dev/eligo/rules/internal/fast"
	exprfile "github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"github.com/expr-lang/expr/vm/runtime"
)

// Status is what one condition says about one applicant.
type Status uint8

// The statuses a condition can have. Unverified is not among them: it is a
// judgement across views of the evidence, which the caller makes.
const (
	Unmet   Status = iota // the data is there and the condition does not hold
	Met                   // the condition holds
	Unknown               // data the condition needs is absent
	Review                // a person must judge (the requirement's review condition holds)
)

var statusNames = [...]string{"unmet", "met", "unknown", "review"}

// String returns "met", "unmet", "unknown" or "review".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Result is one requirement's outcome for one applicant, with what it saw.
type Result struct {
	// Status is Unmet if a clause is unmet, else Unknown if one is unknown,
	// else Met. If not Met, a review condition that holds makes it Review;
	// if still Unmet, an unknown condition that holds makes it Unknown.
	Status Status
	// Clauses are the parts of the requirement's when condition (split at
	// top-level &&), each with its own status and values.
	Clauses []Clause
}

// Clause is one part of a condition and what it found.
type Clause struct {
	Text   string // the clause's source text
	Status Status // Met, Unmet or Unknown; never Review
	// For a comparison (==, !=, <, <=, >, >=, in): the operator and the
	// values of its two sides, e.g. Observed 48.0, Op ">=", Required 80.0.
	Op string
	// Observed is the comparison's left side, or the argument of a library
	// call such as approved(.provider) that does not hold; else null.
	Observed Value
	// Required is the comparison's right side; an unknown comparison still
	// has it when that side reads neither the missing data nor a fact.
	Required Value
	// Missing lists the document paths of absent data (Status Unknown).
	Missing []string
	// Values are the facts and parameters the clause reads, with their values.
	Values []NamedValue
	// Closest is, for an any() or all() over a list, the entry that came
	// closest (a failed any: the one meeting most conditions), that met
	// every condition (a met any: the first), or that failed (a failed all:
	// the first); nil for a met all() and an empty list.
	Closest *Entry
}

// NamedValue is a fact or parameter and its value in one evaluation.
type NamedValue struct {
	Name  string // the fact's name, or "param.NAME" for a parameter
	Value Value  // its value in this evaluation
}

// Entry is one list entry checked against a list condition.
type Entry struct {
	Path   string      // e.g. "onlineTraining[1]"
	Label  string      // the entry's label field (`eligo:"label"`), if any
	Met    int         // how many of the conditions held
	Total  int         // how many conditions the list condition puts on an entry
	Failed []Condition // the conditions that did not hold
}

// Condition is one failed condition on a list entry.
type Condition struct {
	Text     string // the condition's source text
	Op       string // the comparison operator, or "" when not a comparison
	Observed Value  // a comparison's left side, a library call's argument, or null
	Required Value  // a comparison's right side; null when not a comparison
}

// EvalError is a rule that failed while it ran, for one applicant: the
// requirement (or fact) and the underlying error. An expression over its
// memory or step budget wraps ErrLimit; one stopped by the run's context
// (Run.SetContext) wraps the context's error.
type EvalError struct {
	Rule string // "requirement ID", "requirement ID review", "requirement ID unknown" or "fact NAME"
	Err  error  // the error the expression failed with
}

func (e *EvalError) Error() string { return fmt.Sprintf("rules: %s: %v", e.Rule, e.Err) }

// Unwrap returns the underlying error.
func (e *EvalError) Unwrap() error { return e.Err }

// Run is one evaluation of a Program for one applicant on one date. It
// computes each fact at most once. A Run is not safe for concurrent use;
// create one per goroutine. Reset binds it to the next applicant, reusing
// its memory. The applicant's dates are present unless nil, as Program says.
type Run struct {
	p    *Program
	app  reflect.Value // the applicant struct (addressable)
	asOf time.Time
	per  int // the parameter period in force

	// The fast evaluator's state (fastrun.go).
	fast   fast.Frame
	facts  []factState // by factProgram.pos
	broken bool        // a fast evaluation fell back: the rest go to the VM

	// The VM's state, made when a requirement first needs it.
	slow *slowRun

	// Memory for the results Eval lends: reused after each Reset.
	clauses []Clause
	strs    []string
	values  []NamedValue
	entries []Entry
	conds   []Condition
}

type factState struct {
	done  bool
	err   error
	value Value // the value, for explanations (fast evaluator)
	isSet bool
}

// NewRun binds the program to an applicant (a value of the model type or a
// pointer to one) and an evaluation date.
func (p *Program) NewRun(applicant any, asOf time.Time) (*Run, error) {
	r := &Run{p: p}
	if err := r.Reset(applicant, asOf); err != nil {
		return nil, err
	}
	return r, nil
}

// Reset binds r to another applicant and evaluation date, as NewRun would,
// keeping the memory r has grown. Results that Eval lent before become
// invalid.
func (r *Run) Reset(applicant any, asOf time.Time) error {
	p := r.p
	av := reflect.ValueOf(applicant)
	if av.Kind() == reflect.Pointer {
		if av.IsNil() {
			return errors.New("rules: nil applicant")
		}
		av = av.Elem()
	}
	if av.Type() != p.model {
		return fmt.Errorf("rules: applicant is %s; the program was compiled for %s", av.Type(), p.model)
	}
	if !av.CanAddr() {
		c := reflect.New(p.model).Elem()
		c.Set(av)
		av = c
	}
	// The evaluation date is a day: at 15:00 something expiring today is
	// still current.
	y, m, d := asOf.Date()
	asOf = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	per, err := p.params.Period(asOf)
	if err != nil {
		return err
	}
	r.app, r.asOf, r.per = av, asOf, per
	r.resetFast()
	if r.slow != nil {
		r.slow.reset(r)
	}
	r.clauses, r.strs, r.values, r.entries, r.conds = r.clauses[:0], r.strs[:0], r.values[:0], r.entries[:0], r.conds[:0]
	return nil
}

// Requirement evaluates requirement i (see Program.Requirement). A rule
// that fails while it runs returns an *EvalError; the result is then not to
// be trusted and the caller must not grant on it.
func (r *Run) Requirement(i int) (Result, error) {
	res, err, lent := r.eval(i)
	if lent {
		res = res.clone()
	}
	return res, err
}

// Eval is Requirement for programs that evaluate many applicants, one
// after another, on one Run: it allocates little once the run's memory has
// grown, because the slices of what it returns are lent from that memory
// and valid only until the run's next Reset: Clauses, and each clause's
// Missing, Values, Closest and Closest.Failed. Copy what must last longer.
// The Values in them (Observed, Required, NamedValue.Value) are immutable
// and the caller's to keep.
func (r *Run) Eval(i int) (Result, error) {
	res, err, _ := r.eval(i)
	return res, err
}

func (r *Run) eval(i int) (res Result, err error, lent bool) {
	rp := r.p.reqs[i]
	if rp.fast && !r.broken {
		if res, ok := r.fastRequirement(rp); ok {
			return res, nil, true
		}
		r.broken = true
	}
	res, err = r.slowRun().requirement(rp)
	if stop := r.stopped(rp); stop != nil {
		return Result{}, stop, false
	}
	return res, err, false
}

// clone copies a lent Result into memory of its own.
func (res Result) clone() Result {
	if res.Clauses == nil {
		return res
	}
	out := Result{Status: res.Status, Clauses: make([]Clause, len(res.Clauses))}
	for k, c := range res.Clauses {
		c.Missing = slices.Clone(c.Missing)
		c.Values = slices.Clone(c.Values)
		if c.Closest != nil {
			e := *c.Closest
			e.Failed = slices.Clone(e.Failed)
			c.Closest = &e
		}
		out.Clauses[k] = c
	}
	return out
}

// slowRun is the state of expr's VM for one run: the environment struct
// mirroring the applicant, and the facts computed into it.
type slowRun struct {
	p      *Program
	env    reflect.Value // pointer to the environment struct
	envAny any
	vm     vm.VM
	facts  []factState // by env field index
	meter  *fast.Meter // the run's (budget.go)
}

func (r *Run) slowRun() *slowRun {
	if r.slow == nil {
		r.slow = &slowRun{p: r.p, env: reflect.New(r.p.envType)}
		r.slow.envAny = r.slow.env.Interface()
		r.slow.facts = make([]factState, r.p.envType.NumField())
		r.slow.reset(r)
	}
	return r.slow
}

func (s *slowRun) reset(r *Run) {
	p := s.p
	s.vm.MemoryBudget = p.budget
	e := s.env.Elem()
	e.SetZero()
	for i, fi := range p.appFields {
		e.Field(i).Set(r.app.Field(fi))
	}
	e.Field(p.asOfField).Set(reflect.ValueOf(r.asOf))
	e.Field(p.parField).Set(p.params.Periods[r.per].Value)
	s.bindMeter(r)
	clear(s.facts)
}

func (r *slowRun) run(prog *vm.Program) (v any, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%v", x)
		}
	}()
	r.meter.Start()
	v, err = r.vm.Run(prog, r.envAny)
	if fe := (*exprfile.Error)(nil); errors.As(err, &fe) && fe.Message == "memory budget exceeded" {
		err = fmt.Errorf("%w: %w", ErrLimit, err)
	} else if err != nil {
		err = limitError(r.meter, err)
	}
	return v, err
}

// fact computes the fact in env field fi, once.
func (r *slowRun) fact(fi int) error {
	st := &r.facts[fi]
	if st.done {
		return st.err
	}
	st.done = true
	for _, fp := range r.p.facts {
		if fp.field != fi {
			continue
		}
		if len(r.missing(fp.needs)) > 0 {
			return nil // clauses reading it are unknown by their own needs
		}
		v, err := r.run(fp.prog)
		if err == nil && v != nil {
			rv := reflect.ValueOf(v)
			if rv.Type().AssignableTo(fp.typ) {
				r.env.Elem().Field(fi).Set(rv)
			} else if rv.Type().ConvertibleTo(fp.typ) {
				r.env.Elem().Field(fi).Set(rv.Convert(fp.typ))
			} else {
				err = fmt.Errorf("value is %T, want %s", v, fp.typ)
			}
		}
		if err != nil {
			st.err = &EvalError{Rule: "fact " + fp.fact.Name, Err: err}
		}
		return st.err
	}
	return nil
}

// missing returns the paths of needs that are absent.
func (r *slowRun) missing(needs []need) []string {
	var out []string
	e := r.env.Elem()
	for _, n := range needs {
		if coveredBy(out, n.path) {
			continue // a parent is absent already: name only the parent
		}
		if absent(e, n.index) {
			out = append(out, n.path)
		}
	}
	return out
}

func coveredBy(paths []string, path string) bool {
	for _, p := range paths {
		if len(path) > len(p) && path[:len(p)] == p && path[len(p)] == '.' {
			return true
		}
	}
	return false
}

func absent(v reflect.Value, index []int) bool {
	for i, fi := range index {
		if i > 0 {
			for v.Kind() == reflect.Pointer {
				if v.IsNil() {
					return true
				}
				v = v.Elem()
			}
		}
		v = v.Field(fi)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// requirement evaluates a requirement on the VM.
func (r *slowRun) requirement(rp *reqProgram) (Result, error) {
	res := Result{Clauses: make([]Clause, 0, len(rp.clauses))}
	status := Met
	for _, cl := range rp.clauses {
		c, err := r.clause(cl)
		if err != nil && status != Met {
			// The condition's && stops at an earlier clause that did not
			// hold (len(x) > 1 && x[1].level == "masters"): this one is
			// never reached, so its failure is not the rule's.
			continue
		}
		if err != nil {
			return res, &EvalError{Rule: "requirement " + rp.req.ID, Err: err}
		}
		res.Clauses = append(res.Clauses, c)
		switch {
		case c.Status == Unmet:
			status = Unmet
		case c.Status == Unknown && status == Met:
			status = Unknown
		}
	}
	if status != Met && rp.review != nil {
		ok, err := r.holds(rp.review)
		if err != nil {
			return res, &EvalError{Rule: "requirement " + rp.req.ID + " review", Err: err}
		}
		if ok {
			status = Review
		}
	}
	if status == Unmet && rp.unknown != nil {
		ok, err := r.holds(rp.unknown)
		if err != nil {
			return res, &EvalError{Rule: "requirement " + rp.req.ID + " unknown", Err: err}
		}
		if ok {
			status = Unknown
		}
	}
	res.Status = status
	return res, nil
}

// holds evaluates a whole condition; absent data makes it false.
func (r *slowRun) holds(cl *clause) (bool, error) {
	if len(r.missing(cl.needs)) > 0 {
		return false, nil
	}
	for _, f := range cl.facts {
		if err := r.fact(f); err != nil {
			return false, err
		}
	}
	v, err := r.run(cl.prog)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("condition gave %T, not true or false", v)
	}
	return b, nil
}

func (r *slowRun) clause(cl *clause) (Clause, error) {
	c := Clause{Text: cl.text, Op: cl.op}
	if m := r.missing(cl.needs); len(m) > 0 {
		c.Status, c.Missing = Unknown, m
		if cl.op != "" && cl.rightFree && len(r.missing(cl.rightNeeds)) == 0 {
			if v, err := r.run(cl.right); err == nil {
				if c.Required, err = observe(v); err != nil {
					return c, err
				}
			}
		}
		return c, nil
	}
	for _, f := range cl.facts {
		if err := r.fact(f); err != nil {
			return c, err
		}
	}
	var met bool
	if cl.op != "" {
		l, err := r.run(cl.left)
		if err != nil {
			return c, err
		}
		rv, err := r.run(cl.right)
		if err != nil {
			return c, err
		}
		l, rv = derefAny(l), derefAny(rv)
		if met, err = compare(cl.op, l, rv); err != nil {
			return c, err
		}
		if c.Observed, err = observe(l); err != nil {
			return c, err
		}
		if c.Required, err = observe(rv); err != nil {
			return c, err
		}
	} else {
		v, err := r.run(cl.prog)
		if err != nil {
			return c, err
		}
		b, ok := v.(bool)
		if !ok {
			return c, fmt.Errorf("%s: gave %T, not true or false", cl.text, v)
		}
		met = b
		if !met && cl.arg != nil {
			if v, err := r.run(cl.arg); err == nil {
				if c.Observed, err = observe(v); err != nil {
					return c, err
				}
			}
		}
	}
	switch {
	case met:
		c.Status = Met
		if cl.list != nil && cl.list.find != nil {
			r.findEntry(cl.list, &c)
		}
	case cl.list != nil:
		if err := r.explainList(cl.list, &c); err != nil {
			return c, err
		}
	}
	if len(cl.names) > 0 {
		var err error
		if c.Values, err = r.values(cl.names); err != nil {
			return c, err
		}
	}
	return c, nil
}

// values reads the facts and parameters named for an explanation.
func (r *slowRun) values(names []string) ([]NamedValue, error) {
	out := make([]NamedValue, 0, len(names))
	e := r.env.Elem()
	add := func(name string, v reflect.Value) error {
		val, err := observe(v.Interface())
		out = append(out, NamedValue{name, val})
		return err
	}
	for _, n := range names {
		if len(n) > len(paramName)+1 && n[:len(paramName)+1] == paramName+"." {
			pv := e.Field(r.p.parField).Elem()
			if i, ok := r.p.params.Index[n[len(paramName)+1:]]; ok {
				if err := add(n, pv.Field(i)); err != nil {
					return nil, err
				}
			}
			continue
		}
		for _, fp := range r.p.facts {
			if fp.fact.Name == n {
				if err := add(n, e.Field(fp.field)); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// observe is a value the VM gave, as an explanation shows it. A number
// that is not finite is an error: no decision may rest on one.
func observe(v any) (Value, error) {
	val := ValueOf(v)
	if !val.finite() {
		return Value{}, fmt.Errorf("%w: %s", ErrNonFinite, val)
	}
	return val, nil
}

func derefAny(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		return rv.Elem().Interface()
	}
	return v
}

// compare applies a comparison operator with expr's own semantics.
func compare(op string, a, b any) (met bool, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("cannot compare %T %s %T", a, op, b)
		}
	}()
	switch op {
	case "==":
		return runtime.Equal(a, b), nil
	case "!=":
		return !runtime.Equal(a, b), nil
	case "in":
		return runtime.In(a, b), nil
	}
	if a == nil || b == nil {
		return false, nil
	}
	switch op {
	case "<":
		return runtime.Less(a, b), nil
	case "<=":
		return runtime.LessOrEqual(a, b), nil
	case ">":
		return runtime.More(a, b), nil
	case ">=":
		return runtime.MoreOrEqual(a, b), nil
	}
	return false, fmt.Errorf("unknown operator %s", op)
}

// explainList finds, for a failed any() or all(), the entry that came
// closest or the first that failed, and which of its conditions failed. It
// evaluates every condition of every entry, where the clause itself stops
// at the first condition that fails: a condition guarded by an earlier one
// (len(x) > 1 && x[1].level == "masters") can fail on its own where the
// clause did not. The explanation is then left out; the clause's status
// stands.
func (r *slowRun) explainList(lc *listClause, c *Clause) error {
	v, err := r.run(lc.detail)
	if err != nil {
		return nil
	}
	rows, _ := v.([]any)
	best, bestMet := -1, -1
	var bestEntry *Entry
	for i, row := range rows {
		items, _ := row.([]any)
		if len(items) == 0 {
			continue
		}
		e := &Entry{Path: fmt.Sprintf("%s[%d]", lc.path, i), Label: label(items[0]), Total: len(lc.conds)}
		k := 1
		for _, cd := range lc.conds {
			var ok bool
			var observed, required any
			if cd.op != "" && k+1 < len(items) {
				observed, required = derefAny(items[k]), derefAny(items[k+1])
				ok, _ = compare(cd.op, observed, required)
				k += 2
			} else if cd.call && k+1 < len(items) {
				ok, _ = items[k].(bool)
				observed = derefAny(items[k+1])
				k += 2
			} else if k < len(items) {
				ok, _ = items[k].(bool)
				k++
			}
			if ok {
				e.Met++
				continue
			}
			cond := Condition{Text: cd.text, Op: cd.op}
			if cond.Observed, err = observe(observed); err != nil {
				return err
			}
			if cond.Required, err = observe(required); err != nil {
				return err
			}
			e.Failed = append(e.Failed, cond)
		}
		if lc.builtin == "all" {
			if len(e.Failed) > 0 {
				c.Closest = e
				return nil
			}
			continue
		}
		if e.Met > bestMet {
			best, bestMet, bestEntry = i, e.Met, e
		}
	}
	if best >= 0 {
		c.Closest = bestEntry
	}
	return nil
}

// findEntry names in c the first entry that meets a met any(), as any()
// found it.
func (r *slowRun) findEntry(lc *listClause, c *Clause) {
	v, err := r.run(lc.find)
	row, _ := v.([]any)
	if err != nil || len(row) != 2 {
		return
	}
	i, ok := row[0].(int)
	list := reflect.ValueOf(derefAny(row[1]))
	if !ok || i < 0 || (list.Kind() != reflect.Slice && list.Kind() != reflect.Array) || i >= list.Len() {
		return
	}
	n := len(lc.conds)
	c.Closest = &Entry{Path: fmt.Sprintf("%s[%d]", lc.path, i), Label: label(list.Index(i).Interface()), Met: n, Total: n}
}

// label returns the value of the field tagged `eligo:"label"` of a list
// entry, or "".
func label(v any) string {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return ""
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return ""
	}
	t := rv.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("eligo") == "label" && rv.Field(i).Kind() == reflect.String {
			return rv.Field(i).String()
		}
	}
	return ""
}
