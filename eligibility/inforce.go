package eligibility

import (
	"errors"
	"fmt"
	"time"
)

// ErrNotInForce marks an evaluation date before the rule set's effective
// date (its effective key): the rules did not apply then, so Evaluate,
// Validate and the batch calls decide nothing and return (or give every
// applicant) an error wrapping it, a [*NotInForceError]. A rule set with
// no effective date is in force on every date.
var ErrNotInForce = errors.New("rule set not in force on the evaluation date")

// NotInForceError is the error for an evaluation date before the rule
// set's effective date. It wraps [ErrNotInForce].
type NotInForceError struct {
	RuleSet   string    // the rule set's name, e.g. "acto"
	Version   string    // the rule set's version, e.g. "2020.10"
	Effective time.Time // the first date the rule set is in force
	AsOf      time.Time // the evaluation date asked for, before Effective
}

// Error says which rule set is in force from when, and the date asked for:
// "eligibility: rule set acto 2020.10 is in force from 2020-10-06;
// evaluation date 2020-10-05".
func (e *NotInForceError) Error() string {
	name := e.RuleSet
	if e.Version != "" {
		name += " " + e.Version
	}
	return fmt.Sprintf("eligibility: rule set %s is in force from %s; evaluation date %s",
		name, e.Effective.Format(dateLayout), e.AsOf.Format(dateLayout))
}

// Unwrap returns ErrNotInForce.
func (e *NotInForceError) Unwrap() error { return ErrNotInForce }

// InForce reports whether the engine's rule set is in force on date's
// calendar date, as Evaluate and the batch calls judge it before they
// decide: nil on or after its effective date, or on any date when it has
// none; a [*NotInForceError], wrapping [ErrNotInForce], before it; an
// error wrapping [ErrEvaluationDate] for a date outside 1900-01-01 to
// 9999-12-31, the zero time.Time included. It lets a caller refuse an
// unusable evaluation date once, before a batch.
func (e *EngineOf[T]) InForce(date time.Time) error {
	d, err := evaluationDate("InForce", date)
	if err != nil {
		return err
	}
	return e.inForce(d)
}

// inForce is InForce for a date already checked: asOf is a calendar date
// at midnight UTC, as the rule set's effective date is.
func (e *engine) inForce(asOf time.Time) error {
	eff := e.set.Effective
	if eff.IsZero() || !asOf.Before(eff) {
		return nil
	}
	return &NotInForceError{RuleSet: e.set.Name, Version: e.set.Version, Effective: eff, AsOf: asOf}
}
