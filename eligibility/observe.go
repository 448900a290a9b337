package eligibility

import (
	"context"
	"errors"
	"log/slog"
	"time"
	"unsafe"
)

// Event is what an observer ([WithObserver], [WithLogger]) is told after
// each applicant an engine decides, or fails to: after each call of
// Evaluate, and for each applicant of EvaluateAll, Decisions and
// KeyedDecisions.
type Event struct {
	// Applicant is the applicant's id; "" when there is none (a nil
	// applicant, a Document of another model).
	Applicant string
	// Decision is the decision; nil when Err is set. It is the caller's
	// decision: an observer reads it and keeps nothing of it, as a
	// decision made with [Reusing] changes with the next Evaluate.
	Decision *Decision
	// Level is Decision.Level, the granted level's id; "" for none or on
	// an error.
	Level string
	// Duration is how long deciding took: validation, both views,
	// explanations, the lot.
	Duration time.Duration
	// Err is the error the caller gets instead of a decision, else nil.
	Err error
	// Batch is true for an applicant of a batch call, false for Evaluate.
	Batch bool
}

// WithObserver has the engine call observe after each applicant it
// decides, or fails to, with the call's context (a batch's for its
// applicants) and an [Event]: to count, time or log decisions in a
// service. observe runs on the goroutine that decided, before the
// decision is returned or yielded, so it must be quick and safe for
// concurrent use: a batch calls it from all its workers at once. Several
// WithObserver and WithLogger options all observe, in the order given.
//
// Without an observer the engine neither reads the clock nor allocates
// for one: an engine built without it decides as fast as before.
func WithObserver(observe func(ctx context.Context, ev Event)) Option {
	return func(c *engineConfig) error {
		if observe == nil {
			return errors.New("eligibility: WithObserver(nil)")
		}
		c.observers = append(c.observers, observe)
		return nil
	}
}

// WithLogger is [WithObserver] writing each event to l: a decision at
// slog.LevelInfo, "eligibility decision", with the attributes applicant,
// asOf, grantedLevel ("" for none), duration and batch; an error,
// "eligibility error", with applicant, duration, batch and error, at
// slog.LevelWarn when the input or the call is at fault (an
// [*InputError], an evaluation date unusable or before the rules are in
// force, a Document of another model, a done context) and at
// slog.LevelError otherwise (a rule that fails while it runs). Nothing is
// built for a level l does not log.
func WithLogger(l *slog.Logger) Option {
	if l == nil {
		return func(*engineConfig) error { return errors.New("eligibility: WithLogger(nil)") }
	}
	return WithObserver(func(ctx context.Context, ev Event) {
		if ev.Err == nil {
			if !l.Enabled(ctx, slog.LevelInfo) {
				return
			}
			l.LogAttrs(ctx, slog.LevelInfo, "eligibility decision",
				slog.String("applicant", ev.Applicant), slog.String("asOf", ev.Decision.AsOf.String()),
				slog.String("grantedLevel", ev.Level), slog.Duration("duration", ev.Duration),
				slog.Bool("batch", ev.Batch))
			return
		}
		level := errorLevel(ev.Err)
		if !l.Enabled(ctx, level) {
			return
		}
		l.LogAttrs(ctx, level, "eligibility error",
			slog.String("applicant", ev.Applicant), slog.Duration("duration", ev.Duration),
			slog.Bool("batch", ev.Batch), slog.Any("error", ev.Err))
	})
}

// errorLevel is the level WithLogger logs err at: warn for the caller's
// input or call, error for the rules.
func errorLevel(err error) slog.Level {
	var in *InputError
	switch {
	case errors.As(err, &in), errors.Is(err, ErrEvaluationDate), errors.Is(err, ErrNotInForce),
		errors.Is(err, ErrModel), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return slog.LevelWarn
	}
	return slog.LevelError
}

// observer combines the observers of cfg into one; nil for none.
func (c *engineConfig) observer() func(context.Context, Event) {
	switch len(c.observers) {
	case 0:
		return nil
	case 1:
		return c.observers[0]
	}
	all := c.observers
	return func(ctx context.Context, ev Event) {
		for _, o := range all {
			o(ctx, ev)
		}
	}
}

// report tells the observer of the applicant at a, a *T, decided since
// start.
func (e *engine) report(ctx context.Context, a unsafe.Pointer, start time.Time, d *Decision, err error, batch bool) {
	ev := Event{Duration: time.Since(start), Decision: d, Err: err, Batch: batch}
	if d != nil {
		ev.Applicant, ev.Level = d.Applicant, d.Level
	} else if a != nil {
		if p, perr := e.at(a); perr == nil {
			ev.Applicant = e.id(p)
		} else if e.documents {
			ev.Applicant = (*Document)(a).id
		}
	}
	e.observe(ctx, ev)
}
