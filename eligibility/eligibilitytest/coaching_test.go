package eligibilitytest_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
	"github.com/eligo-dev/eligo/rules"
)

// Coach is a coaching association's applicant, its own Go type (the one
// of the eligibility package's NewFor example), tagged for JSON alone.
type Coach struct {
	ID        string    `json:"id" expr:"id" validate:"required"`
	Sessions  []Session `json:"sessions" expr:"sessions" validate:"max=1000,dive"`
	Insurance *Cover    `json:"insurance,omitempty" expr:"insurance"`
}

// Session is one coaching session claimed.
type Session struct {
	Client   string  `json:"client" expr:"client" eligo:"label"`
	Hours    float64 `json:"hours" expr:"hours" validate:"finite,gte=0"`
	Verified bool    `json:"verified" expr:"verified"`
}

// Cover is the coach's insurance.
type Cover struct {
	Expires  *time.Time `json:"expires" expr:"expires" validate:"omitempty,date"`
	Verified bool       `json:"verified" expr:"verified"`
}

func coachEngine(t *testing.T) *eligibility.EngineOf[Coach] {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "coaching.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.Parse("coaching.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	e, err := eligibility.NewFor[Coach](set)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// The fixtures of a type of the caller's own: granted, provisional,
// refused (a JSON document), undetermined, invalid.
func TestRunOwnType(t *testing.T) {
	eligibilitytest.Run(t, coachEngine(t), filepath.Join("testdata", "coaching"))
}

// Check reports a fixture's differences for a caller's own type as for a
// declared model's documents.
func TestCheckOwnTypeReportsDifferences(t *testing.T) {
	fs, err := eligibilitytest.Load(filepath.Join("testdata", "coaching"))
	if err != nil {
		t.Fatal(err)
	}
	var f eligibilitytest.Fixture
	for _, x := range fs {
		if x.Name == "granted" {
			f = x
		}
	}
	f.Want.Level = "master"
	problems := eligibilitytest.Check(coachEngine(t), f)
	if len(problems) != 1 || problems[0] != `level: got "coach", want "master"` {
		t.Errorf("problems %q, want one about the level", problems)
	}
}
