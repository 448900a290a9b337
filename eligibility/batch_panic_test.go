package eligibility

import (
	"context"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules"
)

// observerPanic is what the observer of TestBatchObserverPanics panics
// with.
type observerPanic struct{ applicant string }

// TestBatchObserverPanics: an observer that panics on every applicant
// after the 30th (a panic on worker goroutines and on the caller's, in any
// order) makes EvaluateAll and the loop over Decisions panic with its
// value on the caller's goroutine, where it is recovered, for 1 to 4
// workers; the loop yields nothing after it; no goroutine is left behind.
func TestBatchObserverPanics(t *testing.T) {
	set := actoEngine(t).RuleSet()
	var seen atomic.Int64
	e, err := newACTO(set, WithObserver(func(_ context.Context, ev Event) {
		if seen.Add(1) > 30 {
			panic(observerPanic{ev.Applicant})
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	pop := batchPopulation(200)
	before := runtime.NumGoroutine()
	for _, workers := range []int{1, 2, 4} {
		seen.Store(0)
		p, returned := recovered(t, func() {
			e.EvaluateAll(context.Background(), pop, AsOf(testAsOf), Workers(workers))
		})
		if returned {
			t.Errorf("EvaluateAll, workers %d: returned though the observer panicked", workers)
		} else if _, ok := p.(observerPanic); !ok {
			t.Errorf("EvaluateAll, workers %d: panicked with %v (%T), want the observer's value", workers, p, p)
		}

		seen.Store(0)
		yielded := 0
		p, returned = recovered(t, func() {
			for range e.Decisions(context.Background(), slices.Values(pop), AsOf(testAsOf), Workers(workers)) {
				yielded++
			}
		})
		if returned {
			t.Errorf("Decisions, workers %d: the loop ended though the observer panicked (%d yielded)", workers, yielded)
		} else if _, ok := p.(observerPanic); !ok {
			t.Errorf("Decisions, workers %d: panicked with %v (%T), want the observer's value", workers, p, p)
		}
		if yielded > 30 {
			t.Errorf("Decisions, workers %d: %d results yielded, the observer panicked from the 31st", workers, yielded)
		}
	}
	noGoroutinesLeft(t, before)
}

// TestBatchObserverGoexits: an observer that calls runtime.Goexit (as
// t.Fatal does) on every applicant after the 30th never lets EvaluateAll
// return, nor the loop over Decisions end, as if all were decided: on a
// worker goroutine of the batch's own, they panic with errWorkerExited; on
// the caller's, the caller's goroutine ends.
func TestBatchObserverGoexits(t *testing.T) {
	set := actoEngine(t).RuleSet()
	var seen atomic.Int64
	e, err := newACTO(set, WithObserver(func(context.Context, Event) {
		if seen.Add(1) > 30 {
			runtime.Goexit()
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	pop := batchPopulation(200)
	for _, workers := range []int{1, 2, 4} {
		for name, run := range map[string]func(){
			"EvaluateAll": func() { e.EvaluateAll(context.Background(), pop, AsOf(testAsOf), Workers(workers)) },
			"Decisions": func() {
				for range e.Decisions(context.Background(), slices.Values(pop), AsOf(testAsOf), Workers(workers)) {
				}
			},
		} {
			seen.Store(0)
			p, returned := recovered(t, run)
			if returned {
				t.Errorf("%s, workers %d: returned though the observer called Goexit", name, workers)
			}
			if p != nil && p != errWorkerExited {
				t.Errorf("%s, workers %d: panicked with %v, want errWorkerExited or the caller's goroutine ended", name, workers, p)
			}
		}
	}
}

// panicValidator is an applicant type whose Validate panics for the
// applicant with ID "boom".
type panicValidator struct {
	ID    string `json:"id" eligo:"id"`
	Hours int    `json:"hours" expr:"hours"`
}

func (a panicValidator) Validate(time.Time) error {
	if a.ID == "boom" {
		panic("Validate: boom")
	}
	return nil
}

// TestBatchValidatorPanics: an applicant type's Validate method that
// panics on one applicant of a batch makes EvaluateAll panic with its
// value on the caller's goroutine, whichever worker decided it.
func TestBatchValidatorPanics(t *testing.T) {
	set, err := rules.Parse("v.yaml", []byte(`
ruleset: v
version: "1"
requirements:
  hours: {title: Hours, source: test, when: hours >= 1}
levels:
  - {id: member, title: Member, requires: [hours]}
`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewFor[panicValidator](set)
	if err != nil {
		t.Fatal(err)
	}
	var as []*panicValidator
	for i := range 100 {
		id := "a"
		if i == 57 {
			id = "boom"
		}
		as = append(as, &panicValidator{ID: id, Hours: i})
	}
	for _, workers := range []int{1, 2, 4} {
		p, returned := recovered(t, func() {
			e.EvaluateAll(context.Background(), as, AsOf(testAsOf), Workers(workers))
		})
		if returned || p != "Validate: boom" {
			t.Errorf("workers %d: returned %v, panicked with %v; want a panic with Validate's value", workers, returned, p)
		}
	}
}

// recovered runs f on a goroutine of its own and reports what it panicked
// with and whether it returned; neither, when it called runtime.Goexit.
func recovered(t *testing.T, f func()) (p any, returned bool) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { p = recover() }()
		f()
		returned = true
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("hangs")
	}
	return p, returned
}
