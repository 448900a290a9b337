package rules

import (
	"fmt"
	"math"
	"reflect"
	"sync"

	"github.com/eligo-dev/eligo/rules/internal/compile"
	"github.com/eligo-dev/eligo/rules/internal/fast"
)

// This file runs requirements on the fast evaluator, with the same
// explanations as the VM gives (run_vm.go); the results land in memory the
// Run lends (see Run.Eval).

func (r *Run) resetFast() {
	p := r.p
	r.fast.Reset(&p.plan.Layout, r.app, p.plan.Params.PeriodValue(r.per), r.asOf)
	if cap(r.facts) < len(p.facts) {
		r.facts = make([]factState, len(p.facts))
	}
	r.facts = r.facts[:len(p.facts)]
	clear(r.facts)
	r.broken = false
	r.consts = nil
	if p.plan.Consts > 0 {
		r.consts = p.consts(r.per)
	}
}

// constVal is a part of the rules that reads nothing but parameters and
// literals (compile.Plan.Consts: a comparison's right side, an item of a
// list condition) in one parameter period, computed once when the program
// compiles: its value, and the Value explanations show. A run may use it
// rather than run the part: the part takes no steps and notes nothing for
// change tracking, and the one thing it counts, the elements of a list of
// literals on a comparison's right side, it counts in an evaluation of its
// own (Frame.Run), which ends before anything else is counted, so leaving
// it out changes no budget (list items are never lists of literals). ok is
// false where computing it fell back (a number that is not finite, a list
// near the memory budget), and runs then compute the part as before,
// falling back in turn.
type constVal struct {
	val   fast.Val
	value Value
	ok    bool
}

// periodConsts are the constant parts of one parameter period, computed
// once, when a run first uses the period.
type periodConsts struct {
	once   sync.Once
	consts []constVal
}

// consts returns the program's constant parts in parameter period per,
// computing them, on a run of its own, the first time; safe for
// concurrent use.
func (p *Program) consts(per int) []constVal {
	pc := &p.periodConsts[per]
	pc.once.Do(func() { pc.consts = p.computeConsts(per) })
	return pc.consts
}

// computeConsts computes the program's constant parts in parameter period
// per.
func (p *Program) computeConsts(per int) []constVal {
	r := &Run{p: p, app: reflect.New(p.plan.Model).Elem(), per: per}
	r.fast.Reset(&p.plan.Layout, r.app, p.plan.Params.PeriodValue(per), r.asOf)
	r.facts = make([]factState, len(p.facts))
	consts := make([]constVal, p.plan.Consts)
	compute := func(k int, fn fast.Fn) {
		c := &consts[k]
		c.ok = r.fast.Try(func() {
			c.val = r.fast.Run(fn).Deref()
			r.finite(c.val)
			c.value = r.value(c.val)
		})
	}
	for _, rp := range p.reqs {
		for _, cl := range rp.Clauses {
			if k := cl.Fast.RightPos; k >= 0 {
				compute(k, cl.Fast.Right)
			}
			if cl.List == nil {
				continue
			}
			for i, k := range cl.List.Fast.ItemPos {
				if k >= 0 {
					compute(k, cl.List.Fast.Items[i])
				}
			}
		}
	}
	return consts
}

// constRight is cl's right side computed once for the run's period, or nil
// when the run computes it (see constVal).
func (r *Run) constRight(cl *compile.Clause) *constVal {
	if k := cl.Fast.RightPos; k >= 0 && r.consts[k].ok {
		return &r.consts[k]
	}
	return nil
}

// itemValue is item i of lc for the current entry, as an explanation
// shows it: computed once for the run's period when it can be (see
// constVal).
func (r *Run) itemValue(lc *compile.ListClause, i int) Value {
	if k := lc.Fast.ItemPos[i]; k >= 0 && r.consts[k].ok {
		return r.consts[k].value
	}
	return r.value(lc.Fast.Items[i](&r.fast).Deref())
}

// fastRequirement evaluates a requirement on the fast evaluator. ok is false
// when it had to give up (see fallback): the caller then asks the VM.
func (r *Run) fastRequirement(rp *compile.Requirement) (Result, bool) {
	nc, ns, nv, ne, nd := len(r.clauses), len(r.strs), len(r.values), len(r.entries), len(r.conds)
	var res Result
	if !r.fast.Try(func() { res = r.fastResult(rp, nc) }) {
		r.p.fallbacks.Add(1)
		r.clauses, r.strs, r.values, r.entries, r.conds = r.clauses[:nc], r.strs[:ns], r.values[:nv], r.entries[:ne], r.conds[:nd]
		return Result{}, false
	}
	return res, true
}

