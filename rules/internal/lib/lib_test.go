package lib

import (
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
