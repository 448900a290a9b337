package rules

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"

	"github.com/eligo-dev/eligo/rules/internal/compile"
	"github.com/eligo-dev/eligo/rules/internal/fast"
)

// This file bounds the work of an evaluation: a step budget per expression
// run, counted alike by both evaluators; the bytes of text an expression
// builds, counted against the memory budget; numbers that stop being
// finite; and the caller's context, checked every thousand steps or so
// (fast.Meter, which both evaluators count with). Here are the options and
// the run's side; rules/internal/compile estimates each rule's work when it
// compiles (cost.go there) and patches expr's programs to count their
// steps (meter.go there), where it says what a step is.

// DefaultStepBudget caps the steps one expression may take while it runs
// (see StepBudget). With every list of an applicant at its longest, the
// worst case of the ACTO rules is about 99,000 steps per expression with
// eligo's applicant model (6 million where lists are assumed to hold 1,000
// entries each), and of the BACP example 11 million; expr's VM takes about
// 30 ns a step.
const DefaultStepBudget = 50_000_000

// DefaultMaxListLen is the length the load-time estimate of a rule's work
// assumes for an applicant list whose field has no validate:"max=N" tag.
const DefaultMaxListLen = 1000

// StepBudget sets how many steps one expression may take while it runs: an
// expression over budget fails with an *EvalError wrapping ErrLimit, and a
// rule whose worst case is over it is rejected when it compiles, as is a
// rule set whose expressions' worst cases together (facts, requirements
// and the programs that explain them: all that deciding and explaining
// one applicant runs) are over ten times it.
func StepBudget(n uint) Option {
	return func(c *config) error {
		if n == 0 {
			return errors.New("rules: StepBudget must be at least 1")
		}
		if n > math.MaxInt32 {
			return errors.New("rules: StepBudget must be at most 2147483647")
		}
		c.stepBudget = n
		return nil
	}
}

// MaxListLen sets the length that the load-time estimate of a rule's worst
// case assumes for an applicant list whose struct field has no
// validate:"max=N" tag (go-playground/validator's, which eligo's model
// has). It does not limit lists at run time; the step budget does.
func MaxListLen(n uint) Option {
	return func(c *config) error {
		if n == 0 {
			return errors.New("rules: MaxListLen must be at least 1")
		}
		c.maxListLen = n
		return nil
	}
}

// SetContext binds ctx to the run: an evaluation notices within a few
// thousand steps that ctx is done, and the requirement being evaluated, and
// every one after it until ctx changes, fails with an *EvalError wrapping
// ctx's error (errors.Is(err, context.Canceled) holds for a cancelled one).
// The context stays bound across Reset; nil unbinds it.
func (r *Run) SetContext(ctx context.Context) {
	r.fast.Meter.SetContext(ctx)
}

// limitError is what an expression over one of the budgets of meter m
// fails with.
func limitError(m *fast.Meter, err error) error {
	if m.Err() != nil && errors.Is(err, m.Err()) {
		return m.Err()
	}
	switch {
	case errors.Is(err, fast.ErrSteps):
		return fmt.Errorf("%w: more than %d steps (the step budget)", ErrLimit, m.Budget())
	case errors.Is(err, fast.ErrText):
		return fmt.Errorf("%w: more than %d bytes of text (the memory budget)", ErrLimit, m.Memory())
	}
	return err
}

// stopped is the error for requirement rp once the run's context is done.
func (r *Run) stopped(rp *compile.Requirement) error {
	if err := r.fast.Meter.Err(); err != nil {
		return &EvalError{Rule: "requirement " + rp.Req.ID, Err: err}
	}
	return nil
}

// The VM's side.

// bindMeter points the VM's environment at the run's meter.
func (s *vmRun) bindMeter(r *Run) {
	s.meter = &r.fast.Meter
	s.env.Elem().Field(s.p.plan.Meter).Set(reflect.ValueOf(s.meter))
}
