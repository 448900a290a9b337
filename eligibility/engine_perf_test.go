package eligibility

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// The engine reuses memory between evaluations (runs, views, scratch) and
// takes shortcuts (a requirement the views cannot tell apart is evaluated
// once). These tests check that neither shows in any decision.

func decideJSON(t *testing.T, e *EngineOf[Applicant], pop []*Applicant) ([]*Decision, [][]byte) {
	t.Helper()
	var ds []*Decision
	var js [][]byte
	for _, a := range pop {
		d, err := e.Evaluate(context.Background(), a, AsOf(testAsOf))
		if err != nil {
			t.Fatal(err)
		}
		j, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		ds, js = append(ds, d), append(js, j)
	}
	return ds, js
}

// TestDecisionsOutliveReuse: a decision is the caller's; evaluating other
// applicants afterwards, on the same reused memory, changes nothing in it.
func TestDecisionsOutliveReuse(t *testing.T) {
	e := actoEngine(t)
	r := rand.New(rand.NewPCG(8, 8))
	var pop []*Applicant
	for range 300 {
		pop = append(pop, genApplicantNoLater(r, testAsOf))
	}
	ds, before := decideJSON(t, e, pop)
	slicesReversed := make([]*Applicant, len(pop))
	for i, a := range pop {
		slicesReversed[len(pop)-1-i] = a
	}
	decideJSON(t, e, slicesReversed)
	for i, d := range ds {
		after, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if string(after) != string(before[i]) {
			t.Fatalf("decision %d changed after later evaluations:\nbefore %s\nafter  %s", i, before[i], after)
		}
	}
}

// TestOneViewShortcut: evaluating a requirement once when the verified and
// the full view agree on everything it reads gives the decisions that
// evaluating both views gives.
func TestOneViewShortcut(t *testing.T) {
	fast := actoEngine(t)
	both := actoEngine(t)
	both.bothViews = true
	r := rand.New(rand.NewPCG(9, 9))
	var pop []*Applicant
	for range 1000 {
		pop = append(pop, genApplicantNoLater(r, testAsOf))
	}
	_, got := decideJSON(t, fast, pop)
	_, want := decideJSON(t, both, pop)
	for i := range got {
		if string(got[i]) != string(want[i]) {
			t.Fatalf("applicant %d:\none view  %s\nboth      %s", i, got[i], want[i])
		}
	}
}

// TestEvaluateAllocations: once the engine has warmed up, the evaluation
// path allocates a fixed number of times per applicant, whatever the
// applicant: the decision's memory (one allocation: see alloc.go), a new
// slab for each area a decision outgrows, and the run's few (README,
// Performance). No allocation per value, clause or entry; the issue's
// bound is 10.
func TestEvaluateAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	e := actoEngine(t)
	r := rand.New(rand.NewPCG(10, 10))
	var pop []*Applicant
	for range 200 {
		pop = append(pop, genApplicantNoLater(r, testAsOf))
	}
	ctx := context.Background()
	for _, a := range pop {
		if _, err := e.Evaluate(ctx, a, AsOf(testAsOf)); err != nil {
			t.Fatal(err)
		}
	}
	i := 0
	allocs := testing.AllocsPerRun(len(pop), func() {
		if _, err := e.Evaluate(ctx, pop[i%len(pop)], AsOf(testAsOf)); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if allocs > 10 {
		t.Errorf("%.1f allocations per applicant, want at most 10", allocs)
	}
}

// TestReusing: a decision made for Reusing is rebuilt in place, equal to a
// fresh one; any other decision is left alone; decisions carry no hidden
// state (two alike are equal as values).
func TestReusing(t *testing.T) {
	e := actoEngine(t)
	other := actoEngine(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(13, 13))
	var d *Decision
	moved := 0
	for i := range 400 {
		a := genApplicantNoLater(r, testAsOf)
		fresh, err := e.Evaluate(ctx, a, AsOf(testAsOf))
		if err != nil {
			t.Fatal(err)
		}
		prev := d
		if d, err = e.Evaluate(ctx, a, AsOf(testAsOf), Reusing(d)); err != nil {
			t.Fatal(err)
		}
		if prev != nil && d != prev {
			// Only while the engine still learns how big decisions are.
			if moved++; moved > 8 || i > 200 {
				t.Fatalf("decision %d made in new memory (%d times)", i, moved)
			}
		}
		if !d.Equal(fresh) {
			t.Fatalf("decision %d: reused differs from fresh:\n%s\n%s", i, outcomeOf(t, d, nil), outcomeOf(t, fresh, nil))
		}
	}
	// Decisions not made for Reusing are never overwritten.
	a := genApplicantNoLater(r, testAsOf)
	fresh, err := e.Evaluate(ctx, a, AsOf(testAsOf))
	if err != nil {
		t.Fatal(err)
	}
	before := outcomeOf(t, fresh, nil)
	lit := &Decision{Applicant: "mine"}
	for _, old := range []*Decision{fresh, lit} {
		got, err := e.Evaluate(ctx, genApplicantNoLater(r, testAsOf), AsOf(testAsOf), Reusing(old))
		if err != nil {
			t.Fatal(err)
		}
		if got == old {
			t.Error("a decision not made for Reusing was reused")
		}
	}
	if outcomeOf(t, fresh, nil) != before || lit.Applicant != "mine" {
		t.Error("Reusing overwrote a decision not made for it")
	}
	// A copy of a reusable decision's value, or one read back from its
	// JSON, is not the decision's memory.
	reusable, err := e.Evaluate(ctx, a, AsOf(testAsOf), Reusing(nil))
	if err != nil {
		t.Fatal(err)
	}
	copied := new(Decision)
	*copied = *reusable
	read := new(Decision)
	if err := json.Unmarshal(marshal(t, reusable), read); err != nil {
		t.Fatal(err)
	}
	for _, old := range []*Decision{copied, read} {
		if got, err := e.Evaluate(ctx, genApplicantNoLater(r, testAsOf), AsOf(testAsOf), Reusing(old)); err != nil || got == old {
			t.Errorf("a copy of a reusable decision was reused (%v)", err)
		}
	}
	if got, err := e.Evaluate(ctx, a, AsOf(testAsOf), Reusing(reusable)); err != nil || got != reusable {
		t.Errorf("a reusable decision was not reused (%v)", err)
	}
	// Another engine's decision is not this engine's memory.
	theirs, err := other.Evaluate(ctx, a, AsOf(testAsOf), Reusing(nil))
	if err != nil {
		t.Fatal(err)
	}
	mine, err := e.Evaluate(ctx, a, AsOf(testAsOf), Reusing(theirs))
	if err != nil {
		t.Fatal(err)
	}
	if mine == theirs {
		t.Error("a decision of another engine was reused")
	}
}
