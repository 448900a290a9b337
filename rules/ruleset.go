package rules

import (
	"errors"
	"io/fs"
	"reflect"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/check"
	"github.com/eligo-dev/eligo/rules/internal/compile"
	"github.com/eligo-dev/eligo/rules/ruleset"
)

// The parsed rule set is package rules/ruleset's; these are its names here.
// go doc rules/ruleset documents each type field by field.

// Limits that apply while parsing. They are on for every load.
const (
	// MaxFileSize is the largest rule file accepted, in bytes.
	MaxFileSize = ruleset.MaxFileSize
	// MaxErrors is how many errors an *ErrorList keeps; the rest are counted
	// in its Dropped field.
	MaxErrors = ruleset.MaxErrors
)

// Parse parses one rule file. name is used in error positions. The file must
// hold a complete rule set; use Load for a rule set split over several files.
//
// Every problem found is reported at once, as an *ErrorList: when the
// file has a fault in its structure and declares a model, its expressions
// are checked against the model too (see Load).
func Parse(name string, data []byte) (*Set, error) { return ruleset.ParseWith(name, data, checkExprs) }

// Load parses every rule file in fsys matching the glob patterns (by default
// "*.yaml" and "*.yml", in any letter case) and merges them into one rule
// set: sections are combined, ids must be unique across files, and the
// header (ruleset, version, title, effective) must be given once, or
// identically.
//
// Every problem in every file is reported at once, as an *ErrorList. A
// rule set with a fault in its structure (keys, shapes, ids, references)
// that declares a model without faults also has its expressions checked
// against the model, as Compile would, so that one pass reports every
// fault; a rule set that loads has its expressions checked, all at once,
// by Compile (or eligibility.New), and is not checked twice.
func Load(fsys fs.FS, patterns ...string) (*Set, error) {
	return ruleset.LoadWith(fsys, checkExprs, patterns...)
}

// checkExprs is the ruleset.ExprCheck of Parse and Load: Compile's checks
// of every expression against the declared model's type, on a set with
// faults in its structure. It adds to the faults already found; a fault it
// trips over in what is missing is no more than the set's own, already
// reported, so a panic is left unreported.
func checkExprs(set *Set, model reflect.Type, errs *file.Errors) {
	defer func() { _ = recover() }()
	env, err := check.New(set, model, errs, check.Options{MaxNodes: DefaultMaxNodes, Hidden: compile.MeterType,
		Functions: compile.MeterFunctions(ErrNonFinite)})
	if err != nil {
		return
	}
	compile.New(env, compile.Options{Memory: DefaultMemoryBudget, Steps: DefaultStepBudget, MaxListLen: DefaultMaxListLen,
		ConstantList: constantList})
}

// Set is a parsed rule set: one or more rule files merged, checked for
// structure (keys, value shapes, duplicate ids) but not yet compiled. Compile
// turns it into a Program. A Set is read-only once returned; it is safe to
// compile it more than once, also concurrently.
//
// Its fields are the header (Name, Version, Title, Effective), a Digest of
// the files' content, the applicant document the set declares (Model, or
// nil), and the sections in the order given: Parameters,
// Catalogues, Facts, Requirements, Gates (the ids of requirements every
// level, category and course must meet, on every route, on top of its
// own), Benefits, and the awards: Levels (the ladder, lowest first),
// Categories and Courses. See [ruleset.Set].
type Set = ruleset.Set

// Parameter is a named value the rules use (param.NAME), with its Source
// and its Values, one per effective date in date order (a plain value has a
// single entry with a zero From). See [ruleset.Parameter].
type Parameter = ruleset.Parameter

// DatedValue is a parameter's value from a date on. Value is a float64,
// bool, string, time.Time or []string. See [ruleset.DatedValue].
type DatedValue = ruleset.DatedValue

// Catalogue is a named list of reference data, such as approved providers.
// See [ruleset.Catalogue].
type Catalogue = ruleset.Catalogue

// CatalogueEntry is one item of a catalogue. Rules match a value against an
// entry's ID, Name and Aliases, ignoring case and runs of white space. See
// [ruleset.CatalogueEntry].
type CatalogueEntry = ruleset.CatalogueEntry

// Fact is a named expression, computed at most once per evaluation and
// usable by name in other facts and requirements. See [ruleset.Fact].
type Fact = ruleset.Fact

// Expr is an expression in a rule file: its Source text and the Pos where
// it stands. See [ruleset.Expr].
type Expr = ruleset.Expr

// Requirement is one condition an applicant must meet, with its citation:
// the boolean expressions When, and optionally Review and Unknown, and
// wording per status in Explain. See [ruleset.Requirement].
type Requirement = ruleset.Requirement

// Benefit is an entitlement that a level or category unlocks, possibly only
// when further requirements hold, and possibly with an add-on fee. See
// [ruleset.Benefit].
type Benefit = ruleset.Benefit

// Award is something an applicant can be granted: a membership level, a
// category, or a place on a course; Requires lists the requirements every
// one of its Routes needs; a level's Entry, if any, lists the requirements
// that make it a side entry offered as next to an applicant with no level.
// See [ruleset.Award].
type Award = ruleset.Award

// Route is one way of qualifying for an Award. See [ruleset.Route].
type Route = ruleset.Route

// Model is the applicant document a rule set declares under its "model"
// key: its Fields, each a ModelField. See [ruleset.Model].
type Model = ruleset.Model

// ModelField is one declared field of a Model, a section or a list's
// entries: its Name (the document's key), Type, and the constraints and
// conventions declared for it. See [ruleset.ModelField].
type ModelField = ruleset.ModelField

// FieldType is the type of a declared model field: text, number, integer,
// boolean, date, section or list. See [ruleset.FieldType].
type FieldType = ruleset.FieldType

// ModelType returns the Go struct type of the applicant document that set
// declares (its "model" key), built once per Set with reflect.StructOf;
// nil and no error when the set declares no model, so that rules compile
// against a Go type of the caller's instead.
//
// Pass a value of the type to Compile and to Program.NewRun, e.g.
// reflect.New(t).Interface(). Documents decode into it by their keys
// (json and yaml tags), rules read fields by them (expr tags), validation
// comes from validate tags, and the engine's conventions from eligo tags
// and the Verified flags of claims. See [ruleset.Model.Type] for the
// mapping from declarations to Go fields.
func ModelType(set *Set) (reflect.Type, error) {
	if set == nil {
		return nil, errors.New("rules: ModelType of a nil rule set")
	}
	return set.Model.Type()
}
