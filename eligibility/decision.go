package eligibility

import (
	"encoding/json"
	"iter"
	"time"

	"github.com/eligo-dev/eligo/rules"
)

// Decision is the engine's answer for one applicant on one date: every
// level, category and course with its outcome, every requirement with what
// it observed (Requirements, explained on first use), the benefits and
// fees that follow, and the gap to the next level. It never holds the
// applicant's personal data (their name).
//
// The outcomes of the levels, categories and courses (Levels, Categories,
// Courses) and the gates' statuses (Gates) are methods: a decision holds
// each requirement's status and each award's outcome, a byte each, and the
// actions that would settle its requirements, and makes those lists from
// them on first use, as it explains its requirements (Requirements) on
// first use. A decision that is stored, counted or read for its Level,
// GrantedCourses or GrantedCategories alone never makes them.
//
// A Decision marshals to stable JSON (field order fixed, lists in rule-set
// order). Text renders it for people; that wording may change between
// versions, the structure may not. A Decision is a value of its exported
// fields, its award lists and its requirements; compare decisions with
// Equal or go-cmp (which calls Equal), not ==.
type Decision struct {
	// Schema is the version of the JSON shape, "eligo.decision/2"
	// (SchemaVersion), written first; see "Decisions as JSON" in the
	// package documentation.
	Schema    Schema      `json:"schema"`
	Applicant string      `json:"applicant"` // the applicant's id
	RuleSet   RuleSetInfo `json:"ruleset"`   // the rules it was made under
	AsOf      Date        `json:"asOf"`      // the evaluation date: AsOf's, else today
	// LeftOut lists the evidence dated after the evaluation date that the
	// decision left out, in document order: the decision rests on the
	// applicant as it stood on AsOf, and what it left out grants nothing.
	// Absent from the JSON when empty.
	LeftOut []LeftOut `json:"leftOut,omitempty"`
	// Level is the id of the highest granted level on the ladder, or "".
	Level string `json:"level"`
	// Benefits are those the granted level (the highest) and the granted
	// categories unlock, each once; a benefit with requirements of its own
	// only when all of them are met.
	Benefits []BenefitResult `json:"benefits"`
	// Fees itemises the annual fee: the granted level's and categories'
	// fees, each followed by the add-on fees of the benefits it unlocks.
	Fees []Fee `json:"fees"`
	// FeeTotal is the sum of the Fees' amounts; 0 when there are none.
	FeeTotal float64 `json:"feeTotal"`
	// Next is the gap to the next level: the first level above Level in
	// ladder order (from the first, with no level granted) open to the
	// applicant, skipping side entries (levels with an entry condition,
	// rules.Award.Entry) that none of the applicant's evidence, verified
	// or claimed, points to; nil when no level above is open.
	Next *Gap `json:"next"`
	// ValidUntil is the last day on which the decision holds: on every
	// day from AsOf to it, every level, category and course would be
	// decided with the same outcome on the same evidence; on the next it
	// would not, as Changes says. Nil when it holds indefinitely
	// (Indefinitely) or was not asked for: see [WithValidity].
	ValidUntil *Date `json:"validUntil,omitempty"`
	// Changes is what changes the day after ValidUntil; nil without it.
	Changes *ValidityChange `json:"changes,omitempty"`
	// Indefinitely is true when, with WithValidity, the decision holds on
	// every later day on the same evidence.
	Indefinitely bool `json:"indefinitely,omitempty"`

	// expl holds the requirements' statuses and explains them on demand
	// (Requirements): in the JSON, they are "requirements", after
	// "courses".
	expl *explanation
}

// LeftOut is one piece of evidence a decision left out because it is dated
// after the evaluation date (see "Event dates" in the package docs): a list
// entry or section that starts later, left out whole, or an event date
// taken as absent.
type LeftOut struct {
	// Path is the document path of the list entry or section holding the
	// date, e.g. "cpd[3]" or "coreNet"; "" for a date at the top level.
	// Entries are numbered as in the applicant, whatever was left out
	// before them.
	Path string `json:"path"`
	// Field is the date's key in its entry or section, e.g. "date".
	Field string `json:"field"`
	// Date is the date, after the evaluation date.
	Date Date `json:"date"`
	// Why says what was left out: StartsLater, the whole entry or
	// section; DatedLater, the date alone.
	Why LeftOutWhy `json:"why"`
}

