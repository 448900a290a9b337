package rules

import (
	"errors"
	"runtime"
	"testing"
)

// A list that shares its parts, reduce(1..n, [#acc, #acc], 1), costs n
// steps and n small lists to build, and compiles (the static estimate is n
// steps), but flatten, toJSON and string would expand it to 2^n leaves:
// they are charged its elements at every depth before they run, counted
// only up to the memory budget, so the run fails with ErrLimit having
// made next to nothing (once it made the 2^n leaves first: gigabytes).
func TestSharedListExpansionBounded(t *testing.T) {
	for _, when := range []string{
		`len(flatten(reduce(1..20, [#acc, #acc], 1))) > 0`,
		`len(toJSON(reduce(1..20, [#acc, #acc], 1))) > 0`,
		`len(string(reduce(1..24, [#acc, #acc], 1))) > 0`,
		`len(flatten(reduce(1..62, [#acc, #acc], 1))) > 0`,
	} {
		t.Run(when, func(t *testing.T) {
			p, err := compileBudget(t, when)
			if err != nil {
				t.Fatalf("compile: %v", err) // it compiles: the worst case is estimated at ~20 steps
			}
			run, err := p.NewRun(cpdEntries(1, 1), *date("2024-06-01"))
			if err != nil {
				t.Fatal(err)
			}
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			_, err = run.Requirement(0)
			runtime.ReadMemStats(&m1)
			if !errors.Is(err, ErrLimit) {
				t.Errorf("error %v, want ErrLimit", err)
			}
			if alloc := (m1.TotalAlloc - m0.TotalAlloc) >> 20; alloc > 64 {
				t.Errorf("%d MB allocated before the budget stopped it", alloc)
			}
		})
	}
}