// fastResult is fastRequirement's evaluation, whose clauses start at
// r.clauses[nc]; it panics where the fast evaluator falls back.
func (r *Run) fastResult(rp *compile.Requirement, nc int) Result {
	status := r.fastStatus(rp, nil)
	n := len(r.clauses)
	return Result{Status: status, Clauses: r.clauses[nc:n:n]}
}

// fastClause evaluates a clause into c, a zero Clause.
func (r *Run) fastClause(cl *compile.Clause, c *Clause) {
	c.Text, c.Op = cl.Text, cl.Op
	if m := r.fastMissing(cl.Needs); m != nil {
		c.Status, c.Missing = Unknown, m
		if cl.Op != "" && cl.RightFree && !r.anyMissing(cl.RightNeeds) {
			if k := r.constRight(cl); k != nil {
				c.Required = k.value
			} else {
				c.Required = r.value(r.fast.Run(cl.Fast.Right).Deref())
			}
		}
		return
	}
	for _, p := range cl.FactPos {
		r.fastFact(p)
	}
	var met bool
	if cl.Op != "" {
		var l, rv fast.Val
		met, l, rv = r.compare(cl)
		c.Observed = r.value(l)
		if k := r.constRight(cl); k != nil {
			c.Required = k.value
		} else {
			c.Required = r.value(rv)
		}
	} else if cl.List != nil && cl.List.Builtin == "any" {
		met = r.fastAny(cl.List, c)
	} else if cl.List != nil && cl.List.Builtin == "none" {
		met = !r.fastAny(cl.List, c) // the entry any() finds is the one that fails none()
	} else {
		met = r.fast.RunBool(cl.Fast.Bool)
		if !met && cl.Fast.Arg != nil {
			c.Observed = r.value(r.fast.Run(cl.Fast.Arg).Deref())
		}
	}
	if met {
		c.Status = Met
	}
	if cl.List != nil && !met && cl.List.Builtin != "none" {
		r.fastExplainList(cl.List, c)
	}
	if len(cl.Names) > 0 {
		start := len(r.values)
		for _, ref := range cl.Refs {
			if ref.Param >= 0 {
				r.values = append(r.values, NamedValue{ref.Name, r.p.paramValues[ref.Param][r.p.plan.Params.ValueIndex(r.per, ref.Param)]})
			} else {
				r.values = append(r.values, NamedValue{ref.Name, r.shownFact(ref.Fact)})
			}
		}
		end := len(r.values)
		c.Values = r.values[start:end:end]
	}
}

// fastStatus decides a requirement from its clauses. With ks nil, each
// clause is explained and appended to r.clauses (fastResult); else each is
// decided from its kernel in ks (clauseStatus) as fastClause decides it,
// its explanation left out.
// The values an explanation would show are still checked to be finite, as
// value checks them, so that a number that is not finite sends the
// requirement to the VM as it would; those of a failed list clause's
// entries are not looked at (see Run.Status).
func (r *Run) fastStatus(rp *compile.Requirement, ks []kernel) Status {
	status := Met
	for j, cl := range rp.Clauses {
		var s Status
		if ks == nil {
			// The clause is made in place: a Clause is too big to copy about.
			r.clauses = append(r.clauses, Clause{})
			c := &r.clauses[len(r.clauses)-1]
			r.fastClause(cl, c)
			s = c.Status
		} else {
			s = r.clauseStatus(&ks[j])
		}
		switch s {
		case Unmet:
			status = Unmet
		case Unknown:
			if status == Met {
				status = Unknown
			}
		}
	}
	if status != Met && rp.Review != nil && r.fastHolds(rp.Review) {
		status = Review
	}
	if status == Unmet && rp.Unknown != nil && r.fastHolds(rp.Unknown) {
		status = Unknown
	}
	return status
}

// finite sends the requirement to the VM, as value would, when v is or
// holds a number that is not finite. It runs for most clauses, whose values
// are mostly texts, integers and dates: those it passes inline.
func (r *Run) finite(v fast.Val) {
	if k := v.Kind(); k == fast.Float || k >= fast.Struct {
		r.finiteNumbers(v)
	}
}

// finiteNumbers is finite of a number, a struct or a list.
func (r *Run) finiteNumbers(v fast.Val) {
	switch v.Kind() {
	case fast.Float:
		if f := v.Float(); math.IsInf(f, 0) || math.IsNaN(f) {
			fast.Fallback("a number that is not finite")
		}
	case fast.Struct:
		r.value(v)
	case fast.Slice, fast.List:
		if !v.IsNil() && !v.NoNumbers() {
			for i := range v.Len() {
				r.finite(v.At(i))
			}
		}
	}
}

