package eligibility

import (
	"context"
	"runtime"
	"slices"
	"testing"
	"time"
)

// TestBatchEdgeNested: a sequence that is itself a loop over
// Decisions (a pipeline), with workers on both sides, and a break.
func TestBatchEdgeNested(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(200)
	before := runtime.NumGoroutine()
	for _, brk := range []int{-1, 0, 50} {
		done := make(chan int)
		go func() {
			inner := func(yield func(*Applicant) bool) {
				for i, r := range e.Decisions(context.Background(), slices.Values(pop), AsOf(testAsOf), Workers(3)) {
					_ = r
					if !yield(pop[i]) {
						return
					}
				}
			}
			n := 0
			for i := range e.Decisions(context.Background(), inner, AsOf(testAsOf), Workers(2)) {
				if i != n {
					t.Errorf("yielded %d after %d", i, n)
				}
				n++
				if i == brk {
					break
				}
			}
			done <- n
		}()
		select {
		case n := <-done:
			if brk < 0 && n != len(pop) {
				t.Errorf("%d results", n)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("break %d: nested streams hang", brk)
		}
		if g := settleGoroutines(before); g > before {
			t.Fatalf("%d goroutines, %d before", g, before)
		}
	}
}
