package rules

import (
	"fmt"
	"math"
	"reflect"
	"unsafe"
)

// This file runs requirements on the fast evaluator, with the same
// explanations as the VM gives (eval.go); the results land in memory the
// Run lends (see Run.Eval).

func (r *Run) resetFast() {
	p, f := r.p, &r.fast
	f.app = r.app.Addr().UnsafePointer()
	f.params = p.periodPtr[r.per]
	f.asOf = r.asOf
	f.budget = p.budget
	f.meter.reset(p.steps, p.budget)
	clear(f.lists)
	f.lists = f.lists[:0]
	clear(f.looked)
	f.looked = f.looked[:0]
	f.scope = [maxDepth]val{}
	if cap(f.vars) < p.nvars {
		f.vars = make([]val, p.nvars)
	}
	f.vars = f.vars[:p.nvars]
	if cap(f.facts) < len(p.facts) {
		f.facts = make([]val, len(p.facts))
		r.facts = make([]factState, len(p.facts))
	}
	f.facts, r.facts = f.facts[:len(p.facts)], r.facts[:len(p.facts)]
	for i, fp := range p.facts {
		f.facts[i] = fp.zero
	}
	clear(r.facts)
	r.broken = false
}

// fastRequirement evaluates a requirement on the fast evaluator. ok is false
// when it had to give up (see fallback): the caller then asks the VM.
func (r *Run) fastRequirement(rp *reqProgram) (res Result, ok bool) {
	nc, ns, nv, ne, nd := len(r.clauses), len(r.strs), len(r.values), len(r.entries), len(r.conds)
	defer func() {
		if x := recover(); x != nil {
			r.p.fallbacks.Add(1)
			r.clauses, r.strs, r.values, r.entries, r.conds = r.clauses[:nc], r.strs[:ns], r.values[:nv], r.entries[:ne], r.conds[:nd]
			res, ok = Result{}, false
		}
	}()
	status := Met
	for _, cl := range rp.clauses {
		// The clause is made in place: a Clause is too big to copy about.
		r.clauses = append(r.clauses, Clause{})
		c := &r.clauses[len(r.clauses)-1]
		r.fastClause(cl, c)
		switch c.Status {
		case Unmet:
			status = Unmet
		case Unknown:
			if status == Met {
				status = Unknown
			}
		}
	}
	if status != Met && rp.review != nil && r.fastHolds(rp.review) {
		status = Review
	}
	if status == Unmet && rp.unknown != nil && r.fastHolds(rp.unknown) {
		status = Unknown
	}
	n := len(r.clauses)
	return Result{Status: status, Clauses: r.clauses[nc:n:n]}, true
}

// fastClause evaluates a clause into c, a zero Clause.
func (r *Run) fastClause(cl *clause, c *Clause) {
	c.Text, c.Op = cl.text, cl.op
	if m := r.fastMissing(cl.needs); m != nil {
		c.Status, c.Missing = Unknown, m
		if cl.op != "" && cl.rightFree && !r.anyMissing(cl.rightNeeds) {
			c.Required = r.value(deref(r.fast.top(cl.fright)))
		}
		return
	}
	for _, p := range cl.factPos {
		r.fastFact(p)
	}
	var met bool
	if cl.op != "" {
		l := deref(r.fast.top(cl.fleft))
		rv := deref(r.fast.top(cl.fright))
		met = compareVals(cl.op, l, rv)
		c.Observed, c.Required = r.value(l), r.value(rv)
	} else if cl.list != nil && cl.list.builtin == "any" {
		met = r.fastAny(cl.list, c)
	} else {
		met = r.fast.topBool(cl.fbool)
		if !met && cl.farg != nil {
			c.Observed = r.value(deref(r.fast.top(cl.farg)))
		}
	}
	if met {
		c.Status = Met
	}
	if cl.list != nil && !met {
		r.fastExplainList(cl.list, c)
	}
	if len(cl.names) > 0 {
		start := len(r.values)
		for _, ref := range cl.refs {
			if ref.param >= 0 {
				r.values = append(r.values, NamedValue{ref.name, r.p.periodValues[r.per][ref.param]})
			} else {
				r.values = append(r.values, NamedValue{ref.name, r.shownFact(ref.fact)})
			}
		}
		end := len(r.values)
		c.Values = r.values[start:end:end]
	}
}

