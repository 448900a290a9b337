package lib

import (
	"math"
	"time"
)

// The date kernels. A date argument arrives as the time and whether it is
// set; asOf is the evaluation date.

func done(t time.Time, set bool, asOf time.Time) bool    { return set && !t.After(asOf) }
func current(t time.Time, set bool, asOf time.Time) bool { return set && !t.Before(asOf) }

func within(t time.Time, set bool, months float64, asOf time.Time) bool {
	// Whole months, as monthsSince counts them: AddDate would turn "a month
	// before 31 March" into 2 March.
	return set && !t.After(asOf) && wholeMonths(t, asOf) < int(months)
}

func yearsSince(t time.Time, set bool, asOf time.Time) float64 {
	if !set || t.After(asOf) {
		return -1
	}
	return float64(wholeMonths(t, asOf) / 12)
}

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

// wholeMonths is the number of whole calendar months from a to b (a <= b).
func wholeMonths(a, b time.Time) int {
	m := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
	if b.Day() < a.Day() {
		m--
	}
	return m
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
