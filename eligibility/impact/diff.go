package impact

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
)

// DecisionDiff is what changed between two decisions of one applicant: an
// old and a new one, under two rule sets or one rule set on two dates. It
// holds its own data: nothing in it changes when the decisions it was made
// from are reused or dropped.
type DecisionDiff struct {
	Applicant string `json:"applicant"` // the new decision's applicant id
	Old       Side   `json:"old"`       // the rules and date of the old decision
	New       Side   `json:"new"`       // and of the new one
	OldLevel  string `json:"oldLevel"`  // the old decision's level id, "" for none
	NewLevel  string `json:"newLevel"`  // the new decision's level id, "" for none
	// Awards are the levels, categories and courses whose outcome changed,
	// levels first (in ladder order), then categories, then courses, each
	// in rule-set order.
	Awards []AwardChange `json:"awards,omitempty"`
	// Requirements are the requirements whose status changed, or whose
	// clauses observed or required other values (e.g. a threshold raised
	// from 20 to 30 that is still met), in rule-set order.
	Requirements []RequirementChange `json:"requirements,omitempty"`
}

// Side identifies one side of a comparison: the rule set a decision was
// made under and its evaluation date.
type Side struct {
	RuleSet eligibility.RuleSetInfo `json:"ruleset"`
	AsOf    eligibility.Date        `json:"asOf"`
}

func sideOf(d *eligibility.Decision) Side { return Side{RuleSet: d.RuleSet, AsOf: d.AsOf} }

// String is the side for people, e.g. "acto 2020.10 (sha256:2a2f3936ba5a) as of 2026-11-23".
func (s Side) String() string {
	return fmt.Sprintf("%s %s (%s) as of %s", s.RuleSet.Name, s.RuleSet.Version, shortDigest(s.RuleSet.Digest), s.AsOf)
}

func shortDigest(d string) string {
	if len(d) > 19 {
		return d[:19]
	}
	return d
}

// LevelChanged reports whether the decided level changed.
func (d *DecisionDiff) LevelChanged() bool { return d.OldLevel != d.NewLevel }

// Changed reports whether the applicant's decision changed in substance:
// its level or some award's outcome. A diff that lists only requirements
// (a status that changed without changing an outcome, or values) is not
// Changed.
func (d *DecisionDiff) Changed() bool { return d.LevelChanged() || len(d.Awards) > 0 }

// Empty reports whether nothing at all changed.
func (d *DecisionDiff) Empty() bool { return !d.Changed() && len(d.Requirements) == 0 }

// AwardKind says what an award is: a level, a category or a course.
type AwardKind string

// Kinds of award.
const (
	LevelAward    AwardKind = "level"
	CategoryAward AwardKind = "category"
	CourseAward   AwardKind = "course"
)

// AwardChange is a level's, category's or course's change of outcome.
type AwardChange struct {
	Kind  AwardKind `json:"kind"`
	ID    string    `json:"id"`
	Title string    `json:"title"` // the new rule set's title, else the old one's
	// Old and New are the outcomes; "" on the side whose rule set has no
	// such award.
	Old eligibility.Outcome `json:"old"`
	New eligibility.Outcome `json:"new"`
	// OldRoute and NewRoute are the best routes the outcomes come from.
	OldRoute string `json:"oldRoute"`
	NewRoute string `json:"newRoute"`
	// Flipped are the ids of the award's requirements (on the old or the
	// new best route, gates included) whose status changed: what the change
	// is attributed to, with Added and Removed.
	Flipped []string `json:"flipped"`
	// Added are requirements the new rules ask of the award's best route
	// and the old rules did not (the route is the same on both sides),
	// that do not hold (their new status is not met): a change in the
	// rules' requirement lists, whatever the statuses did. Removed are
	// those the old rules asked and the new do not, that did not hold.
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// Lost reports whether the award was granted before and is not now.
func (a AwardChange) Lost() bool { return a.Old == eligibility.Granted && a.New != eligibility.Granted }

// Gained reports whether the award is granted now and was not before.
func (a AwardChange) Gained() bool {
	return a.New == eligibility.Granted && a.Old != eligibility.Granted
}

// RequirementChange is a requirement's change of status or values.
type RequirementChange struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Old and New are its statuses; "" on the side whose rule set has no
	// such requirement.
	Old eligibility.Status `json:"old"`
	New eligibility.Status `json:"new"`
	// Clauses are the clauses whose status or values changed, paired by
	// their text (a clause only one side has is there with the other
	// side's status "").
	Clauses []ClauseChange `json:"clauses,omitempty"`
	// Missing lists the document paths of the data the new decision lacks
	// (New is Unknown): what would settle it.
	Missing []string `json:"missing,omitempty"`
}

// Flipped reports whether the requirement's status changed.
func (r RequirementChange) Flipped() bool { return r.Old != r.New }

