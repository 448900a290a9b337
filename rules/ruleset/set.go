package ruleset

import (
	"time"

	"github.com/eligo-dev/eligo/rules/file"
	"go.yaml.in/yaml/v3"
)

// Set is a parsed rule set: one or more rule files merged, checked for
// structure (keys, value shapes, duplicate ids) but not yet compiled.
// rules.Compile turns it into a rules.Program. A Set is read-only once returned; it is safe to
// compile it more than once, also concurrently.
type Set struct {
	Name    string // the "ruleset" key: a short stable name, e.g. "acto"
	Version string // the rule set's own version, e.g. "2020.10"
	Title   string // a human title
	// Effective is the first date the rules apply (the "effective" key), at
	// midnight UTC, or zero if not given. The engine refuses to evaluate as
	// of an earlier date (eligibility.ErrNotInForce); zero means no limit.
	Effective time.Time
	// Digest identifies the rule set's content: "sha256:" and the hex
	// SHA-256 of the files' own SHA-256 sums, in name order, each taken over
	// "LEN(name):name\nLEN(data):" and the file's bytes. The same files give
	// the same digest on every load.
	Digest string

	// Model is the applicant document the rule set declares (the "model"
	// key), or nil when it declares none and rules compile against a Go
	// type of the caller's. Model.Type builds its Go type.
	Model *Model

	Parameters   []*Parameter   // in the order given (files in name order)
	Catalogues   []*Catalogue   // the "catalogue" section, in the order given
	Facts        []*Fact        // in the order given, not in dependency order
	Requirements []*Requirement // in the order given
	// Gates are requirement ids that every award (level, category and
	// course) must meet, on every route, on top of its own requirements:
	// the "gates" key, in the order given (files in name order). A gate
	// weighs in an award's outcome exactly as a requirement the award
	// lists would. Each id is a defined requirement, listed once.
	Gates      []string
	Benefits   []*Benefit // in the order given
	Levels     []*Award   // the ladder, lowest first; the highest granted wins
	Categories []*Award   // outcomes outside the ladder (retired, organisational, ...)
	Courses    []*Award   // courses with entry rules; all that hold are granted

	files []*file.Source
}

// Parameter is a named value the rules use, optionally dated: Values holds
// one value per effective date, in date order; a plain value has a single
// entry with a zero From.
type Parameter struct {
	Name        string // the key under parameters; expressions read param.NAME
	Source      string // citation, or "assumed"
	Description string // free text for people, or ""
	// Assumed reports that the value is not published by the body: the rule
	// file says "assumed: true" or its source starts with "assumed".
	Assumed bool
	Values  []DatedValue  // one per effective date, in date order
	Pos     file.Position // where the parameter's name stands
	// Ignore lists the lint findings the rule file suppresses on this
	// item, with their reasons (the "lint: {ignore: ...}" key), or none.
	Ignore []Suppression
}

// DatedValue is a parameter's value from a date on. Value is a float64, bool,
// string, time.Time or []string.
type DatedValue struct {
	From  time.Time     // the first day the value applies; zero for an undated value
	Value any           // the value from From on, until the next entry's From
	Pos   file.Position // where the value (or its {from, value} entry) stands
}

// Catalogue is a named list of reference data, such as approved providers.
type Catalogue struct {
	Name    string           // the name listed and canonical take, e.g. "providers"
	Entries []CatalogueEntry // in the order given
	Pos     file.Position    // where the catalogue's name stands
	// Ignore lists the lint findings the rule file suppresses on this
	// item, with their reasons (the "lint: {ignore: ...}" key), or none.
	Ignore []Suppression
}

// CatalogueEntry is one item of a catalogue. Rules match a value against an
// entry's ID, Name and Aliases, ignoring case and runs of white space; two
// entries of a catalogue may not share a name so matched (an error at
// load, where the later entry gives it), so a value matches one entry at
// most.
type CatalogueEntry struct {
	ID      string        // unique in the catalogue; what canonical returns
	Name    string        // the entry's full name
	Aliases []string      // other names it goes by, or none
	Pos     file.Position // where the entry stands
	// Ignore lists the lint findings the rule file suppresses on this
	// item, with their reasons (the "lint: {ignore: ...}" key), or none.
	Ignore []Suppression
}

// Fact is a named expression, computed at most once per evaluation and
// usable by name in other facts and requirements.
type Fact struct {
	Name        string        // the key under facts; expressions read it by this name
	Description string        // free text for people, or ""
	Expr        Expr          // the expression that computes it
	Pos         file.Position // where the fact's name stands
	// Ignore lists the lint findings the rule file suppresses on this
	// item, with their reasons (the "lint: {ignore: ...}" key), or none.
	Ignore []Suppression
}

