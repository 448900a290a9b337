package fast

import (
	"math"
	"reflect"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/rules/internal/lib"
)

// The frame of an evaluation, modelled on expr's vm.VM: the compiled
// closures (like a vm.Program) are immutable and shared; a Frame holds
// the state of runs and is reused from one applicant to the next, and Try
// is its one recover point, where a fallback (or any panic) ends the
// evaluation and hands it back to the VM.

// Fn is a compiled expression of the fast evaluator.
type Fn func(*Frame) Val

// maxDepth is the deepest nesting of predicates the fast evaluator runs.
const maxDepth = 8

// Frame is the state of one fast evaluation: the applicant, the date, the
// parameters in force, computed facts, and scratch memory reused from one
// applicant to the next.
type Frame struct {
	app    unsafe.Pointer // the applicant struct
	params unsafe.Pointer // the parameter struct of the period in force
	asOf   time.Time
	scope  [maxDepth]Val // the current element of each enclosing predicate
	index  [maxDepth]int
	vars   []Val // let variables
	facts  []Val // fact values, by position (Compiler.AddFact)
	lists  []Val // lists built while evaluating; reset for each applicant
	tmp    [maxDepth + 1][]Val
	mem    uint // list elements built in the current evaluation
	budget uint
	// Meter counts steps, and notices the run's context; expr's VM
	// counts with the same one (MeterAt).
	Meter Meter
	// names looked up in catalogues for this applicant: a provider's name
	// is looked up by every requirement about courses.
	looked []lookedUp
	// Change tracking (Track): the earliest day after asOf on which a
	// date function called may give another result, and what says so.
	tracking bool // notes are taken now
	tracked  bool // Track(true) was called: Pause(false) resumes
	next     time.Time
	why      Change
}

// Change is the call that may change a result first (Frame.NextChange):
// the date function, the source text of its date argument and that date.
type Change struct {
	Func string    // the library function, e.g. "current"
	Arg  string    // its date argument's source text, e.g. "insurance.expires"
	Date time.Time // the argument's date; zero for asOf read directly
}

// site is a call of a date function, for the notes of change tracking.
type site struct {
	fn  *lib.Function
	arg string
}

// Track starts (or with on false stops) change tracking for the rest of
// the evaluation, until the next Reset: each date function called notes
// the first day after asOf on which its result may differ (its change
// kernel), and NextChange is the earliest.
func (f *Frame) Track(on bool) {
	f.tracking, f.tracked, f.next, f.why = on, on, time.Time{}, Change{}
}

// Pause pauses change tracking (on true) or resumes it (on false), keeping
// what was noted; it does nothing when tracking was not started.
func (f *Frame) Pause(on bool) { f.tracking = !on && f.tracked }

// NextChange is the earliest day noted since Track, zero when none, and
// the call that noted it first.
func (f *Frame) NextChange() (time.Time, Change) { return f.next, f.why }

// note notes that the call at s, of date t, may change on day at (zero:
// never).
func (f *Frame) note(at time.Time, s *site, t time.Time, set bool) {
	if at.IsZero() || !f.next.IsZero() && !at.Before(f.next) {
		return
	}
	f.next = at
	f.why = Change{Func: s.fn.Name, Arg: s.arg}
	if set {
		f.why.Date = t
	}
}

// readAsOf notes a direct read of asOf in a rule: it may change any day.
func (f *Frame) readAsOf() {
	if f.tracking {
		f.note(f.asOf.AddDate(0, 0, 1), &asOfSite, time.Time{}, false)
	}
}

var asOfSite = site{fn: &lib.Function{Name: lib.AsOf}, arg: lib.AsOf}

type lookedUp struct {
	cat  unsafe.Pointer // the catalogue (catKey)
	name string
	id   string
}

// lookup is lib.Catalogue.ID, remembered for the run; key is the
// catalogue's identity, catKey(cat).
func (f *Frame) lookup(cat map[string]string, key unsafe.Pointer, name string) string {
	for i := range f.looked {
		l := &f.looked[i]
		if len(l.name) == len(name) && unsafe.StringData(l.name) == unsafe.StringData(name) && l.cat == key {
			return l.id
		}
	}
	id := lib.Catalogue(cat).ID(name)
	if len(f.looked) < 32 {
		f.looked = append(f.looked, lookedUp{key, name, id})
	}
	return id
}