// ClauseChange is one clause of a requirement, before and after.
type ClauseChange struct {
	Text        string             `json:"text"` // the clause's source text
	Op          string             `json:"op,omitempty"`
	Old         eligibility.Status `json:"old"`
	New         eligibility.Status `json:"new"`
	OldObserved rules.Value        `json:"oldObserved,omitzero"`
	NewObserved rules.Value        `json:"newObserved,omitzero"`
	OldRequired rules.Value        `json:"oldRequired,omitzero"`
	NewRequired rules.Value        `json:"newRequired,omitzero"`
}

// Flipped reports whether the clause's status changed: the clause that
// flipped its requirement.
func (c ClauseChange) Flipped() bool { return c.Old != c.New }

// Diff compares two decisions of one applicant, old and new: the level,
// each award's outcome, each requirement's status and the values its
// clauses observed and required, naming for each award that changed the
// requirements whose status flipped, and for each requirement the clauses
// that did. Awards and requirements are paired by id, clauses by text, so
// the decisions may come from different rule sets (a parameter changed, a
// requirement added) or one rule set on two dates. Neither decision is
// changed or kept: the diff holds copies.
//
// Diff lives in package impact, beside the run that applies it to a whole
// population, rather than in package eligibility: it reads only a
// Decision's exported fields.
func Diff(old, new *eligibility.Decision) DecisionDiff {
	d := DecisionDiff{Applicant: new.Applicant, Old: sideOf(old), New: sideOf(new), OldLevel: old.Level, NewLevel: new.Level}
	d.Requirements = diffRequirements(old.Requirements(), new.Requirements())
	flipped := map[string]bool{}
	for _, r := range d.Requirements {
		if r.Flipped() {
			flipped[r.ID] = true
		}
	}
	d.Awards = diffAwards(d.Awards, LevelAward, old.Levels(), new.Levels(), flipped)
	d.Awards = diffAwards(d.Awards, CategoryAward, old.Categories(), new.Categories(), flipped)
	d.Awards = diffAwards(d.Awards, CourseAward, old.Courses(), new.Courses(), flipped)
	return d
}

// pair calls f for each id in old or new: new's in order, paired with
// old's of the same id (the same place, when the lists agree), then old's
// that new lacks.
func pair[E any](old, new []E, id func(*E) string, f func(o, n *E)) {
	var byID map[string]int
	used := make([]bool, len(old))
	for i := range new {
		k := -1
		if i < len(old) && id(&old[i]) == id(&new[i]) {
			k = i
		} else {
			if byID == nil {
				byID = make(map[string]int, len(old))
				for j := range old {
					byID[id(&old[j])] = j
				}
			}
			if j, ok := byID[id(&new[i])]; ok {
				k = j
			}
		}
		if k >= 0 {
			used[k] = true
			f(&old[k], &new[i])
		} else {
			f(nil, &new[i])
		}
	}
	for j := range old {
		if !used[j] {
			f(&old[j], nil)
		}
	}
}

func diffAwards(out []AwardChange, kind AwardKind, old, new []eligibility.AwardResult, flipped map[string]bool) []AwardChange {
	pair(old, new, func(a *eligibility.AwardResult) string { return a.ID }, func(o, n *eligibility.AwardResult) {
		var c AwardChange
		c.Kind = kind
		if o != nil {
			c.ID, c.Title, c.Old, c.OldRoute = o.ID, o.Title, o.Outcome, o.Route
		}
		if n != nil {
			c.ID, c.Title, c.New, c.NewRoute = n.ID, n.Title, n.Outcome, n.Route
		}
		if c.Old == c.New {
			return
		}
		c.Flipped = []string{}
		for _, a := range []*eligibility.AwardResult{o, n} {
			if a == nil {
				continue
			}
			for _, r := range a.Requirements {
				if flipped[r.ID] && !slices.Contains(c.Flipped, r.ID) {
					c.Flipped = append(c.Flipped, r.ID)
				}
			}
		}
		if o != nil && n != nil && o.Route == n.Route {
			// On one route, the requirement lists differ only when the
			// rules do; with another best route, they differ because the
			// statuses chose it, which Flipped tells.
			c.Added = listed(n.Requirements, o.Requirements, flipped)
			c.Removed = listed(o.Requirements, n.Requirements, flipped)
		}
		out = append(out, c)
	})
	return out
}

// listed returns the ids of the requirements in as, not in bs, that do
// not hold (not met) and did not flip (Flipped names those).
func listed(as, bs []eligibility.RequirementStatus, flipped map[string]bool) []string {
	var out []string
	for _, a := range as {
		if a.Status == eligibility.Met || flipped[a.ID] {
			continue
		}
		if !slices.ContainsFunc(bs, func(b eligibility.RequirementStatus) bool { return b.ID == a.ID }) {
			out = append(out, a.ID)
		}
	}
	return out
}

