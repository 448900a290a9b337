package eligibility

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// batchPopulation is a batch with the failures a batch meets: invalid
// applicants and a nil one among valid ones.
func batchPopulation(n int) []*Applicant {
	r := rand.New(rand.NewPCG(11, 11))
	pop := make([]*Applicant, n)
	for i := range pop {
		pop[i] = genApplicantNoLater(r, testAsOf)
		switch i % 17 {
		case 3:
			pop[i].CPD = append(pop[i].CPD, CPD{Hours: -1}) // invalid
		case 7:
			pop[i] = nil
		}
	}
	return pop
}

// outcomeOf is a result as text: the decision's JSON, or the error.
func outcomeOf(t *testing.T, d *Decision, err error) string {
	t.Helper()
	if err != nil {
		return "error: " + err.Error()
	}
	j, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(j)
}

// TestEvaluateAll: the batch gives, in input order, exactly what Evaluate
// gives one applicant at a time, errors included, whatever the workers.
func TestEvaluateAll(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(300)
	ctx := context.Background()
	want := make([]string, len(pop))
	for i, a := range pop {
		d, err := e.Evaluate(ctx, a, AsOf(testAsOf))
		want[i] = outcomeOf(t, d, err)
	}
	for _, workers := range []int{0, 1, 2, 7} {
		results := e.EvaluateAll(ctx, pop, AsOf(testAsOf), Workers(workers))
		if len(results) != len(pop) {
			t.Fatalf("workers %d: %d results for %d applicants", workers, len(results), len(pop))
		}
		for i, r := range results {
			if got := outcomeOf(t, r.Decision, r.Err); got != want[i] {
				t.Fatalf("workers %d, applicant %d:\ngot  %.300s\nwant %.300s", workers, i, got, want[i])
			}
		}
		var streamed []string
		for i, r := range e.Decisions(ctx, slices.Values(pop), AsOf(testAsOf), Workers(workers)) {
			if i != len(streamed) {
				t.Fatalf("workers %d: Decisions yielded %d after %d results", workers, i, len(streamed))
			}
			streamed = append(streamed, outcomeOf(t, r.Decision, r.Err))
		}
		if !slices.Equal(streamed, want) {
			t.Errorf("workers %d: Decisions differs from Evaluate", workers)
		}
	}
}

// TestEvaluateAllDate: without AsOf, a batch decides on today's date.
func TestEvaluateAllDate(t *testing.T) {
	e := actoEngine(t)
	a := decode(t, professionalDoc)
	res := e.EvaluateAll(context.Background(), []*Applicant{a, a})
	for _, r := range res {
		if r.Err != nil || !r.Decision.AsOf.Equal(dateOf(time.Now().UTC())) {
			t.Fatalf("%v, %v; want a decision as of today", r.Decision.AsOf, r.Err)
		}
	}
}

// TestEvaluateAllCancel: a cancelled batch still answers every applicant,
// each with a decision or the context's error.
func TestEvaluateAllCancel(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(2000)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for i, r := range e.EvaluateAll(ctx, pop, AsOf(testAsOf), Workers(2)) {
		if pop[i] != nil && !errors.Is(r.Err, context.Canceled) {
			t.Fatalf("after cancel: %v, want context.Canceled", r.Err)
		}
	}
	ctx, cancel = context.WithCancel(context.Background())
	go func() {
		time.Sleep(2 * time.Millisecond)
		cancel()
	}()
	decided, cancelled := 0, 0
	for i, r := range e.EvaluateAll(ctx, pop, AsOf(testAsOf), Workers(2)) {
		switch {
		case errors.Is(r.Err, context.Canceled):
			cancelled++
		case r.Decision != nil || pop[i] == nil || r.Err != nil:
			decided++
		}
	}
	if decided+cancelled != len(pop) {
		t.Errorf("%d decided and %d cancelled of %d", decided, cancelled, len(pop))
	}
}

