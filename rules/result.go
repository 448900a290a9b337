package rules

import (
	"fmt"
)

// Status is what one condition says about one applicant.
type Status uint8

// The statuses a condition can have. Unverified is not among them: it is a
// judgement across views of the evidence, which the caller makes.
const (
	Unmet   Status = iota // the data is there and the condition does not hold
	Met                   // the condition holds
	Unknown               // data the condition needs is absent
	Review                // a person must judge (the requirement's review condition holds)
)

var statusNames = [...]string{"unmet", "met", "unknown", "review"}

// String returns "met", "unmet", "unknown" or "review".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Result is one requirement's outcome for one applicant, with what it saw.
type Result struct {
	// Status is Unmet if a clause is unmet, else Unknown if one is unknown,
	// else Met. If not Met, a review condition that holds makes it Review;
	// if still Unmet, an unknown condition that holds makes it Unknown.
	Status Status
	// Clauses are the parts of the requirement's when condition (split at
	// top-level &&), each with its own status and values.
	Clauses []Clause
}

// Clause is one part of a condition and what it found.
type Clause struct {
	Text   string // the clause's source text
	Status Status // Met, Unmet or Unknown; never Review
	// For a comparison (==, !=, <, <=, >, >=, in): the operator and the
	// values of its two sides, e.g. Observed 48.0, Op ">=", Required 80.0.
	Op string
	// Observed is the comparison's left side, or the argument of a library
	// call such as approved(.provider) that does not hold; else null.
	Observed Value
	// Required is the comparison's right side; an unknown comparison still
	// has it when that side reads neither the missing data nor a fact.
	Required Value
	// Missing lists the document paths of absent data (Status Unknown).
	Missing []string
	// Values are the facts and parameters the clause reads, with their values.
	Values []NamedValue
	// Closest is, for an any(), all() or none() over a list, the entry
	// that explains it: for a failed any(), the one that came closest
	// (meeting most conditions; the first of a tie); for a met any(), the
	// first that meets every condition; for a failed all(), the first that
	// fails one; for a failed none(), the first that meets every condition,
	// the one that makes none() fail. An entry that meets every condition
	// has Met == Total and no Failed. nil for a met all() or none(), an
	// empty list, and any other clause.
	Closest *Entry
}

// NamedValue is a fact or parameter and its value in one evaluation.
type NamedValue struct {
	Name  string // the fact's name, or "param.NAME" for a parameter
	Value Value  // its value in this evaluation
}

// Entry is one list entry checked against a list condition.
type Entry struct {
	Path   string      // e.g. "onlineTraining[1]"
	Label  string      // the entry's label field (`eligo:"label"`), if any
	Met    int         // how many of the conditions held
	Total  int         // how many conditions the list condition puts on an entry
	Failed []Condition // the conditions that did not hold
}

// Condition is one failed condition on a list entry.
type Condition struct {
	Text     string // the condition's source text
	Op       string // the comparison operator, or "" when not a comparison
	Observed Value  // a comparison's left side, a library call's argument, or null
	Required Value  // a comparison's right side; null when not a comparison
}

// EvalError is a rule that failed while it ran, for one applicant: the
// requirement (or fact) and the underlying error. An expression over its
// memory or step budget wraps ErrLimit; one stopped by the run's context
// (Run.SetContext) wraps the context's error.
type EvalError struct {
	Rule string // "requirement ID", "requirement ID review", "requirement ID unknown" or "fact NAME"
	Err  error  // the error the expression failed with
}

func (e *EvalError) Error() string { return fmt.Sprintf("rules: %s: %v", e.Rule, e.Err) }

// Unwrap returns the underlying error.
func (e *EvalError) Unwrap() error { return e.Err }