// compare decides a comparison clause, and returns its sides. With change
// tracking, the sides are read untracked and the whole comparison run
// tracked: a count compared with a threshold then notes the day it reaches
// the threshold, not its every step.
func (r *Run) compare(cl *compile.Clause) (met bool, l, rv fast.Val) {
	tracked := r.tracking && cl.Fast.Bool != nil
	if tracked {
		r.fast.Pause(true)
	}
	l = r.fast.Run(cl.Fast.Left).Deref()
	if k := r.constRight(cl); k != nil {
		rv = k.val
	} else {
		rv = r.fast.Run(cl.Fast.Right).Deref()
	}
	met = fast.Compare(cl.Fast.Op, l, rv)
	if tracked {
		r.fast.Pause(false)
		r.fast.RunBool(cl.Fast.Bool)
	}
	return met, l, rv
}

// compareStatus is compare for fastClauseStatus, which needs the decision
// alone: it checks the sides to be finite, as value would, rather than
// return them (two sides and the decision are returned through memory,
// the decision alone in a register).
func (r *Run) compareStatus(cl *compile.Clause) bool {
	tracked := r.tracking && cl.Fast.Bool != nil
	if tracked {
		r.fast.Pause(true)
	}
	l := r.fast.Run(cl.Fast.Left).Deref()
	k := r.constRight(cl)
	var rv fast.Val
	if k != nil {
		rv = k.val
	} else {
		rv = r.fast.Run(cl.Fast.Right).Deref()
	}
	met := fast.Compare(cl.Fast.Op, l, rv)
	if tracked {
		r.fast.Pause(false)
		r.fast.RunBool(cl.Fast.Bool)
	}
	r.finite(l)
	if k == nil {
		r.finite(rv) // a constant one was checked when computed
	}
	return met
}

// fastHolds is holds: a whole condition; absent data makes it false.
func (r *Run) fastHolds(cl *compile.Clause) bool {
	if r.anyMissing(cl.Needs) {
		return false
	}
	for _, p := range cl.FactPos {
		r.fastFact(p)
	}
	return r.fast.RunBool(cl.Fast.Bool)
}

// fastFact computes the fact at position pos, once.
func (r *Run) fastFact(pos int) {
	st := &r.facts[pos]
	if st.done {
		return
	}
	st.done = true
	fp := r.p.facts[pos]
	if r.anyMissing(fp.Needs) {
		return // clauses reading it are unknown by their own needs
	}
	r.fast.SetFact(pos, fast.FactValue(r.fast.Run(fp.Fast), fp.Kind, fp.Zero))
}

// shownFact is a fact's value for explanations, made once per run.
func (r *Run) shownFact(pos int) Value {
	st := &r.facts[pos]
	if !st.isSet {
		st.value, st.isSet = r.value(r.fast.Fact(pos)), true
	}
	return st.value
}

// fastMissing is missing, in lent memory; nil when nothing is absent.
func (r *Run) fastMissing(needs []compile.Need) []string {
	start := len(r.strs)
	for k := range needs {
		n := &needs[k]
		if coveredBy(r.strs[start:], n.Path) {
			continue
		}
		if r.fast.Absent(&n.At) {
			r.strs = append(r.strs, n.Path)
		}
	}
	end := len(r.strs)
	if end == start {
		return nil
	}
	return r.strs[start:end:end]
}

func (r *Run) anyMissing(needs []compile.Need) bool {
	for k := range needs {
		if r.fast.Absent(&needs[k].At) {
			return true
		}
	}
	return false
}

