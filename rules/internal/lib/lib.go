// Package lib is the library of functions rules may call, besides expr's
// pure builtins (len, sum, filter, any, all, count, map, max, min, ...;
// now() is removed). It is one table: a row per function gives its name,
// its arguments, the signatures expr's checker accepts, and its semantics
// as one typed kernel, from which both the expr VM's function (Options)
// and the closure evaluator's typed closures are built, so the two cannot
// disagree.
//
// Date functions take the evaluation date implicitly: the compiler adds
// asOf as their last argument (AddAsOf), so rules never read the clock.
//
// A date is set unless it is absent (nil, or a nil *time.Time); every other
// date is set, the zero time.Time included.
//
//	done(date)           the date is set and not after asOf (an award, a completion)
//	current(date)        the date is set and not before asOf (an expiry)
//	within(date, months) the date is set, not after asOf, and on or after the day
//	                     months calendar months before asOf (the window includes its
//	                     first day: on 2026-11-23, within(d, 36) holds from 2023-11-23)
//	yearsSince(date)     whole calendar years from date to asOf, counted forward from
//	                     date; -1 when the date is not set or after asOf
//	monthsSince(date)    whole calendar months from date to asOf, counted forward
//	                     from date; -1 when the date is not set or after asOf
//	daysBetween(from, to) days from one date to another, counting both (a period
//	                     from 1 to 31 January is 31 days); an unset to means asOf;
//	                     -1 when from is not set or to is before from
//	approved(name)       name is an entry of the "providers" catalogue (Providers)
//	listed(cat, name)    name is an entry of catalogue cat
//	canonical(cat, name) the id of name's entry in catalogue cat, or ""
//
// Months and years are calendar ones. A day number a month lacks stands for
// that month's last day: counted forward, n years from 29 February 2020
// are complete on 28 February 2023, a month from 31 January 2024 on 29
// February; counted back, the window of within(d, 1) on 31 March 2026
// starts on 28 February 2026 and that of within(d, 36) on 31 May 2026 on
// 31 May 2023. within takes months in whole months (a fraction is
// dropped); a negative or NaN months holds for no date, 0 for asOf's day.
//
// Catalogue matching ignores case and runs of white space, and accepts an
// entry's id, name or any alias.
package lib

import (
	"slices"
	"time"
)

// AsOf is the name of the evaluation date in expressions, which the
// compiler passes to the date functions as their last argument.
const AsOf = "asOf"

// Param is the name of the parameters' namespace in expressions
// (param.NAME); like AsOf, no fact, parameter or catalogue may take it.
const Param = "param"

// Providers is the catalogue approved(name) reads.
const Providers = "providers"

// Function is one function of the library. Exactly one of the kernels
// (DateTest, DateWithin, DateCount, DateSpan, Lookup) is set: it is the
// function's semantics, for the VM and the closure evaluator alike.
type Function struct {
	Name string
	// Args is how many arguments rules pass.
	Args int
	// AsOf reports that the compiler appends asOf as a last argument, so
	// that the checker and both evaluators see Args+1 of them.
	AsOf bool
	// Types are the signatures expr's checker accepts, asOf included (the
	// types of expr.Function).
	Types []any
	// Shows is the 1-based position of the argument a failed condition
	// shows (approved(.provider) shows .provider); 0 for none.
	Shows int

	// DateTest is a condition on a date: done, current.
	DateTest func(date time.Time, set bool, asOf time.Time) bool
	// DateWithin is a condition on a date and a number of months: within.
	DateWithin func(date time.Time, set bool, months float64, asOf time.Time) bool
	// DateCount is a count from a date to asOf: yearsSince, monthsSince.
	DateCount func(date time.Time, set bool, asOf time.Time) float64
	// DateSpan is a count from one date to another: daysBetween.
	DateSpan func(from time.Time, fromSet bool, to time.Time, toSet bool, asOf time.Time) float64
	// Lookup is a catalogue lookup: approved, listed, canonical.
	Lookup *Lookup

	// The change kernels of the date functions (change.go): the first day
	// after asOf on which the result may differ, zero for never.
	TestChange   func(date time.Time, set bool, asOf time.Time) time.Time
	WithinChange func(date time.Time, set bool, months float64, asOf time.Time) time.Time
	SpanChange   func(from time.Time, fromSet bool, to time.Time, toSet bool, asOf time.Time) time.Time
	// CountMonths is how many calendar months a step of a count takes:
	// 12 for yearsSince, 1 for monthsSince (CountReach, CountNext).
	CountMonths int
}

// CountChange is a count's change kernel: the day it takes its next step
// after asOf, or zero for never.
func (f *Function) CountChange(date time.Time, set bool, asOf time.Time) time.Time {
	return f.countChange(date, set, asOf)
}

// Lookup describes a function that looks a name up in a catalogue.
type Lookup struct {
	// Catalogue is the catalogue read, when the function fixes it (approved
	// reads Providers); "" when the first argument names it.
	Catalogue string
	// ID reports that the result is the entry's id ("" when none), not
	// whether there is an entry.
	ID bool
}

// Arity is the number of arguments the checked call has: Args, and asOf
// when the function takes it.
func (f *Function) Arity() int {
	if f.AsOf {
		return f.Args + 1
	}
	return f.Args
}

var (
	dateTestTypes = []any{new(func(*time.Time, time.Time) bool), new(func(time.Time, time.Time) bool)}
	dateNumTypes  = []any{new(func(*time.Time, time.Time) float64), new(func(time.Time, time.Time) float64)}
)

// functions is the library, in the order of the package documentation.
var functions = []*Function{
	{Name: "done", Args: 1, AsOf: true, Shows: 1, Types: dateTestTypes, DateTest: done, TestChange: doneChange},
	{Name: "current", Args: 1, AsOf: true, Shows: 1, Types: dateTestTypes, DateTest: current, TestChange: currentChange},
	{Name: "within", Args: 2, AsOf: true, Shows: 1, DateWithin: within, WithinChange: withinChange, Types: []any{
		new(func(*time.Time, float64, time.Time) bool), new(func(time.Time, float64, time.Time) bool),
		new(func(*time.Time, int, time.Time) bool), new(func(time.Time, int, time.Time) bool)}},
	{Name: "yearsSince", Args: 1, AsOf: true, Types: dateNumTypes, DateCount: yearsSince, CountMonths: 12},
	{Name: "monthsSince", Args: 1, AsOf: true, Types: dateNumTypes, DateCount: monthsSince, CountMonths: 1},
	{Name: "daysBetween", Args: 2, AsOf: true, DateSpan: daysBetween, SpanChange: spanChange, Types: []any{
		new(func(*time.Time, *time.Time, time.Time) float64), new(func(time.Time, *time.Time, time.Time) float64),
		new(func(*time.Time, time.Time, time.Time) float64), new(func(time.Time, time.Time, time.Time) float64)}},
	{Name: "approved", Args: 1, Shows: 1, Types: []any{new(func(string) bool)}, Lookup: &Lookup{Catalogue: Providers}},
	{Name: "listed", Args: 2, Shows: 2, Types: []any{new(func(string, string) bool)}, Lookup: &Lookup{}},
	{Name: "canonical", Args: 2, Types: []any{new(func(string, string) string)}, Lookup: &Lookup{ID: true}},
}

// ByName returns the library function called name, or nil.
func ByName(name string) *Function {
	for _, f := range functions {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Names lists the library's functions in alphabetical order, in a new slice.
func Names() []string {
	names := make([]string, len(functions))
	for i, f := range functions {
		names[i] = f.Name
	}
	slices.Sort(names)
	return names
}
