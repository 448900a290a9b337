// Package lint finds what is probably wrong in a rule set that loads and
// compiles: items nothing uses, awards that grant everyone or no one, a
// ladder whose levels do not build on each other, assumptions left
// unexplained. Run returns the findings, each with a stable code (see
// Codes), a severity and the place in the rule file it concerns, sorted by
// position.
//
// A finding that does not apply is suppressed on its item in the rule
// file, with the reason:
//
//	parameters:
//	  fee_2027:
//	    value: 45
//	    source: "ACTO fees announcement, 2026"
//	    lint: {ignore: {unused-parameter: "charged from 2027, when the new level opens"}}
//
// Parameters, facts, requirements, benefits and levels, categories and
// courses take the key (facts and benefits in their mapping form), and so
// do catalogues, in the form {entries: [...], lint: ...}, and catalogue
// entries (no finding is about an entry: a rule set whose entries share a
// name, so that one shadows another, does not load). A suppression that
// suppresses nothing is itself a finding, unused-suppression.
//
// # Codes
//
//   - unused-requirement: a requirement that no level, category, course,
//     route, entry, benefit or gate names.
//   - unused-fact: a fact that no requirement and no other fact reads.
//   - unused-parameter: a parameter that no expression reads and no award
//     or benefit charges as its fee.
//   - unused-benefit: a benefit that no level, category or course unlocks.
//   - unused-catalogue: a catalogue that no expression reads (approved()
//     reads "providers"; listed() and canonical() read the one they name).
//   - grants-everyone: a route of an award that needs no requirement at
//     all (no gate, none of the award's, none of its own): it grants every
//     applicant, or, with review: true, refers every one.
//   - gate-restated: a level, category, course, route or benefit that lists
//     a gate. Gates join every route of every award by themselves, so the
//     listing changes nothing, and it suggests the awards that leave it out
//     do not need the gate (a benefit needs its award's gates already).
//     This is lint's reading of "an award that ignores a gate": the engine
//     joins every gate to every route of every award, so no award can
//     leave one out; what an award can do is list it as if it had to.
//   - constant-false: a requirement whose when is false for every applicant,
//     once parameters are put in (in every period of dated parameters): a
//     literal false, or a clause of parameters and literals that is false,
//     such as param.x > 10 with x 5, at the top level or under &&.
//   - never-granted: a level, category or course each of whose routes
//     (review routes too) needs a constant-false requirement.
//   - level-shadowed: a level that can never be the decided level (the
//     highest granted): for each of its routes that grants (review: false),
//     some higher level has a granting route whose requirements are all
//     among that route's, so the higher level is granted whenever it is.
//   - level-not-cumulative: a level with a granting route that does not
//     need every requirement of any granting route of some lower level, so
//     it can be granted while that lower level is not: the ladder property
//     "a granted level has every lower level's requirements met". A lower
//     level with an entry key is a side entry, outside the main track, and
//     is not compared.
//   - assumed-undescribed: a parameter marked assumed (assumed: true, or a
//     source starting with "assumed") without a description saying why the
//     value was chosen.
//   - absence-grants: a top-level clause of a requirement's when (a side of
//     its top-level &&) that holds, parameters put in, for a document that
//     leaves out a number, integer or boolean of the declared model (at
//     the top level or in a section) that is neither required nor
//     nullable, and so reads as 0 or false: !struckOff, hours <=
//     param.max; unless another clause fails on that absence (hours > 0
//     && hours <= param.max), or the field's bounds refuse 0. Declaring
//     the field required makes documents give it; nullable makes its
//     absence unknown. Lint folds the clauses it can (literals,
//     parameters, that field, the facts they name, and !, &&, ||,
//     comparisons and arithmetic over them), not those that read lists or
//     call functions.
//   - unused-suppression: a lint ignore entry that suppresses no finding.
//
// Lint reads the rule set only: it needs no applicant model (but reads the
// one the rule set declares) and does not type-check expressions
// (rules.Compile does). Expressions that do not
// parse are left out of its analysis.
package lint

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/ruleset"
)

// Severity says how likely a finding is to be a fault.
type Severity string

const (
	// Error: the rule set cannot mean what it says (an award no one can
	// get, or that everyone gets).
	Error Severity = "error"
	// Warning: something unused, redundant or undocumented.
	Warning Severity = "warning"
)

// Code is one kind of finding.
type Code struct {
	Name     string   `json:"name"`     // the stable code, e.g. "unused-parameter"
	Severity Severity `json:"severity"` // the severity of its findings
	Summary  string   `json:"summary"`  // what it finds, in a sentence
}

// Codes are the kinds of finding Run reports, in the order documented.
var Codes = []Code{
	{"unused-requirement", Warning, "A requirement that no level, category, course, route, entry, benefit or gate names."},
	{"unused-fact", Warning, "A fact that no requirement and no other fact reads."},
	{"unused-parameter", Warning, "A parameter that no expression reads and no award or benefit charges as its fee."},
	{"unused-benefit", Warning, "A benefit that no level, category or course unlocks."},
	{"unused-catalogue", Warning, "A catalogue that no expression reads."},
	{"grants-everyone", Error, "A route of an award that needs no requirement at all, so it grants (or refers) every applicant."},
	{"gate-restated", Warning, "An award, route or benefit that lists a gate, which joins every award by itself."},
	{"constant-false", Error, "A requirement whose condition is false for every applicant, parameters put in."},
	{"never-granted", Error, "An award each of whose routes needs a constant-false requirement."},
	{"level-shadowed", Error, "A level that can never be the decided level: a higher level is granted whenever it is."},
	{"level-not-cumulative", Warning, "A level that can be granted without some lower level's requirements being met."},
	{"assumed-undescribed", Warning, "An assumed parameter without a description of why the value was chosen."},
	{"absence-grants", Warning, "A requirement's clause that holds for a document leaving out a number or boolean, which reads as 0 or false."},
	{UnusedSuppression, Warning, "A lint ignore entry in the rule file that suppresses no finding."},
}