// fastExplainList is explainList for a failed clause. Like the VM running
// the detail program, it evaluates every condition of every entry, then
// explains the entry that came closest (any) or the first that failed (all).
func (r *Run) fastExplainList(lc *compile.ListClause, c *Clause) {
	f := &r.fast
	list := f.Run(lc.Fast.List).Deref()
	n := list.IterLen()
	f.Grow(n)
	pick, pickMet := -1, -1
	var pickFailed uint64 // the conditions the picked entry fails (the first 64)
	for i := 0; i < n; i++ {
		f.Step()
		f.Grow(len(lc.Fast.Items) + 1)
		f.Enter(0, list.At(i), i)
		met := 0
		var failed uint64
		for j, c := range lc.Fast.Conds {
			if c(f) {
				met++
			} else if j < 64 {
				failed |= 1 << j
			}
		}
		if lc.Builtin == "all" {
			if met < len(lc.Conds) && pick < 0 {
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
// names in c the first entry that meets them all. none(list, ...) is its
// negation, stepping alike.
func (r *Run) fastAny(lc *compile.ListClause, c *Clause) bool {
	list, i := r.anyEntry(lc)
	if i < 0 {
		return false
	}
	r.explainPick(lc, c, list, i, len(lc.Conds), 0)
	return true
}

// anyEntry returns lc's list and the index of its first entry that meets
// every condition, -1 for none, deciding as fastAny says.
func (r *Run) anyEntry(lc *compile.ListClause) (fast.Val, int) {
	if lc.Fast.FindList != nil {
		return lc.Fast.FindList(&r.fast)
	}
	list := r.anyList(lc)
	return list, r.anyIndex(lc, list)
}

// anyFind is the index of the first entry of lc's list that meets every
// condition, -1 for none, deciding as fastAny says: in one closure when
// the list is one of structs read from memory (lc.Fast.Find).
func (r *Run) anyFind(lc *compile.ListClause) int {
	if lc.Fast.Find != nil {
		return lc.Fast.Find(&r.fast)
	}
	return r.anyIndex(lc, r.anyList(lc))
}

// anyList runs lc's list, for anyIndex.
func (r *Run) anyList(lc *compile.ListClause) fast.Val { return r.fast.Run(lc.Fast.List).Deref() }

// anyIndex is the index of the first entry of list, lc's, that meets every
// condition, -1 for none.
func (r *Run) anyIndex(lc *compile.ListClause, list fast.Val) int {
	f := &r.fast
	n := list.IterLen()
	f.Grow(n)
entries:
	for i := 0; i < n; i++ {
		f.Step()
		f.Enter(0, list.At(i), i)
		for _, cond := range lc.Fast.Conds {
			if !cond(f) {
				continue entries
			}
		}
		return i
	}
	return -1
}

// explainPick records in c entry pick of list, which meets met of the
// conditions and fails those of failed (as bits).
func (r *Run) explainPick(lc *compile.ListClause, c *Clause, list fast.Val, pick, met int, failed uint64) {
	entry := list.At(pick)
	r.fast.Enter(0, entry, pick)
	e := Entry{Label: entry.Label(), Total: len(lc.Conds), Met: met}
	if pick < len(lc.Paths) {
		e.Path = lc.Paths[pick]
	} else {
		e.Path = fmt.Sprintf("%s[%d]", lc.Path, pick)
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
func (r *Run) explainEntry(lc *compile.ListClause, failed uint64) {
	f := &r.fast
	k := 0
	for j, cd := range lc.Conds {
		items := 1
		if cd.Op != "" || cd.Call {
			items = 2
		}
		if j < 64 && failed&(1<<j) == 0 || j >= 64 && lc.Fast.Conds[j](f) {
			k += items
			continue
		}
		cond := Condition{Text: cd.Text, Op: cd.Op}
		switch {
		case cd.Op != "":
			cond.Observed, cond.Required = r.itemValue(lc, k), r.itemValue(lc, k+1)
		case cd.Call:
			cond.Observed = r.itemValue(lc, k+1)
		}
		r.conds = append(r.conds, cond)
		k += items
	}
}

// value is v as an explanation shows it, as the VM would have given it. It
// copies what v points at (a struct, a list in the applicant's or the
// run's memory), so the Value is the caller's; a parameter's or a
// constant's list was made into a Value once, when the rules compiled. A
// number that is not finite sends the requirement to the VM, which fails
// it (see observe).
func (r *Run) value(v fast.Val) Value {
	switch v.Kind() {
	case fast.Bool:
		return boolValue(v.Bool())
	case fast.Int:
		return intValue(v.Int())
	case fast.Float:
		f := v.Float()
		if math.IsInf(f, 0) || math.IsNaN(f) {
			fast.Fallback("a number that is not finite")
		}
		return floatValue(f)
	case fast.String:
		return textValue(v.Str())
	case fast.Time:
		return dateValue(v.Time())
	case fast.Struct:
		val := valueOfReflect(v.Reflect(), 0)
		if !val.finite() {
			fast.Fallback("a number that is not finite")
		}
		return val
	case fast.Slice:
		if v.IsNil() {
			return Value{}
		}
		for _, l := range r.p.periodLists[r.per] {
			if l.list.Same(v) {
				return l.value
			}
		}
	case fast.List:
		if v.IsNil() {
			return Value{}
		}
		if t := v.Type(); t != nil {
			if c, ok := t.Constant.(Value); ok && c.Kind() == KindList {
				return c
			}
		}
	default:
		return Value{}
	}
	items := make([]Value, v.Len())
	for i := range items {
		items[i] = r.value(v.At(i))
	}
	return listValue(items)
}
