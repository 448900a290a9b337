package rules

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// budgetRules is a rule set with one requirement, r, whose condition is
// when (any expression, quoted for YAML).
func budgetRules(when string) string {
	return `ruleset: budget
version: "1"
parameters:
  big: {value: 1e308, source: test}
  formats: {value: [video, audio], source: test}
requirements:
  r:
    title: R
    source: test
    when: ` + strconv.Quote(when) + `
levels:
  - {id: l, title: L, requires: [r]}
`
}

func compileBudget(t *testing.T, when string, opts ...Option) (*Program, error) {
	t.Helper()
	set, err := Parse("budget.yaml", []byte(budgetRules(when)))
	if err != nil {
		t.Fatal(err)
	}
	return Compile(set, testApplicant{}, opts...)
}

// cpdEntries is an applicant with n CPD entries of the given hours.
func cpdEntries(n int, hours float64) *testApplicant {
	a := &testApplicant{}
	for range n {
		a.CPD = append(a.CPD, testCPD{Hours: hours, Online: true, Date: date("2024-01-01")})
	}
	return a
}

// evalBoth evaluates requirement 0 on the fast evaluator (which may hand
// it to the VM) and on the VM alone, requires the same error from both,
// and returns it.
func evalBoth(t *testing.T, p *Program, app any) error {
	t.Helper()
	asOf := *date("2024-06-01")
	fast, err := p.NewRun(app, asOf)
	if err != nil {
		t.Fatal(err)
	}
	_, ferr := fast.Requirement(0)
	slow, err := p.NewRun(app, asOf)
	if err != nil {
		t.Fatal(err)
	}
	_, serr := slow.slowRequirement(0)
	if fmt.Sprint(ferr) != fmt.Sprint(serr) {
		t.Fatalf("fast evaluator: %v\nVM: %v", ferr, serr)
	}
	return ferr
}

// wantLimit requires err to be an *EvalError wrapping ErrLimit.
func wantLimit(t *testing.T, err error) {
	t.Helper()
	var ee *EvalError
	if !errors.As(err, &ee) || !errors.Is(err, ErrLimit) {
		t.Fatalf("error %v (%T), want an *EvalError wrapping ErrLimit", err, err)
	}
}

// Rules whose worst case has no bound, or one over the step budget, are
// rejected when they compile, with a positioned ErrLimit: before the step
// budget the first ran for hours and the others for seconds to minutes.
func TestStaticWorkBound(t *testing.T) {
	for _, tc := range []struct {
		when string
		at   string // where the error points, in when
		msg  string
	}{
		// A range built once and walked twice over: 10^12 steps.
		{`let r = 1..999999; any(r, any(r, false))`, `r =`, "more than the step budget"},
		{`any(1..100000, any(1..100000, # > 0 && false))`, `any`, "more than the step budget"},
		// A billion steps through applicant lists of up to 1,000 entries.
		{`any(cpd, any(cpd, any(cpd, .online)))`, `any`, "more than the step budget"},
		// in walks its list: 10^6 * 10^6.
		{`let r = 1..1000000; any(r, # in r)`, `r =`, "more than the step budget"},
		// A range whose bounds are not constants has no bound at all; the
		// error points at the range.
		{`let r = 1..len(cpd) * 1000; any(r, # > 5)`, `1..`, "bounds are not constants"},
		{`sum(len(qualifications)..1000000000) > 0`, `len(`, "bounds are not constants"},
	} {
		t.Run(tc.when, func(t *testing.T) {
			_, err := compileBudget(t, tc.when)
			var list *ErrorList
			if !errors.As(err, &list) || !errors.Is(err, ErrLimit) {
				t.Fatalf("compiled: %v; want an ErrLimit", err)
			}
			// "    when: " and the opening quote come first on line 10.
			col := 12 + strings.Index(tc.when, tc.at)
			e := list.Errors[0]
			if e.Pos.Line != 10 || e.Pos.Column != col || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("error at %d:%d: %s; want 10:%d, %q", e.Pos.Line, e.Pos.Column, e.Msg, col, tc.msg)
			}
		})
	}
	// Within the budget: lists the model bounds, constant ranges, parameters.
	for _, when := range []string{
		`any(cpd, any(cpd, .online))`,
		`let r = 1..1000; any(r, any(r, # > 0))`,
		`sum(1..1000) > 0 && "video" in param.formats`,
	} {
		if _, err := compileBudget(t, when); err != nil {
			t.Errorf("%s: %v", when, err)
		}
	}
}

