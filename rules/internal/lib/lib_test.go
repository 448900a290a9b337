package lib

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func date(s string) *time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestDaysBetween(t *testing.T) {
	fn := ByName("daysBetween").Func(nil)
	asOf := *date("2026-11-23")
	tests := []struct {
		why      string
		from, to any
		want     float64
	}{
		{"a whole January counts both ends", date("2026-01-01"), date("2026-01-31"), 31},
		{"the same day is one day", date("2026-01-01"), date("2026-01-01"), 1},
		{"an open period runs to asOf", date("2026-11-01"), (*testTimeNil)(nil), 23},
		{"no start date gives -1", (*testTimeNil)(nil), date("2026-01-31"), -1},
		{"an end before the start gives -1", date("2026-02-01"), date("2026-01-31"), -1},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			got, err := fn(fixNil(tt.from), fixNil(tt.to), asOf)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// testTimeNil marks an unset date in test tables.
type testTimeNil struct{}

func fixNil(v any) any {
	if _, ok := v.(*testTimeNil); ok {
		return nil
	}
	return v
}

// TestTable: every row has exactly one kernel, and every signature it gives
// the checker takes the arguments the evaluators are given.
func TestTable(t *testing.T) {
	for _, f := range functions {
		kernels := 0
		for _, set := range []bool{f.DateTest != nil, f.DateWithin != nil, f.DateCount != nil, f.DateSpan != nil, f.Lookup != nil} {
			if set {
				kernels++
			}
		}
		if kernels != 1 {
			t.Errorf("%s: %d kernels, want 1", f.Name, kernels)
		}
		if f.AsOf != (f.Lookup == nil) {
			t.Errorf("%s: AsOf is %v: date functions take asOf, lookups do not", f.Name, f.AsOf)
		}
		for _, typ := range f.Types {
			if n := reflect.TypeOf(typ).Elem().NumIn(); n != f.Arity() {
				t.Errorf("%s: a signature of %d arguments, want %d", f.Name, n, f.Arity())
			}
		}
		if f.Shows > f.Args {
			t.Errorf("%s: shows argument %d of %d", f.Name, f.Shows, f.Args)
		}
		if ByName(f.Name) != f {
			t.Errorf("%s: ByName finds another row", f.Name)
		}
	}
	assert.Equal(t, []string{"approved", "canonical", "current", "daysBetween", "done", "listed", "monthsSince", "within", "yearsSince"}, Names())
}

// TestCatalogueID: the closures' allocation-free lookup finds what the
// VM's does, for ASCII and other names.
func TestCatalogueID(t *testing.T) {
	cats := Catalogues{}
	m := cats.Add(Providers)
	m.Add("olt", "Online Training Ltd", "OLT Academy", "Ökonomie  Schule")
	m.Add("dup", "online training ltd") // the name is olt's already
	for _, name := range []string{"olt", "  online\tTRAINING   ltd ", "olt academy", "ÖKONOMIE schule", "none", "", "dup"} {
		want, err := cats.lookup(Providers, name)
		require.NoError(t, err)
		assert.Equal(t, want, m.ID(name), name)
	}
	if _, err := cats.lookup("nope", "x"); err == nil {
		t.Error("a lookup in no catalogue succeeded")
	}
}

// TestWithin: the window of the last n calendar months includes its first
// day, n months before asOf on asOf's day number, or the month's last day
// when it is shorter (DOMAIN.md §4); one day before it is outside.
func TestWithin(t *testing.T) {
	tests := []struct {
		why     string
		d, asOf string
		months  float64
		want    bool
	}{
		{"the window's first day counts", "2023-11-23", "2026-11-23", 36, true},
		{"one day inside the window", "2023-11-24", "2026-11-23", 36, true},
		{"one day before the window", "2023-11-22", "2026-11-23", 36, false},
		{"asOf itself", "2026-11-23", "2026-11-23", 36, true},
		{"a day after asOf", "2026-11-24", "2026-11-23", 36, false},
		{"from a 31st, a 31st: first day", "2023-05-31", "2026-05-31", 36, true},
		{"from a 31st, a 31st: a day before", "2023-05-30", "2026-05-31", 36, false},
		{"from a 31st, a shorter month's last day: first day", "2026-02-28", "2026-03-31", 1, true},
		{"from a 31st, a shorter month's last day: a day before", "2026-02-27", "2026-03-31", 1, false},
		{"from a 31st, a shorter month's last day: a day inside", "2026-03-01", "2026-03-31", 1, true},
		{"from a 30th to a 30-day month: first day", "2026-04-30", "2026-05-30", 1, true},
		{"from a 30th to February of a leap year: its 29th", "2024-02-29", "2024-03-30", 1, true},
		{"from a 30th to February of a leap year: a day before", "2024-02-28", "2024-03-30", 1, false},
		{"from 29 February, 12 months back: 28 February", "2023-02-28", "2024-02-29", 12, true},
		{"from 29 February, 12 months back: a day before", "2023-02-27", "2024-02-29", 12, false},
		{"from 29 February, 48 months back: 29 February", "2020-02-29", "2024-02-29", 48, true},
		{"from 29 February, 48 months back: a day before", "2020-02-28", "2024-02-29", 48, false},
		{"to 29 February from a 29 March: first day", "2024-02-29", "2024-03-29", 1, true},
		{"to 29 February from a 29 March: a day before", "2024-02-28", "2024-03-29", 1, false},
		{"across a year: 13 months before January", "2024-12-15", "2026-01-15", 13, true},
		{"across a year: a day before", "2024-12-14", "2026-01-15", 13, false},
		{"a fraction of a month is dropped", "2026-10-23", "2026-11-23", 1.9, true},
		{"a fraction of a month is dropped: a day before", "2026-10-22", "2026-11-23", 1.9, false},
		{"0 months: asOf's own day", "2026-11-23", "2026-11-23", 0, true},
		{"0 months: the day before", "2026-11-22", "2026-11-23", 0, false},
		{"negative months: nothing", "2026-11-23", "2026-11-23", -1, false},
		{"NaN months: nothing", "2026-11-23", "2026-11-23", math.NaN(), false},
		{"a huge window: every date up to asOf", "0001-01-01", "2026-11-23", 1e300, true},
		{"a huge window: not after asOf", "2026-11-24", "2026-11-23", math.Inf(1), false},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			assert.Equal(t, tt.want, within(*date(tt.d), true, tt.months, *date(tt.asOf)))
		})
	}
	assert.False(t, within(time.Time{}, false, 36, *date("2026-11-23")), "an unset date")
	// A time of day does not move a date out of its day.
	late := date("2023-11-23").Add(23 * time.Hour)
	assert.True(t, within(late, true, 36, *date("2026-11-23")))
	early := date("2023-11-22").Add(23 * time.Hour)
	assert.False(t, within(early, true, 36, *date("2026-11-23")))
}

