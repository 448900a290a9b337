package rules

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// evalRules exercises every status and explanation the evaluator gives.
const evalRules = `
ruleset: eval
version: "1"
parameters:
  course_hours: {value: 80, source: test}
  min_cpd:
    source: test
    values:
      - {from: 2020-01-01, value: 10}
      - {from: 2024-04-01, value: 30}
  core_fields: {value: [counselling, psychotherapy], source: test}
  review_words: {value: 2000, source: test}
catalogue:
  providers:
    - {id: olt, name: "Online Training for Counsellors Ltd", aliases: [OLT, OLT4C]}
    - {id: acme, name: Acme Learning}
facts:
  approvedHours: sum(filter(onlineTraining, approved(.provider) && done(.completed)), .hours)
  cpdHours: sum(cpd, .hours)
requirements:
  course:
    title: A qualifying course
    source: test
    when: >-
      any(onlineTraining, approved(.provider) && done(.completed)
        && .hours >= param.course_hours && len(.formats) >= 4)
  approved-hours:
    title: Approved course hours
    source: test
    when: approvedHours >= param.course_hours
  cpd:
    title: Enough CPD
    source: test
    when: cpdHours >= param.min_cpd
  cpd-online:
    title: All CPD online
    source: test
    when: all(cpd, .online && .hours >= 1)
  core:
    title: Core training
    source: test
    when: any(qualifications, .level == "diploma" && .field in param.core_fields && done(.awarded))
  insured:
    title: Insured
    source: test
    when: insurance.professionalIndemnity && current(insurance.expires)
  portfolio:
    title: Portfolio
    source: test
    when: portfolio.caseStudyWords >= 3000
    review: portfolio.caseStudyWords >= param.review_words
  cpd-recorded:
    title: CPD recorded
    source: test
    when: len(cpd) >= 2
    unknown: len(cpd) == 0
  first-qualification:
    title: First qualification a diploma
    source: test
    when: qualifications[0].level == "diploma"
  olt-only:
    title: Every course from OLT
    source: test
    when: all(onlineTraining, canonical("providers", .provider) == "olt")
  guarded:
    title: A second qualification at masters level, guarded
    source: test
    when: any(qualifications, len(qualifications) > 1 && qualifications[1].level == "masters")
  no-unapproved-long:
    title: No long course from an unapproved provider
    source: test
    when: none(onlineTraining, !approved(.provider) && .hours >= 100)
  guarded-none:
    title: No second qualification at masters level, guarded
    source: test
    when: none(qualifications, len(qualifications) > 1 && qualifications[1].level == "masters")
  guarded-clauses:
    title: The same as clauses
    source: test
    when: len(qualifications) > 1 && qualifications[1].level == "masters" && len(qualifications) < 5
levels:
  - id: member
    title: Member
    requires: [core]
`

