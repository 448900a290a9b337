package actogen_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules/acto/actogen"
)

// TestDocuments: the generated documents decode, validate and are decided
// without error, the same for the same seed, and reach every level.
func TestDocuments(t *testing.T) {
	engine, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	var first [][]byte
	for _, data := range actogen.Documents(7, 50, asOf) {
		first = append(first, data)
	}
	i := 0
	for _, data := range actogen.Documents(7, 50, asOf) {
		if !bytes.Equal(data, first[i]) {
			t.Fatalf("document %d differs between two runs with one seed", i)
		}
		i++
	}
	levels := map[string]int{}
	for name, data := range actogen.Documents(1, 2000, asOf) {
		a, err := engine.Decode(name, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		d, err := engine.Evaluate(context.Background(), a, eligibility.AsOf(asOf))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		levels[d.Level]++
	}
	t.Logf("levels: %v", levels)
	for _, l := range []string{"", "associate", "student", "member", "professional", "senior"} {
		if levels[l] == 0 {
			t.Errorf("no applicant at level %q in %v", l, levels)
		}
	}
}
