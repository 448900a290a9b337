package rules

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/eligo-dev/eligo/rules/internal/fast"
)

// Run is one evaluation of a Program for one applicant on one date. It
// computes each fact at most once. A Run is not safe for concurrent use;
// create one per goroutine. Reset binds it to the next applicant, reusing
// its memory. The applicant's dates are present unless nil, as Program says.
type Run struct {
	p    *Program
	app  reflect.Value // the applicant struct (addressable)
	asOf time.Time
	per  int // the parameter period in force

	// The fast evaluator's state (run_fast.go).
	fast   fast.Frame
	facts  []factState // by compile.Fact.Pos
	broken bool        // a fast evaluation fell back: the rest go to the VM
	consts []constVal  // the period's parts of parameters and literals (Program.periodConsts)

	// Change tracking (Track): on, and whether the VM ran a requirement.
	tracking, untracked bool

	// The VM's state, made when a requirement first needs it.
	vmr *vmRun

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
// pointer to one) and an evaluation date. Any other applicant, nil
// included, is an error.
func (p *Program) NewRun(applicant any, asOf time.Time) (*Run, error) {
	if p == nil {
		return nil, errors.New("rules: NewRun of a nil Program")
	}
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
	if p == nil {
		return errors.New("rules: Reset of a Run that Program.NewRun did not make")
	}
	av := reflect.ValueOf(applicant)
	if !av.IsValid() {
		return errors.New("rules: nil applicant")
	}
	if av.Kind() == reflect.Pointer {
		if av.IsNil() {
			return errors.New("rules: nil applicant")
		}
		av = av.Elem()
	}
	if av.Type() != p.plan.Model {
		return fmt.Errorf("rules: applicant is %s; the program was compiled for %s", av.Type(), p.plan.Model)
	}
	if !av.CanAddr() {
		c := reflect.New(p.plan.Model).Elem()
		c.Set(av)
		av = c
	}
	// The evaluation date is a day: at 15:00 something expiring today is
	// still current. A date at midnight UTC, as the eligibility engine
	// gives, is that day already: the same time, without working out the
	// calendar date.
	if s := asOf.Unix(); asOf.Location() == time.UTC && asOf.Nanosecond() == 0 && s%(24*60*60) == 0 {
		asOf = time.Unix(s, 0).UTC()
	} else {
		y, m, d := asOf.Date()
		asOf = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	per, err := p.plan.Params.Period(asOf)
	if err != nil {
		return err
	}
	r.app, r.asOf, r.per = av, asOf, per
	r.tracking, r.untracked = false, false
	r.resetFast()
	if r.vmr != nil {
		r.vmr.reset(r)
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

// Status is requirement i's status, as Requirement's result has it, without
// the explanation: only what the status needs is evaluated, and nothing is
// lent or allocated, so it costs a fraction of Eval. Change tracking sees
// the calls the status needs: NextChange may then be later than after Eval,
// which also tracks what its explanations evaluate, and is never late. A rule that fails while it runs returns an
// *EvalError, as Requirement does; one that would fail only while
// explaining the entries of a failed list condition fails Requirement but
// not Status.
func (r *Run) Status(i int) (Status, error) {
	rp := r.p.reqs[i]
	if rp.Fast && !r.broken {
		var st Status
		if r.fast.Try(func() { st = r.fastStatus(rp, r.p.kernels[i]) }) {
			return st, nil
		}
		r.p.fallbacks.Add(1)
		r.broken = true
	}
	res, err, _ := r.eval(i)
	return res.Status, err
}

// Statuses sets dst[i] to requirement i's status, as Status would, for
// each i in dst, in order: for a program that wants every status, it
// saves a call per requirement. At the first requirement whose rule fails
// while it runs, it returns Status's *EvalError and leaves the statuses
// from that one on as they were. dst longer than NumRequirements is an
// error, and no status is set.
func (r *Run) Statuses(dst []Status) error {
	if len(dst) > len(r.p.reqs) {
		return fmt.Errorf("rules: Statuses of %d requirements; the program has %d", len(dst), len(r.p.reqs))
	}
	reqs := r.p.reqs[:len(dst)]
	for i := 0; i < len(reqs); {
		if !r.broken {
			// One recover point for the requirements the fast evaluator
			// decides in a row; i is the one it fell back on, if any.
			if r.fast.Try(func() {
				for ; i < len(reqs) && reqs[i].Fast; i++ {
					dst[i] = r.fastStatus(reqs[i], r.p.kernels[i])
				}
			}) {
				if i == len(reqs) {
					return nil
				}
			} else {
				r.p.fallbacks.Add(1)
				r.broken = true
			}
		}
		res, err, _ := r.eval(i)
		if err != nil {
			return err
		}
		dst[i] = res.Status
		i++
	}
	return nil
}

func (r *Run) eval(i int) (res Result, err error, lent bool) {
	rp := r.p.reqs[i]
	if rp.Fast && !r.broken {
		if res, ok := r.fastRequirement(rp); ok {
			return res, nil, true
		}
		r.broken = true
	}
	r.untracked = r.tracking
	res, err = r.vmRun().requirement(rp)
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

// Change says what may change a run's results first (Run.NextChange): a
// call of a date function, Func, whose date argument, the expression Arg,
// holds Date (zero when absent); or Func "param" when a dated parameter
// takes its next value, or "" when the run could not tell (the results
// may then change any day).
type Change struct {
	Func string    // the date function, e.g. "current"; "param"; or ""
	Arg  string    // the source text of its date argument, e.g. "insurance.expires"
	Date time.Time // that argument's date, when set
}

// Track starts change tracking for the evaluations that follow until the
// next Reset (which stops it): NextChange then says the first day after
// the evaluation date on which their results may differ.
func (r *Run) Track() {
	r.fast.Track(true)
	r.tracking, r.untracked = true, false
}

// NextChange is, after Track, the first day after the evaluation date on
// which a result Eval or Requirement gave since may differ, with nothing
// else about the applicant changed, and what may change it; the zero time
// when none ever will. Results hold from the evaluation date until the day
// before. It is found from each date function the rules called, with its
// arguments (its change kernel: an expiry's next day, a window's edge, an
// anniversary a comparison cares about), and the dated parameters' next
// value; it may be early (a result may still hold then), never late. A
// requirement the fast evaluator hands to expr's VM is not tracked: its
// results may differ any day, so NextChange is the next day.
func (r *Run) NextChange() (time.Time, Change) {
	if !r.tracking {
		return time.Time{}, Change{}
	}
	if r.untracked {
		return r.asOf.AddDate(0, 0, 1), Change{}
	}
	next, why := r.fast.NextChange()
	c := Change{Func: why.Func, Arg: why.Arg, Date: why.Date}
	if b := r.p.plan.Params.Bounds; r.per < len(b) && (next.IsZero() || b[r.per].Before(next)) {
		next, c = b[r.per], Change{Func: "param"}
	}
	return next, c
}