// compareVals is compare: a clause's comparison, with expr's semantics.
func compareVals(op string, a, b val) bool {
	switch op {
	case "==":
		return valEqual(a, b)
	case "!=":
		return !valEqual(a, b)
	case "in":
		return valIn(a, b)
	}
	if a.k == kNil || b.k == kNil {
		return false
	}
	res, ok := valOrder(op, a, b)
	if !ok {
		fallback("cannot compare")
	}
	return res
}

// fastHolds is holds: a whole condition; absent data makes it false.
func (r *Run) fastHolds(cl *clause) bool {
	if r.anyMissing(cl.needs) {
		return false
	}
	for _, p := range cl.factPos {
		r.fastFact(p)
	}
	return r.fast.topBool(cl.fbool)
}

// fastFact computes the fact at position pos, once.
func (r *Run) fastFact(pos int) {
	st := &r.facts[pos]
	if st.done {
		return
	}
	st.done = true
	fp := r.p.facts[pos]
	if r.anyMissing(fp.needs) {
		return // clauses reading it are unknown by their own needs
	}
	r.fast.facts[pos] = factValue(r.fast.top(fp.fast), fp)
}

// factValue is the value the VM's environment would hold for a fact whose
// expression gave v: assigned or converted to the fact's type.
func factValue(v val, fp *factProgram) val {
	if v.ptr {
		fallback("a fact that is a pointer")
	}
	if v.k == kNil {
		return fp.zero
	}
	switch fp.typ {
	case floatRT:
		switch v.k {
		case kFloat:
			return v
		case kInt:
			return floatVal(float64(v.n))
		}
	case intRT:
		switch v.k {
		case kInt:
			return v
		case kFloat:
			return val{k: kInt, n: int(v.float())}
		}
	case boolRT:
		if v.k == kBool {
			return v
		}
	case stringRT:
		if v.k == kString {
			return v
		}
	case timeRT:
		if v.k == kTime {
			return v
		}
	case anysRT:
		if v.k == kList {
			return v
		}
	default:
		return v
	}
	fallback("a fact of another type")
	return val{}
}

// shownFact is a fact's value for explanations, made once per run.
func (r *Run) shownFact(pos int) Value {
	st := &r.facts[pos]
	if !st.isSet {
		st.value, st.isSet = r.value(r.fast.facts[pos]), true
	}
	return st.value
}

// fastMissing is missing, in lent memory; nil when nothing is absent.
func (r *Run) fastMissing(needs []need) []string {
	start := len(r.strs)
	for k := range needs {
		n := &needs[k]
		if coveredBy(r.strs[start:], n.path) {
			continue
		}
		if absentAt(r.fast.app, n) {
			r.strs = append(r.strs, n.path)
		}
	}
	end := len(r.strs)
	if end == start {
		return nil
	}
	return r.strs[start:end:end]
}

func (r *Run) anyMissing(needs []need) bool {
	for k := range needs {
		if absentAt(r.fast.app, &needs[k]) {
			return true
		}
	}
	return false
}

// fastExplainList is explainList for a failed clause. Like the VM running
// the detail program, it evaluates every condition of every entry, then
// explains the entry that came closest (any) or the first that failed (all).
func (r *Run) fastExplainList(lc *listClause, c *Clause) {
	f := &r.fast
	f.begin()
	list := deref(lc.flist(f))
	n := list.iterLen()
	f.grow(n)
	pick, pickMet := -1, -1
	var pickFailed uint64 // the conditions the picked entry fails (the first 64)
	for i := 0; i < n; i++ {
		f.step()
		f.grow(len(lc.fitems) + 1)
		f.scope[0], f.index[0] = list.at(i), i
		met := 0
		var failed uint64
		for j, c := range lc.fconds {
			if c(f) {
				met++
			} else if j < 64 {
				failed |= 1 << j
			}
		}
		if lc.builtin == "all" {
			if met < len(lc.conds) && pick < 0 {
				pick, pickMet, pickFailed = i, met, failed
			}
			continue
		}
		if met > pickMet {
			pick, pickMet, pickFailed = i, met, failed
		}
	}
	if pick >= 0 {
		r.explainPick(lc, c, list, pick, pickMet, pickFailed)
	}
}

