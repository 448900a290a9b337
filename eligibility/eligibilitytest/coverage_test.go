package eligibilitytest_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
	"github.com/eligo-dev/eligo/rules"
)

// coachCoverage runs the coaching fixtures, a type of the caller's own,
// with coverage.
func coachCoverage(t *testing.T) *eligibilitytest.Coverage {
	t.Helper()
	return eligibilitytest.RunCover(t, coachEngine(t), filepath.Join("testdata", "coaching"))
}

func TestCoverageCounts(t *testing.T) {
	r := coachCoverage(t).Report()
	if r.RuleSet != "coaching" || r.Fixtures != 4 || r.Invalid != 1 {
		t.Errorf("ruleset %q, %d fixtures, %d invalid; want coaching, 4, 1", r.RuleSet, r.Fixtures, r.Invalid)
	}
	if !slices.Equal(r.NeverUnmet, []string{"insured"}) || len(r.NeverGranted) != 0 {
		t.Errorf("never unmet %v, never granted %v; want [insured], []", r.NeverUnmet, r.NeverGranted)
	}
	hours := r.Requirements[1]
	if hours.ID != "coaching-hours" || hours.Statuses[eligibility.Met] != 2 || hours.Statuses[eligibility.Unmet] != 1 || hours.Statuses[eligibility.Unverified] != 1 {
		t.Errorf("coaching-hours: %+v", hours)
	}
	if len(hours.Clauses) != 1 || hours.Clauses[0].Held != 3 || hours.Clauses[0].Failed != 1 {
		t.Errorf("coaching-hours clauses: %+v", hours.Clauses[0])
	}
	coach := r.Awards[0]
	if coach.Outcomes[eligibility.Granted] != 1 || coach.Outcomes[eligibility.Refused] != 1 ||
		coach.Outcomes[eligibility.Provisional] != 1 || coach.Outcomes[eligibility.Undetermined] != 1 {
		t.Errorf("coach outcomes: %v", coach.Outcomes)
	}
	if len(coach.Routes) != 1 || coach.Routes[0].Name != "standard" || coach.Routes[0].Outcomes[eligibility.Granted] != 1 {
		t.Errorf("coach routes: %+v", coach.Routes)
	}
	// sum(sessions, .hours) >= 20: 21 and 30 hold, 5 fails 15 short;
	// the unverified session's 12 + 9 counts in the full view.
	if len(r.Thresholds) != 1 {
		t.Fatalf("thresholds: %+v", r.Thresholds)
	}
	th := r.Thresholds[0]
	if th.On != "" || th.JustShort != "" || th.Nearest == nil || *th.Nearest != 15 || th.NearestFixture != "refused" {
		t.Errorf("threshold: %+v", th)
	}
}

func TestCoverageCheck(t *testing.T) {
	cov := coachCoverage(t)
	var got []string
	for _, u := range cov.Check(eligibilitytest.BothWays) {
		got = append(got, u.String())
	}
	if want := []string{"requirement insured: no fixture unmet"}; !slices.Equal(got, want) {
		t.Errorf("Check(BothWays) = %q, want %q", got, want)
	}

	allowed := eligibilitytest.BothWays
	allowed.Allow = map[string]string{"insured=unmet": "the rule reads a date only"}
	if gaps := cov.Check(allowed); len(gaps) != 0 {
		t.Errorf("with insured=unmet allowed: %v", gaps)
	}
	allowed.Allow = map[string]string{"insured": "whole requirement"}
	if gaps := cov.Check(allowed); len(gaps) != 0 {
		t.Errorf("with insured allowed: %v", gaps)
	}

	for _, tc := range []struct {
		allow  map[string]string
		report string
	}{
		{map[string]string{"insured=unmet": "x", "coach=granted": "stale"}, "allowance coach=granted: no longer needed"},
		{map[string]string{"insured=unmet": "x", "nosuch": "typo"}, "allowance nosuch: names no requirement"},
		{map[string]string{"insured=unmet": ""}, "allowance insured=unmet: gives no reason"},
	} {
		m := eligibilitytest.BothWays
		m.Allow = tc.allow
		gaps := cov.Check(m)
		if len(gaps) != 1 || !strings.Contains(gaps[0].String(), tc.report) {
			t.Errorf("allow %v: %v, want one %q", tc.allow, gaps, tc.report)
		}
	}

	// 3 of the 4 pairs are reached.
	if gaps := cov.Check(eligibilitytest.Min{Statuses: []eligibility.Status{eligibility.Met, eligibility.Unmet}, Percent: 75}); len(gaps) != 0 {
		t.Errorf("75%%: %v", gaps)
	}
	gaps := cov.Check(eligibilitytest.Min{Statuses: []eligibility.Status{eligibility.Met, eligibility.Unmet}, Percent: 80})
	if len(gaps) != 1 || gaps[0].Kind != "percent" || !strings.Contains(gaps[0].Detail, "75.0% reached (3 of 4)") {
		t.Errorf("80%%: %v", gaps)
	}

	gaps = cov.Check(eligibilitytest.Min{Clauses: true, Thresholds: true})
	var kinds []string
	for _, g := range gaps {
		kinds = append(kinds, g.Kind+" "+g.ID+" "+strings.Join(g.Missing, "/"))
	}
	want := []string{"clause insured failed", "threshold coaching-hours on/just short"}
	if !slices.Equal(kinds, want) {
		t.Errorf("clauses and thresholds: %q, want %q", kinds, want)
	}
}

