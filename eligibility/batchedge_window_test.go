package eligibility

import (
	"context"
	"math"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestBatchEdgeWindowAnyWorkers: at most 24 applicants per worker
// read ahead of the loop, for any number of workers.
func TestBatchEdgeWindowAnyWorkers(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(400)
	for _, workers := range []int{1, 2, 4, 5, 8, 0} {
		w := workers
		if w < 1 {
			w = runtime.GOMAXPROCS(0)
		}
		var read atomic.Int64
		counted := func(yield func(*Applicant) bool) {
			for _, a := range pop {
				read.Add(1)
				if !yield(a) {
					return
				}
			}
		}
		window := int64(24 * w)
		n, most := 0, int64(0)
		for i := range e.Decisions(context.Background(), counted, AsOf(testAsOf), Workers(workers)) {
			if i != n {
				t.Fatalf("yielded %d after %d", i, n)
			}
			if i%13 == 0 {
				time.Sleep(time.Millisecond)
			}
			// the one being yielded is in flight: read - n counts it
			ahead := read.Load() - int64(n)
			most = max(most, ahead)
			if ahead > window {
				t.Fatalf("workers %d: %d read ahead, want at most %d", workers, ahead, window)
			}
			n++
		}
		if n != len(pop) {
			t.Fatalf("workers %d: %d results", workers, n)
		}
		t.Logf("workers %d: at most %d ahead (window %d)", workers, most, window)
	}
}

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
