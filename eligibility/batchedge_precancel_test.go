package eligibility

import (
	"context"
	"sync/atomic"
	"testing"
)

// TestBatchEdgePreCancelled: with ctx done before the loop starts, no
// applicant is read.
func TestBatchEdgePreCancelled(t *testing.T) {
	e := actoEngine(t)
	for _, workers := range []int{1, 2, 3, 8} {
		most := int64(0)
		for range 50 {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var read atomic.Int64
			n := 0
			for range e.Decisions(ctx, countedSeq(&read), AsOf(testAsOf), Workers(workers)) {
				n++
			}
			most = max(most, read.Load())
		}
		if most > 0 {
			t.Errorf("workers %d: ctx done before the loop, yet up to %d applicants were read", workers, most)
		}
	}
}

// TestBatchEdgeReadAfterCancel: once cancel() has returned mid-loop, no
// applicant is read but one whose read had begun.
func TestBatchEdgeReadAfterCancel(t *testing.T) {
	e := actoEngine(t)
	for _, workers := range []int{1, 2, 3, 8} {
		most := int64(0)
		for range 30 {
			ctx, cancel := context.WithCancel(context.Background())
			var read atomic.Int64
			var atCancel int64
			n := 0
			for range e.Decisions(ctx, countedSeq(&read), AsOf(testAsOf), Workers(workers)) {
				if n++; n == 20 {
					cancel()
					atCancel = read.Load()
				}
			}
			cancel()
			most = max(most, read.Load()-atCancel)
		}
		// With more than one worker, a read begun before cancel may end
		// after it: at most that one.
		if allowed := int64(min(workers-1, 1)); most > allowed {
			t.Errorf("workers %d: up to %d applicants read after cancel() returned, want at most %d", workers, most, allowed)
		}
	}
}