// LeftOutWhy says why, and how much, evidence was left out.
type LeftOutWhy string

// Why evidence was left out.
const (
	// StartsLater: the list entry or section starts after the evaluation
	// date (its date is tagged as a start), so it is left out whole: an
	// entry as if not listed, a section as if absent.
	StartsLater LeftOutWhy = "starts-later"
	// DatedLater: the event lies after the evaluation date, so its date is
	// as if absent (a course completed later is in progress).
	DatedLater LeftOutWhy = "dated-later"
)

// String describes the left-out evidence for people, e.g. "cpd[3] dated
// 2026-12-02, after the evaluation date".
func (l LeftOut) String() string {
	item := l.Path
	if l.Why != StartsLater {
		if item != "" {
			item += "."
		}
		item += l.Field
	}
	return item + " dated " + l.Date.String() + ", after the evaluation date"
}

// RuleSetInfo identifies the rules a decision was made under.
type RuleSetInfo struct {
	Name    string `json:"name"`    // the rule set's name, e.g. "acto"
	Version string `json:"version"` // its version, e.g. "2020.10"
	Digest  string `json:"digest"`  // its content digest, "sha256:" and hex (rules.Set.Digest)
}

// Date is a calendar date that marshals as "YYYY-MM-DD".
type Date struct{ time.Time }

// MarshalJSON writes the date as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.Format(time.DateOnly)) }

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return d.Format(time.DateOnly) }

// AwardResult is the outcome for one level, category or course.
type AwardResult struct {
	ID      string  `json:"id"`      // the level's, category's or course's id
	Title   string  `json:"title"`   // its title in the rule files
	Outcome Outcome `json:"outcome"` // the best route's; only Granted grants
	// Route is the route the outcome comes from: the best one.
	Route string `json:"route"`
	// Requirements are the statuses of the best route's requirements: the
	// rule set's gates (Decision.Gates), then the award's shared
	// requirements, then the route's own; each once.
	Requirements []RequirementStatus `json:"requirements"`
	// Routes lists every route's outcome when the award has more than one.
	Routes []RouteResult `json:"routes,omitempty"`
	// Settle says what would settle a provisional, referred or undetermined
	// outcome: claims to verify, data to supply, judgements to make.
	Settle []Action `json:"settle,omitempty"`
}

// Granted reports whether the award was granted.
func (a AwardResult) Granted() bool { return a.Outcome == Granted }

// RouteResult is the outcome of one route to an award.
type RouteResult struct {
	Name         string              `json:"name"`             // the route's name in the rule file
	Outcome      Outcome             `json:"outcome"`          // Referred at best for a review route
	Review       bool                `json:"review,omitempty"` // assessed by a panel
	Requirements []RequirementStatus `json:"requirements"`     // the gates, the award's shared ones, then the route's own
}

// RequirementStatus is a requirement's id and status, as listed under an award.
type RequirementStatus struct {
	ID     string `json:"id"`     // the requirement's id
	Status Status `json:"status"` // its status, as in Decision.Requirements()
}

// ActionKind says what settling an outcome takes.
type ActionKind string

// Kinds of action that settle an outcome.
const (
	Verify ActionKind = "verify" // an administrator verifies a claim
	Supply ActionKind = "supply" // the applicant supplies missing data
	Judge  ActionKind = "judge"  // a person judges (a panel, an administrator)
)

// Action is one thing that would settle an outcome.
type Action struct {
	Kind ActionKind `json:"kind"` // Verify, Supply or Judge
	// Requirement is the id of the requirement the action settles, or
	// "route NAME" when a panel judges a review route.
	Requirement string `json:"requirement"`
	// Item is what to verify or supply: a document path such as
	// "qualifications[0]" or "insurance.expires"; empty for a judgement.
	Item  string `json:"item,omitempty"`
	Label string `json:"label,omitempty"` // the item's label, e.g. a qualification's title
}

