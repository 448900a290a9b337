package eligibility

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// TestBatchEdgeBreakAnywhere: breaking at any point, with any
// workers, returns, leaves no goroutines, runs the sequence's cleanup, and
// nothing reads the sequence after the loop returned.
func TestBatchEdgeBreakAnywhere(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(120)
	before := runtime.NumGoroutine()
	for _, workers := range []int{1, 2, 3, 4, 8, 0, -3} {
		for _, at := range []int{0, 1, 7, 8, 9, 23, 24, 25, 47, 48, 49, 100, 119} {
			var read, cleaned atomic.Int64
			seq := func(yield func(*Applicant) bool) {
				defer cleaned.Add(1)
				for _, a := range pop {
					read.Add(1)
					if !yield(a) {
						return
					}
				}
			}
			n := 0
			var readAtBreak int64
			done := make(chan struct{})
			go func() {
				defer close(done)
				for i, r := range e.Decisions(context.Background(), seq, AsOf(testAsOf), Workers(workers)) {
					if i != n {
						t.Errorf("workers %d: yielded %d after %d", workers, i, n)
					}
					if pop[i] != nil && r.Err == nil && r.Decision.Applicant != pop[i].ID {
						t.Errorf("workers %d: result %d is %q's", workers, i, r.Decision.Applicant)
					}
					n++
					if i == at {
						readAtBreak = read.Load()
						break
					}
				}
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatalf("workers %d, break at %d: the loop did not return", workers, at)
			}
			readAtReturn := read.Load()
			if cleaned.Load() != 1 {
				t.Errorf("workers %d, break at %d: the sequence's cleanup ran %d times", workers, at, cleaned.Load())
			}
			time.Sleep(time.Millisecond)
			if r := read.Load(); r != readAtReturn {
				t.Errorf("workers %d, break at %d: the sequence was read after the loop returned (%d, then %d)", workers, at, readAtReturn, r)
			}
			if readAtReturn > readAtBreak+1 {
				t.Logf("workers %d, break at %d: %d read at the break, %d at return", workers, at, readAtBreak, readAtReturn)
			}
			if g := settleGoroutines(before); g > before {
				t.Fatalf("workers %d, break at %d: %d goroutines, %d before", workers, at, g, before)
			}
		}
	}
}

// TestBatchEdgeBodyPanics: a panic in the loop body comes out of the
// loop with its value, the goroutines stop, and the sequence is stopped.
func TestBatchEdgeBodyPanics(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(100)
	before := runtime.NumGoroutine()
	sentinel := errors.New("body")
	for _, workers := range []int{1, 2, 4} {
		for _, at := range []int{0, 5, 40} {
			var cleaned atomic.Int64
			seq := func(yield func(*Applicant) bool) {
				defer cleaned.Add(1)
				for _, a := range pop {
					if !yield(a) {
						return
					}
				}
			}
			func() {
				defer func() {
					if p := recover(); p != sentinel {
						t.Errorf("workers %d: recovered %v, want the body's panic", workers, p)
					}
				}()
				for i := range e.Decisions(context.Background(), seq, AsOf(testAsOf), Workers(workers)) {
					if i == at {
						panic(sentinel)
					}
				}
			}()
			if cleaned.Load() != 1 {
				t.Errorf("workers %d, panic at %d: the sequence's cleanup ran %d times", workers, at, cleaned.Load())
			}
			if g := settleGoroutines(before); g > before {
				t.Fatalf("workers %d, panic at %d: %d goroutines, %d before", workers, at, g, before)
			}
		}
	}
}

// TestBatchEdgeSequencePanicsAnywhere: a sequence that panics at any
// place, with any workers: the loop panics with the very value, after
// yielding only applicants read, in order, and the goroutines stop.
func TestBatchEdgeSequencePanicsAnywhere(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(100)
	before := runtime.NumGoroutine()
	for _, workers := range []int{1, 2, 3, 8} {
		for _, at := range []int{0, 1, 8, 24, 50, 99} {
			val := fmt.Errorf("seq panics at %d", at)
			seq := func(yield func(*Applicant) bool) {
				for i, a := range pop {
					if i == at {
						panic(val)
					}
					if !yield(a) {
						return
					}
				}
			}
			n := 0
			var got any
			func() {
				defer func() { got = recover() }()
				for i := range e.Decisions(context.Background(), seq, AsOf(testAsOf), Workers(workers)) {
					if i != n {
						t.Errorf("workers %d: yielded %d after %d", workers, i, n)
					}
					n++
				}
			}()
			if got != val {
				t.Errorf("workers %d, panic at %d: recovered %v, want the sequence's value", workers, at, got)
			}
			if n > at {
				t.Errorf("workers %d, panic at %d: %d results", workers, at, n)
			}
			if g := settleGoroutines(before); g > before {
				t.Fatalf("workers %d, panic at %d: %d goroutines, %d before", workers, at, g, before)
			}
		}
	}
}

// TestBatchEdgeEmptyAndNil: empty inputs, nil applicants, odd workers.
func TestBatchEdgeEmptyAndNil(t *testing.T) {
	e := actoEngine(t)
	ctx := context.Background()
	for _, workers := range []int{-5, 0, 1, 2, 64} {
		if res := e.EvaluateAll(ctx, nil, Workers(workers)); len(res) != 0 {
			t.Errorf("EvaluateAll(nil): %d results", len(res))
		}
		for range e.Decisions(ctx, slices.Values([]*Applicant(nil)), Workers(workers)) {
			t.Errorf("Decisions of nothing yielded")
		}
		nils := []*Applicant{nil, nil, nil}
		for i, r := range e.EvaluateAll(ctx, nils, AsOf(testAsOf), Workers(workers)) {
			var in *InputError
			if r.Decision != nil || !errors.As(r.Err, &in) {
				t.Errorf("workers %d: nil applicant %d: %v %v", workers, i, r.Decision, r.Err)
			}
		}
		n := 0
		for i, r := range e.Decisions(ctx, slices.Values(nils), AsOf(testAsOf), Workers(workers)) {
			var in *InputError
			if i != n || r.Decision != nil || !errors.As(r.Err, &in) {
				t.Errorf("workers %d: nil applicant %d: %v %v", workers, i, r.Decision, r.Err)
			}
			n++
		}
		if n != 3 {
			t.Errorf("workers %d: %d results for 3 nil applicants", workers, n)
		}
	}
	_ = rand.New
}
