package eligibility

import (
	"context"
	"errors"
	"iter"
	"math/rand/v2"
	"sync/atomic"
	"testing"
)

// countedSeq is an endless sequence of generated applicants that counts
// how many were read.
func countedSeq(read *atomic.Int64) iter.Seq[*Applicant] {
	return func(yield func(*Applicant) bool) {
		r := rand.New(rand.NewPCG(12, 12))
		for {
			a := genApplicantNoLater(r, testAsOf)
			read.Add(1)
			if !yield(a) {
				return
			}
		}
	}
}

// TestBatchEdgeCancelReadNotYielded: when ctx is done, Decisions stops
// reading applicants, and those already read are still yielded, with
// ctx's error when they were not decided: with Workers(1) too.
func TestBatchEdgeCancelReadNotYielded(t *testing.T) {
	e := actoEngine(t)
	for _, workers := range []int{1, 2, 3} {
		// Cancelled mid-loop.
		ctx, cancel := context.WithCancel(context.Background())
		var read atomic.Int64
		n := 0
		for i, r := range e.Decisions(ctx, countedSeq(&read), AsOf(testAsOf), Workers(workers)) {
			if i != n {
				t.Fatalf("workers %d: yielded %d after %d", workers, i, n)
			}
			n++
			if n == 10 {
				cancel()
			}
			if n > 10 && !errors.Is(r.Err, context.Canceled) && r.Decision == nil {
				t.Fatalf("workers %d: result %d: %v", workers, i, r.Err)
			}
		}
		cancel()
		if got := read.Load(); got != int64(n) {
			t.Errorf("workers %d, cancelled mid-loop: read %d applicants, yielded %d: an applicant read was not yielded", workers, got, n)
		}
		// Cancelled before the loop.
		ctx, cancel = context.WithCancel(context.Background())
		cancel()
		read.Store(0)
		n = 0
		for _, r := range e.Decisions(ctx, countedSeq(&read), AsOf(testAsOf), Workers(workers)) {
			n++
			if !errors.Is(r.Err, context.Canceled) {
				t.Errorf("workers %d: cancelled before: %v, want context.Canceled", workers, r.Err)
			}
		}
		if got := read.Load(); got != int64(n) {
			t.Errorf("workers %d, cancelled before: read %d applicants, yielded %d", workers, got, n)
		}
	}
}

// TestBatchEdgeCancelKeyed: the same through KeyedDecisions.
func TestBatchEdgeCancelKeyed(t *testing.T) {
	e := actoEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var read []string
	seq := func(yield func(string, *Applicant) bool) {
		for _, k := range []string{"a.yaml", "b.yaml", "c.yaml"} {
			read = append(read, k)
			if !yield(k, goodApplicant(t)) {
				return
			}
		}
	}
	var keys []string
	for k := range KeyedDecisions(ctx, e, seq, AsOf(testAsOf), Workers(1)) {
		keys = append(keys, k)
	}
	if len(read) != len(keys) {
		t.Errorf("Workers(1), ctx done: read keys %q, yielded %q", read, keys)
	}
}