func diffRequirements(old, new []eligibility.RequirementResult) []RequirementChange {
	var out []RequirementChange
	pair(old, new, func(r *eligibility.RequirementResult) string { return r.ID }, func(o, n *eligibility.RequirementResult) {
		var c RequirementChange
		var oc, nc []eligibility.ClauseResult
		if o != nil {
			c.ID, c.Title, c.Old, oc = o.ID, o.Title, o.Status, o.Clauses
		}
		if n != nil {
			c.ID, c.Title, c.New, nc = n.ID, n.Title, n.Status, n.Clauses
		}
		c.Clauses = diffClauses(oc, nc)
		if c.Old == c.New && len(c.Clauses) == 0 {
			return
		}
		if n != nil && n.Status == eligibility.Unknown && len(n.Missing) > 0 {
			c.Missing = append([]string(nil), n.Missing...)
		}
		out = append(out, c)
	})
	return out
}

func diffClauses(old, new []eligibility.ClauseResult) []ClauseChange {
	var out []ClauseChange
	pair(old, new, func(c *eligibility.ClauseResult) string { return c.Text }, func(o, n *eligibility.ClauseResult) {
		var c ClauseChange
		if o != nil {
			c.Text, c.Op, c.Old, c.OldObserved, c.OldRequired = o.Text, o.Op, o.Status, o.Observed, o.Required
		}
		if n != nil {
			c.Text, c.Op, c.New, c.NewObserved, c.NewRequired = n.Text, n.Op, n.Status, n.Observed, n.Required
		}
		if c.Old == c.New && c.OldObserved.Equal(c.NewObserved) && c.OldRequired.Equal(c.NewRequired) {
			return
		}
		out = append(out, c)
	})
	return out
}

// String renders the diff for people (see WriteText).
func (d DecisionDiff) String() string {
	var b strings.Builder
	d.WriteText(&b)
	return b.String()
}

// WriteText writes the diff for people to w: the level, each award that
// changed with the requirements it is attributed to, and each requirement
// that changed with its clauses, before → after. For example:
//
//	gen-0000002a: level member → none
//	  level member: granted → refused (online-cpd)
//	  online-cpd: met → unmet
//	      cpdWindowHours >= param.member_cpd_hours: met → unmet; observed 24; required 20 → 30
//
// The wording may change between versions; programs should read the
// fields or the JSON.
func (d DecisionDiff) WriteText(w io.Writer) error {
	var b strings.Builder
	if d.LevelChanged() {
		fmt.Fprintf(&b, "%s: level %s → %s\n", d.Applicant, levelName(d.OldLevel), levelName(d.NewLevel))
	} else {
		fmt.Fprintf(&b, "%s: level %s (unchanged)\n", d.Applicant, levelName(d.NewLevel))
	}
	for _, a := range d.Awards {
		fmt.Fprintf(&b, "  %s %s: %s → %s", a.Kind, a.ID, outcomeName(a.Old), outcomeName(a.New))
		why := a.Flipped
		for _, id := range a.Added {
			why = append(why[:len(why):len(why)], id+" added")
		}
		for _, id := range a.Removed {
			why = append(why[:len(why):len(why)], id+" removed")
		}
		if len(why) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(why, ", "))
		}
		b.WriteByte('\n')
	}
	for _, r := range d.Requirements {
		if r.Flipped() {
			fmt.Fprintf(&b, "  %s: %s → %s", r.ID, statusName(r.Old), statusName(r.New))
		} else {
			fmt.Fprintf(&b, "  %s: %s (values changed)", r.ID, statusName(r.New))
		}
		if len(r.Missing) > 0 {
			fmt.Fprintf(&b, "; missing %s", strings.Join(r.Missing, ", "))
		}
		b.WriteByte('\n')
		for _, c := range r.Clauses {
			fmt.Fprintf(&b, "      %s: ", c.Text)
			if c.Flipped() {
				fmt.Fprintf(&b, "%s → %s", statusName(c.Old), statusName(c.New))
			} else {
				fmt.Fprintf(&b, "%s", statusName(c.New))
			}
			writeValues(&b, "observed", c.OldObserved, c.NewObserved)
			writeValues(&b, "required", c.OldRequired, c.NewRequired)
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeValues(b *strings.Builder, name string, old, new rules.Value) {
	switch {
	case old.IsZero() && new.IsZero():
	case old.Equal(new):
		fmt.Fprintf(b, "; %s %s", name, new)
	default:
		fmt.Fprintf(b, "; %s %s → %s", name, old, new)
	}
}

func levelName(l string) string {
	if l == "" {
		return "none"
	}
	return l
}

func outcomeName(o eligibility.Outcome) string {
	if o == "" {
		return "(absent)"
	}
	return string(o)
}

func statusName(s eligibility.Status) string {
	if s == "" {
		return "(absent)"
	}
	return string(s)
}