// TestYearsAndMonthsSince: whole calendar years and months, counted forward
// from the date; a year or month whose day does not exist is complete on
// the month's last day (DOMAIN.md §4: from 2020-02-29, 3 years are complete
// on 2023-02-28; 365 days that end before the anniversary are not a year).
func TestYearsAndMonthsSince(t *testing.T) {
	tests := []struct {
		why           string
		d, asOf       string
		years, months float64
	}{
		{"the anniversary completes the year", "2025-11-23", "2026-11-23", 1, 12},
		{"the day before the anniversary", "2025-11-24", "2026-11-23", 0, 11},
		{"the day after the anniversary", "2025-11-22", "2026-11-23", 1, 12},
		{"from 29 February, 3 years on 28 February", "2020-02-29", "2023-02-28", 3, 36},
		{"from 29 February, a day before 28 February", "2020-02-29", "2023-02-27", 2, 35},
		{"from 29 February, a day after 28 February", "2020-02-29", "2023-03-01", 3, 36},
		{"from 29 February, 1 year on 28 February", "2024-02-29", "2025-02-28", 1, 12},
		{"from 29 February, 365 days ending the day before", "2024-02-29", "2025-02-27", 0, 11},
		{"from 29 February, 4 years on the next 29 February", "2024-02-29", "2028-02-29", 4, 48},
		{"from 29 February, 3 years on 28 February of a leap year", "2024-02-29", "2028-02-28", 3, 47},
		{"from 28 February, a leap year's 28 February", "2023-02-28", "2024-02-28", 1, 12},
		{"from 28 February, not on the 27th", "2023-02-28", "2024-02-27", 0, 11},
		{"from 1 March across 29 February", "2023-03-01", "2024-02-29", 0, 11},
		{"from 1 March, on 1 March", "2023-03-01", "2024-03-01", 1, 12},
		{"from a 31st, a month on a shorter month's last day", "2024-01-31", "2024-02-29", 0, 1},
		{"from a 31st, the day before a shorter month's last day", "2024-01-31", "2024-02-28", 0, 0},
		{"from a 31st, a month on 30 April", "2026-03-31", "2026-04-30", 0, 1},
		{"from a 31st, not on 29 April", "2026-03-31", "2026-04-29", 0, 0},
		{"from a 30th, a month on 28 February", "2025-01-30", "2025-02-28", 0, 1},
		{"from a 30th, two months on 30 March", "2025-01-30", "2025-03-30", 0, 2},
		{"from a 30th, not on 29 March", "2025-01-30", "2025-03-29", 0, 1},
		{"the same day", "2026-11-23", "2026-11-23", 0, 0},
		{"a date after asOf is -1", "2026-11-24", "2026-11-23", -1, -1},
		{"from year 1", "0001-01-01", "2026-11-23", 2025, 2025*12 + 10},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			assert.Equal(t, tt.years, yearsSince(*date(tt.d), true, *date(tt.asOf)), "yearsSince")
			assert.Equal(t, tt.months, monthsSince(*date(tt.d), true, *date(tt.asOf)), "monthsSince")
		})
	}
	assert.Equal(t, -1.0, yearsSince(time.Time{}, false, *date("2026-11-23")), "an unset date")
	assert.Equal(t, -1.0, monthsSince(time.Time{}, false, *date("2026-11-23")), "an unset date")
}

