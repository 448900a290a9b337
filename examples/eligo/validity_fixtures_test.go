package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
)

// validityHorizon is the brute force's horizon: two years of days.
const validityHorizon = 731

// checkFixtureValidity checks every fixture's ValidUntil in dir against
// deciding it on every day of two years.
func checkFixtureValidity[T any](t *testing.T, e *eligibility.EngineOf[T], dir string) {
	t.Helper()
	fixtures, err := eligibilitytest.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() && len(fixtures) > 12 {
		fixtures = fixtures[:12]
	}
	for _, f := range fixtures {
		for _, p := range eligibilitytest.CheckValidity(e, f, validityHorizon) {
			t.Errorf("%s: %s", f.Path, p)
		}
	}
}

// TestFixtureValidity: each ACTO, BACP and nursing fixture's ValidUntil is
// the day before the first day on which it is decided otherwise.
func TestFixtureValidity(t *testing.T) {
	acto, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	checkFixtureValidity(t, acto, "../applicants")
	bacp, err := eligibility.NewFor[Counsellor](bacpSet(t))
	if err != nil {
		t.Fatal(err)
	}
	checkFixtureValidity(t, bacp, bacpDir+"/applicants")
	nursing, err := eligibility.NewFor[Nurse](nursingSet(t))
	if err != nil {
		t.Fatal(err)
	}
	checkFixtureValidity(t, nursing, nursingDir+"/applicants")
}

// TestEveryFixtureHolds: every valid ACTO, BACP and nursing fixture's want
// file says how long its decision holds, and the CLI shows it, in the
// full text report ("Holds until" or "Holds indefinitely") and in JSON.
func TestEveryFixtureHolds(t *testing.T) {
	for _, dir := range []struct{ rules, fixtures string }{
		{"", "../applicants"},
		{bacpDir, bacpDir + "/applicants"},
		{nursingDir, nursingDir + "/applicants"},
	} {
		fixtures, err := eligibilitytest.Load(dir.fixtures)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fixtures {
			if len(f.Want.Invalid) > 0 {
				continue
			}
			if f.Want.ValidUntil == "" {
				t.Errorf("%s: no validUntil", f.WantPath)
				continue
			}
			args := []string{"-as-of", f.Want.AsOf}
			if dir.rules != "" {
				args = append(args, "-rules", dir.rules)
			}
			status, text, stderr := runCLI(t, append(args, "-v", f.Path)...)
			if status != 0 {
				t.Errorf("%s: exit %d: %s", f.Path, status, stderr)
				continue
			}
			// A decision with no change within the search's horizon holds
			// "at least until" its end.
			wantText := []string{"\nHolds until " + f.Want.ValidUntil + ": ", "\nHolds at least until " + f.Want.ValidUntil + " "}
			if f.Want.ValidUntil == "indefinitely" {
				wantText = []string{"\nHolds indefinitely"}
			}
			if !strings.Contains(text, wantText[0]) && (len(wantText) == 1 || !strings.Contains(text, wantText[1])) {
				t.Errorf("%s: the text report does not say %q", f.Path, strings.TrimSpace(wantText[0]))
			}
			_, js, _ := runCLI(t, append(args, "-format", "jsonl", f.Path)...)
			var d struct {
				ValidUntil   string `json:"validUntil"`
				Indefinitely bool   `json:"indefinitely"`
			}
			if err := json.Unmarshal([]byte(js), &d); err != nil {
				t.Errorf("%s: %v", f.Path, err)
			} else if got := map[bool]string{true: "indefinitely", false: d.ValidUntil}[d.Indefinitely]; got != f.Want.ValidUntil {
				t.Errorf("%s: JSON validUntil %q, want %q", f.Path, got, f.Want.ValidUntil)
			}
		}
	}
}
