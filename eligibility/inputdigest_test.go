package eligibility

import (
	"encoding/json"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestInputDigest: the digest is the same for one applicant as a Go
// value, as a JSON Document and as a YAML Document written differently,
// and differs when any evidence does.
func TestInputDigest(t *testing.T) {
	goType := actoEngine(t)
	declared, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		a, _ := oracleApplicant(oracleSeed, i)
		want, err := goType.InputDigest(a)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(want, "sha256:") || len(want) != len("sha256:")+64 {
			t.Fatalf("digest %q", want)
		}
		aj, _ := json.MarshalIndent(a, "", "   ")
		jdoc, err := declared.Decode("a.json", aj)
		if err != nil {
			t.Fatal(err)
		}
		// The same document in YAML, keys sorted, laid out afresh (not
		// applicantYAML's: yaml's omitempty drops empty lists, which is
		// another applicant).
		var m map[string]any
		if err := json.Unmarshal(aj, &m); err != nil {
			t.Fatal(err)
		}
		ay, err := yaml.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		ydoc, err := declared.Decode("a.yaml", ay)
		if err != nil {
			t.Fatal(err)
		}
		for name, doc := range map[string]*Document{"JSON": jdoc, "YAML": ydoc} {
			if got, err := declared.InputDigest(doc); err != nil || got != want {
				t.Fatalf("applicant %d: the %s Document's digest is %s, %v; the Go value's %s", i, name, got, err, want)
			}
		}
		b := cloneApplicant(a)
		b.Qualifications = append(b.Qualifications, Qualification{Title: "x", Level: "diploma", Field: "other", Delivery: "online"})
		if got, _ := goType.InputDigest(b); got == want {
			t.Fatalf("applicant %d: a qualification added leaves the digest as it was", i)
		}
	}
	if _, err := goType.InputDigest(nil); err == nil {
		t.Error("InputDigest(nil): no error")
	}
	// Absent and empty differ: an absent list is unknown, an empty one none.
	x, y := &Applicant{ID: "a"}, &Applicant{ID: "a", CPD: []CPD{}}
	dx, _ := goType.InputDigest(x)
	dy, _ := goType.InputDigest(y)
	if dx == dy {
		t.Error("an absent and an empty list digest alike")
	}
}
