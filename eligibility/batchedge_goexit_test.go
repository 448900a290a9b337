package eligibility

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// TestDecisionsSequenceGoexits: a sequence that calls runtime.Goexit (as
// t.FailNow, t.Fatal, t.SkipNow do) at applicant 30 never lets the loop
// end as if the sequence had: with Workers(1) the Goexit reaches the
// caller's goroutine, which ends; with more, the goroutine reading ends
// and the loop panics with errSequenceExited.
func TestDecisionsSequenceGoexits(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(100)
	for _, workers := range []int{1, 2, 4} {
		seq := func(yield func(*Applicant) bool) {
			for i, a := range pop {
				if i == 30 {
					runtime.Goexit()
				}
				if !yield(a) {
					return
				}
			}
		}
		n := 0
		returned := false
		var panicked any
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer func() { panicked = recover() }()
			for range e.Decisions(context.Background(), seq, AsOf(testAsOf), Workers(workers)) {
				n++
			}
			returned = true
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("workers %d: the loop hangs", workers)
		}
		if returned {
			t.Errorf("workers %d: the sequence called Goexit at applicant 30, yet the loop returned normally after %d results", workers, n)
		}
		if workers > 1 && panicked != errSequenceExited {
			t.Errorf("workers %d: the loop panicked with %v, want %v", workers, panicked, errSequenceExited)
		}
	}
}

// TestBatchEdgeBodyGoexits: a loop body that calls runtime.Goexit (as
// t.FailNow does): the goroutines stop and the sequence is stopped.
func TestBatchEdgeBodyGoexits(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(100)
	before := runtime.NumGoroutine()
	for _, workers := range []int{1, 2, 4} {
		cleaned := make(chan struct{}, 1)
		seq := func(yield func(*Applicant) bool) {
			defer func() { cleaned <- struct{}{} }()
			for _, a := range pop {
				if !yield(a) {
					return
				}
			}
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := range e.Decisions(context.Background(), seq, AsOf(testAsOf), Workers(workers)) {
				if i == 5 {
					runtime.Goexit()
				}
			}
		}()
		<-done
		select {
		case <-cleaned:
		case <-time.After(5 * time.Second):
			t.Errorf("workers %d: the sequence was not stopped", workers)
		}
		if g := settleGoroutines(before); g > before {
			t.Fatalf("workers %d: %d goroutines, %d before", workers, g, before)
		}
	}
}