// UnusedSuppression is the code of a suppression that suppresses nothing.
const UnusedSuppression = "unused-suppression"

// Finding is one thing lint found in a rule set.
type Finding struct {
	Code     string        // the stable code, one of Codes
	Severity Severity      // the code's severity
	Pos      file.Position // where in the rule file: the item, or the clause at fault
	// Item names what the finding is about, as messages do:
	// "parameter fee_x", "requirement core-training", "level senior".
	Item    string
	Message string // what is wrong, for people, without position or code
	// Line is the source line Pos points into, without its line ending;
	// "" when unknown.
	Line string

	ignore []ruleset.Suppression // the item's suppressions
}

// String renders "file:line:col: code: message", then the source line and
// a caret under the position, as rule-file errors are rendered.
func (f Finding) String() string {
	e := &file.Error{Pos: f.Pos, Msg: f.Code + ": " + f.Message, Line: f.Line}
	return e.Error()
}

// MarshalJSON encodes a finding flat: code, severity, file, line, column,
// item, message and the source line.
func (f Finding) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Code     string   `json:"code"`
		Severity Severity `json:"severity"`
		File     string   `json:"file"`
		Line     int      `json:"line"`
		Column   int      `json:"column"`
		Item     string   `json:"item"`
		Message  string   `json:"message"`
		Source   string   `json:"source,omitempty"`
	}{f.Code, f.Severity, f.Pos.File, f.Pos.Line, f.Pos.Column, f.Item, f.Message, f.Line})
}

// Format renders findings one after the other, as String does, followed
// by a count: "3 findings" (or "no findings").
func Format(findings []Finding) string {
	var b strings.Builder
	for _, f := range findings {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	switch len(findings) {
	case 0:
		b.WriteString("no findings\n")
	case 1:
		b.WriteString("1 finding\n")
	default:
		fmt.Fprintf(&b, "%d findings\n", len(findings))
	}
	return b.String()
}

// Run lints set and returns its findings, those its rule files suppress
// left out, sorted by file, line and column (findings at one position by
// code). It never fails: a set that Load returned can always be linted.
func Run(set *ruleset.Set) []Finding {
	l := newLinter(set)
	l.unused()
	l.awards()
	l.ladder()
	l.parameters()
	out := l.suppress()
	sources := map[string]*file.Source{}
	for _, s := range set.Files() {
		sources[s.Name()] = s
	}
	for i := range out {
		if s := sources[out[i].Pos.File]; s != nil {
			out[i].Line = s.Line(out[i].Pos.Line)
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(a.Pos.Compare(b.Pos), strings.Compare(a.Code, b.Code))
	})
	return out
}

// severity returns the severity of code.
func severity(code string) Severity {
	for _, c := range Codes {
		if c.Name == code {
			return c.Severity
		}
	}
	return Warning
}

// suppress drops the findings their items suppress and reports each
// suppression that dropped none.
func (l *linter) suppress() []Finding {
	used := map[file.Position]bool{}
	var out []Finding
	for _, f := range l.found {
		i := slices.IndexFunc(f.ignore, func(s ruleset.Suppression) bool { return s.Code == f.Code })
		if i >= 0 {
			used[f.ignore[i].Pos] = true
			continue
		}
		out = append(out, f)
	}
	for _, s := range l.suppressions() {
		if !used[s.sup.Pos] {
			out = append(out, Finding{Code: UnusedSuppression, Severity: severity(UnusedSuppression), Pos: s.sup.Pos, Item: s.item,
				Message: fmt.Sprintf("%s: %s is not found here, so ignoring it suppresses nothing; remove the suppression", s.item, s.sup.Code)})
		}
	}
	return out
}

type itemSuppression struct {
	item string
	sup  ruleset.Suppression
}

// suppressions lists every suppression in the rule set with its item.
func (l *linter) suppressions() []itemSuppression {
	var out []itemSuppression
	add := func(item string, sups []ruleset.Suppression) {
		for _, s := range sups {
			out = append(out, itemSuppression{item, s})
		}
	}
	s := l.set
	for _, p := range s.Parameters {
		add("parameter "+p.Name, p.Ignore)
	}
	for _, c := range s.Catalogues {
		add("catalogue "+c.Name, c.Ignore)
		for _, e := range c.Entries {
			add("catalogue "+c.Name+" entry "+e.ID, e.Ignore)
		}
	}
	for _, f := range s.Facts {
		add("fact "+f.Name, f.Ignore)
	}
	for _, r := range s.Requirements {
		add("requirement "+r.ID, r.Ignore)
	}
	for _, b := range s.Benefits {
		add("benefit "+b.ID, b.Ignore)
	}
	for _, g := range l.groups() {
		for _, a := range g.awards {
			add(g.section+" "+a.ID, a.Ignore)
		}
	}
	return out
}