// RequirementResult is one requirement's status with its explanation.
type RequirementResult struct {
	ID     string `json:"id"`     // the requirement's id in the rule files
	Title  string `json:"title"`  // its title
	Source string `json:"source"` // its citation
	Status Status `json:"status"` // met, unmet, unknown, unverified or review
	// Clauses are the parts of the requirement's condition, each with the
	// values it observed. They come from the full view (every claim
	// counted) when the status is unverified, else from the verified view.
	Clauses []ClauseResult `json:"clauses"`
	// Missing lists the document paths of absent data (status unknown).
	Missing []string `json:"missing,omitempty"`
	// Unverified lists the unverified claims the requirement relies on
	// (status unverified).
	Unverified []Action `json:"unverified,omitempty"`
	// Error says why the requirement could not be explained, when it
	// could not: a rule that fails only while it explains the entries of
	// a failed list condition, which the status does not need. The status
	// stands; Clauses are then empty. Absent from the JSON when empty.
	Error string `json:"error,omitempty"`

	explain map[string]string
}

// ClauseResult is one part of a requirement's condition.
type ClauseResult struct {
	Text   string `json:"text"`   // the clause's source text
	Status Status `json:"status"` // met, unmet or unknown
	// Op, Observed and Required are set for comparisons (Observed also for
	// a library call that does not hold); Shortfall is how far a failed
	// numeric comparison is from its threshold.
	Op string `json:"op,omitempty"`
	// Observed is the comparison's left side, or the argument of a library
	// call such as approved(.provider) that does not hold; else null.
	Observed rules.Value `json:"observed,omitzero"`
	// Required is the comparison's right side; an unknown comparison still
	// has it when that side reads neither the missing data nor a fact.
	Required rules.Value `json:"required,omitzero"`
	// Shortfall is set for an unmet <, <=, > or >= between numbers: how far
	// Observed is from Required, rounded to 6 decimals.
	Shortfall *float64 `json:"shortfall,omitempty"`
	// Missing lists the document paths of absent data (status unknown).
	Missing []string `json:"missing,omitempty"`
	// Values are the facts and parameters the clause reads, with their
	// values; none when the clause is unknown.
	Values []Value `json:"values,omitempty"`
	// Closest is, for an any(), all() or none() over a list, the entry
	// that explains it: the one that came closest (a failed any()), the
	// first that meets every condition (a met any(), and a failed none(),
	// which that entry makes fail: Met == Total, Failed empty) or the first
	// that failed (a failed all()); nil otherwise (a met all() or none()),
	// and when the list is empty (see rules.Clause.Closest).
	Closest *EntryGap `json:"closest,omitempty"`
}

// Value is a fact or parameter and its value in this decision.
type Value struct {
	Name  string      `json:"name"`  // the fact's name, or "param.NAME" for a parameter
	Value rules.Value `json:"value"` // its value
}

// EntryGap is the list entry that explains a list condition: for a failed
// any(), the entry that came closest and what it lacked; for a failed
// all(), the first that failed and what it lacked; for a met any(), the
// first entry that meets it; for a failed none(), the first entry that
// meets its condition (Met == Total, Failed empty).
type EntryGap struct {
	Path   string         `json:"path"`            // the entry's document path, e.g. "onlineTraining[1]"
	Label  string         `json:"label,omitempty"` // its `eligo:"label"` field, if it has one
	Met    int            `json:"met"`             // how many of the conditions it meets
	Total  int            `json:"total"`           // how many conditions the list condition has
	Failed []ConditionGap `json:"failed"`          // the conditions it fails
}

// ConditionGap is one condition a list entry failed.
type ConditionGap struct {
	Text     string      `json:"text"`              // the condition's source text
	Op       string      `json:"op,omitempty"`      // the comparison operator, or "" when not a comparison
	Observed rules.Value `json:"observed,omitzero"` // a comparison's left side, a library call's argument, or null
	Required rules.Value `json:"required,omitzero"` // a comparison's right side; null when not a comparison
	// Shortfall is how far a numeric comparison fell short.
	Shortfall *float64 `json:"shortfall,omitempty"`
}

// BenefitResult is an entitlement granted with a level or category.
type BenefitResult struct {
	ID    string `json:"id"`    // the benefit's id in the rule files
	Title string `json:"title"` // its title
	From  string `json:"from"`  // the level or category that grants it
}

