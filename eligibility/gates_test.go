package eligibility

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules"
)

// gatedRules has a gate, a must-refuse rule every award needs: no
// registration with a body other than the recognised ones. The senior
// level also lists the gate itself (it counts once), the retired category
// needs nothing but the gate, and the panel route nothing but a panel.
const gatedRules = `ruleset: gated
version: "1"
parameters:
  fee: {value: 10, source: test}
requirements:
  no-sanction:
    title: No registration with an unrecognised body
    source: test
    when: none(registrations, .body == "other")
  insured:
    title: Insured
    source: test
    when: insurance != nil && insurance.professionalIndemnity
  cpd:
    title: Enough CPD
    source: test
    when: sum(cpd ?? [], .hours) >= 10
gates: [no-sanction]
benefits:
  newsletter: Newsletter
levels:
  - {id: member, title: Member, requires: [insured], benefits: [newsletter], fee: fee}
  - id: senior
    title: Senior
    requires: [insured, no-sanction]
    routes:
      standard: [cpd]
      panel: {requires: [], review: true}
categories:
  - {id: retired, title: Retired}
courses:
  - {id: course, title: A course, requires: [cpd]}
`

func gatedEngine(t *testing.T) *EngineOf[Applicant] {
	t.Helper()
	set, err := rules.Parse("gated.yaml", []byte(gatedRules))
	if err != nil {
		t.Fatal(err)
	}
	e, err := newACTO(set)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// gatedApplicant is insured, with enough CPD, all verified, and the given
// registrations.
func gatedApplicant(regs []Registration) *Applicant {
	return &Applicant{
		ID:            "g1",
		Registrations: regs,
		Insurance:     &Insurance{ProfessionalIndemnity: true, Verified: true},
		CPD:           []CPD{{Title: "Text work", Hours: 12, Verified: true}},
	}
}

// outcomes lists every award's id and outcome, levels, categories, then
// courses.
func outcomes(d *Decision) []string {
	var out []string
	for _, group := range [][]AwardResult{d.Levels(), d.Categories(), d.Courses()} {
		for _, a := range group {
			out = append(out, a.ID+" "+string(a.Outcome))
		}
	}
	return out
}

func statusIDs(rs []RequirementStatus) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID + " " + string(r.Status)
	}
	return out
}

