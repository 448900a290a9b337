package eligibility

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/rules"
)

// How long a decision holds, with WithValidity.
//
// A decision's outcomes depend on its date only through the rules' date
// functions (done, current, within, yearsSince, monthsSince, daysBetween,
// asOf read directly) and the dated parameters. Each call of a date
// function, with the applicant's dates, can tell the first later day on
// which its result may differ (its change kernel: the day after an
// expiry, the day a date leaves a window, the anniversary a comparison of
// yearsSince with a threshold cares about); until the earliest such day
// over every call a decision made, every call gives the same result, so
// the decision is the same. validity re-decides on that day, tracking
// again, and so on, until a decision differs in some outcome: the one
// before holds until the day before. When no call can change any more,
// the decision holds indefinitely. No day is guessed or skipped, and only
// the days where something can change are decided.

// maxValidityChecks bounds the decisions validity makes for one applicant.
// The change kernels of a rule set the fast evaluator runs whole step from
// change to change, a few for each date of the applicant; one the VM runs
// (untracked) moves a day at a time, and past the bound the decision is
// said to hold until the last day checked (ValidityChange.Checked false).
const maxValidityChecks = 4096

// lastDate is the last evaluation date a document can have.
var lastDate = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// ValidityChange is what changes first after a decision's ValidUntil.
type ValidityChange struct {
	// On is the first day on which the decision differs: ValidUntil's next.
	On Date `json:"on"`
	// Award is the first level, category or course (in that order, and
	// rule-set order within) whose outcome differs then, with From its
	// outcome in the decision and To on On.
	Award string  `json:"award"`
	From  Outcome `json:"from"`
	To    Outcome `json:"to"`
	// Requirement is the first requirement, in rule-set order, that
	// Award lists whose status differs on On, with its statuses; "" when
	// none does (an outcome changed by a gate, say, is still named).
	Requirement     string `json:"requirement,omitempty"`
	RequirementFrom Status `json:"requirementFrom,omitempty"`
	RequirementTo   Status `json:"requirementTo,omitempty"`
	// Evidence says what changes, when the rules' date function that
	// changes first on On is known: "insurance.expires 2027-01-31 passes",
	// "cpd[].date 2023-11-23 leaves the 36-month window".
	Evidence string `json:"evidence,omitempty"`
	// Checked is false when the decision was not checked past ValidUntil
	// (maxValidityChecks): it holds at least until then.
	Checked bool `json:"checked"`
}

// String is the change for people: "insured: met -> unmet, insurance.expires
// 2027-01-31 passes (professional granted -> refused)".
func (c *ValidityChange) String() string {
	if !c.Checked {
		return "not checked beyond"
	}
	var b strings.Builder
	if c.Requirement != "" {
		fmt.Fprintf(&b, "%s: %s -> %s", c.Requirement, c.RequirementFrom, c.RequirementTo)
		if c.Evidence != "" {
			fmt.Fprintf(&b, ", %s", c.Evidence)
		}
		fmt.Fprintf(&b, " (%s %s -> %s)", c.Award, c.From, c.To)
		return b.String()
	}
	fmt.Fprintf(&b, "%s: %s -> %s", c.Award, c.From, c.To)
	if c.Evidence != "" {
		fmt.Fprintf(&b, ", %s", c.Evidence)
	}
	return b.String()
}

// validity sets d's ValidUntil and Changes, or Indefinitely, from the
// first day next after d's date on which it may change, and why.
func (e *engine) validity(ctx context.Context, p unsafe.Pointer, d *Decision, next time.Time, why rules.Change) error {
	last := d.AsOf.Time
	next, view := intoView(d.LeftOut, next)
	for n := 0; ; n++ {
		if next.IsZero() || next.After(lastDate) {
			d.Indefinitely = true
			return nil
		}
		if n == maxValidityChecks {
			d.ValidUntil = &Date{last}
			d.Changes = &ValidityChange{On: Date{last.AddDate(0, 0, 1)}}
			return nil
		}
		c, left, lnext, lwhy, err := e.changeAt(ctx, p, next, d)
		if err != nil {
			return fmt.Errorf("eligibility: deciding how long the decision holds, on %s: %w", next.Format(time.DateOnly), err)
		}
		if c != nil {
			c.On, c.Checked = Date{next}, true
			c.Evidence = view
			if c.Evidence == "" {
				c.Evidence = evidence(why, d.AsOf.Time)
			}
			d.ValidUntil, d.Changes = &Date{next.AddDate(0, 0, -1)}, c
			return nil
		}
		last, why = next, lwhy
		next, view = intoView(left, lnext)
	}
}