// Fee is one item of the annual fee, as of the decision's date.
type Fee struct {
	Item   string  `json:"item"`   // the level, category or benefit id
	Param  string  `json:"param"`  // the fee parameter the amount is taken from
	Amount float64 `json:"amount"` // its value on the decision's date, in the rule set's currency
}

// Gap is the distance to the next level up the ladder.
type Gap struct {
	Level   string  `json:"level"`   // the next level's id
	Title   string  `json:"title"`   // its title
	Outcome Outcome `json:"outcome"` // its outcome, never Granted
	Route   string  `json:"route"`   // the route closest to granting
	// Met lists the route's requirements (gates included) that already
	// hold; Unmet those that do not, with the detail in
	// Decision.Requirements().
	Met []string `json:"met"`
	// Unmet holds the route's other requirements with their statuses
	// (unmet, unknown, unverified or review).
	Unmet []RequirementStatus `json:"unmet"`
}

// GrantedCourses returns the ids of the granted courses, in rule-set
// order, in a new slice (empty, not nil, when none is granted).
func (d *Decision) GrantedCourses() []string {
	if x := d.expl; x != nil && x.e != nil {
		return x.e.granted(2, x.ranks())
	}
	return granted(d.Courses())
}

// GrantedCategories returns the ids of the granted categories, in rule-set
// order, in a new slice (empty, not nil, when none is granted).
func (d *Decision) GrantedCategories() []string {
	if x := d.expl; x != nil && x.e != nil {
		return x.e.granted(1, x.ranks())
	}
	return granted(d.Categories())
}

func granted(as []AwardResult) []string {
	out := []string{}
	for _, a := range as {
		if a.Granted() {
			out = append(out, a.ID)
		}
	}
	return out
}

// Outcomes yields the id and outcome of every level, then every category,
// then every course, each group in rule-set order: what Levels,
// Categories and Courses hold, read from the outcomes the decision keeps,
// without making those lists. It suits a caller that compares or counts
// outcomes over many decisions.
func (d *Decision) Outcomes() iter.Seq2[string, Outcome] {
	return func(yield func(string, Outcome) bool) {
		if x := d.expl; x != nil && x.e != nil {
			g, ranks := 0, x.ranks()
			for _, group := range x.e.groups() {
				for _, aw := range group {
					if !yield(aw.a.ID, outcomeOfRank[ranks[g]]) {
						return
					}
					g++
				}
			}
			return
		}
		for _, list := range [...][]AwardResult{d.Levels(), d.Categories(), d.Courses()} {
			for _, a := range list {
				if !yield(a.ID, a.Outcome) {
					return
				}
			}
		}
	}
}

// Gates returns the statuses of the rule set's gates (rules.Set.Gates):
// requirements every level, category and course must meet, on every
// route, in rule-set order; nil when the rules have none. Each award's
// Requirements list them too, first; the detail is in Requirements.
//
// The first call of Gates, Levels, Categories or Courses makes all four
// lists from the requirements' statuses the decision holds; later calls
// return the same slices, safely from many goroutines. Treat them and
// what they hold as read-only. In the JSON, they are "gates" (absent when
// empty), "levels", "categories" and "courses", after "level".
func (d *Decision) Gates() []RequirementStatus { return d.awardLists().Gates }

// Levels returns the outcome of every level of the ladder, lowest first
// (see Gates for how the list is made and shared).
func (d *Decision) Levels() []AwardResult { return d.awardLists().Levels }

// Categories returns the outcome of every category, in rule-set order (see
// Gates for how the list is made and shared).
func (d *Decision) Categories() []AwardResult { return d.awardLists().Categories }

// Courses returns the outcome of every course, in rule-set order; any
// number of them may be granted (see Gates for how the list is made and
// shared).
func (d *Decision) Courses() []AwardResult { return d.awardLists().Courses }

// awardLists returns the decision's award lists, made on first use; empty
// ones for a Decision the engine did not make nor JSON fill.
func (d *Decision) awardLists() *awardLists {
	x := d.expl
	if x == nil {
		return &awardLists{}
	}
	m := x.lazy()
	m.awardsMade.Do(func() {
		m.awards = x.e.awardLists(x.codes, x.actions())
		m.awardsReady.Store(true)
	})
	return m.awards
}