func TestCoverageTableAndJSON(t *testing.T) {
	cov := coachCoverage(t)
	var b strings.Builder
	if err := cov.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	table := b.String()
	for _, want := range []string{
		"Coverage of coaching: 4 fixtures decided, 1 invalid",
		"Never unmet (vacuous): insured\nNever granted: none\n",
		"REQUIREMENT", "coaching-hours", "sum(sessions, .hours) >= param.coach_hours",
		"coach (level)", "THRESHOLD", "15 (refused)",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if strings.Index(table, "Never unmet") > strings.Index(table, "REQUIREMENT") {
		t.Errorf("the gaps are not reported first:\n%s", table)
	}
	data, err := json.Marshal(cov)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Requirements []struct{ Statuses map[string]int }
		Awards       []struct{ Outcomes map[string]int }
		Thresholds   []struct{ Required rules.Value }
	}
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Requirements[1].Statuses["unmet"] != 1 || back.Awards[0].Outcomes["granted"] != 1 || back.Thresholds[0].Required.String() != "20" {
		t.Errorf("JSON: %s", data)
	}
	if !strings.HasPrefix(string(data), `{"ruleset":"coaching","fixtures":4,"invalid":1,"neverUnmet":["insured"],"neverGranted":[]`) {
		t.Errorf("JSON does not start with the gaps: %.200s", data)
	}
}

// Coverage over no rule set learns items from the decisions it is given.
func TestCoverageWithoutRuleSet(t *testing.T) {
	e := coachEngine(t)
	fs, err := eligibilitytest.Load(filepath.Join("testdata", "coaching"))
	if err != nil {
		t.Fatal(err)
	}
	var cov eligibilitytest.Coverage
	for _, f := range fs {
		if problems := eligibilitytest.CheckCover(e, f, &cov); len(problems) != 0 {
			t.Fatalf("%s: %v", f.Name, problems)
		}
	}
	r := cov.Report()
	if len(r.Requirements) != 2 || len(r.Awards) != 1 || r.Fixtures != 4 {
		t.Errorf("report: %+v", r)
	}
}

// Add may be called from parallel subtests.
func TestCoverageConcurrentAdd(t *testing.T) {
	e := coachEngine(t)
	fs, err := eligibilitytest.Load(filepath.Join("testdata", "coaching"))
	if err != nil {
		t.Fatal(err)
	}
	cov := eligibilitytest.NewCoverage(e.RuleSet())
	t.Run("group", func(t *testing.T) {
		for i := range 8 {
			for _, f := range fs {
				t.Run(f.Name+string(rune('a'+i)), func(t *testing.T) {
					t.Parallel()
					eligibilitytest.CheckCover(e, f, cov)
					_ = cov.Report()
				})
			}
		}
	})
	if r := cov.Report(); r.Fixtures != 32 || r.Invalid != 8 {
		t.Errorf("%d fixtures, %d invalid; want 32, 8", r.Fixtures, r.Invalid)
	}
}
