package lib

import (
	"math"
	"time"
)

// Change horizons. For each date function, given its arguments on asOf,
// the change kernel is the first day after asOf on which the function's
// result may differ, or the zero time when it never will: the kernels are
// monotone in asOf, so a result holds from asOf until that day. A
// decision's validity (how long it holds) is found by re-deciding on the
// earliest such day of every call a decision made, not on every day. A
// horizon may be early (a count is told each step it takes, though a rule
// may compare it only with a threshold: see CountReach), never late.

// maxMonths bounds the months a horizon looks ahead: beyond some 10,000
// years no document date lies, so a later change is "never".
const maxMonths = 12 * 10000

// firstDayFrom is the first calendar day (midnight UTC) not before t.
func firstDayFrom(t time.Time) time.Time {
	d := dayOf(t)
	if d.Before(t) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// doneChange: done(t) turns true on t's day when t is after asOf.
func doneChange(t time.Time, set bool, asOf time.Time) time.Time {
	if !set || !t.After(asOf) {
		return time.Time{}
	}
	return firstDayFrom(t)
}

// currentChange: current(t) turns false on the day after t when t is not
// before asOf.
func currentChange(t time.Time, set bool, asOf time.Time) time.Time {
	if !set || t.Before(asOf) {
		return time.Time{}
	}
	return dayOf(t).AddDate(0, 0, 1)
}

// withinChange: within(t, months) turns true on t's day when t is after
// asOf, and false on the first day whose window starts after t when t is
// in the window on asOf; a date before the window never re-enters it.
func withinChange(t time.Time, set bool, months float64, asOf time.Time) time.Time {
	switch {
	case !set || !(months >= 0):
		return time.Time{}
	case t.After(asOf):
		return firstDayFrom(t)
	case months >= maxWindowMonths || !within(t, set, months, asOf):
		return time.Time{}
	}
	n := int(months)
	if n > maxMonths {
		return time.Time{}
	}
	// n months on from t's day the window still holds t (it starts on or
	// before t's day); it moves on by at most a day a day, so the first
	// day it starts after t is a few days on.
	day := dayOf(t)
	a := addMonths(day, n)
	for !monthsBefore(a, n).After(day) {
		a = a.AddDate(0, 0, 1)
	}
	return a
}

// addMonths is the day n calendar months after d, d's day number or the
// month's last day when it is shorter: the day n whole months from d are
// complete (wholeMonths).
func addMonths(d time.Time, n int) time.Time {
	y, m := d.Year()+n/12, d.Month()+time.Month(n%12)
	if m > 12 {
		m -= 12
		y++
	}
	return time.Date(y, m, min(d.Day(), daysIn(y, m)), 0, 0, 0, 0, time.UTC)
}

// CountReach is the first day on which the count of f (yearsSince or
// monthsSince) from t reaches n, n >= 0; the zero time when t is not set,
// n is not a number or the day lies beyond the year 9999.
func (f *Function) CountReach(t time.Time, set bool, n float64) time.Time {
	if !set || f.CountMonths == 0 || !(n >= 0) {
		return time.Time{}
	}
	months := math.Ceil(n) * float64(f.CountMonths)
	if months > maxMonths {
		return time.Time{}
	}
	return addMonths(firstDayFrom(t), int(months))
}

// CountNext is the first day after asOf on which the count of f from t,
// v on asOf, may make a comparison with k change: the day it reaches the
// next of ceil(k) and floor(k)+1 above v (whatever the operator, a count,
// a whole number, changes a comparison with k only there). The zero time
// when it never will.
func (f *Function) CountNext(t time.Time, set bool, v, k float64) time.Time {
	next := math.Inf(1)
	for _, c := range [2]float64{math.Ceil(k), math.Floor(k) + 1} {
		if c > v && c < next {
			next = c
		}
	}
	if math.IsInf(next, 1) {
		return time.Time{}
	}
	return f.CountReach(t, set, max(next, 0))
}

// countChange: a count changes when it takes its next step.
func (f *Function) countChange(t time.Time, set bool, asOf time.Time) time.Time {
	return f.CountReach(t, set, f.DateCount(t, set, asOf)+1)
}

// spanChange: daysBetween(from, to) does not read asOf when to is set;
// with to unset it counts to asOf, so it changes every day from from's on.
func spanChange(from time.Time, fromSet bool, _ time.Time, toSet bool, asOf time.Time) time.Time {
	switch {
	case toSet || !fromSet:
		return time.Time{}
	case from.After(asOf):
		return firstDayFrom(from)
	}
	return asOf.AddDate(0, 0, 1)
}