// A run over budget fails the applicant with ErrLimit, the same on both
// evaluators; it only happens where the applicant's lists are longer than
// the load-time estimate assumed (here MaxListLen(10)).
func TestStepBudgetAtRunTime(t *testing.T) {
	for _, when := range []string{
		`any(cpd, any(cpd, .hours < 0))`,          // fast evaluator
		`count(cpd, count(cpd, .online) > 0) < 0`, // fast evaluator
		`any(cpd, .hours in map(cpd, .hours) && false)`,
		`reduce(cpd, #acc + len(filter(cpd, .online)), 0) < 0`, // the VM only
	} {
		t.Run(when, func(t *testing.T) {
			p, err := compileBudget(t, when, StepBudget(5000), MaxListLen(10))
			if err != nil {
				t.Fatal(err)
			}
			if err := evalBoth(t, p, cpdEntries(10, 1)); err != nil {
				t.Fatalf("within budget: %v", err)
			}
			wantLimit(t, evalBoth(t, p, cpdEntries(200, 1)))
		})
	}
}

// Texts built count against the memory budget, in bytes: before, the first
// four exhausted memory (a fatal error: the process died).
func TestTextCountsAgainstMemory(t *testing.T) {
	for _, when := range []string{
		`reduce(1..1000, #acc + #acc, "x") != ""`,
		`reduce(1..60, join([#acc, #acc]), "x") != ""`,
		`repeat(repeat("x", 999999), 999999) != ""`,
		`replace(repeat("x", 100000), "", repeat("y", 100000)) != ""`,
		`repeat("x", 1000000000) != ""`, // expr's own limit, before too
	} {
		t.Run(when, func(t *testing.T) {
			p, err := compileBudget(t, when)
			if err != nil {
				t.Fatal(err)
			}
			wantLimit(t, evalBoth(t, p, cpdEntries(1, 1)))
		})
	}
	// Within the budget: the same functions on small texts.
	p, err := compileBudget(t, `replace(repeat("ab", 3), "b", "cd") + upper("x") == "acdacdacdX"`)
	if err != nil {
		t.Fatal(err)
	}
	run, _ := p.NewRun(cpdEntries(1, 1), *date("2024-06-01"))
	if res, err := run.Requirement(0); err != nil || res.Status != Met {
		t.Errorf("got %v, %v; want met", res.Status, err)
	}
}

// Arithmetic that overflows to an infinity or gives NaN fails the
// applicant on both evaluators; before, 1e308 + 1e308 hours met "> 1".
func TestNonFiniteNumbersFail(t *testing.T) {
	for _, tc := range []struct {
		when string
		app  *testApplicant
	}{
		{`sum(cpd, .hours) > 1`, cpdEntries(2, 1e308)},                  // fast evaluator
		{`sum(filter(cpd, .online), .hours) > 1`, cpdEntries(2, 1e308)}, // fast: sum(filter())
		{`sum(cpd, .hours) / 0.0 > 1`, cpdEntries(1, 0)},                // 0/0: NaN
		{`len(cpd) / 0 > 1`, cpdEntries(1, 0)},
		{`param.big * 10 > 1`, cpdEntries(1, 0)},
		{`1e308 * 10 > 1`, cpdEntries(1, 0)},
		{`mean(map(cpd, .hours)) > 1`, cpdEntries(2, 1e308)}, // the VM only
		{`float("inf") > 1`, cpdEntries(1, 0)},
		{`-(param.big * 10) < 1`, cpdEntries(1, 0)},
	} {
		t.Run(tc.when, func(t *testing.T) {
			p, err := compileBudget(t, tc.when)
			if err != nil {
				t.Fatal(err)
			}
			err = evalBoth(t, p, tc.app)
			var ee *EvalError
			if !errors.As(err, &ee) || !errors.Is(err, ErrNonFinite) {
				t.Fatalf("error %v; want an *EvalError for a number out of range", err)
			}
		})
	}
}

