package rules

import (
	"slices"
	"testing"
	"time"
)

type changeEntry struct {
	On *time.Time `expr:"on"`
}

type changeApplicant struct {
	D       *time.Time    `expr:"d"`
	E       *time.Time    `expr:"e"`
	Entries []changeEntry `expr:"entries"`
}

const changeRules = `
ruleset: change
version: "1"
parameters:
  years: {value: 3, source: test}
  window: {value: 36, source: test}
  fee:
    source: test
    values: [{from: 2020-01-01, value: 1}, {from: 2025-06-01, value: 2}]
requirements:
  years: {title: years, source: test, when: yearsSince(d) >= param.years}
  years-in-list: {title: years in list, source: test, when: "any(entries, yearsSince(.on) > 1)"}
  months: {title: months, source: test, when: "monthsSince(d) < 7 || monthsSince(e) == 5"}
  current: {title: current, source: test, when: current(e)}
  within: {title: within, source: test, when: "any(entries, within(.on, param.window))"}
  done: {title: done, source: test, when: "done(e) && param.fee > 1"}
  days: {title: days, source: test, when: "daysBetween(d, nil) >= 1000"}
levels:
  - {id: l, title: L, requires: [years]}
`

// TestNextChange: with Track, a run's results hold on every day from its
// date to the day before NextChange (checked day by day), whether the run
// evaluated with Requirement or with Status, and a count compared with a
// threshold is noted on reaching it, not at each step.
func TestNextChange(t *testing.T) {
	p := compileEval(t, changeRules, changeApplicant{})
	onlyStatus := false // evaluate with Status rather than Requirement
	statuses := func(app *changeApplicant, asOf time.Time, track bool) ([]Status, time.Time, Change) {
		run, err := p.NewRun(app, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if track {
			run.Track()
		}
		var out []Status
		for i := range p.NumRequirements() {
			var s Status
			if onlyStatus {
				s, err = run.Status(i)
			} else {
				var res Result
				res, err = run.Requirement(i)
				s = res.Status
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		next, why := run.NextChange()
		return out, next, why
	}
	apps := []*changeApplicant{
		{D: date("2020-02-29"), E: date("2024-08-31"), Entries: []changeEntry{{On: date("2021-11-30")}, {On: date("2023-01-31")}}},
		{D: date("2023-03-31"), E: date("2026-02-28"), Entries: []changeEntry{{On: date("2022-05-31")}}},
		{D: date("2019-12-31"), Entries: []changeEntry{{}, {On: date("2024-02-29")}}},
	}
	for n := range 2 * len(apps) {
		k, app := n%len(apps), apps[n%len(apps)]
		for asOf := *date("2021-01-01"); asOf.Before(*date("2027-01-01")); asOf = asOf.AddDate(0, 0, 61) {
			onlyStatus = n >= len(apps) // the tracked run, by Status the second time round
			want, next, why := statuses(app, asOf, true)
			onlyStatus = false
			for day := asOf.AddDate(0, 0, 1); next.IsZero() || day.Before(next); day = day.AddDate(0, 0, 1) {
				if day.After(*date("2029-12-31")) {
					break
				}
				if got, _, _ := statuses(app, day, false); !slices.Equal(got, want) {
					t.Errorf("applicant %d on %s: next change %s (%+v), but the results differ on %s: %v, then %v",
						k, asOf.Format(time.DateOnly), next.Format(time.DateOnly), why, day.Format(time.DateOnly), want, got)
					break
				}
			}
		}
	}
	// yearsSince(d) >= 3 from 29 February 2020 changes on 28 February 2023
	// only, not at the count's first step on 28 February 2022.
	app := &changeApplicant{D: date("2020-02-29"), E: date("2030-01-01")}
	tracked, err := p.NewRun(app, *date("2021-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	tracked.Track()
	if _, err := tracked.Requirement(0); err != nil {
		t.Fatal(err)
	}
	next, why := tracked.NextChange()
	if next.Format(time.DateOnly) != "2023-02-28" || why.Func != "yearsSince" || why.Arg != "d" {
		t.Errorf("next change %s (%+v), want 2023-02-28 by yearsSince(d)", next.Format(time.DateOnly), why)
	}
	// Without Track, NextChange says nothing.
	run, err := p.NewRun(app, *date("2021-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run.Requirement(0); err != nil {
		t.Fatal(err)
	}
	if next, _ := run.NextChange(); !next.IsZero() {
		t.Errorf("untracked run: next change %s", next)
	}
}
