package rules

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/eligo-dev/eligo/rules/internal/compile"
	"github.com/eligo-dev/eligo/rules/internal/fast"
	exprfile "github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"github.com/expr-lang/expr/vm/runtime"
)

// vmRun is the state of expr's VM for one run: the environment struct
// mirroring the applicant, and the facts computed into it.
type vmRun struct {
	p      *Program
	env    reflect.Value // pointer to the environment struct
	envAny any
	vm     vm.VM
	facts  []factState // by env field index
	meter  *fast.Meter // the run's (budget.go)
}

func (r *Run) vmRun() *vmRun {
	if r.vmr == nil {
		r.vmr = &vmRun{p: r.p, env: reflect.New(r.p.plan.Env)}
		r.vmr.envAny = r.vmr.env.Interface()
		r.vmr.facts = make([]factState, r.p.plan.Env.NumField())
		r.vmr.reset(r)
	}
	return r.vmr
}

func (s *vmRun) reset(r *Run) {
	p := s.p
	s.vm.MemoryBudget = p.plan.Memory
	e := s.env.Elem()
	e.SetZero()
	for i, fi := range p.plan.AppFields {
		e.Field(i).Set(r.app.Field(fi))
	}
	e.Field(p.plan.AsOf).Set(reflect.ValueOf(r.asOf))
	e.Field(p.plan.Param).Set(p.plan.Params.PeriodValue(r.per))
	s.bindMeter(r)
	clear(s.facts)
}