func compileEval(t testing.TB, src string, model any) *Program {
	t.Helper()
	set, err := Parse("eval.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(set, model)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func evaluate(t testing.TB, p *Program, req string, app any, asOf string) (Result, error) {
	t.Helper()
	i, ok := p.Requirement(req)
	if !ok {
		t.Fatalf("no requirement %q", req)
	}
	run, err := p.NewRun(app, *date(asOf))
	if err != nil {
		t.Fatal(err)
	}
	return run.Requirement(i)
}

func courses(cs ...testCourse) *testApplicant { return &testApplicant{OnlineTraining: cs} }

var (
	olt4c80  = testCourse{Provider: "OLT4C", Course: "Cert A", Hours: 80, Formats: []string{"a", "b", "c", "d"}, Completed: date("2024-01-10")}
	olt60    = testCourse{Provider: "olt", Course: "Cert B", Hours: 60, Formats: []string{"a", "b", "c", "d"}, Completed: date("2024-01-10")}
	other100 = testCourse{Provider: "Elsewhere", Course: "Cert C", Hours: 100, Formats: []string{"a"}, Completed: date("2024-01-10")}
)

// evalCases drive TestEval and BenchmarkEval. clauses, when set, must equal
// the result's clauses exactly (text, status, values, explanations).
var evalCases = []struct {
	why     string
	req     string
	app     *testApplicant
	asOf    string
	status  Status
	clauses []Clause
}{
	{
		why: "a qualifying course from an approved provider, named by an alias in another case, is met",
		req: "course", asOf: "2024-06-01", status: Met,
		app: courses(testCourse{Provider: "olt4c", Course: "Cert A", Hours: 80, Formats: []string{"a", "b", "c", "d"}, Completed: date("2024-01-10")}),
		clauses: []Clause{{
			Text:   "any(onlineTraining, approved(.provider) && done(.completed) && .hours >= param.course_hours && len(.formats) >= 4)",
			Status: Met, Values: []NamedValue{{"param.course_hours", ValueOf(80.0)}},
			Closest: &Entry{Path: "onlineTraining[0]", Label: "Cert A", Met: 4, Total: 4},
		}},
	},
	{
		why: "a met any() names the first entry that meets every condition",
		req: "course", asOf: "2024-06-01", status: Met,
		app: courses(other100, testCourse{Provider: "OLT", Course: "Cert D", Hours: 90, Formats: []string{"a", "b", "c", "d"}, Completed: date("2024-02-10")}, olt60),
		clauses: []Clause{{
			Text:   "any(onlineTraining, approved(.provider) && done(.completed) && .hours >= param.course_hours && len(.formats) >= 4)",
			Status: Met, Values: []NamedValue{{"param.course_hours", ValueOf(80.0)}},
			Closest: &Entry{Path: "onlineTraining[1]", Label: "Cert D", Met: 4, Total: 4},
		}},
	},
	{
		why: "a failed any() names the entry that came closest and the conditions it failed, with both sides",
		req: "course", asOf: "2024-06-01", status: Unmet,
		app: courses(other100, olt60),
		clauses: []Clause{{
			Text:   "any(onlineTraining, approved(.provider) && done(.completed) && .hours >= param.course_hours && len(.formats) >= 4)",
			Status: Unmet, Values: []NamedValue{{"param.course_hours", ValueOf(80.0)}},
			Closest: &Entry{Path: "onlineTraining[1]", Label: "Cert B", Met: 3, Total: 4, Failed: []Condition{
				{Text: ".hours >= param.course_hours", Op: ">=", Observed: ValueOf(60.0), Required: ValueOf(80.0)},
			}},
		}},
	},
	{
		why: "on a tie the first closest entry is named; a failed library call shows what it was given",
		req: "course", asOf: "2024-01-09", status: Unmet,
		app: courses(olt60, olt4c80),
		clauses: []Clause{{
			Text:   "any(onlineTraining, approved(.provider) && done(.completed) && .hours >= param.course_hours && len(.formats) >= 4)",
			Status: Unmet, Values: []NamedValue{{"param.course_hours", ValueOf(80.0)}},
			Closest: &Entry{Path: "onlineTraining[1]", Label: "Cert A", Met: 3, Total: 4, Failed: []Condition{
				{Text: "done(.completed)", Observed: ValueOf(*date("2024-01-10"))},
			}},
		}},
	},
	{
		why: "an absent list is unknown, naming the missing path, not unmet",
		req: "course", asOf: "2024-06-01", status: Unknown,
		app: &testApplicant{},
		clauses: []Clause{{
			Text:    "any(onlineTraining, approved(.provider) && done(.completed) && .hours >= param.course_hours && len(.formats) >= 4)",
			Status:  Unknown,
			Missing: []string{"onlineTraining"},
		}},
	},
	{
		why: "an empty list is data: unmet, with no closest entry",
		req: "course", asOf: "2024-06-01", status: Unmet,
		app: courses([]testCourse{}...),
		clauses: []Clause{{
			Text:   "any(onlineTraining, approved(.provider) && done(.completed) && .hours >= param.course_hours && len(.formats) >= 4)",
			Status: Unmet, Values: []NamedValue{{"param.course_hours", ValueOf(80.0)}},
		}},
	},
	{
		why: "a comparison with a fact reports observed and required and the values it read",
		req: "approved-hours", asOf: "2024-06-01", status: Unmet,
		app: courses(olt60, other100),
		clauses: []Clause{{
			Text: "approvedHours >= param.course_hours", Status: Unmet, Op: ">=", Observed: ValueOf(60.0), Required: ValueOf(80.0),
			Values: []NamedValue{{"approvedHours", ValueOf(60.0)}, {"param.course_hours", ValueOf(80.0)}},
		}},
	},
	{
		why: "catalogue names match ignoring case and runs of white space, by id, name or alias",
		req: "approved-hours", asOf: "2024-06-01", status: Met,
		app: courses(
			testCourse{Provider: "  online   TRAINING for counsellors ltd ", Hours: 30, Completed: date("2024-01-01")},
			testCourse{Provider: "Olt", Hours: 30, Completed: date("2024-01-01")},
			testCourse{Provider: "ACME\tlearning", Hours: 20, Completed: date("2024-01-01")},
			testCourse{Provider: "OLT 4C", Hours: 1000, Completed: date("2024-01-01")}, // not an alias
		),
		clauses: []Clause{{
			Text: "approvedHours >= param.course_hours", Status: Met, Op: ">=", Observed: ValueOf(80.0), Required: ValueOf(80.0),
			Values: []NamedValue{{"approvedHours", ValueOf(80.0)}, {"param.course_hours", ValueOf(80.0)}},
		}},
	},
	{
		why: "canonical() maps every spelling to the entry's id",
		req: "olt-only", asOf: "2024-06-01", status: Met,
		app: courses(testCourse{Provider: "OLT4C"}, testCourse{Provider: "olt"}, testCourse{Provider: "Online Training for Counsellors LTD"}),
	},
	{
		why: "a failed all() names the first failing entry",
		req: "olt-only", asOf: "2024-06-01", status: Unmet,
		app: courses(testCourse{Provider: "OLT4C"}, testCourse{Provider: "Acme learning", Course: "X"}, testCourse{Provider: "Elsewhere"}),
		clauses: []Clause{{
			Text: `all(onlineTraining, canonical("providers", .provider) == "olt")`, Status: Unmet,
			Closest: &Entry{Path: "onlineTraining[1]", Label: "X", Met: 0, Total: 1, Failed: []Condition{
				{Text: `canonical("providers", .provider) == "olt"`, Op: "==", Observed: ValueOf("acme"), Required: ValueOf("olt")},
			}},
		}},
	},
	{
		why: "the day before a dated parameter changes, the old value applies",
		req: "cpd", asOf: "2024-03-31", status: Met,
		app: &testApplicant{CPD: []testCPD{{Hours: 15}}},
		clauses: []Clause{{
			Text: "cpdHours >= param.min_cpd", Status: Met, Op: ">=", Observed: ValueOf(15.0), Required: ValueOf(10.0),
			Values: []NamedValue{{"cpdHours", ValueOf(15.0)}, {"param.min_cpd", ValueOf(10.0)}},
		}},
	},
	{
		why: "on the day a dated parameter changes, the new value applies",
		req: "cpd", asOf: "2024-04-01", status: Unmet,
		app: &testApplicant{CPD: []testCPD{{Hours: 15}}},
		clauses: []Clause{{
			Text: "cpdHours >= param.min_cpd", Status: Unmet, Op: ">=", Observed: ValueOf(15.0), Required: ValueOf(30.0),
			Values: []NamedValue{{"cpdHours", ValueOf(15.0)}, {"param.min_cpd", ValueOf(30.0)}},
		}},
	},
	{
		why: "an unknown comparison still shows the threshold it needs",
		req: "cpd", asOf: "2024-04-01", status: Unknown,
		app: &testApplicant{},
		clauses: []Clause{{
			Text: "cpdHours >= param.min_cpd", Status: Unknown, Op: ">=", Required: ValueOf(30.0), Missing: []string{"cpd"},
		}},
	},
	{
		why: "all() over entries that all hold is met",
		req: "cpd-online", asOf: "2024-06-01", status: Met,
		app: &testApplicant{CPD: []testCPD{{Hours: 1, Online: true}, {Hours: 3, Online: true}}},
	},
	{
		why: "a failed all() explains the first failing entry's failed conditions only",
		req: "cpd-online", asOf: "2024-06-01", status: Unmet,
		app: &testApplicant{CPD: []testCPD{{Hours: 2, Online: true}, {Hours: 0.5, Online: true}, {Hours: 0, Online: false}}},
		clauses: []Clause{{
			Text: "all(cpd, .online && .hours >= 1)", Status: Unmet,
			Closest: &Entry{Path: "cpd[1]", Met: 1, Total: 2, Failed: []Condition{
				{Text: ".hours >= 1", Op: ">=", Observed: ValueOf(0.5), Required: ValueOf(1)},
			}},
		}},
	},
	{
		why: "a guarded condition that fails on its own leaves the explanation out, never errs",
		req: "guarded", asOf: "2024-06-01", status: Unmet,
		app: &testApplicant{Qualifications: []testQual{{Title: "Dip", Level: "diploma"}}},
		clauses: []Clause{{
			Text:   `any(qualifications, len(qualifications) > 1 && qualifications[1].level == "masters")`,
			Status: Unmet,
		}},
	},
	{
		why: "a guarded any() that holds names its entry",
		req: "guarded", asOf: "2024-06-01", status: Met,
		app: &testApplicant{Qualifications: []testQual{{Title: "Dip", Level: "diploma"}, {Title: "MA", Level: "masters"}}},
		clauses: []Clause{{
			Text:    `any(qualifications, len(qualifications) > 1 && qualifications[1].level == "masters")`,
			Status:  Met,
			Closest: &Entry{Path: "qualifications[0]", Label: "Dip", Met: 2, Total: 2},
		}},
	},
	{
		why: "a met none() names no entry",
		req: "no-unapproved-long", asOf: "2024-06-01", status: Met,
		app:     courses(olt60, olt4c80, testCourse{Provider: "Elsewhere", Course: "Short", Hours: 20}),
		clauses: []Clause{{Text: "none(onlineTraining, !approved(.provider) && .hours >= 100)", Status: Met}},
	},
	{
		why: "a failed none() names the first entry that meets its condition, the one that makes it fail",
		req: "no-unapproved-long", asOf: "2024-06-01", status: Unmet,
		app: courses(olt60, testCourse{Provider: "Elsewhere", Course: "Short", Hours: 20}, other100,
			testCourse{Provider: "Elsewhere", Course: "Long", Hours: 200}),
		clauses: []Clause{{
			Text: "none(onlineTraining, !approved(.provider) && .hours >= 100)", Status: Unmet,
			Closest: &Entry{Path: "onlineTraining[2]", Label: "Cert C", Met: 2, Total: 2},
		}},
	},
	{
		why: "none() over an empty list is met, with no entry",
		req: "no-unapproved-long", asOf: "2024-06-01", status: Met,
		app:     courses([]testCourse{}...),
		clauses: []Clause{{Text: "none(onlineTraining, !approved(.provider) && .hours >= 100)", Status: Met}},
	},
	{
		why: "none() over an absent list is unknown, not met",
		req: "no-unapproved-long", asOf: "2024-06-01", status: Unknown,
		app: &testApplicant{},
		clauses: []Clause{{
			Text: "none(onlineTraining, !approved(.provider) && .hours >= 100)", Status: Unknown, Missing: []string{"onlineTraining"},
		}},
	},
	{
		why: "a guarded none() that holds never errs on the guarded condition",
		req: "guarded-none", asOf: "2024-06-01", status: Met,
		app: &testApplicant{Qualifications: []testQual{{Title: "Dip", Level: "diploma"}}},
		clauses: []Clause{{
			Text:   `none(qualifications, len(qualifications) > 1 && qualifications[1].level == "masters")`,
			Status: Met,
		}},
	},
	{
		why: "a guarded none() that fails names the entry its condition held for",
		req: "guarded-none", asOf: "2024-06-01", status: Unmet,
		app: &testApplicant{Qualifications: []testQual{{Title: "Dip", Level: "diploma"}, {Title: "MA", Level: "masters"}}},
		clauses: []Clause{{
			Text:    `none(qualifications, len(qualifications) > 1 && qualifications[1].level == "masters")`,
			Status:  Unmet,
			Closest: &Entry{Path: "qualifications[0]", Label: "Dip", Met: 2, Total: 2},
		}},
	},
	{
		why: "a failed all() names the first failing entry even when a later one fails more conditions",
		req: "cpd-online", asOf: "2024-06-01", status: Unmet,
		app: &testApplicant{CPD: []testCPD{{Hours: 2, Online: true}, {Hours: 3}, {Hours: 0}}},
		clauses: []Clause{{
			Text: "all(cpd, .online && .hours >= 1)", Status: Unmet,
			Closest: &Entry{Path: "cpd[1]", Met: 1, Total: 2, Failed: []Condition{{Text: ".online"}}},
		}},
	},
	{
		why: "a clause after one that did not hold is left out, not failed",
		req: "guarded-clauses", asOf: "2024-06-01", status: Unmet,
		app: &testApplicant{Qualifications: []testQual{{Title: "Dip", Level: "diploma"}}},
		clauses: []Clause{
			{Text: "len(qualifications) > 1", Status: Unmet, Op: ">", Observed: ValueOf(1), Required: ValueOf(1)},
			{Text: "len(qualifications) < 5", Status: Met, Op: "<", Observed: ValueOf(1), Required: ValueOf(5)},
		},
	},
	{
		why: "the guarded clause counts once reached",
		req: "guarded-clauses", asOf: "2024-06-01", status: Met,
		app: &testApplicant{Qualifications: []testQual{{Title: "Dip", Level: "diploma"}, {Title: "MA", Level: "masters"}}},
		clauses: []Clause{
			{Text: "len(qualifications) > 1", Status: Met, Op: ">", Observed: ValueOf(2), Required: ValueOf(1)},
			{Text: `qualifications[1].level == "masters"`, Status: Met, Op: "==", Observed: ValueOf("masters"), Required: ValueOf("masters")},
			{Text: "len(qualifications) < 5", Status: Met, Op: "<", Observed: ValueOf(2), Required: ValueOf(5)},
		},
	},
	{
		why: "a list parameter used with in",
		req: "core", asOf: "2024-06-01", status: Met,
		app: &testApplicant{Qualifications: []testQual{{Level: "diploma", Field: "psychotherapy", Awarded: date("2024-06-01")}}},
	},
	{
		why: "a qualification awarded after the evaluation date is not done",
		req: "core", asOf: "2024-05-31", status: Unmet,
		app: &testApplicant{Qualifications: []testQual{{Title: "Dip", Level: "diploma", Field: "psychotherapy", Awarded: date("2024-06-01")}}},
		clauses: []Clause{{
			Text: `any(qualifications, .level == "diploma" && .field in param.core_fields && done(.awarded))`, Status: Unmet,
			Values: []NamedValue{{"param.core_fields", ValueOf([]string{"counselling", "psychotherapy"})}},
			Closest: &Entry{Path: "qualifications[0]", Label: "Dip", Met: 2, Total: 3, Failed: []Condition{
				{Text: "done(.awarded)", Observed: ValueOf(*date("2024-06-01"))},
			}},
		}},
	},
	{
		why: "every clause of a && chain has its own status; an absent parent is named once",
		req: "insured", asOf: "2024-06-01", status: Unknown,
		app: &testApplicant{},
		clauses: []Clause{
			{Text: "insurance.professionalIndemnity", Status: Unknown, Missing: []string{"insurance"}},
			{Text: "current(insurance.expires)", Status: Unknown, Missing: []string{"insurance"}},
		},
	},
	{
		why: "an absent field under a present parent is named by its path; unmet beats unknown",
		req: "insured", asOf: "2024-06-01", status: Unmet,
		app: &testApplicant{Insurance: &testInsurance{ProfessionalIndemnity: false}},
		clauses: []Clause{
			{Text: "insurance.professionalIndemnity", Status: Unmet},
			{Text: "current(insurance.expires)", Status: Unknown, Missing: []string{"insurance.expires"}},
		},
	},
	{
		why: "insurance expiring on the evaluation date is still current",
		req: "insured", asOf: "2024-06-01", status: Met,
		app: &testApplicant{Insurance: &testInsurance{ProfessionalIndemnity: true, Expires: date("2024-06-01")}},
	},
	{
		why: "insurance that expired the day before is not current; the failed call shows the date it was given",
		req: "insured", asOf: "2024-06-02", status: Unmet,
		app: &testApplicant{Insurance: &testInsurance{ProfessionalIndemnity: true, Expires: date("2024-06-01")}},
		clauses: []Clause{
			{Text: "insurance.professionalIndemnity", Status: Met},
			{Text: "current(insurance.expires)", Status: Unmet, Observed: ValueOf(*date("2024-06-01"))},
		},
	},
	{
		why: "when does not hold but review does: a person must judge",
		req: "portfolio", asOf: "2024-06-01", status: Review,
		app:     &testApplicant{Portfolio: &testPortfolio{CaseStudyWords: 2500}},
		clauses: []Clause{{Text: "portfolio.caseStudyWords >= 3000", Status: Unmet, Op: ">=", Observed: ValueOf(2500), Required: ValueOf(3000)}},
	},
	{
		why: "when holds: met, whatever review says",
		req: "portfolio", asOf: "2024-06-01", status: Met,
		app: &testApplicant{Portfolio: &testPortfolio{CaseStudyWords: 3000}},
	},
	{
		why: "neither when nor review holds: unmet",
		req: "portfolio", asOf: "2024-06-01", status: Unmet,
		app: &testApplicant{Portfolio: &testPortfolio{CaseStudyWords: 1999}},
	},
	{
		why: "absent data: unknown, and a review condition on absent data does not hold",
		req: "portfolio", asOf: "2024-06-01", status: Unknown,
		app: &testApplicant{},
	},
	{
		why: "when does not hold but the unknown condition does: unknown",
		req: "cpd-recorded", asOf: "2024-06-01", status: Unknown,
		app:     &testApplicant{CPD: []testCPD{}},
		clauses: []Clause{{Text: "len(cpd) >= 2", Status: Unmet, Op: ">=", Observed: ValueOf(0), Required: ValueOf(2)}},
	},
	{
		why: "when does not hold and the unknown condition does not either: unmet",
		req: "cpd-recorded", asOf: "2024-06-01", status: Unmet,
		app: &testApplicant{CPD: []testCPD{{Hours: 1}}},
	},
	{
		why: "when holds: met",
		req: "cpd-recorded", asOf: "2024-06-01", status: Met,
		app: &testApplicant{CPD: []testCPD{{Hours: 1}, {Hours: 2}}},
	},
}

func TestEval(t *testing.T) {
	p := compileEval(t, evalRules, testApplicant{})
	for _, tc := range evalCases {
		t.Run(tc.why, func(t *testing.T) {
			res, err := evaluate(t, p, tc.req, tc.app, tc.asOf)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.status {
				t.Errorf("status %v, want %v", res.Status, tc.status)
			}
			if tc.clauses != nil && !reflect.DeepEqual(res.Clauses, tc.clauses) {
				t.Errorf("clauses:\ngot  %s\nwant %s", showClauses(res.Clauses), showClauses(tc.clauses))
			}
		})
	}
}

// BenchmarkEval runs the table above, one requirement per case.
func BenchmarkEval(b *testing.B) {
	p := compileEval(b, evalRules, testApplicant{})
	for b.Loop() {
		for _, tc := range evalCases {
			i, _ := p.Requirement(tc.req)
			run, err := p.NewRun(tc.app, *date(tc.asOf))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := run.Requirement(i); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func showClauses(cs []Clause) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "\n  %+v", c)
		if c.Closest != nil {
			fmt.Fprintf(&b, "\n    closest: %+v", *c.Closest)
		}
	}
	return b.String()
}

// TestEvalError: a rule that fails while it runs is an *EvalError naming
// the requirement, never a status.
func TestEvalError(t *testing.T) {
	p := compileEval(t, evalRules, testApplicant{})
	_, err := evaluate(t, p, "first-qualification", &testApplicant{Qualifications: []testQual{}}, "2024-06-01")
	var ee *EvalError
	if !errors.As(err, &ee) || ee.Rule != "requirement first-qualification" {
		t.Fatalf("got %v, want an *EvalError for requirement first-qualification", err)
	}
	res, err := evaluate(t, p, "first-qualification", &testApplicant{}, "2024-06-01")
	if err != nil || res.Status != Unknown {
		t.Errorf("absent qualifications: %v, %v; want unknown", res.Status, err)
	}
}

// TestParam: Program.Param gives a dated parameter's value on each side of
// the date it changes, and NewRun refuses a date before a parameter has
// any value.
func TestParam(t *testing.T) {
	p := compileEval(t, evalRules, testApplicant{})
	for _, tc := range []struct {
		name, on string
		want     any
		err      bool
	}{
		{"min_cpd", "2019-12-31", nil, true},
		{"min_cpd", "2020-01-01", 10.0, false},
		{"min_cpd", "2024-03-31", 10.0, false},
		{"min_cpd", "2024-04-01", 30.0, false},
		{"min_cpd", "2099-01-01", 30.0, false},
		{"course_hours", "1900-01-01", 80.0, false},
		{"core_fields", "2024-01-01", []string{"counselling", "psychotherapy"}, false},
		{"no_such", "2024-01-01", nil, true},
	} {
		v, err := p.Param(tc.name, *date(tc.on))
		if (err != nil) != tc.err || !reflect.DeepEqual(v, tc.want) {
			t.Errorf("Param(%s, %s) = %v, %v; want %v (error: %v)", tc.name, tc.on, v, err, tc.want, tc.err)
		}
	}
	// A time of day on the boundary date is still that date.
	if v, err := p.Param("min_cpd", date("2024-04-01").Add(13*time.Hour)); err != nil || v != 30.0 {
		t.Errorf("Param on the boundary day at 13:00 = %v, %v; want 30", v, err)
	}
	if _, err := p.NewRun(&testApplicant{}, *date("2019-12-31")); err == nil {
		t.Error("NewRun before min_cpd has a value succeeded")
	}
}

// clockApplicant is a model for the date functions and for counting how
// often a fact is computed.
type clockApplicant struct {
	D    *time.Time     `expr:"d"`
	N    float64        `expr:"n"`
	Tick func() float64 `expr:"tick"`
}

const clockRules = `
ruleset: clock
version: "1"
facts:
  ticks: tick()
  twice: ticks * 2
requirements:
  done: {title: done, source: test, when: done(d)}
  current: {title: current, source: test, when: current(d)}
  within: {title: within, source: test, when: "within(d, n)"}
  years: {title: years, source: test, when: yearsSince(d) >= n}
  months: {title: months, source: test, when: monthsSince(d) >= n}
  ticked: {title: ticked, source: test, when: ticks >= 1}
  ticked-again: {title: ticked again, source: test, when: ticks + twice >= 3}
  ticked-twice: {title: ticked twice, source: test, when: twice == 2 && ticks == 1}
levels:
  - {id: l, title: L, requires: [done]}
`

// TestDateFunctions: the date functions on and around their boundaries.
func TestDateFunctions(t *testing.T) {
	p := compileEval(t, clockRules, clockApplicant{})
	for _, tc := range []struct {
		why, req, d, asOf string
		n                 float64
		status            Status
		observed          any // for yearsSince and monthsSince
	}{
		{"done on the day", "done", "2024-03-15", "2024-03-15", 0, Met, nil},
		{"not done the day before", "done", "2024-03-16", "2024-03-15", 0, Unmet, nil},
		{"done with no date is unknown", "done", "", "2024-03-15", 0, Unknown, nil},
		{"current on the day it ends", "current", "2024-03-15", "2024-03-15", 0, Met, nil},
		{"not current the day after", "current", "2024-03-14", "2024-03-15", 0, Unmet, nil},
		{"within 12 months: a day short of a year", "within", "2023-03-16", "2024-03-15", 12, Met, nil},
		{"within 12 months: exactly a year, the window's first day", "within", "2023-03-15", "2024-03-15", 12, Met, nil},
		{"not within 12 months: a day before the window", "within", "2023-03-14", "2024-03-15", 12, Unmet, nil},
		{"within 12 months: the evaluation date itself", "within", "2024-03-15", "2024-03-15", 12, Met, nil},
		{"not within: a date in the future", "within", "2024-03-16", "2024-03-15", 12, Unmet, nil},
		{"within 1 month at a month's end: 30 days back", "within", "2024-03-01", "2024-03-31", 1, Met, nil},
		{"within 1 month at a month's end: 29 days back", "within", "2024-03-02", "2024-03-31", 1, Met, nil},
		{"within 1 month at a month's end: the shorter month's last day starts the window", "within", "2024-02-29", "2024-03-31", 1, Met, nil},
		{"not within 1 month at a month's end: the day before the window", "within", "2024-02-28", "2024-03-31", 1, Unmet, nil},
		{"within 1 month from 29 February: 29 January starts the window", "within", "2024-01-29", "2024-02-29", 1, Met, nil},
		{"not within 1 month from 29 February: 28 January", "within", "2024-01-28", "2024-02-29", 1, Unmet, nil},
		{"monthsSince 31 January on 29 February is 1: the month's last day completes it", "months", "2024-01-31", "2024-02-29", 1, Met, 1.0},
		{"monthsSince 31 January on 28 February 2024 is 0", "months", "2024-01-31", "2024-02-28", 1, Unmet, 0.0},
		{"within 12 months from 29 February: 28 February the year before starts the window", "within", "2023-02-28", "2024-02-29", 12, Met, nil},
		{"not within 12 months from 29 February: 27 February the year before", "within", "2023-02-27", "2024-02-29", 12, Unmet, nil},
		{"5 years on the anniversary", "years", "2019-03-15", "2024-03-15", 5, Met, 5.0},
		{"4 years the day before the anniversary", "years", "2019-03-16", "2024-03-15", 5, Unmet, 4.0},
		{"a 29 February date's year is complete on 28 February in other years", "years", "2020-02-29", "2021-02-28", 1, Met, 1.0},
		{"a 29 February date's year is not complete on 27 February", "years", "2020-02-29", "2021-02-27", 1, Unmet, 0.0},
		{"3 years from 29 February 2020 are complete on 28 February 2023", "years", "2020-02-29", "2023-02-28", 3, Met, 3.0},
		{"yearsSince a future date is -1", "years", "2025-01-01", "2024-03-15", 0, Unmet, -1.0},
		{"monthsSince counts whole months", "months", "2024-01-15", "2024-03-14", 2, Unmet, 1.0},
		{"monthsSince on the monthly anniversary", "months", "2024-01-15", "2024-03-15", 2, Met, 2.0},
		{"no date: unknown, not -1", "years", "", "2024-03-15", 0, Unknown, nil},
	} {
		t.Run(tc.why, func(t *testing.T) {
			app := clockApplicant{N: tc.n, Tick: func() float64 { return 1 }}
			if tc.d != "" {
				app.D = date(tc.d)
			}
			res, err := evaluate(t, p, tc.req, &app, tc.asOf)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.status {
				t.Errorf("status %v, want %v", res.Status, tc.status)
			}
			if tc.observed != nil && (len(res.Clauses) != 1 || !res.Clauses[0].Observed.Equal(ValueOf(tc.observed))) {
				t.Errorf("clauses %+v, want observed %v", res.Clauses, tc.observed)
			}
		})
	}
}

// TestEvaluationDateHasNoTime: an evaluation date with a time of day is
// that day, so that something expiring today is still current.
func TestEvaluationDateHasNoTime(t *testing.T) {
	p := compileEval(t, clockRules, clockApplicant{})
	i, _ := p.Requirement("current")
	run, err := p.NewRun(&clockApplicant{D: date("2024-03-15")}, date("2024-03-15").Add(15*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := run.Requirement(i); err != nil || res.Status != Met {
		t.Errorf("current(today) at 15:00: %v, %v; want met", res.Status, err)
	}
}

// TestFactsOnce: a fact is computed at most once per run, however many
// requirements and facts read it, and afresh in each run.
func TestFactsOnce(t *testing.T) {
	p := compileEval(t, clockRules, clockApplicant{})
	calls := 0
	app := &clockApplicant{Tick: func() float64 { calls++; return 1 }}
	for runs := 1; runs <= 2; runs++ {
		run, err := p.NewRun(app, *date("2024-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"ticked", "ticked-again", "ticked-twice", "done"} {
			i, _ := p.Requirement(id)
			res, err := run.Requirement(i)
			if err != nil {
				t.Fatal(err)
			}
			if id != "done" && res.Status != Met {
				t.Errorf("%s: %v, want met (a fact computed twice would give tick() = 2)", id, res.Status)
			}
		}
		if calls != runs {
			t.Fatalf("after %d runs tick() was called %d times, want %d", runs, calls, runs)
		}
	}
}

// TestProgramAccessors: requirement indexes follow the rule set's order.
func TestProgramAccessors(t *testing.T) {
	p := compileEval(t, evalRules, testApplicant{})
	if p.NumRequirements() != len(p.Set().Requirements) {
		t.Fatalf("NumRequirements %d, want %d", p.NumRequirements(), len(p.Set().Requirements))
	}
	for i, r := range p.Set().Requirements {
		if j, ok := p.Requirement(r.ID); !ok || j != i {
			t.Errorf("Requirement(%s) = %d, %v; want %d", r.ID, j, ok, i)
		}
	}
	if _, ok := p.Requirement("nope"); ok {
		t.Error("Requirement(nope) found")
	}
	if _, err := p.NewRun(&clockApplicant{}, *date("2024-01-01")); err == nil {
		t.Error("NewRun with the wrong applicant type succeeded")
	}
	if _, err := p.NewRun((*testApplicant)(nil), *date("2024-01-01")); err == nil {
		t.Error("NewRun with a nil applicant succeeded")
	}
	for s, want := range map[Status]string{Met: "met", Unmet: "unmet", Unknown: "unknown", Review: "review", 9: "Status(9)"} {
		if s.String() != want {
			t.Errorf("Status(%d).String() = %q, want %q", s, s.String(), want)
		}
	}
}

// TestRunBadApplicant: NewRun and Reset refuse with an error, and do not
// panic on, an applicant that is not the model type or a pointer to one:
// nil, a nil pointer, another type, a pointer to a pointer; so does a Run
// that no Program made.
func TestRunBadApplicant(t *testing.T) {
	p := compileEval(t, evalRules, testApplicant{})
	asOf := *date("2024-06-01")
	a := &testApplicant{}
	run, err := p.NewRun(a, asOf)
	if err != nil {
		t.Fatal(err)
	}
	for name, app := range map[string]any{
		"nil": nil, "nil pointer": (*testApplicant)(nil), "int": 5, "pointer to pointer": &a,
		"other type": clockApplicant{},
	} {
		func() {
			defer func() {
				if v := recover(); v != nil {
					t.Errorf("%s: panicked: %v", name, v)
				}
			}()
			if _, err := p.NewRun(app, asOf); err == nil {
				t.Errorf("NewRun(%s) succeeded", name)
			}
			if err := run.Reset(app, asOf); err == nil {
				t.Errorf("Reset(%s) succeeded", name)
			}
		}()
	}
	if err := new(Run).Reset(a, asOf); err == nil {
		t.Error("Reset of a zero Run succeeded")
	}
	if _, err := (*Program)(nil).NewRun(a, asOf); err == nil {
		t.Error("NewRun of a nil Program succeeded")
	}
}

// TestClauseText: a clause's text is its source, brackets balanced, spaces
// collapsed.
func TestClauseText(t *testing.T) {
	for _, tc := range []struct{ when, want string }{
		{`(portfolio?.caseStudyWords ?? 0) >= 10 && id != ""`, `(portfolio?.caseStudyWords ?? 0) >= 10|id != ""`},
		{`((len(cpd ?? []))) > 0`, `((len(cpd ?? []))) > 0`},
		{`( len(qualifications)  ) > 0 && [1, 2][0] == 1`, `( len(qualifications) ) > 0|[1, 2][0] == 1`},
		{`any(qualifications, (.level) == "diploma")`, `any(qualifications, (.level) == "diploma")`},
	} {
		src := "ruleset: t\nversion: \"1\"\nrequirements:\n  r: {title: R, source: test, when: " + strconv.Quote(tc.when) + "}\nlevels:\n  - {id: m, title: M, requires: [r]}\n"
		p := compileEval(t, src, testApplicant{})
		res, err := evaluate(t, p, "r", &testApplicant{ID: "x", Portfolio: &testPortfolio{}}, "2024-06-01")
		if err != nil {
			t.Fatalf("%s: %v", tc.when, err)
		}
		var texts []string
		for _, c := range res.Clauses {
			texts = append(texts, c.Text)
		}
		if got := strings.Join(texts, "|"); got != tc.want {
			t.Errorf("%s: clauses %q, want %q", tc.when, got, tc.want)
		}
	}
}
