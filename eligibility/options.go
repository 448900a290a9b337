package eligibility

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/eligo-dev/eligo/rules"
)

// Option configures New.
type Option func(*engineConfig) error

type engineConfig struct {
	compile   []rules.Option
	observers []func(context.Context, Event) // WithObserver, WithLogger
}

// WithCompileOptions passes options, such as safety limits, to
// rules.Compile.
func WithCompileOptions(opts ...rules.Option) Option {
	return func(c *engineConfig) error {
		c.compile = append(c.compile, opts...)
		return nil
	}
}

// EvalOption configures one call of [EngineOf.Evaluate]: [AsOf], [Reusing].
type EvalOption interface {
	evalOption()
}

// BatchOption configures one batch call, [EngineOf.EvaluateAll],
// [EngineOf.Decisions] or [KeyedDecisions]: [AsOf], [Workers].
//
// Evaluation and batch options are apart so that an option that does not
// apply to a call does not compile: Workers is no EvalOption, Reusing no
// BatchOption. AsOf is both.
type BatchOption interface {
	batchOption()
}

// CallOption is an option of every call that decides, one applicant or a
// batch: both an [EvalOption] and a [BatchOption]. [AsOf] is one.
type CallOption interface {
	EvalOption
	BatchOption
}

type evalConfig struct {
	asOf     time.Time
	hasAsOf  bool // AsOf was given
	reusing  bool // Reusing was given
	validity bool // WithValidity was given
	reuse    *Decision
	workers  int   // EvaluateAll and Decisions
	dateErr  error // EvaluateAll and Decisions: asOf is unusable, every applicant's error
}

// AsOf sets the evaluation date: dates in the applicant are compared with
// it and dated parameters take their value on it. Only the calendar date
// counts, in date's own location. Without AsOf, Evaluate uses today's date
// in UTC. A date outside 1900-01-01 to 9999-12-31, the zero time.Time
// included, is not taken for today: Evaluate and the batch calls then
// decide nothing and return an error wrapping [ErrEvaluationDate].
func AsOf(date time.Time) CallOption {
	if date.IsZero() {
		return asOfOption(zeroAsOf)
	}
	return asOfOption(dateOf(date).Unix())
}

// asOfOption is AsOf's calendar date, in Unix seconds of its midnight UTC,
// or zeroAsOf for the zero time.Time: 8 bytes where a time.Time would take
// 24, in the allocation an option in an interface costs.
type asOfOption int64

// zeroAsOf is AsOf's zero time.Time: no date's Unix seconds.
const zeroAsOf = math.MinInt64

func (asOfOption) evalOption()  {}
func (asOfOption) batchOption() {}

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
// fails: d is then a zero Decision, which grants nothing, never part of
// the failed one. Without Reusing every decision is the caller's for
// good. Reusing is no [BatchOption]: every decision of a batch is the
// caller's.
func Reusing(d *Decision) EvalOption { return reusingOption{d} }

type reusingOption struct{ d *Decision }

func (reusingOption) evalOption() {}

// apply applies option o, an EvalOption or a BatchOption, to c. It tells
// the options apart by type rather than calling a method of theirs: a
// method called through an interface would make each option escape to the
// heap, an allocation for every Evaluate.
func (c *evalConfig) apply(o any) {
	switch o := o.(type) {
	case asOfOption:
		c.asOf, c.hasAsOf = time.Time{}, true
		if o != zeroAsOf {
			c.asOf = time.Unix(int64(o), 0).UTC()
		}
	case reusingOption:
		c.reusing, c.reuse = true, o.d
	case workersOption:
		c.workers = int(o)
	case validityOption:
		c.validity = true
	}
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

// WithValidity makes each decision say how long it holds:
// [Decision.ValidUntil], the last day on which every level, category and
// course would still be decided with the same outcome on the same
// evidence, and [Decision.Changes], what changes the day after; or
// [Decision.Indefinitely]. It costs a decision on each day at which a
// date-dependent clause may change, until one changes an outcome: often
// one or two more decisions, so it is opt-in.
func WithValidity() CallOption { return validityOption{} }

type validityOption struct{}

func (validityOption) evalOption()  {}
func (validityOption) batchOption() {}
