package rules

import (
	"testing"
	"time"
)

// presenceApplicant has a date that may be absent (D, E) and one that is
// always present (V).
type presenceApplicant struct {
	D *time.Time `expr:"d"`
	E *time.Time `expr:"e"`
	V time.Time  `expr:"v"`
}

const presenceRules = `
ruleset: presence
version: "1"
requirements:
  done: {title: done, source: test, when: done(d)}
  current: {title: current, source: test, when: "!current(d)"}
  within: {title: within, source: test, when: "!within(d, 12)"}
  years: {title: years, source: test, when: yearsSince(d) == 2023}
  months: {title: months, source: test, when: monthsSince(d) == 2023 * 12 + 2}
  days: {title: days, source: test, when: "daysBetween(d, e) == 738960"}
  days-to: {title: days to, source: test, when: "daysBetween(v, d) == 1"}
  done-value: {title: done value, source: test, when: done(v)}
  years-value: {title: years value, source: test, when: yearsSince(v) == 2023}
levels:
  - {id: l, title: L, requires: [done]}
`

// TestZeroDateIsPresent: a date is absent only when it is nil; the zero
// time (1 January of year 1) is a date like any other, on the VM and on
// the fast evaluator alike. It used to read as "no date".
func TestZeroDateIsPresent(t *testing.T) {
	p := compileEval(t, presenceRules, presenceApplicant{})
	asOf := *date("2024-03-15")
	zero := time.Time{}
	app := &presenceApplicant{D: &zero, E: &asOf}
	// 1 January of year 1 to 15 March 2024, both included.
	if want := float64(asOf.Unix()-zero.Unix())/86400 + 1; want != 738960 {
		t.Fatalf("the rules' figure is wrong: %v days", want)
	}
	for i := range p.NumRequirements() {
		id := p.Set().Requirements[i].ID
		for _, r := range []struct {
			name string
			run  func(*Run, int) (Result, error)
		}{{"fast", (*Run).Requirement}, {"VM", (*Run).slowRequirement}} {
			run, err := p.NewRun(app, asOf)
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.run(run, i)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != Met {
				t.Errorf("%s, %s: %v, want met: %s", r.name, id, res.Status, showClauses(res.Clauses))
			}
		}
	}
	for _, a := range []*presenceApplicant{app, {}, {D: date("2020-01-01"), E: &zero}, {D: &zero, E: &zero, V: asOf}} {
		sameAsVM(t, p, a, asOf, "zero dates")
	}
}

// TestNilDateIsAbsent: a nil date is absent, so a clause reading it is
// unknown.
func TestNilDateIsAbsent(t *testing.T) {
	p := compileEval(t, presenceRules, presenceApplicant{})
	res, err := evaluate(t, p, "done", &presenceApplicant{}, "2024-03-15")
	if err != nil || res.Status != Unknown {
		t.Fatalf("done(nil): %v, %v; want unknown", res.Status, err)
	}
}