// Expr is an expression in a rule file, with where it stands.
type Expr struct {
	Source string        // the expression's text: the YAML scalar's value
	Pos    file.Position // where the scalar starts in its file
	node   *yaml.Node
	src    *file.Source
}

// IsZero reports whether no expression was given.
func (e Expr) IsZero() bool { return e.node == nil && e.Source == "" }

// Positions maps each character of the expression's text to where it
// stands in its rule file, whatever the scalar's style, with one entry more
// for the end of the text (see file.Source.ScalarMap); nil for an
// expression not parsed from a file.
func (e Expr) Positions() []file.Position {
	if e.node == nil || e.src == nil {
		return nil
	}
	return e.src.ScalarMap(e.node)
}

// PositionAt is Positions()[k], at the cost of mapping the first k
// characters only; Pos for an expression not parsed from a file.
func (e Expr) PositionAt(k int) file.Position {
	if e.node == nil || e.src == nil {
		return e.Pos
	}
	return e.src.ScalarPos(e.node, k)
}

// Files returns the rule files the set was parsed from, in the order
// parsed, so that errors found later can quote the lines they point into.
func (s *Set) Files() []*file.Source { return s.files }

// Requirement is one condition an applicant must meet, with its citation.
type Requirement struct {
	ID          string // the key under requirements, named in requires lists
	Title       string // a short title for people
	Source      string // citation: where the requirement is published
	Description string // free text for people, or ""
	// When is the condition: a boolean expression.
	When Expr
	// Review, when set, is a boolean expression: if When does not hold but
	// Review does, the requirement needs a person's judgement.
	Review Expr
	// Unknown, when set, is a boolean expression: if When does not hold but
	// Unknown does, the data the requirement needs is missing.
	Unknown Expr
	// Explain holds optional wording per status ("met", "unmet", "unknown",
	// "review", "unverified") replacing the engine's own.
	Explain map[string]string
	Pos     file.Position // where the requirement's id stands
	// Ignore lists the lint findings the rule file suppresses on this
	// item, with their reasons (the "lint: {ignore: ...}" key), or none.
	Ignore []Suppression
}

// Benefit is an entitlement that a level or category unlocks, possibly only
// when further requirements hold, and possibly with an add-on fee.
type Benefit struct {
	ID       string        // the key under benefits, named in an award's benefits
	Title    string        // a short title for people
	Source   string        // citation, or ""
	Requires []string      // requirement ids; all must be met
	Fee      string        // parameter name of an add-on fee, or ""
	Pos      file.Position // where the benefit's id stands
	// Ignore lists the lint findings the rule file suppresses on this
	// item, with their reasons (the "lint: {ignore: ...}" key), or none.
	Ignore []Suppression
}

// Award is something an applicant can be granted: a membership level, a
// category, or a place on a course.
type Award struct {
	ID          string // unique across levels, categories and courses
	Title       string // a short title for people
	Source      string // citation, or ""
	Description string // free text for people, or ""
	// Requires lists requirement ids every route needs.
	Requires []string
	// Routes are alternatives: any one route suffices, on top of Requires.
	// An award without routes in its rule file has one route named
	// "standard" with no requirements of its own.
	Routes   []*Route
	Benefits []string // benefit ids unlocked when granted
	Fee      string   // parameter name of the annual fee, or ""
	// Entry, for a level only, makes it a side entry to the ladder: the
	// "entry" key, requirement ids. The engine offers as Next the first
	// level above the applicant's highest granted one (from the ladder's
	// first, with none) that has no Entry or one of whose Entry
	// requirements is met or unverified (the applicant claims it); a level
	// whose Entry holds none of these is skipped. Nil for a level open to
	// all (and for categories and courses).
	Entry []string
	Pos   file.Position // where the award's list entry stands
	// Ignore lists the lint findings the rule file suppresses on this
	// item, with their reasons (the "lint: {ignore: ...}" key), or none.
	Ignore []Suppression
}

// Route is one way of qualifying for an Award.
type Route struct {
	Name     string   // the key under routes; "standard" for an award without routes
	Requires []string // requirement ids, all needed on top of the award's
	// Review marks a route assessed by a panel: when all its requirements
	// hold it refers the applicant rather than granting.
	Review bool
	Pos    file.Position // where the route's name stands, or the award's Pos if implicit
}
