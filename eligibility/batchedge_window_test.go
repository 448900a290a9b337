package eligibility

import (
	"context"
	"math"
	"runtime"
	"testing"
)

// TestBatchEdgeHugeWorkers: any Workers value decides every applicant
// (above MaxWorkers, MaxWorkers), and leaves no goroutine behind.
func TestBatchEdgeHugeWorkers(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(5)
	ctx := context.Background()
	before := runtime.NumGoroutine()
	// (Workers(1<<40) is worse: a fatal "out of memory" / address space
	// error that kills the process, so it is not run here.)
	for _, workers := range []int{math.MaxInt} {
		if res := e.EvaluateAll(ctx, pop, AsOf(testAsOf), Workers(workers)); len(res) != len(pop) {
			t.Errorf("EvaluateAll, Workers(%d): %d results", workers, len(res))
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("Decisions, Workers(%d), 5 applicants: panicked: %v", workers, p)
				}
			}()
			n := 0
			for range e.Decisions(ctx, func(yield func(*Applicant) bool) {
				for _, a := range pop {
					if !yield(a) {
						return
					}
				}
			}, AsOf(testAsOf), Workers(workers)) {
				n++
			}
			if n != len(pop) {
				t.Errorf("Decisions, Workers(%d): %d results", workers, n)
			}
		}()
	}
	if g := settleGoroutines(before); g > before {
		t.Errorf("%d goroutines left, %d before (the iter.Pull2 coroutine is never stopped)", g, before)
	}
}
