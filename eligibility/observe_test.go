package eligibility

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"

	"github.com/eligo-dev/eligo/rules"
)

// TestObserver: the observer hears of every Evaluate and every applicant
// of a batch, decided or not, with its id, level, decision and error.
func TestObserver(t *testing.T) {
	var mu sync.Mutex
	var events []Event
	set, err := actoDefault()
	if err != nil {
		t.Fatal(err)
	}
	e, err := newACTO(set.RuleSet(), WithObserver(func(_ context.Context, ev Event) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
	}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, asOf := oracleApplicantNoLater(oracleSeed, 1)
	d, err := e.Evaluate(ctx, a, AsOf(asOf))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Decision != d || events[0].Applicant != a.ID || events[0].Level != d.Level ||
		events[0].Err != nil || events[0].Batch || events[0].Duration <= 0 {
		t.Fatalf("after Evaluate: %+v", events)
	}
	invalid := cloneApplicant(a)
	invalid.Kind = "robot"
	_, err = e.Evaluate(ctx, invalid, AsOf(asOf))
	if ev := events[1]; len(events) != 2 || ev.Err != err || ev.Decision != nil || ev.Applicant != a.ID {
		t.Fatalf("after an invalid applicant: %+v", events[1:])
	}
	_, err = e.Evaluate(ctx, nil)
	if ev := events[2]; len(events) != 3 || ev.Err != err || ev.Applicant != "" {
		t.Fatalf("after a nil applicant: %+v", events[2:])
	}

	events = nil
	var pop []*Applicant
	for i := range 40 {
		a, _ := oracleApplicantNoLater(oracleSeed, i)
		pop = append(pop, a)
	}
	pop[7] = invalid
	results := e.EvaluateAll(ctx, pop, AsOf(asOf), Workers(3))
	for _, r := range e.Decisions(ctx, slices.Values(pop), AsOf(asOf), Workers(2)) {
		_ = r
	}
	if len(events) != 2*len(pop) {
		t.Fatalf("%d events for two batches of %d", len(events), len(pop))
	}
	byDecision := map[*Decision]bool{}
	failed := 0
	for _, ev := range events {
		if !ev.Batch {
			t.Fatalf("a batch's event without Batch: %+v", ev)
		}
		if ev.Err != nil {
			failed++
			var in *InputError
			if !errors.As(ev.Err, &in) || ev.Applicant != invalid.ID {
				t.Errorf("batch error event: %+v", ev)
			}
		}
		byDecision[ev.Decision] = true
	}
	if failed != 2 {
		t.Errorf("%d error events, want 2", failed)
	}
	for i, r := range results {
		if r.Decision != nil && !byDecision[r.Decision] {
			t.Errorf("EvaluateAll's decision %d was not observed", i)
		}
	}
}

// TestObserverCostsNoAllocation: an engine without an observer allocates
// no more per Evaluate than one with a no-op observer, which allocates
// nothing of its own.
func TestObserverCostsNoAllocation(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	plain := actoEngine(t)
	observed, err := newACTO(plain.RuleSet(), WithObserver(func(context.Context, Event) {}))
	if err != nil {
		t.Fatal(err)
	}
	a, asOf := oracleApplicantNoLater(oracleSeed, 2)
	ctx := context.Background()
	allocs := func(e *EngineOf[Applicant]) float64 {
		var d *Decision
		return testing.AllocsPerRun(200, func() {
			d, _ = e.Evaluate(ctx, a, AsOf(asOf), Reusing(d))
		})
	}
	p, o := allocs(plain), allocs(observed)
	if p != o {
		t.Errorf("allocations per Evaluate: %v without an observer, %v with", p, o)
	}
	t.Logf("allocations per Evaluate with Reusing: %v", p)
}

// BenchmarkEvaluateObserved is BenchmarkEvaluate with an observer that
// does nothing: the cost of the clock and the call. Compare with
// BenchmarkEvaluate, which has none.
func BenchmarkEvaluateObserved(b *testing.B) {
	plain, err := actoDefault()
	if err != nil {
		b.Fatal(err)
	}
	e, err := newACTO(plain.RuleSet(), WithObserver(func(context.Context, Event) {}))
	if err != nil {
		b.Fatal(err)
	}
	pop := benchPopulation(b)
	ctx := context.Background()
	cycle(b, len(pop), func(k int) error {
		_, err := e.Evaluate(ctx, pop[k], AsOf(benchDate))
		return err
	})
}

// TestErrorLevel: WithLogger warns of the caller's faults and reports the
// rules' as errors.
func TestErrorLevel(t *testing.T) {
	e := actoEngine(t)
	_, inputErr := e.Evaluate(context.Background(), nil)
	for _, c := range []struct {
		err  error
		want slog.Level
	}{
		{inputErr, slog.LevelWarn},
		{fmt.Errorf("x: %w", ErrEvaluationDate), slog.LevelWarn},
		{fmt.Errorf("x: %w", ErrNotInForce), slog.LevelWarn},
		{context.Canceled, slog.LevelWarn},
		{&rules.EvalError{}, slog.LevelError},
		{errors.New("anything else"), slog.LevelError},
	} {
		if got := errorLevel(c.err); got != c.want {
			t.Errorf("errorLevel(%v) = %v, want %v", c.err, got, c.want)
		}
	}
	if _, err := newACTO(e.RuleSet(), WithLogger(nil)); err == nil {
		t.Error("WithLogger(nil): no error")
	}
	if _, err := newACTO(e.RuleSet(), WithObserver(nil)); err == nil {
		t.Error("WithObserver(nil): no error")
	}
}
