package main

import (
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
