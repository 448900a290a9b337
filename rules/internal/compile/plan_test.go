package compile

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/check"
	"github.com/eligo-dev/eligo/rules/ruleset"
)

type course struct {
	Name  string  `expr:"name"`
	Hours float64 `expr:"hours"`
}

type applicant struct {
	Hours   float64  `expr:"hours"`
	Courses []course `expr:"courses" validate:"max=10"`
	Note    *string  `expr:"note"`
}

const planRules = `ruleset: plan
version: "1"
parameters:
  minHours: {value: 20, source: test}
  names: {value: [a, b], source: test}
facts:
  total: hours * 2
requirements:
  r:
    title: R
    source: s
    when: total >= param.minHours && any(courses, .hours >= 10 && .name in param.names) && note != nil
    review: hours > 1
levels:
  - {id: m, title: M, requires: [r]}
`

var errNonFinite = errors.New("non-finite")

// newPlan checks and compiles rules as package rules does.
func newPlan(t *testing.T, rules string, opts Options) (*Plan, *file.Errors) {
	t.Helper()
	set, err := ruleset.Parse("plan.yaml", []byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	errs := &file.Errors{}
	env, err := check.New(set, reflect.TypeFor[applicant](), errs,
		check.Options{MaxNodes: 2000, Hidden: MeterType, Functions: MeterFunctions(errNonFinite)})
	if err != nil {
		t.Fatal(err)
	}
	return New(env, opts), errs
}

// TestPlanSeam holds what the evaluators of package rules read from a
// plan: the environment's layout, facts in order with both programs, and
// each clause split into its VM and Fast parts, names resolved.
func TestPlanSeam(t *testing.T) {
	plan, errs := newPlan(t, planRules, Options{Memory: 1000, Steps: 1000, MaxListLen: 100})
	if plan == nil {
		t.Fatal(errs.Err(10))
	}
	if plan.Env == nil || plan.Meter < 0 || plan.Env.Field(plan.Meter).Type != MeterType {
		t.Errorf("environment %v, meter field %d", plan.Env, plan.Meter)
	}
	if len(plan.Facts) != 1 || plan.Facts[0].VM == nil || plan.Facts[0].Fast == nil || plan.Facts[0].Pos != 0 {
		t.Fatalf("facts: %+v", plan.Facts)
	}
	if plan.Layout.Steps != 1000 || plan.Layout.Memory != 1000 || len(plan.Layout.Facts) != 1 {
		t.Errorf("layout %+v", plan.Layout)
	}
	if len(plan.PeriodLists) != 1 || len(plan.PeriodLists[0]) != 1 || plan.PeriodLists[0][0].Field != plan.Params.Index["names"] {
		t.Errorf("parameter lists %+v", plan.PeriodLists)
	}
	if len(plan.Reqs) != 1 {
		t.Fatalf("requirements: %+v", plan.Reqs)
	}
	rp := plan.Reqs[0]
	if !rp.Fast || len(rp.Clauses) != 3 || rp.Review == nil || rp.Unknown != nil {
		t.Fatalf("requirement: %+v", rp)
	}
	if !slices.Equal(rp.Reads, []string{"hours", "courses", "note"}) {
		t.Errorf("reads %v", rp.Reads)
	}

	cmp := rp.Clauses[0]
	if cmp.Op != ">=" || cmp.VM.Prog != nil || cmp.VM.Left == nil || cmp.VM.Right == nil ||
		cmp.Fast.Left == nil || cmp.Fast.Right == nil || !cmp.Fast.OK {
		t.Errorf("comparison clause %+v", cmp)
	}
	if !slices.Equal(cmp.Names, []string{"total", "param.minHours"}) || !slices.Equal(cmp.FactPos, []int{0}) {
		t.Errorf("names %v, fact positions %v", cmp.Names, cmp.FactPos)
	}
	want := []ValueRef{{Name: "total", Param: -1, Fact: 0}, {Name: "param.minHours", Param: plan.Params.Index["minHours"]}}
	if !slices.Equal(cmp.Refs, want) {
		t.Errorf("refs %+v, want %+v", cmp.Refs, want)
	}

	list := rp.Clauses[1]
	if list.VM.Prog == nil || list.Fast.Bool == nil || !list.Fast.OK || list.List == nil {
		t.Fatalf("list clause %+v", list)
	}
	lc := list.List
	if lc.Builtin != "any" || lc.Path != "courses" || len(lc.Conds) != 2 || lc.VM.Detail == nil || lc.VM.Find == nil ||
		lc.Fast.List == nil || len(lc.Fast.Items) != 4 || len(lc.Fast.Conds) != 2 || !lc.Fast.OK {
		t.Errorf("list %+v", lc)
	}
	if len(lc.Paths) != MaxListPaths || lc.Paths[3] != "courses[3]" {
		t.Errorf("paths %v", lc.Paths)
	}

	nn := rp.Clauses[2]
	if len(nn.Needs) != 1 || nn.Needs[0].Path != "note" || !slices.Equal(nn.Needs[0].Index, []int{2}) {
		t.Errorf("needs %+v", nn.Needs)
	}
	if rp.Review.VM.Prog == nil || rp.Review.Fast.Bool == nil || !rp.Review.Fast.OK {
		t.Errorf("review %+v", rp.Review)
	}
	if errs.Len() != 0 {
		t.Errorf("errors: %v", errs.Err(10))
	}
}

// TestOverBudgetIsReported: a rule whose worst case is over the step
// budget is an ErrLimit at its position, and there is no plan.
func TestOverBudgetIsReported(t *testing.T) {
	plan, errs := newPlan(t, planRules, Options{Memory: 1000, Steps: 5, MaxListLen: 100})
	if plan != nil {
		t.Fatal("a plan over the step budget")
	}
	if errs.Len() == 0 {
		t.Fatal("no error")
	}
	for _, e := range errs.Recorded() {
		if !errors.Is(e, file.ErrLimit) || e.Pos.File != "plan.yaml" || e.Pos.Line != 12 {
			t.Errorf("error %v, want an ErrLimit at plan.yaml:12", e)
		}
	}
}
