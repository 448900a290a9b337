package lib

import (
	"math"
	"time"
)

// The date kernels. A date argument arrives as the time and whether it is
// set; asOf is the evaluation date.
//
// Months and years are calendar months and years, never fixed numbers of
// days. Where a day number does not exist in a month (31 April, 29 February
// in a common year), the month's last day stands for it: a month after
// 31 January is 29 February 2024 (28 February 2025), a year after 29
// February 2024 is 28 February 2025, and 36 months before 31 May 2026 is
// 31 May 2023 while a month before 31 March 2026 is 28 February 2026.

func done(t time.Time, set bool, asOf time.Time) bool    { return set && !t.After(asOf) }
func current(t time.Time, set bool, asOf time.Time) bool { return set && !t.Before(asOf) }

// maxWindowMonths bounds a window: a longer one (some 833,000 years) starts
// before any date, so within holds for every date not after asOf.
const maxWindowMonths = 1e7

// within reports whether t lies in the window of the last months calendar
// months before asOf, both ends included: from the day months months before
// asOf (monthsBefore) to asOf. The window's first day counts: on 23 November
// 2026 a window of 36 months starts on 23 November 2023. months is taken in
// whole months (its fraction dropped); a negative or NaN months holds for
// no date, 0 for asOf's own day only.
func within(t time.Time, set bool, months float64, asOf time.Time) bool {
	if !set || t.After(asOf) || !(months >= 0) {
		return false
	}
	if months >= maxWindowMonths {
		return true
	}
	// t's calendar day is the window's first day or after, compared as
	// days without making either a time.Time: the fast evaluator asks this
	// of every dated entry of a list.
	y, m, d := t.Date()
	wy, wm, wd := windowStart(asOf, int(months))
	return y > wy || y == wy && (m > wm || m == wm && d >= wd)
}

// yearsSince is the number of whole calendar years from t to asOf, counted
// forward from t: n years are complete on t's anniversary n years on, or on
// 28 February when t is 29 February and that year has none (3 years from
// 29 February 2020 are complete on 28 February 2023). -1 when t is not set
// or after asOf.
func yearsSince(t time.Time, set bool, asOf time.Time) float64 {
	if !set || t.After(asOf) {
		return -1
	}
	return float64(wholeMonths(t, asOf) / 12)
}

// monthsSince is the number of whole calendar months from t to asOf,
// counted forward from t: n months are complete on t's day number n months
// on, or on that month's last day when it is shorter (a month from 31
// January 2024 is complete on 29 February 2024). -1 when t is not set or
// after asOf.
func monthsSince(t time.Time, set bool, asOf time.Time) float64 {
	if !set || t.After(asOf) {
		return -1
	}
	return float64(wholeMonths(t, asOf))
}

func daysBetween(from time.Time, fromSet bool, to time.Time, toSet bool, asOf time.Time) float64 {
	if !toSet {
		to = asOf
	}
	if !fromSet || to.Before(from) {
		return -1
	}
	return daysFromTo(from, to)
}

// wholeMonths is the number of whole calendar months from a to b (a <= b),
// counted forward from a: the n-th month is complete on a's day number n
// months on, or on that month's last day when it is shorter. Only the
// calendar days count, not the time of day.
func wholeMonths(a, b time.Time) int {
	m := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
	if b.Day() < min(a.Day(), daysIn(b.Year(), b.Month())) {
		m--
	}
	return m
}

// monthsBefore is the first day of the window of the last n calendar months
// before asOf: the day n months before it with asOf's day number, or that
// month's last day when it is shorter (a month before 31 March 2026 is 28
// February 2026), as a calendar day (midnight UTC).
func monthsBefore(asOf time.Time, n int) time.Time {
	y, m, d := windowStart(asOf, n)
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// windowStart is monthsBefore as a year, month and day.
func windowStart(asOf time.Time, n int) (int, time.Month, int) {
	y, m, d := asOf.Date()
	m -= time.Month(n % 12)
	y -= n / 12
	if m < 1 {
		m += 12
		y--
	}
	return y, m, min(d, daysIn(y, m))
}

// daysIn is the number of days of month m (1 to 12) of year y, in the
// proleptic Gregorian calendar as package time has it.
func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// dayOf is t's calendar day (midnight UTC), so that within compares days,
// not instants.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysFromTo counts the days from one date to a later one, both included.
// Beyond about 292 years time.Time.Sub saturates, so such spans (from the
// zero date, say) are counted in seconds.
func daysFromTo(from, to time.Time) float64 {
	if d := to.Sub(from); d < math.MaxInt64 {
		return math.Floor(d.Hours()/24) + 1
	}
	return math.Floor(float64(to.Unix()-from.Unix())/(24*60*60)) + 1
}