// TestWithinFirstDay: a date is within n months exactly when it is
// on or after the window's first day, whatever the day numbers; checked
// for every pair of days over four years (leap year included) against a
// plain reading of the rule.
func TestWithinFirstDay(t *testing.T) {
	start := *date("2023-01-01")
	for a := 0; a < 4*366; a += 3 {
		asOf := start.AddDate(0, 0, a)
		for _, n := range []int{1, 12, 36} {
			// The first day: n months back, clamped to the month's end.
			y, m := asOf.Year(), asOf.Month()
			first := time.Date(y, m-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
			last := first.AddDate(0, 1, -1).Day()
			first = first.AddDate(0, 0, min(asOf.Day(), last)-1)
			for _, d := range []time.Time{first.AddDate(0, 0, -1), first, first.AddDate(0, 0, 1)} {
				want := !d.Before(first)
				if got := within(d, true, float64(n), asOf); got != want {
					t.Fatalf("within(%s, %d) on %s: %v, want %v", d.Format(time.DateOnly), n, asOf.Format(time.DateOnly), got, want)
				}
			}
		}
	}
}

// TestDaysInWithin holds daysIn to package time's calendar, and within,
// which compares calendar days without making them times, to the same
// comparison of times (dayOf, monthsBefore), in and out of UTC.
func TestDaysInWithin(t *testing.T) {
	for y := -1000; y <= 3000; y++ {
		for m := time.January; m <= time.December; m++ {
			if got, want := daysIn(y, m), time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day(); got != want {
				t.Fatalf("daysIn(%d, %s) = %d, want %d", y, m, got, want)
			}
		}
	}
	east := time.FixedZone("east", 13*3600)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		asOf := time.Date(1999+rng.IntN(30), time.Month(1+rng.IntN(12)), 1+rng.IntN(31), 0, 0, 0, 0, time.UTC)
		d := asOf.AddDate(0, 0, -rng.IntN(4000)).Add(time.Duration(rng.IntN(48)-24) * time.Hour)
		if rng.IntN(2) == 0 {
			d = d.In(east)
		}
		months := float64(rng.IntN(150))
		want := !d.After(asOf) && !dayOf(d).Before(monthsBefore(asOf, int(months)))
		if got := within(d, true, months, asOf); got != want {
			t.Fatalf("within(%s, %v, %s) = %v, want %v", d, months, asOf.Format(time.DateOnly), got, want)
		}
	}
}
