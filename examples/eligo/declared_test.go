package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
)

// TestNursingFixtures decides every fixture of examples/nursing/applicants
// with the rules alone: eligibility.New builds the engine over the model
// examples/nursing/model.yaml declares, no Go type of ours.
func TestNursingFixtures(t *testing.T) {
	engine, err := eligibility.New(nursingSet(t))
	if err != nil {
		t.Fatal(err)
	}
	eligibilitytest.Run(t, engine, nursingDir+"/applicants")
}

// TestBACPFixtures decides the applicants of examples/bacp/applicants over
// the BACP-style rules' declared model, loaded from YAML alone.
func TestBACPFixtures(t *testing.T) {
	engine, err := eligibility.New(bacpSet(t))
	if err != nil {
		t.Fatal(err)
	}
	eligibilitytest.Run(t, engine, bacpDir+"/applicants")
}

// TestNursingDeclaredMatchesGoType: for every nursing fixture, the decision
// through the declared model and the one through Nurse are the same JSON,
// and an invalid document is refused with the same errors both ways.
func TestNursingDeclaredMatchesGoType(t *testing.T) {
	declared, err := eligibility.New(nursingSet(t))
	if err != nil {
		t.Fatal(err)
	}
	typed, err := eligibility.NewFor[Nurse](nursingSet(t))
	if err != nil {
		t.Fatal(err)
	}
	sameDecisions(t, declared, typed, nursingDir+"/applicants")
}

// TestBACPDeclaredMatchesGoType: the same for the BACP-style fixtures,
// through Counsellor.
func TestBACPDeclaredMatchesGoType(t *testing.T) {
	declared, err := eligibility.New(bacpSet(t))
	if err != nil {
		t.Fatal(err)
	}
	typed, err := eligibility.NewFor[Counsellor](bacpSet(t))
	if err != nil {
		t.Fatal(err)
	}
	sameDecisions(t, declared, typed, bacpDir+"/applicants")
}

// sameDecisions decides each fixture of dir, on its want file's date, with
// both engines, and checks that they agree: the same decision as JSON, or
// the same error.
func sameDecisions[T any](t *testing.T, declared *eligibility.Engine, typed *eligibility.EngineOf[T], dir string) {
	t.Helper()
	fixtures, err := eligibilitytest.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures {
		t.Run(f.Name, func(t *testing.T) {
			asOf, err := time.Parse(time.DateOnly, f.Want.AsOf)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			want, wantErr := decide(declared, f.Path, data, asOf)
			got, gotErr := decide(typed, f.Path, data, asOf)
			switch {
			case wantErr != nil || gotErr != nil:
				if wantErr == nil || gotErr == nil || wantErr.Error() != gotErr.Error() {
					t.Errorf("errors differ:\ndeclared model: %v\nGo type:        %v", wantErr, gotErr)
				}
				if f.Want.Invalid == nil {
					t.Errorf("a valid fixture failed: %v", wantErr)
				}
			case string(want) != string(got):
				t.Errorf("decisions differ:\ndeclared model: %s\nGo type:        %s", want, got)
			}
		})
	}
}

// decide decodes and decides one document with e, and returns the
// decision as JSON.
func decide[T any](e *eligibility.EngineOf[T], name string, data []byte, asOf time.Time) ([]byte, error) {
	a, err := e.Decode(name, data)
	if err != nil {
		return nil, err
	}
	d, err := e.Evaluate(context.Background(), a, eligibility.AsOf(asOf))
	if err != nil {
		return nil, err
	}
	return json.Marshal(d)
}

// TestRunNursingRules: the CLI decides the nursing fixtures from the rule
// files alone, each valid one at its want file's level, and names each
// invalid document on stderr with exit status 1.
func TestRunNursingRules(t *testing.T) {
	fixtures, err := eligibilitytest.Load(nursingDir + "/applicants")
	if err != nil {
		t.Fatal(err)
	}
	status, stdout, stderr := runCLI(t, "-rules", nursingDir, "-as-of", "2026-11-30", "-format", "json", nursingDir+"/applicants")
	if status != 1 {
		t.Fatalf("status %d, want 1 (invalid fixtures); stderr:\n%s", status, stderr)
	}
	decisions := decodeJSON(t, stdout)
	i := 0
	for _, f := range fixtures { // the CLI and Load both take documents in name order
		if f.Want.AsOf != "2026-11-30" {
			t.Fatalf("%s: asOf %s, the test runs the CLI as of 2026-11-30", f.Name, f.Want.AsOf)
		}
		if f.Want.Invalid != nil {
			if !strings.Contains(stderr, f.Path) {
				t.Errorf("stderr does not name %s:\n%s", f.Path, stderr)
			}
			continue
		}
		if i >= len(decisions) {
			t.Fatalf("%d decisions, fewer than the valid fixtures", len(decisions))
		}
		if d := decisions[i]; d["level"] != f.Want.Level || d["ruleset"].(map[string]any)["name"] != "community-nurses" {
			t.Errorf("%s: level %v of rule set %v, want %q of community-nurses", f.Name, d["level"], d["ruleset"], f.Want.Level)
		}
		i++
	}
	if i != len(decisions) {
		t.Errorf("%d decisions, want %d", len(decisions), i)
	}
}
