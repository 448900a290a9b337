package eligibility

import (
	"fmt"
	"time"

	"github.com/eligo-dev/eligo/rules"
)

// Option configures New.
type Option func(*engineConfig) error

type engineConfig struct {
	compile []rules.Option
}

// WithCompileOptions passes options, such as safety limits, to
// rules.Compile.
func WithCompileOptions(opts ...rules.Option) Option {
	return func(c *engineConfig) error {
		c.compile = append(c.compile, opts...)
		return nil
	}
}

// EvalOption configures one call of Evaluate.
type EvalOption func(*evalConfig)

type evalConfig struct {
	asOf    time.Time
	hasAsOf bool // AsOf was given
	reusing bool // Reusing was given
	reuse   *Decision
	workers int   // EvaluateAll and Decisions
	dateErr error // EvaluateAll and Decisions: asOf is unusable, every applicant's error
}

// AsOf sets the evaluation date: dates in the applicant are compared with
// it and dated parameters take their value on it. Only the calendar date
// counts, in date's own location. Without AsOf, Evaluate uses today's date
// in UTC. A date outside 1900-01-01 to 9999-12-31, the zero time.Time
// included, is not taken for today: Evaluate and the batch calls then
// decide nothing and return an error wrapping [ErrEvaluationDate].
func AsOf(date time.Time) EvalOption {
	return func(c *evalConfig) { c.asOf, c.hasAsOf = date, true }
}

// Reusing makes Evaluate build its decision in the memory of d instead of
// allocating: Evaluate returns d, overwritten, and whatever was read from d
// before (its slices, their elements) changes with it. It is for loops that
// are done with each decision before they ask for the next, such as a tool
// scanning a whole membership:
//
//	var d *eligibility.Decision
//	for _, a := range applicants {
//		d, err = engine.Evaluate(ctx, a, eligibility.Reusing(d))
//		...
//	}
//
// Only a decision this engine made with Reusing is reused; any other d (nil,
// a decision made without Reusing, another engine's) is left alone and
// Evaluate allocates as usual. d's contents are lost even when Evaluate
// fails. Without Reusing every decision is the caller's for good.
func Reusing(d *Decision) EvalOption {
	return func(c *evalConfig) { c.reusing, c.reuse = true, d }
}

// date is the evaluation date of cfg: AsOf's calendar date, or today's
// date in UTC without AsOf. AsOf's date outside the document range, zero
// included, is an error wrapping ErrEvaluationDate.
func (c *evalConfig) date() (time.Time, error) {
	if !c.hasAsOf {
		return dateOf(time.Now().UTC()), nil
	}
	return evaluationDate("AsOf", c.asOf)
}

// evaluationDate is date's calendar date, or an error wrapping
// ErrEvaluationDate, naming the caller's parameter, when it lies outside the
// document range, zero included.
func evaluationDate(param string, date time.Time) (time.Time, error) {
	if date.IsZero() {
		return time.Time{}, fmt.Errorf("eligibility: %s(zero time.Time): %w", param, ErrEvaluationDate)
	}
	if !inDateRange(date) {
		return time.Time{}, fmt.Errorf("eligibility: %s(%s): %w", param, dateOf(date).Format(dateLayout), ErrEvaluationDate)
	}
	return dateOf(date), nil
}
