package eligibility

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// TestDeclaredACTODecidesLikeTheGoType: ACTO's model declared in YAML (the
// default Engine's) and ACTO's Go type (acto.Applicant, through NewFor)
// decide the differential test's generated population alike: each
// applicant, written as a JSON document by encoding/json and decoded as a
// Document, gets a decision whose JSON and text equal the Go type's, or
// the same error.
func TestDeclaredACTODecidesLikeTheGoType(t *testing.T) {
	declared, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	goType := actoEngine(t)
	seed := envUint(t, "ELIGO_ORACLE_SEED", oracleSeed)
	n := int(envUint(t, "ELIGO_ORACLE_N", 10_000))
	if raceEnabled {
		n /= 10 // the race detector's cost; the population is the same
	}
	ctx := context.Background()
	levels := map[string]int{}
	for i := range n {
		a, asOf := oracleApplicantNoLater(seed, i)
		data, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := declared.Decode("applicant.json", data)
		if err != nil {
			t.Fatalf("applicant %d: its JSON does not decode as a Document: %v\n%s", i, err, data)
		}
		gd, gerr := goType.Evaluate(ctx, a, AsOf(asOf))
		dd, derr := declared.Evaluate(ctx, doc, AsOf(asOf))
		if gerr != nil || derr != nil {
			if gerr == nil || derr == nil || gerr.Error() != derr.Error() {
				t.Fatalf("applicant %d (asOf %s): errors differ:\n  Go type:  %v\n  declared: %v\n%s", i, asOf.Format(time.DateOnly), gerr, derr, data)
			}
			continue
		}
		gj, err := json.Marshal(gd)
		if err != nil {
			t.Fatal(err)
		}
		dj, err := json.Marshal(dd)
		if err != nil {
			t.Fatal(err)
		}
		if string(gj) != string(dj) {
			t.Fatalf("applicant %d (asOf %s): decisions differ\n  Go type:  %s\n  declared: %s\napplicant: %s", i, asOf.Format(time.DateOnly), gj, dj, data)
		}
		if gd.Text() != dd.Text() {
			t.Fatalf("applicant %d: text reports differ", i)
		}
		levels[dd.Level]++
	}
	if len(levels) < 5 {
		t.Errorf("the population reaches too few levels to compare: %v", levels)
	}
	t.Logf("%d applicants decided alike; levels %v", n, levels)
}
