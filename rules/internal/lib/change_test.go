package lib

import (
	"testing"
	"time"
)

// day is a calendar day at midnight UTC.
func day(s string) time.Time { return *date(s) }

// firstDiff is the first day after asOf, up to limit, on which f differs
// from its value on asOf; zero when none does.
func firstDiff[T comparable](f func(time.Time) T, asOf, limit time.Time) time.Time {
	v := f(asOf)
	for a := asOf.AddDate(0, 0, 1); !a.After(limit); a = a.AddDate(0, 0, 1) {
		if f(a) != v {
			return a
		}
	}
	return time.Time{}
}

// changeDates are dates around month ends and 29 February.
func changeDates() []time.Time {
	var ds []time.Time
	for _, s := range []string{"2023-01-31", "2023-02-28", "2023-03-30", "2023-03-31", "2023-04-30",
		"2023-11-22", "2023-11-23", "2024-01-31", "2024-02-28", "2024-02-29", "2024-03-01", "2024-08-31",
		"2024-12-31", "2025-02-28", "2025-06-15"} {
		ds = append(ds, day(s))
	}
	return ds
}

// TestChangeKernels: each date function's change kernel is the first day
// its result differs, checked day by day (a count: its next step), for
// dates around month ends and 29 February and a run of evaluation dates.
func TestChangeKernels(t *testing.T) {
	limit := day("2031-12-31")
	asOfs := []time.Time{}
	for a := day("2023-01-01"); a.Before(day("2026-06-01")); a = a.AddDate(0, 0, 23) {
		asOfs = append(asOfs, a)
	}
	asOfs = append(asOfs, day("2024-02-29"), day("2025-02-28"), day("2026-03-31"), day("2026-11-23"))
	for _, d := range changeDates() {
		for _, asOf := range asOfs {
			for _, name := range []string{"done", "current"} {
				f := ByName(name)
				want := firstDiff(func(a time.Time) bool { return f.DateTest(d, true, a) }, asOf, limit)
				if got := f.TestChange(d, true, asOf); !got.Equal(want) {
					t.Errorf("%s(%s) on %s changes on %s, kernel says %s", name, d.Format(time.DateOnly), asOf.Format(time.DateOnly), want, got)
				}
			}
			for _, n := range []float64{0, 1, 12, 36, 36.5} {
				want := firstDiff(func(a time.Time) bool { return within(d, true, n, a) }, asOf, limit)
				if got := withinChange(d, true, n, asOf); !got.Equal(want) {
					t.Errorf("within(%s, %v) on %s changes on %s, kernel says %s", d.Format(time.DateOnly), n, asOf.Format(time.DateOnly), want, got)
				}
			}
			for _, name := range []string{"yearsSince", "monthsSince"} {
				f := ByName(name)
				want := firstDiff(func(a time.Time) float64 { return f.DateCount(d, true, a) }, asOf, limit)
				if got := f.CountChange(d, true, asOf); !got.Equal(want) {
					t.Errorf("%s(%s) on %s changes on %s, kernel says %s", name, d.Format(time.DateOnly), asOf.Format(time.DateOnly), want, got)
				}
				for _, k := range []float64{0, 1, 2.5, 3, 40} {
					cmp := func(a time.Time) bool { return f.DateCount(d, true, a) >= k }
					gt := func(a time.Time) bool { return f.DateCount(d, true, a) > k }
					want := min2(firstDiff(cmp, asOf, limit), firstDiff(gt, asOf, limit))
					v := f.DateCount(d, true, asOf)
					got := f.CountNext(d, true, v, k)
					if !got.IsZero() && got.After(limit) {
						got = time.Time{}
					}
					if !got.Equal(want) {
						t.Errorf("%s(%s) vs %v on %s changes on %s, kernel says %s", name, d.Format(time.DateOnly), k, asOf.Format(time.DateOnly), want, got)
					}
				}
			}
			span := func(a time.Time) float64 { return daysBetween(d, true, time.Time{}, false, a) }
			if got, want := spanChange(d, true, time.Time{}, false, asOf), firstDiff(span, asOf, limit); !got.Equal(want) {
				t.Errorf("daysBetween(%s) on %s changes on %s, kernel says %s", d.Format(time.DateOnly), asOf.Format(time.DateOnly), want, got)
			}
		}
	}
}

func min2(a, b time.Time) time.Time {
	if a.IsZero() || !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}

// TestChangeEdges are the calendar's edge cases, by name.
func TestChangeEdges(t *testing.T) {
	years, months := ByName("yearsSince"), ByName("monthsSince")
	for _, c := range []struct {
		why  string
		got  time.Time
		want string
	}{
		{"insurance expiring 2027-01-31 lapses the next day", currentChange(day("2027-01-31"), true, day("2026-11-23")), "2027-02-01"},
		{"a course completed later counts on its day", doneChange(day("2027-01-10"), true, day("2026-11-23")), "2027-01-10"},
		{"CPD of 2023-11-23 leaves a 36-month window on 2026-11-24", withinChange(day("2023-11-23"), true, 36, day("2026-11-23")), "2026-11-24"},
		{"CPD of 2023-02-28 leaves a 1-month window on 1 April", withinChange(day("2023-02-28"), true, 1, day("2023-03-15")), "2023-04-01"},
		{"CPD of 2023-01-31 leaves a 1-month window on 1 March", withinChange(day("2023-01-31"), true, 1, day("2023-02-15")), "2023-03-01"},
		{"a year from 2024-02-29 is complete on 2025-02-28", years.CountNext(day("2024-02-29"), true, 0, 1), "2025-02-28"},
		{"three years from 2020-02-29 on 2023-02-28", years.CountNext(day("2020-02-29"), true, 1, 3), "2023-02-28"},
		{"a month from 2024-01-31 on 2024-02-29", months.CountChange(day("2024-01-31"), true, day("2024-02-10")), "2024-02-29"},
		{"yearsSince(d) > 2.5 turns on the third anniversary", years.CountNext(day("2020-05-31"), true, 2, 2.5), "2023-05-31"},
	} {
		if got := c.got.Format(time.DateOnly); got != c.want {
			t.Errorf("%s: got %s", c.why, got)
		}
	}
	if got := years.CountNext(day("2020-05-31"), true, 5, 3); !got.IsZero() {
		t.Errorf("a count past its threshold never changes a comparison: got %s", got)
	}
	if got := spanChange(day("2020-01-01"), true, day("2020-02-01"), true, day("2026-01-01")); !got.IsZero() {
		t.Errorf("daysBetween with both dates set does not read asOf: got %s", got)
	}
}
