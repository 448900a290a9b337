package peers

import (
	"fmt"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// exprEnv is what the expr programs see: the applicant's fields (embedded,
// by their expr tags) and the derived facts, computed once per applicant.
type exprEnv struct {
	Applicant
	CoreQualified   bool    `expr:"coreQualified"`
	PostDiploma     bool    `expr:"postDiploma"`
	ApprovedCPD     float64 `expr:"approvedCPD"`
	ApprovedDiploma bool    `expr:"approvedDiploma"`
}

// exprFacts are the derived facts, in the order they are computed.
var exprFacts = [...]string{
	`any(qualifications, .level in ["diploma", "post-diploma", "degree", "masters", "doctorate"] && .field in ["counselling", "psychotherapy", "psychology"])`,
	`any(qualifications, .level in ["post-diploma", "masters", "doctorate"] && .field in ["counselling", "psychotherapy", "psychology"])`,
	`sum(filter(trainings, .approvedProvider && .completed), .cpdHours)`,
	`any(trainings, .approvedProvider && .completed && .cpdHours >= 300)`,
}

// exprRequirements are the requirements, by index.
var exprRequirements = [numRequirements]string{
	iCoreQualified:     `coreQualified`,
	iApprovedDiploma:   `approvedDiploma`,
	iOnlineHours250:    `onlineClientHours >= 250`,
	iOnlineSupervision: `onlineSupervision`,
	iYears3:            `yearsQualified >= 3`,
	iCPD80:             `approvedCPD >= 80`,
	iOnlineHours50:     `onlineClientHours >= 50`,
	iCPD20:             `approvedCPD >= 20`,
	iAllied:            `alliedProfessional`,
	iStudent:           `student`,
	iYears1:            `yearsQualified >= 1`,
	iPostDiploma:       `postDiploma`,
}

// ExprPolicy is the policy in expr: every fact and requirement a program
// compiled once against exprEnv. It is immutable and safe for concurrent
// use.
type ExprPolicy struct {
	facts [len(exprFacts)]*vm.Program
	reqs  [numRequirements]*vm.Program
}

// NewExprPolicy compiles the policy's facts and requirements.
func NewExprPolicy() (*ExprPolicy, error) {
	p := &ExprPolicy{}
	for i, src := range exprFacts {
		var opts []expr.Option
		if i == 2 {
			opts = append(opts, expr.AsFloat64())
		} else {
			opts = append(opts, expr.AsBool())
		}
		prog, err := expr.Compile(src, append(opts, expr.Env(exprEnv{}))...)
		if err != nil {
			return nil, fmt.Errorf("fact %d: %w", i, err)
		}
		p.facts[i] = prog
	}
	for i, src := range exprRequirements {
		prog, err := expr.Compile(src, expr.Env(exprEnv{}), expr.AsBool())
		if err != nil {
			return nil, fmt.Errorf("requirement %s: %w", requirementIDs[i], err)
		}
		p.reqs[i] = prog
	}
	return p, nil
}

// Decide runs the fact programs, then the requirement programs, on a, and
// reads the ladder from the requirements that hold.
func (p *ExprPolicy) Decide(a *Applicant) (Outcome, error) {
	env := &exprEnv{Applicant: *a}
	var facts [len(exprFacts)]any
	for i, prog := range p.facts {
		v, err := expr.Run(prog, env)
		if err != nil {
			return Outcome{}, err
		}
		facts[i] = v
	}
	env.CoreQualified = facts[0].(bool)
	env.PostDiploma = facts[1].(bool)
	env.ApprovedCPD = facts[2].(float64)
	env.ApprovedDiploma = facts[3].(bool)
	var held [numRequirements]bool
	for i, prog := range p.reqs {
		v, err := expr.Run(prog, env)
		if err != nil {
			return Outcome{}, err
		}
		held[i] = v.(bool)
	}
	return decideHeld(&held), nil
}