// A parameter that is not a finite number is rejected where it is written.
func TestNonFiniteParameter(t *testing.T) {
	for _, v := range []string{".inf", "-.Inf", ".nan"} {
		src := strings.Replace(budgetRules("param.big > 1"), "value: 1e308", "value: "+v, 1)
		_, err := Parse("budget.yaml", []byte(src))
		var list *ErrorList
		if !errors.As(err, &list) || !errors.Is(err, ErrValue) || list.Errors[0].Pos.Line != 4 {
			t.Errorf("%s: %v; want an ErrValue on line 4", v, err)
		}
	}
}

// A run bound to a context that is done stops within a few thousand steps,
// on either evaluator, with the context's error; every later requirement
// fails the same way until the context is unbound.
func TestRunHonoursContext(t *testing.T) {
	for _, when := range []string{
		`any(cpd, any(cpd, .hours < 0))`,                 // fast evaluator
		`let r = 1..3000; any(r, any(r, # < 0)) || true`, // the VM only
	} {
		t.Run(when, func(t *testing.T) {
			p, err := compileBudget(t, when)
			if err != nil {
				t.Fatal(err)
			}
			run, err := p.NewRun(cpdEntries(300, 1), *date("2024-06-01"))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			run.SetContext(ctx)
			for range 2 {
				_, err := run.Requirement(0)
				var ee *EvalError
				if !errors.As(err, &ee) || !errors.Is(err, context.Canceled) {
					t.Fatalf("error %v; want an *EvalError wrapping context.Canceled", err)
				}
			}
			if err := run.Reset(cpdEntries(300, 1), *date("2024-06-01")); err != nil {
				t.Fatal(err)
			}
			if _, err := run.Requirement(0); !errors.Is(err, context.Canceled) {
				t.Fatalf("after Reset: %v; want context.Canceled", err)
			}
			run.SetContext(nil)
			if _, err := run.Requirement(0); err != nil {
				t.Fatalf("unbound: %v", err)
			}
			ctx, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
			defer stop()
			run.SetContext(ctx)
			if _, err := run.Requirement(0); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("past deadline: %v; want context.DeadlineExceeded", err)
			}
		})
	}
}

func TestBudgetOptions(t *testing.T) {
	set, err := Parse("budget.yaml", []byte(budgetRules("len(cpd) > 0")))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []Option{StepBudget(0), StepBudget(1 << 40), MaxListLen(0)} {
		if _, err := Compile(set, testApplicant{}, o); err == nil {
			t.Error("a bad option was accepted")
		}
	}
}

// TestAllStepsBounded: facts that split one computation into parts each
// within the step budget are refused when their worst cases together pass
// AllStepsFactor budgets (ErrLimit, at the expression that passes them):
// deciding an applicant runs them all. Under it, they compile.
func TestAllStepsBounded(t *testing.T) {
	src := func(n int) string {
		var facts strings.Builder
		var sum []string
		for i := range n {
			fmt.Fprintf(&facts, "  f%d: sum(1..900, sum(1..900, %d))\n", i, i)
			sum = append(sum, fmt.Sprintf("f%d", i))
		}
		return "ruleset: x\nversion: \"1\"\nfacts:\n" + facts.String() +
			"requirements:\n  r: {title: R, source: s, when: " + strconv.Quote(strings.Join(sum, " + ")+" > 0") + "}\n" +
			"levels:\n  - {id: l, title: L, requires: [r]}\n"
	}
	// Each fact is about 811,000 steps: 12 are within 10 budgets of a
	// million, 13 are not.
	for n, refused := range map[int]bool{12: false, 13: true} {
		set, err := Parse("x.yaml", []byte(src(n)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Compile(set, testApplicant{}, StepBudget(1_000_000))
		var el *ErrorList
		switch {
		case !refused && err != nil:
			t.Errorf("%d facts: %v", n, err)
		case refused && (!errors.Is(err, ErrLimit) || !errors.As(err, &el) || el.Errors[0].Pos.Line != 3+n || !strings.Contains(err.Error(), "in all on one applicant")):
			t.Errorf("%d facts: error %v, want ErrLimit at fact f%d", n, err, n-1)
		}
	}
}