func (r *vmRun) run(prog *vm.Program) (v any, err error) {
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
func (r *vmRun) fact(fi int) error {
	st := &r.facts[fi]
	if st.done {
		return st.err
	}
	st.done = true
	for _, fp := range r.p.facts {
		if fp.Field != fi {
			continue
		}
		if len(r.missing(fp.Needs)) > 0 {
			return nil // clauses reading it are unknown by their own needs
		}
		v, err := r.run(fp.VM)
		if err == nil && v != nil {
			rv := reflect.ValueOf(v)
			if rv.Type().AssignableTo(fp.Type) {
				r.env.Elem().Field(fi).Set(rv)
			} else if rv.Type().ConvertibleTo(fp.Type) {
				r.env.Elem().Field(fi).Set(rv.Convert(fp.Type))
			} else {
				err = fmt.Errorf("value is %T, want %s", v, fp.Type)
			}
		}
		if err != nil {
			st.err = &EvalError{Rule: "fact " + fp.Fact.Name, Err: err}
		}
		return st.err
	}
	return nil
}

// missing returns the paths of needs that are absent.
func (r *vmRun) missing(needs []compile.Need) []string {
	var out []string
	e := r.env.Elem()
	for _, n := range needs {
		if coveredBy(out, n.Path) {
			continue // a parent is absent already: name only the parent
		}
		if absent(e, n.Index) {
			out = append(out, n.Path)
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
func (r *vmRun) requirement(rp *compile.Requirement) (Result, error) {
	res := Result{Clauses: make([]Clause, 0, len(rp.Clauses))}
	status := Met
	for _, cl := range rp.Clauses {
		c, err := r.clause(cl)
		if err != nil && status != Met {
			// The condition's && stops at an earlier clause that did not
			// hold (len(x) > 1 && x[1].level == "masters"): this one is
			// never reached, so its failure is not the rule's.
			continue
		}
		if err != nil {
			return res, &EvalError{Rule: "requirement " + rp.Req.ID, Err: err}
		}
		res.Clauses = append(res.Clauses, c)
		switch {
		case c.Status == Unmet:
			status = Unmet
		case c.Status == Unknown && status == Met:
			status = Unknown
		}
	}
	if status != Met && rp.Review != nil {
		ok, err := r.holds(rp.Review)
		if err != nil {
			return res, &EvalError{Rule: "requirement " + rp.Req.ID + " review", Err: err}
		}
		if ok {
			status = Review
		}
	}
	if status == Unmet && rp.Unknown != nil {
		ok, err := r.holds(rp.Unknown)
		if err != nil {
			return res, &EvalError{Rule: "requirement " + rp.Req.ID + " unknown", Err: err}
		}
		if ok {
			status = Unknown
		}
	}
	res.Status = status
	return res, nil
}

// holds evaluates a whole condition; absent data makes it false.
func (r *vmRun) holds(cl *compile.Clause) (bool, error) {
	if len(r.missing(cl.Needs)) > 0 {
		return false, nil
	}
	for _, f := range cl.Facts {
		if err := r.fact(f); err != nil {
			return false, err
		}
	}
	v, err := r.run(cl.VM.Prog)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("condition gave %T, not true or false", v)
	}
	return b, nil
}

func (r *vmRun) clause(cl *compile.Clause) (Clause, error) {
	c := Clause{Text: cl.Text, Op: cl.Op}
	if m := r.missing(cl.Needs); len(m) > 0 {
		c.Status, c.Missing = Unknown, m
		if cl.Op != "" && cl.RightFree && len(r.missing(cl.RightNeeds)) == 0 {
			if v, err := r.run(cl.VM.Right); err == nil {
				if c.Required, err = observe(v); err != nil {
					return c, err
				}
			}
		}
		return c, nil
	}
	for _, f := range cl.Facts {
		if err := r.fact(f); err != nil {
			return c, err
		}
	}
	var met bool
	if cl.Op != "" {
		l, err := r.run(cl.VM.Left)
		if err != nil {
			return c, err
		}
		rv, err := r.run(cl.VM.Right)
		if err != nil {
			return c, err
		}
		l, rv = compile.Deref(l), compile.Deref(rv)
		if met, err = compare(cl.Op, l, rv); err != nil {
			return c, err
		}
		if c.Observed, err = observe(l); err != nil {
			return c, err
		}
		if c.Required, err = observe(rv); err != nil {
			return c, err
		}
	} else {
		v, err := r.run(cl.VM.Prog)
		if err != nil {
			return c, err
		}
		b, ok := v.(bool)
		if !ok {
			return c, fmt.Errorf("%s: gave %T, not true or false", cl.Text, v)
		}
		met = b
		if !met && cl.VM.Arg != nil {
			if v, err := r.run(cl.VM.Arg); err == nil {
				if c.Observed, err = observe(v); err != nil {
					return c, err
				}
			}
		}
	}
	switch {
	case met:
		c.Status = Met
		if cl.List != nil && cl.List.Builtin == "any" && cl.List.VM.Find != nil {
			r.findEntry(cl.List, &c)
		}
	case cl.List != nil && cl.List.Builtin == "none":
		if cl.List.VM.Find != nil {
			r.findEntry(cl.List, &c)
		}
	case cl.List != nil:
		if err := r.explainList(cl.List, &c); err != nil {
			return c, err
		}
	}
	if len(cl.Names) > 0 {
		var err error
		if c.Values, err = r.values(cl.Names); err != nil {
			return c, err
		}
	}
	return c, nil
}

// values reads the facts and parameters named for an explanation.
func (r *vmRun) values(names []string) ([]NamedValue, error) {
	out := make([]NamedValue, 0, len(names))
	e := r.env.Elem()
	add := func(name string, v reflect.Value) error {
		val, err := observe(v.Interface())
		out = append(out, NamedValue{name, val})
		return err
	}
	for _, n := range names {
		if len(n) > len(paramName)+1 && n[:len(paramName)+1] == paramName+"." {
			pv := e.Field(r.p.plan.Param).Elem()
			if i, ok := r.p.plan.Params.Index[n[len(paramName)+1:]]; ok {
				if err := add(n, pv.Field(i)); err != nil {
					return nil, err
				}
			}
			continue
		}
		for _, fp := range r.p.facts {
			if fp.Fact.Name == n {
				if err := add(n, e.Field(fp.Field)); err != nil {
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
func (r *vmRun) explainList(lc *compile.ListClause, c *Clause) error {
	v, err := r.run(lc.VM.Detail)
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
		e := &Entry{Path: fmt.Sprintf("%s[%d]", lc.Path, i), Label: label(items[0]), Total: len(lc.Conds)}
		k := 1
		for _, cd := range lc.Conds {
			var ok bool
			var observed, required any
			if cd.Op != "" && k+1 < len(items) {
				observed, required = compile.Deref(items[k]), compile.Deref(items[k+1])
				ok, _ = compare(cd.Op, observed, required)
				k += 2
			} else if cd.Call && k+1 < len(items) {
				ok, _ = items[k].(bool)
				observed = compile.Deref(items[k+1])
				k += 2
			} else if k < len(items) {
				ok, _ = items[k].(bool)
				k++
			}
			if ok {
				e.Met++
				continue
			}
			cond := Condition{Text: cd.Text, Op: cd.Op}
			if cond.Observed, err = observe(observed); err != nil {
				return err
			}
			if cond.Required, err = observe(required); err != nil {
				return err
			}
			e.Failed = append(e.Failed, cond)
		}
		if lc.Builtin == "all" {
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

// findEntry names in c the first entry that meets the predicate of a met
// any() or a failed none(), as any() or none() found it.
func (r *vmRun) findEntry(lc *compile.ListClause, c *Clause) {
	v, err := r.run(lc.VM.Find)
	row, _ := v.([]any)
	if err != nil || len(row) != 2 {
		return
	}
	i, ok := row[0].(int)
	list := reflect.ValueOf(compile.Deref(row[1]))
	if !ok || i < 0 || (list.Kind() != reflect.Slice && list.Kind() != reflect.Array) || i >= list.Len() {
		return
	}
	n := len(lc.Conds)
	c.Closest = &Entry{Path: fmt.Sprintf("%s[%d]", lc.Path, i), Label: label(list.Index(i).Interface()), Met: n, Total: n}
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
