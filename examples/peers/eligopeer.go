package peers

import (
	"context"
	_ "embed"
	"slices"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
)

//go:embed policy.yaml
var policyYAML []byte

// EligoAsOf is the evaluation date of every eligo decision: the policy
// reads no dates, but a decision is always made as of one.
var EligoAsOf = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// EligoPolicy is the policy as an eligo rule set (policy.yaml) over the Go
// type Applicant. It is immutable and safe for concurrent use.
type EligoPolicy struct {
	// Engine decides an *Applicant: the full decision, every requirement
	// explained.
	Engine *eligibility.EngineOf[Applicant]
}

// NewEligoPolicy loads and compiles policy.yaml for Applicant.
func NewEligoPolicy() (*EligoPolicy, error) {
	set, err := rules.Parse("policy.yaml", policyYAML)
	if err != nil {
		return nil, err
	}
	e, err := eligibility.NewFor[Applicant](set)
	if err != nil {
		return nil, err
	}
	return &EligoPolicy{Engine: e}, nil
}

// Decide decides a with Evaluate (a full decision, explanations included)
// and reads the policy's output from it.
func (p *EligoPolicy) Decide(ctx context.Context, a *Applicant) (Outcome, error) {
	d, err := p.Engine.Evaluate(ctx, a, eligibility.AsOf(EligoAsOf))
	if err != nil {
		return Outcome{}, err
	}
	return OutcomeOf(d), nil
}

// OutcomeOf reads the policy's output from an eligo decision. Courses and
// missing come straight from it (GrantedCourses, Next.Unmet); the level is
// the decision's Level or, with none granted, the first granted category in
// the policy's order (associate, then student), else none.
func OutcomeOf(d *eligibility.Decision) Outcome {
	out := Outcome{Level: d.Level}
	if out.Level == "" {
		out.Level = None
		if cs := d.GrantedCategories(); len(cs) > 0 { // in the policy's order
			out.Level = cs[0]
		}
	}
	if cs := d.GrantedCourses(); len(cs) > 0 { // a new slice, in rule-set order
		slices.Sort(cs)
		out.Courses = cs
	}
	if d.Next != nil {
		for _, u := range d.Next.Unmet {
			out.Missing = append(out.Missing, u.ID)
		}
	}
	return out
}
