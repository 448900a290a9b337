package eligibilitytest_test

import (
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
)

// A want file's explain key: each wrong expectation is one problem
// sentence naming the requirement, what differs, and what was found.
func TestCheckExplain(t *testing.T) {
	e, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	const right = `asOf: 2026-11-23
level: member
courses: [academy-general-certificate, academy-diploma, relate-online, oti-online-therapy, ocst-certificated, olt-general-certificate, olt-diploma-counselling]
explain: {qualifying-course: {shortfall: 0.5, observed: 79.5, required: 80, closest: "onlineTraining[0]"}}
`
	const name = "professional-course-79-5-hours"
	if problems := eligibilitytest.Check(e, fixtureOf(t, name, right)); len(problems) != 0 {
		t.Fatalf("the right want file fails: %q", problems)
	}
	for _, tc := range []struct{ from, to, report string }{
		{"shortfall: 0.5", "shortfall: 1", "explain qualifying-course: shortfall: got [0.5], want 1"},
		{"observed: 79.5", "observed: 80", "explain qualifying-course: observed: got [79.5], want 80"},
		{"required: 80", "required: 79.5", "explain qualifying-course: required: got [80], want 79.5"},
		{`closest: "onlineTraining[0]"`, `closest: "onlineTraining[1]"`, "explain qualifying-course: closest entry: got [onlineTraining[0]], want onlineTraining[1]"},
		{`closest: "onlineTraining[0]"`, `offending: "onlineTraining[0]"`, "explain qualifying-course: offending entry: got none, want onlineTraining[0]"},
		{"{shortfall: 0.5,", "{missing: [insurance],", "explain qualifying-course: missing: got none, want insurance"},
		{"{shortfall: 0.5,", `{unverified: ["onlineTraining[0]"],`, "explain qualifying-course: unverified: got none, want onlineTraining[0]"},
		{"{qualifying-course:", "{nosuch:", `explain: no requirement "nosuch"`},
	} {
		want := strings.Replace(right, tc.from, tc.to, 1)
		problems := eligibilitytest.Check(e, fixtureOf(t, name, want))
		if len(problems) != 1 || problems[0] != tc.report {
			t.Errorf("%s → %s: problems %q, want %q", tc.from, tc.to, problems, tc.report)
		}
	}
}