// catKey is the identity of a catalogue: the same map (not merely an equal
// one) has the same key. Compiled lookups in a fixed catalogue ask once.
func catKey(cat map[string]string) unsafe.Pointer { return reflect.ValueOf(cat).UnsafePointer() }

// Run runs fn as one evaluation, as one run of an expr program would be.
func (f *Frame) Run(fn Fn) Val {
	f.Begin()
	return fn(f)
}

// RunBool runs a condition as one evaluation.
func (f *Frame) RunBool(fn BoolFn) bool {
	f.Begin()
	return fn(f)
}

// Grow accounts for n list elements, as expr's memory budget does (the
// VM's OpBegin and list builders call vm.MemGrow). The fast evaluator
// leaves any evaluation near the budget to the VM, which reports exceeding
// it in its own words.
func (f *Frame) Grow(n int) {
	f.mem += uint(n)
	if f.mem*2 >= f.budget {
		fallback("near the memory budget")
	}
}

var emptyList [1]Val

// newList copies vals into the run's list arena.
func (f *Frame) newList(vals []Val) Val {
	if len(vals) == 0 {
		return Val{k: List, p: unsafe.Pointer(&emptyList[0])}
	}
	start := len(f.lists)
	f.lists = append(f.lists, vals...)
	return Val{k: List, p: unsafe.Pointer(&f.lists[start]), n: len(vals)}
}

// The fast evaluator's side: a step is a decrement; running out of a
// budget, or noticing the context, hands the requirement to the VM, which
// counts the same steps and reports the failure in its own words (or, for
// the context, the run reports it: see rules.Run.stopped).

// Begin starts one evaluation, as one run of an expr program would.
func (f *Frame) Begin() {
	f.mem = 0
	f.Meter.Start()
}

// Step counts one step.
func (f *Frame) Step() {
	f.Meter.left--
	if f.Meter.left < 0 {
		f.checkpoint()
	}
}

// steps counts n steps.
func (f *Frame) steps(n int) {
	f.Meter.left -= n
	if f.Meter.left < 0 {
		f.checkpoint()
	}
}

func (f *Frame) checkpoint() {
	if err := f.Meter.Checkpoint(); err != nil {
		fallback(err.Error())
	}
}

// finite hands an evaluation whose number is infinite or NaN to the VM,
// which fails it.
func finite(x float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		fallback("a number out of range")
	}
	return x
}

// Layout is what a Frame needs to know of a compiled program to run it.
type Layout struct {
	Steps  uint  // the step budget of an expression run
	Memory uint  // the memory budget of an expression run
	Vars   int   // let variables (Compiler.Vars)
	Facts  []Val // each fact's value before it is computed (Zero)
}

// Reset binds f to an applicant (app, an addressable struct of the model
// type), the parameters in force (params, a pointer to the parameter
// struct) and an evaluation date, for a program laid out as l, keeping
// the memory f has grown.
func (f *Frame) Reset(l *Layout, app, params reflect.Value, asOf time.Time) {
	f.app = app.Addr().UnsafePointer()
	f.params = params.UnsafePointer()
	f.asOf = asOf
	f.Track(false)
	f.budget = l.Memory
	f.Meter.Reset(l.Steps, l.Memory)
	clear(f.lists)
	f.lists = f.lists[:0]
	clear(f.looked)
	f.looked = f.looked[:0]
	f.scope = [maxDepth]Val{}
	if cap(f.vars) < l.Vars {
		f.vars = make([]Val, l.Vars)
	}
	f.vars = f.vars[:l.Vars]
	if cap(f.facts) < len(l.Facts) {
		f.facts = make([]Val, len(l.Facts))
	}
	f.facts = f.facts[:len(l.Facts)]
	copy(f.facts, l.Facts)
}

// Try runs fn, and reports whether it ran to the end: false when the
// evaluation fell back (or panicked otherwise), the one place the fast
// evaluator recovers, as (*vm.VM).Run is expr's.
func (f *Frame) Try(fn func()) (ok bool) {
	defer func() {
		if x := recover(); x != nil {
			ok = false
		}
	}()
	fn()
	return true
}

// Fact is the value of the fact at position pos.
func (f *Frame) Fact(pos int) Val { return f.facts[pos] }

// SetFact sets the value of the fact at position pos.
func (f *Frame) SetFact(pos int, v Val) { f.facts[pos] = v }

// Enter makes v, at index i of its list, the element of the predicate at
// depth d (expr's #, and #index).
func (f *Frame) Enter(d int, v Val, i int) { f.scope[d], f.index[d] = v, i }