// fastAny decides a clause any(list, c1 && c2 && ...) as the VM does, entry
// by entry and condition by condition up to the first that fails, and
// names in c the first entry that meets them all.
func (r *Run) fastAny(lc *listClause, c *Clause) bool {
	f := &r.fast
	f.begin()
	list := deref(lc.flist(f))
	n := list.iterLen()
	f.grow(n)
entries:
	for i := 0; i < n; i++ {
		f.step()
		f.scope[0], f.index[0] = list.at(i), i
		for _, cond := range lc.fconds {
			if !cond(f) {
				continue entries
			}
		}
		r.explainPick(lc, c, list, i, len(lc.conds), 0)
		return true
	}
	return false
}

// explainPick records in c entry pick of list, which meets met of the
// conditions and fails those of failed (as bits).
func (r *Run) explainPick(lc *listClause, c *Clause, list val, pick, met int, failed uint64) {
	f := &r.fast
	entry := list.at(pick)
	f.scope[0], f.index[0] = entry, pick
	e := Entry{Label: labelOf(entry), Total: len(lc.conds), Met: met}
	if pick < len(lc.paths) {
		e.Path = lc.paths[pick]
	} else {
		e.Path = fmt.Sprintf("%s[%d]", lc.path, pick)
	}
	start := len(r.conds)
	r.explainEntry(lc, failed)
	if end := len(r.conds); end > start {
		e.Failed = r.conds[start:end:end]
	}
	r.entries = append(r.entries, e)
	c.Closest = &r.entries[len(r.entries)-1]
}

// explainEntry lists the conditions of a list clause the current entry
// fails (failed, as bits; beyond the 64th, evaluated again), with the values
// of their items.
func (r *Run) explainEntry(lc *listClause, failed uint64) {
	f := &r.fast
	k := 0
	for j, cd := range lc.conds {
		items := 1
		if cd.op != "" || cd.call {
			items = 2
		}
		if j < 64 && failed&(1<<j) == 0 || j >= 64 && lc.fconds[j](f) {
			k += items
			continue
		}
		cond := Condition{Text: cd.text, Op: cd.op}
		switch {
		case cd.op != "":
			cond.Observed, cond.Required = r.value(deref(lc.fitems[k](f))), r.value(deref(lc.fitems[k+1](f)))
		case cd.call:
			cond.Observed = r.value(deref(lc.fitems[k+1](f)))
		}
		r.conds = append(r.conds, cond)
		k += items
	}
}

// compareSafe is compare where its error counts as false.
func compareSafe(op string, a, b val) bool {
	switch op {
	case "==", "!=", "in":
		return compareVals(op, a, b)
	}
	if a.k == kNil || b.k == kNil {
		return false
	}
	res, ok := valOrder(op, a, b)
	return ok && res
}

// labelOf is label: the entry's `eligo:"label"` field.
func labelOf(v val) string {
	if v.k != kStruct || v.t.label < 0 {
		return ""
	}
	return *(*string)(unsafe.Add(v.p, v.t.fields[v.t.label].off))
}

// value is v as an explanation shows it, as the VM would have given it. It
// copies what v points at (a struct, a list in the applicant's or the
// run's memory), so the Value is the caller's; a parameter's or a
// constant's list was made into a Value once, when the rules compiled. A
// number that is not finite sends the requirement to the VM, which fails
// it (see observe).
func (r *Run) value(v val) Value {
	switch v.k {
	case kBool:
		return boolValue(v.b)
	case kInt:
		return intValue(v.n)
	case kFloat:
		f := v.float()
		if math.IsInf(f, 0) || math.IsNaN(f) {
			fallback("a number that is not finite")
		}
		return floatValue(f)
	case kString:
		return textValue(v.str())
	case kTime:
		return dateValue(v.time())
	case kStruct:
		val := valueOfReflect(reflect.NewAt(v.t.rt, v.p).Elem(), 0)
		if !val.finite() {
			fallback("a number that is not finite")
		}
		return val
	case kSlice:
		if v.p == nil {
			return Value{}
		}
		for _, l := range r.p.periodLists[r.per] {
			if l.data == v.p && l.n == v.n && l.t == v.t {
				return l.value
			}
		}
	case kList:
		if v.p == nil {
			return Value{}
		}
		if v.t != nil && v.t.constant.Kind() == KindList {
			return v.t.constant
		}
	default:
		return Value{}
	}
	items := make([]Value, v.n)
	for i := range items {
		items[i] = r.value(v.at(i))
	}
	return listValue(items)
}