// TestGates: an unmet gate refuses every level, category and course, on
// every route, and grants nothing; a met one lets each award's own
// requirements decide; an unknown one leaves every award undetermined,
// with the data to supply among what would settle it. Awards list the gate
// first, and once.
func TestGates(t *testing.T) {
	e := gatedEngine(t)
	asOf := AsOf(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	bacp := Registration{Body: "BACP", Verified: true}
	other := Registration{Body: "other", Verified: true}

	d, err := e.Evaluate(context.Background(), gatedApplicant([]Registration{bacp, other}), asOf)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"member refused", "senior refused", "retired refused", "course refused"}; !reflect.DeepEqual(outcomes(d), want) {
		t.Errorf("sanctioned: outcomes %v, want %v", outcomes(d), want)
	}
	if d.Level != "" || len(d.Benefits) != 0 || len(d.Fees) != 0 || d.FeeTotal != 0 {
		t.Errorf("sanctioned: level %q, benefits %v, fees %v: nothing may follow from a refused award", d.Level, d.Benefits, d.Fees)
	}
	if want := []string{"no-sanction unmet"}; !reflect.DeepEqual(statusIDs(d.Gates()), want) {
		t.Errorf("sanctioned: gates %v, want %v", statusIDs(d.Gates()), want)
	}
	if got, want := statusIDs(d.Levels()[0].Requirements), []string{"no-sanction unmet", "insured met"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sanctioned: member requires %v, want %v", got, want)
	}
	for _, rt := range d.Levels()[1].Routes {
		if rt.Outcome != Refused || len(rt.Requirements) == 0 || rt.Requirements[0].ID != "no-sanction" {
			t.Errorf("sanctioned: senior route %s: %s %v, want refused with the gate first", rt.Name, rt.Outcome, statusIDs(rt.Requirements))
		}
	}
	if got, want := statusIDs(d.Levels()[1].Routes[0].Requirements), []string{"no-sanction unmet", "insured met", "cpd met"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sanctioned: senior's standard route requires %v, want %v (a gate the level lists counts once)", got, want)
	}
	if got := d.Next; got == nil || got.Level != "member" || !reflect.DeepEqual(statusIDs(got.Unmet), []string{"no-sanction unmet"}) {
		t.Errorf("sanctioned: next %+v, want member with the gate unmet", got)
	}
	text := d.Text()
	if !strings.Contains(text, "Gates (every award needs them): ✗ no-sanction [unmet]\n") {
		t.Errorf("sanctioned: the text does not show the gate:\n%s", text)
	}
	js, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"level":"","gates":[{"id":"no-sanction","status":"unmet"}],"levels":`) {
		t.Errorf("sanctioned: the JSON does not list the gate after the level:\n%s", js)
	}

	d, err = e.Evaluate(context.Background(), gatedApplicant([]Registration{bacp}), asOf)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"member granted", "senior granted", "retired granted", "course granted"}; !reflect.DeepEqual(outcomes(d), want) {
		t.Errorf("in good standing: outcomes %v, want %v", outcomes(d), want)
	}
	if d.Level != "senior" || !reflect.DeepEqual(statusIDs(d.Gates()), []string{"no-sanction met"}) {
		t.Errorf("in good standing: level %q, gates %v; want senior, the gate met", d.Level, statusIDs(d.Gates()))
	}

	d, err = e.Evaluate(context.Background(), gatedApplicant(nil), asOf)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"member undetermined", "senior undetermined", "retired undetermined", "course undetermined"}; !reflect.DeepEqual(outcomes(d), want) {
		t.Errorf("no registrations section: outcomes %v, want %v", outcomes(d), want)
	}
	for _, group := range [][]AwardResult{d.Levels(), d.Categories(), d.Courses()} {
		for _, a := range group {
			want := Action{Kind: Supply, Requirement: "no-sanction", Item: "registrations"}
			if len(a.Settle) == 0 || a.Settle[0] != want {
				t.Errorf("no registrations section: %s settles with %v, want %v first", a.ID, a.Settle, want)
			}
		}
	}
}

// TestNoGatesNoKey: a rule set without gates gives no gates, and its JSON
// no "gates" key, so decisions under it read as before gates existed.
func TestNoGatesNoKey(t *testing.T) {
	set, err := rules.Parse("gated.yaml", []byte(strings.Replace(gatedRules, "gates: [no-sanction]\n", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	e, err := newACTO(set)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Evaluate(context.Background(), gatedApplicant([]Registration{{Body: "other", Verified: true}}), AsOf(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	if d.Gates() != nil || d.Level != "member" {
		t.Errorf("gates %v, level %q; want none and member", d.Gates(), d.Level)
	}
	js, _ := json.Marshal(d)
	if strings.Contains(string(js), `"gates"`) || strings.Contains(d.Text(), "Gates") {
		t.Errorf("a decision without gates mentions them:\n%s", js)
	}
}

// TestFailedNoneNamesEntry: a failed none() names, in the decision and its
// text, the entry that makes it fail, with every condition met.
func TestFailedNoneNamesEntry(t *testing.T) {
	e := gatedEngine(t)
	regs := []Registration{{Body: "BACP", Verified: true}, {Body: "other", Number: "X1", Verified: true}, {Body: "other", Verified: true}}
	d, err := e.Evaluate(context.Background(), gatedApplicant(regs), AsOf(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := d.Requirement("no-sanction")
	want := &EntryGap{Path: "registrations[1]", Label: "other", Met: 1, Total: 1, Failed: []ConditionGap{}}
	if r.Status != Unmet || len(r.Clauses) != 1 || !reflect.DeepEqual(r.Clauses[0].Closest, want) {
		t.Fatalf("no-sanction: %s %+v, want unmet naming %+v", r.Status, r.Clauses, want)
	}
	lines := r.Explain()
	if wantLine := "found: registrations[1] (other), which meets the condition"; len(lines) != 2 || lines[1] != wantLine {
		t.Errorf("explained as %q, want a second line %q", lines, wantLine)
	}
}
