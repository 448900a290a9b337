package peers

import (
	"fmt"
	"reflect"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/ext"
)

// The cel-go engine reads the applicant as a native Go value: ext.NativeTypes
// exposes Applicant, Qualification and Training to CEL by their cel tags, so
// the caller's *Applicant goes into the activation as it is, with no
// conversion to maps or protobuf (what a Go service holding its own structs
// would choose). CEL has no sum over a list, so the environment declares one,
// sum(list(double)), bound to a Go function: the usual way to extend CEL.

// celFacts are the derived facts, each a variable of the requirements.
var celFacts = [...]struct{ name, src string }{
	{"coreQualified", `a.qualifications.exists(q, q.level in ["diploma", "post-diploma", "degree", "masters", "doctorate"] && q.field in ["counselling", "psychotherapy", "psychology"])`},
	{"postDiploma", `a.qualifications.exists(q, q.level in ["post-diploma", "masters", "doctorate"] && q.field in ["counselling", "psychotherapy", "psychology"])`},
	{"approvedCPD", `sum(a.trainings.filter(t, t.approvedProvider && t.completed).map(t, t.cpdHours))`},
	{"approvedDiploma", `a.trainings.exists(t, t.approvedProvider && t.completed && t.cpdHours >= 300.0)`},
}

// celRequirements are the requirements, by index.
var celRequirements = [numRequirements]string{
	iCoreQualified:     `coreQualified`,
	iApprovedDiploma:   `approvedDiploma`,
	iOnlineHours250:    `a.onlineClientHours >= 250.0`,
	iOnlineSupervision: `a.onlineSupervision`,
	iYears3:            `a.yearsQualified >= 3`,
	iCPD80:             `approvedCPD >= 80.0`,
	iOnlineHours50:     `a.onlineClientHours >= 50.0`,
	iCPD20:             `approvedCPD >= 20.0`,
	iAllied:            `a.alliedProfessional`,
	iStudent:           `a.student`,
	iYears1:            `a.yearsQualified >= 1`,
	iPostDiploma:       `postDiploma`,
}

// CELPolicy is the policy in cel-go: every fact and requirement a program
// compiled and planned once. It is immutable and safe for concurrent use.
type CELPolicy struct {
	facts [len(celFacts)]cel.Program
	reqs  [numRequirements]cel.Program
}

// NewCELPolicy compiles the policy's facts and requirements.
func NewCELPolicy() (*CELPolicy, error) {
	env, err := cel.NewEnv(
		ext.NativeTypes(reflect.TypeFor[Applicant](), ext.ParseStructTags(true)),
		cel.Variable("a", cel.ObjectType("peers.Applicant")),
		cel.Variable("coreQualified", cel.BoolType),
		cel.Variable("postDiploma", cel.BoolType),
		cel.Variable("approvedCPD", cel.DoubleType),
		cel.Variable("approvedDiploma", cel.BoolType),
		cel.Function("sum", cel.Overload("sum_list_double",
			[]*cel.Type{cel.ListType(cel.DoubleType)}, cel.DoubleType,
			cel.UnaryBinding(sumDoubles))),
	)
	if err != nil {
		return nil, err
	}
	compile := func(what, src string, want *cel.Type) (cel.Program, error) {
		ast, iss := env.Compile(src)
		if iss.Err() != nil {
			return nil, fmt.Errorf("%s: %w", what, iss.Err())
		}
		if !ast.OutputType().IsExactType(want) {
			return nil, fmt.Errorf("%s: type %s, want %s", what, ast.OutputType(), want)
		}
		return env.Program(ast)
	}
	p := &CELPolicy{}
	for i, f := range celFacts {
		want := cel.BoolType
		if f.name == "approvedCPD" {
			want = cel.DoubleType
		}
		if p.facts[i], err = compile("fact "+f.name, f.src, want); err != nil {
			return nil, err
		}
	}
	for i, src := range celRequirements {
		if p.reqs[i], err = compile("requirement "+requirementIDs[i], src, cel.BoolType); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// sumDoubles is sum(list(double)): the doubles added in list order.
func sumDoubles(v ref.Val) ref.Val {
	l, ok := v.(traits.Lister)
	if !ok {
		return types.MaybeNoSuchOverloadErr(v)
	}
	var total float64
	for it := l.Iterator(); it.HasNext() == types.True; {
		d, ok := it.Next().(types.Double)
		if !ok {
			return types.NewErr("sum: not a double")
		}
		total += float64(d)
	}
	return types.Double(total)
}

// Decide evaluates the fact programs, then the requirement programs, on a,
// in one activation, and reads the ladder from the requirements that hold.
func (p *CELPolicy) Decide(a *Applicant) (Outcome, error) {
	vars := map[string]any{"a": a}
	act, err := cel.NewActivation(vars)
	if err != nil {
		return Outcome{}, err
	}
	for i, prog := range p.facts {
		v, _, err := prog.Eval(act)
		if err != nil {
			return Outcome{}, fmt.Errorf("fact %s: %w", celFacts[i].name, err)
		}
		vars[celFacts[i].name] = v
	}
	var held [numRequirements]bool
	for i, prog := range p.reqs {
		v, _, err := prog.Eval(act)
		if err != nil {
			return Outcome{}, fmt.Errorf("requirement %s: %w", requirementIDs[i], err)
		}
		held[i] = v == types.True
	}
	return decideHeld(&held), nil
}
