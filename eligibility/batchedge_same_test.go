package eligibility

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"
)

// TestBatchEdgeSameApplicant: the same applicant many times in one
// batch, Go type and Document engines, decided concurrently: every result
// equals Evaluate's.
func TestBatchEdgeSameApplicant(t *testing.T) {
	ctx := context.Background()
	e := actoEngine(t)
	a := decode(t, professionalDoc)
	want, err := e.Evaluate(ctx, a, AsOf(testAsOf))
	if err != nil {
		t.Fatal(err)
	}
	wj, _ := json.Marshal(want)
	same := slices.Repeat([]*Applicant{a}, 64)
	for _, r := range e.EvaluateAll(ctx, same, AsOf(testAsOf), Workers(4)) {
		if j, _ := json.Marshal(r.Decision); !bytes.Equal(j, wj) {
			t.Fatal("EvaluateAll of the same applicant differs")
		}
	}
	for _, r := range e.Decisions(ctx, slices.Values(same), AsOf(testAsOf), Workers(4)) {
		if j, _ := json.Marshal(r.Decision); !bytes.Equal(j, wj) {
			t.Fatal("Decisions of the same applicant differs")
		}
	}
	de, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := de.Decode("p.yaml", []byte(professionalDoc))
	if err != nil {
		t.Fatal(err)
	}
	dwant, err := de.Evaluate(ctx, doc, AsOf(testAsOf))
	if err != nil {
		t.Fatal(err)
	}
	dj, _ := json.Marshal(dwant)
	docs := slices.Repeat([]*Document{doc}, 64)
	docs[3] = nil
	docs[5] = &Document{}
	for i, r := range de.EvaluateAll(ctx, docs, AsOf(testAsOf), Workers(4)) {
		if i == 3 || i == 5 {
			if r.Err == nil {
				t.Errorf("document %d: no error", i)
			}
			continue
		}
		if j, _ := json.Marshal(r.Decision); !bytes.Equal(j, dj) {
			t.Fatal("EvaluateAll of the same document differs")
		}
	}
	n := 0
	for i, r := range de.Decisions(ctx, slices.Values(docs), AsOf(testAsOf), Workers(3)) {
		n++
		if i == 3 || i == 5 {
			if r.Err == nil {
				t.Errorf("document %d: no error", i)
			}
			continue
		}
		if j, _ := json.Marshal(r.Decision); !bytes.Equal(j, dj) {
			t.Fatal("Decisions of the same document differs")
		}
	}
	if n != len(docs) {
		t.Fatalf("%d results", n)
	}
}