// TestDecisionsStops: a loop that breaks, or a context cancelled mid-way,
// stops the stream, and its goroutines exit.
func TestDecisionsStops(t *testing.T) {
	e := actoEngine(t)
	before := runtime.NumGoroutine()
	endless := func(yield func(*Applicant) bool) {
		r := rand.New(rand.NewPCG(12, 12))
		for yield(genApplicantNoLater(r, testAsOf)) {
		}
	}
	n := 0
	for range e.Decisions(context.Background(), iter.Seq[*Applicant](endless), AsOf(testAsOf), Workers(3)) {
		if n++; n == 50 {
			break
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var read atomic.Int64 // applicants the stream took from the sequence
	counted := func(yield func(*Applicant) bool) {
		for a := range endless {
			read.Add(1)
			if !yield(a) {
				return
			}
		}
	}
	n = 0
	for i, r := range e.Decisions(ctx, counted, AsOf(testAsOf), Workers(3)) {
		if i != n {
			t.Fatalf("yielded %d after %d", i, n)
		}
		n++
		if n == 100 {
			cancel()
		}
		if n > 100 && r.Err == nil && r.Decision == nil {
			t.Fatal("a result with neither decision nor error")
		}
	}
	if n < 100 {
		t.Fatalf("stream stopped after %d", n)
	}
	// Every applicant read is yielded: the stream takes room for one
	// before it reads it, and reads none once ctx is done.
	if r := read.Load(); r > int64(n) {
		t.Errorf("read %d applicants, yielded %d", r, n)
	}
	noGoroutinesLeft(t, before)
}

// TestDecisionsWindow: however slowly the loop takes the results, the
// stream holds at most 24 applicants per worker read and not yet yielded
// (it takes room for an applicant before it reads it), and yields them
// all, in order.
func TestDecisionsWindow(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(400)
	for _, workers := range []int{1, 2, 3, 4, 5, 8, 0} {
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
		window := int64(3 * batchChunk * w) // 24 per worker
		n, most := 0, int64(0)
		for i, r := range e.Decisions(context.Background(), counted, AsOf(testAsOf), Workers(workers)) {
			if i != n {
				t.Fatalf("workers %d: yielded %d after %d", workers, i, n)
			}
			if pop[i] != nil && r.Err == nil && r.Decision.Applicant != pop[i].ID {
				t.Fatalf("workers %d: result %d is %q's, want %q's", workers, i, r.Decision.Applicant, pop[i].ID)
			}
			if i%40 == 0 {
				time.Sleep(2 * time.Millisecond) // the workers fill the window meanwhile
			}
			ahead := read.Load() - int64(n)
			most = max(most, ahead)
			if ahead > window {
				t.Fatalf("workers %d: %d applicants read ahead of the loop, want at most %d", workers, ahead, window)
			}
			n++
		}
		if n != len(pop) {
			t.Fatalf("workers %d: %d results for %d applicants", workers, n, len(pop))
		}
		if w > 1 && most < window/2 { // one worker reads as it decides
			t.Errorf("workers %d: at most %d read ahead: the window is not used", workers, most)
		}
	}
}

// TestDecisionsSequencePanics: a sequence that panics makes the loop over
// Decisions panic with its value, on the caller's goroutine, once the
// workers have stopped.
func TestDecisionsSequencePanics(t *testing.T) {
	e := actoEngine(t)
	before := runtime.NumGoroutine()
	pop := batchPopulation(100)
	failing := func(yield func(*Applicant) bool) {
		for i, a := range pop {
			if i == 37 {
				panic("no more applicants")
			}
			if !yield(a) {
				return
			}
		}
	}
	n := 0
	func() {
		defer func() {
			if p := recover(); p != "no more applicants" {
				t.Errorf("recovered %v, want the sequence's panic", p)
			}
		}()
		for range e.Decisions(context.Background(), failing, AsOf(testAsOf), Workers(2)) {
			n++
		}
	}()
	if n > 37 {
		t.Errorf("%d results of 37 applicants read", n)
	}
	noGoroutinesLeft(t, before)
}

// TestDecisionsProgress: with a loop that now and then takes its time, and
// the window full, the stream goes on to the end, whatever the workers:
// what has been read is always on its way to the loop, never held back
// while its reader waits for room only the loop can give.
func TestDecisionsProgress(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(400)
	for round := range 40 {
		workers := 2 + round%3
		finished := make(chan int, 1)
		go func() {
			n := 0
			for i := range e.Decisions(context.Background(), slices.Values(pop), AsOf(testAsOf), Workers(workers)) {
				if i%(7+round) == 0 {
					time.Sleep(100 * time.Microsecond)
				}
				n++
			}
			finished <- n
		}()
		select {
		case n := <-finished:
			if n != len(pop) {
				t.Fatalf("round %d, workers %d: %d results for %d applicants", round, workers, n, len(pop))
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("round %d, workers %d: the stream made no progress for 30s", round, workers)
		}
	}
}

// noGoroutinesLeft fails t when the goroutines do not come back down to
// before, their number before the streams ran (settleGoroutines).
func noGoroutinesLeft(t *testing.T, before int) {
	t.Helper()
	if g := settleGoroutines(before); g > before {
		t.Errorf("%d goroutines after the streams, %d before", g, before)
	}
}

// settleGoroutines waits for the goroutines to come down to before.
func settleGoroutines(before int) int {
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	return runtime.NumGoroutine()
}
