package eligibility

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBatchEdgeDecisionsKept: every decision a batch returns is the
// caller's: its JSON at receipt is its JSON after more batches and more
// evaluations (with Reusing too) on the same engine.
func TestBatchEdgeDecisionsKept(t *testing.T) {
	e := actoEngine(t)
	ctx := context.Background()
	pop := batchPopulation(150)
	type kept struct {
		d *Decision
		j []byte
	}
	var ks []kept
	keep := func(d *Decision) {
		if d == nil {
			return
		}
		j, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		ks = append(ks, kept{d, j})
	}
	// Half are explained at receipt, half not (explained lazily later).
	for _, r := range e.EvaluateAll(ctx, pop, AsOf(testAsOf), Workers(3)) {
		keep(r.Decision)
	}
	for _, r := range e.Decisions(ctx, slices.Values(pop), AsOf(testAsOf), Workers(4)) {
		if r.Decision != nil && len(ks)%2 == 0 {
			_ = r.Decision.Requirements()
		}
		keep(r.Decision)
	}
	for _, r := range KeyedDecisions(ctx, e, keyedPopulation(pop), AsOf(testAsOf.AddDate(0, 0, 30)), Workers(2)) {
		keep(r.Decision)
	}
	// More work on the same engine.
	rr := rand.New(rand.NewPCG(3, 4))
	other := make([]*Applicant, 200)
	for i := range other {
		other[i] = genApplicantNoLater(rr, testAsOf)
	}
	for range e.Decisions(ctx, slices.Values(other), AsOf(testAsOf), Workers(3)) {
	}
	_ = e.EvaluateAll(ctx, other, AsOf(testAsOf.AddDate(0, 1, 0)), Workers(2))
	var d *Decision
	for _, a := range other {
		var err error
		if d, err = e.Evaluate(ctx, a, AsOf(testAsOf), Reusing(d)); err != nil {
			t.Fatal(err)
		}
		_ = d.Text()
	}
	for i, k := range ks {
		j, err := json.Marshal(k.d)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(j, k.j) {
			t.Fatalf("kept decision %d changed:\nbefore %.400s\nafter  %.400s", i, k.j, j)
		}
	}
}

// TestBatchEdgeReusingHeld: reusing a decision never touches the
// other decisions the caller holds: reusable ones not handed back, fresh
// ones, batch ones; and misuse (a copy, JSON, a zero Decision, another
// engine's) is left alone.
func TestBatchEdgeReusingHeld(t *testing.T) {
	e := actoEngine(t)
	other := actoEngine(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(21, 22))
	gen := func() *Applicant { return genApplicantNoLater(r, testAsOf) }
	type held struct {
		d *Decision
		j []byte
	}
	var hs []held
	hold := func(d *Decision) {
		hs = append(hs, held{d, marshal(t, d)})
	}
	// Three reusable decisions in rotation, plus ones held.
	ring := make([]*Decision, 3)
	for i := range ring {
		d, err := e.Evaluate(ctx, gen(), AsOf(testAsOf), Reusing(nil))
		if err != nil {
			t.Fatal(err)
		}
		ring[i] = d
	}
	for range 5 {
		d, err := e.Evaluate(ctx, gen(), AsOf(testAsOf), Reusing(nil)) // reusable, never handed back
		if err != nil {
			t.Fatal(err)
		}
		_ = d.Requirements()
		hold(d)
		f, err := e.Evaluate(ctx, gen(), AsOf(testAsOf))
		if err != nil {
			t.Fatal(err)
		}
		hold(f)
	}
	for _, res := range e.EvaluateAll(ctx, batchPopulation(30), AsOf(testAsOf)) {
		if res.Decision != nil {
			hold(res.Decision)
		}
	}
	theirs, err := other.Evaluate(ctx, gen(), AsOf(testAsOf), Reusing(nil))
	if err != nil {
		t.Fatal(err)
	}
	hold(theirs)
	copied := new(Decision)
	*copied = *hs[0].d
	var read Decision
	if err := json.Unmarshal(hs[0].j, &read); err != nil {
		t.Fatal(err)
	}
	readJ := marshal(t, &read)
	odd := []*Decision{copied, &read, {}, theirs, hs[1].d}
	for i := range 300 {
		a := gen()
		k := i % len(ring)
		fresh, err := e.Evaluate(ctx, a, AsOf(testAsOf))
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			_ = ring[k].Text() // explained before reuse
		}
		got, err := e.Evaluate(ctx, a, AsOf(testAsOf), Reusing(ring[k]))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(fresh) {
			t.Fatalf("round %d: reused decision differs from fresh", i)
		}
		ring[k] = got
		o := odd[i%len(odd)]
		if got, err := e.Evaluate(ctx, gen(), AsOf(testAsOf), Reusing(o)); err != nil || got == o {
			t.Fatalf("round %d: odd decision %d reused (%v)", i, i%len(odd), err)
		}
	}
	for i, h := range hs {
		if j := marshal(t, h.d); !bytes.Equal(j, h.j) {
			t.Fatalf("held decision %d changed", i)
		}
	}
	if j := marshal(t, &read); !bytes.Equal(j, readJ) {
		t.Fatal("the decision read from JSON changed")
	}
}
