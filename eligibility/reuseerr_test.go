package eligibility

import (
	"context"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules"
)

// reuseErrRules: a rule that fails (an index past the end of cpd) once
// the insurance has lapsed, now or, with WithValidity, on a later day.
const reuseErrRules = `ruleset: reuseerr
version: "1"
requirements:
  insured:
    title: insured
    source: test
    when: insurance?.expires != nil && insurance.expires >= asOf
  fourth:
    title: a fourth CPD entry of more than an hour, once insurance lapses
    source: test
    when: (insurance?.expires != nil && insurance.expires >= asOf) || cpd[3].hours > 1
levels:
  - {id: member, title: Member, requires: [insured, fourth]}
`

// TestReusingAfterError: when Evaluate with Reusing(r) fails, while
// deciding or while finding how long the decision holds, r is a zero
// Decision: it never reads as a decision, let alone a grant, of the
// applicant that failed, nor of the one before; and it is not reused.
func TestReusingAfterError(t *testing.T) {
	set, err := rules.Parse("reuseerr.yaml", []byte(reuseErrRules))
	if err != nil {
		t.Fatal(err)
	}
	e, err := newACTO(set)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	later, earlier := asOf.AddDate(0, 2, 0), asOf.AddDate(0, -2, 0)
	good := &Applicant{ID: "good", CPD: []CPD{{Title: "a", Hours: 3, Verified: true}, {Title: "b", Hours: 3, Verified: true}, {Title: "c", Hours: 3, Verified: true}, {Title: "d", Hours: 3, Verified: true}},
		Insurance: &Insurance{ProfessionalIndemnity: true, Expires: &later, Verified: true}}
	for name, a := range map[string]*Applicant{
		"fails now":            {ID: "now", CPD: []CPD{}, Insurance: &Insurance{ProfessionalIndemnity: true, Expires: &earlier, Verified: true}},
		"fails on a later day": {ID: "later", CPD: []CPD{}, Insurance: &Insurance{ProfessionalIndemnity: true, Expires: &later, Verified: true}},
	} {
		r, err := e.Evaluate(ctx, good, AsOf(asOf), WithValidity(), Reusing(nil))
		if err != nil || r.Level != "member" {
			t.Fatalf("%s: the first decision: %v, %v", name, r, err)
		}
		d, err := e.Evaluate(ctx, a, AsOf(asOf), WithValidity(), Reusing(r))
		if d != nil || err == nil {
			t.Fatalf("%s: (%v, %v), want no decision and an error", name, d, err)
		}
		if !r.Equal(&Decision{}) || r.Level != "" || len(r.Levels()) != 0 || len(r.Requirements()) != 0 {
			t.Errorf("%s: the decision handed to Reusing reads as one: applicant %q, level %q", name, r.Applicant, r.Level)
		}
		next, err := e.Evaluate(ctx, good, AsOf(asOf), Reusing(r))
		if err != nil || next == r {
			t.Errorf("%s: the zero decision was reused (%v)", name, err)
		}
	}
}