// intoView is the earlier of next and the first day on which evidence a
// decision left out (left, dated after its date) comes into view, as it
// would in a decision made then; view says which evidence when that day is
// the earlier, else "".
func intoView(left []LeftOut, next time.Time) (time.Time, string) {
	view := ""
	for _, l := range left {
		if on := l.Date.Time; next.IsZero() || on.Before(next) {
			next, view = on, l.Path+"."+l.Field+" "+on.Format(time.DateOnly)+" comes into view"
			if l.Path == "" {
				view = l.Field + " " + on.Format(time.DateOnly) + " comes into view"
			}
		}
	}
	return next, view
}

// changeAt decides the applicant at p on asOf as decision does, but
// without explanations, which validity does not compare: only the
// requirements' statuses (rules.Run.Status) and the awards' outcomes. It returns the first
// award whose outcome differs from d's, with the requirement that changes
// it (nil when none differs); what that decision leaves out; and, as
// decideTracked, the first day after asOf on which it may differ, and why.
func (e *engine) changeAt(ctx context.Context, p unsafe.Pointer, asOf time.Time, d *Decision) (c *ValidityChange, left []LeftOut, next time.Time, why rules.Change, err error) {
	st, err := e.start(ctx, p, asOf, true)
	if err != nil {
		return nil, nil, next, why, err
	}
	defer e.finish(st, true, &next, &why)
	if err := ctx.Err(); err != nil {
		return nil, nil, next, why, err
	}
	if err := e.statuses(st, st.codes); err != nil {
		return nil, nil, next, why, fmt.Errorf("eligibility: applicant %s: %w", e.id(p), err)
	}
	return e.difference(d, st.codes), leftOut(st.left), next, why, nil
}

// difference is the first award whose outcome differs between d and the
// requirements' statuses of a later decision, with the requirement that
// changes it; nil when none differs. It reads d's statuses and outcomes as
// d holds them, without making its award lists.
func (e *engine) difference(d *Decision, codes []statusByte) *ValidityChange {
	x := d.expl
	ranks := x.ranks()
	g := 0 // the award's number in award order
	for _, group := range e.groups() {
		for _, aw := range group {
			_, to := bestRank(aw, codes)
			from := int(ranks[g])
			g++
			if from == to {
				continue
			}
			c := &ValidityChange{Award: aw.a.ID, From: outcomeOfRank[from], To: outcomeOfRank[to]}
			// Every route of the award counts: the later decision's
			// routes are the same.
			for k, r := range e.reqs {
				if x.codes[k] != codes[k] && aw.lists(k) {
					c.Requirement, c.RequirementFrom, c.RequirementTo = r.ID, statusOfByte[x.codes[k]], statusOfByte[codes[k]]
					break
				}
			}
			return c
		}
	}
	return nil
}

// evidence words what changes: "insurance.expires 2027-01-31 passes";
// asOf is the decision's date.
func evidence(c rules.Change, asOf time.Time) string {
	arg := strings.TrimPrefix(c.Arg, ".")
	date := ""
	if !c.Date.IsZero() {
		date = " " + c.Date.Format(time.DateOnly)
	}
	switch c.Func {
	case "":
		return ""
	case "param":
		return "a dated parameter takes its next value"
	case "current":
		return arg + date + " passes"
	case "done":
		return arg + date + " arrives"
	case "within":
		if c.Date.After(asOf) {
			return arg + date + " enters its window"
		}
		return arg + date + " leaves its window"
	case "yearsSince":
		return "whole years since " + arg + date + " reach a threshold"
	case "monthsSince":
		return "whole months since " + arg + date + " reach a threshold"
	case "daysBetween":
		return "a day more since " + arg + date
	}
	return c.Func + "(" + arg + ")" + date
}
