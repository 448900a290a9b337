package main

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
)

// The minimum every example suite is held to: each requirement met and
// unmet by some fixture, each award granted and refused, bar the
// allowances listed here, each with its reason.
var (
	actoMin = withAllow(eligibilitytest.BothWays, map[string]string{
		"organisational=granted": "ACTO publishes no criteria for Organisational Membership: " +
			"its only route is assessed by a panel (review), so it refers at best and is never granted",
	})
	bacpMin    = eligibilitytest.BothWays
	nursingMin = eligibilitytest.BothWays
)

func withAllow(m eligibilitytest.Min, allow map[string]string) eligibilitytest.Min {
	m.Allow = allow
	return m
}

// writeTable prints a suite's coverage table with go test -v, or always
// when ELIGO_COVER_TABLE is set.
func writeTable(t *testing.T, cov *eligibilitytest.Coverage) {
	t.Helper()
	if testing.Verbose() || os.Getenv("ELIGO_COVER_TABLE") != "" {
		cov.WriteTable(os.Stdout)
	}
}

// TestACTOCoverage runs the ACTO fixtures with coverage and fails below
// actoMin.
func TestACTOCoverage(t *testing.T) {
	engine, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	cov := eligibilitytest.RunCover(t, engine, "../applicants")
	writeTable(t, cov)
	cov.Require(t, actoMin)
}

// TestBACPCoverage runs the BACP-style fixtures with coverage, over the
// declared model, and fails below bacpMin.
func TestBACPCoverage(t *testing.T) {
	engine, err := eligibility.New(bacpSet(t))
	if err != nil {
		t.Fatal(err)
	}
	cov := eligibilitytest.RunCover(t, engine, bacpDir+"/applicants")
	writeTable(t, cov)
	cov.Require(t, bacpMin)
}

// TestNursingCoverage runs the nursing fixtures with coverage through the
// Go type Nurse (coverage is generic over the engine's type) and fails
// below nursingMin.
func TestNursingCoverage(t *testing.T) {
	engine, err := eligibility.NewFor[Nurse](nursingSet(t))
	if err != nil {
		t.Fatal(err)
	}
	cov := eligibilitytest.RunCover(t, engine, nursingDir+"/applicants")
	writeTable(t, cov)
	cov.Require(t, nursingMin)
}

// BenchmarkACTOFixtures decides and checks the whole ACTO fixture suite,
// without coverage and with it: coverage must cost under 2x.
func BenchmarkACTOFixtures(b *testing.B) {
	engine, err := eligibility.Default()
	if err != nil {
		b.Fatal(err)
	}
	fixtures, err := eligibilitytest.Load("../applicants")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			for _, f := range fixtures {
				if p := eligibilitytest.Check(engine, f); len(p) > 0 {
					b.Fatal(f.Name, p)
				}
			}
		}
	})
	b.Run("cover", func(b *testing.B) {
		for b.Loop() {
			cov := eligibilitytest.NewCoverage(engine.RuleSet())
			for _, f := range fixtures {
				if p := eligibilitytest.CheckCover(engine, f, cov); len(p) > 0 {
					b.Fatal(f.Name, p)
				}
			}
			_ = cov.Report()
		}
	})
	// Coverage alone: recording the suite's decisions, made beforehand.
	var decisions []*eligibility.Decision
	for _, f := range fixtures {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			b.Fatal(err)
		}
		a, err := engine.Decode(f.Path, data)
		if err != nil {
			continue
		}
		asOf, _ := time.Parse(time.DateOnly, f.Want.AsOf)
		d, err := engine.Evaluate(context.Background(), a, eligibility.AsOf(asOf))
		if err != nil {
			b.Fatal(err)
		}
		decisions = append(decisions, d)
	}
	b.Run("add-only", func(b *testing.B) {
		for b.Loop() {
			cov := eligibilitytest.NewCoverage(engine.RuleSet())
			for _, d := range decisions {
				cov.Add(d)
			}
			_ = cov.Report()
		}
	})
}
