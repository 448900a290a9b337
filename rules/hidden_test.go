package rules

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// hiddenApplicant has fields rules do not see, at the top, in a section
// and in list entries.
type hiddenApplicant struct {
	ID      string         `expr:"id"`
	Name    string         `expr:"-"`
	Sec     *hiddenSection `expr:"sec"`
	Entries []hiddenEntry  `expr:"entries"`
}

type hiddenSection struct {
	Witness string `expr:"-"`
	Hours   int    `expr:"hours"`
}

type hiddenEntry struct {
	Title  string     `expr:"title"`
	Secret string     `expr:"-"`
	Done   *time.Time `expr:"done"`
}

// TestStringOfSectionRefused: string() and toJSON() of a section, a list
// of entries, an entry or a let bound to one would show the fields rules
// do not see, and ==, != and in between them would compare those fields;
// they are refused when the rules compile, at the call (ErrForbidden); of
// a field, a list of texts, a date or a literal they compile, as does a
// section compared with nil or a list with a literal. Where only the value tells (a section inside a list literal),
// the requirement fails while it runs with an *EvalError wrapping
// ErrForbidden, on a section whose hidden field would decide it.
func TestStringOfSectionRefused(t *testing.T) {
	compile := func(when string) (*Program, error) {
		set, err := Parse("hidden.yaml", []byte(budgetRules(when)))
		if err != nil {
			t.Fatal(err)
		}
		return Compile(set, hiddenApplicant{})
	}
	for _, when := range []string{
		`string(sec) contains "Smith"`,
		`toJSON(sec) contains "Smith"`,
		`toJSON(entries) contains "x"`,
		`string(entries[0]) != ""`,
		`any(entries, string(#) contains "x")`,
		`let s = sec; string(s) contains "x"`,
		`sec == sec`,
		`entries[0] != entries[1]`,
		`entries[0] in entries`,
		`any(entries, # == entries[0])`,
	} {
		_, err := compile(when)
		var el *ErrorList
		if !errors.Is(err, ErrForbidden) || !errors.As(err, &el) || el.Errors[0].Pos.Line == 0 || !strings.Contains(err.Error(), "fields rules do not see") {
			t.Errorf("%s: error %v, want a positioned ErrForbidden", when, err)
		}
	}
	for _, when := range []string{
		`string(sec.hours) == "1"`,
		`toJSON(map(entries, .title)) != ""`,
		`string(asOf) != ""`,
		`toJSON({a: 1, b: [2]}) != ""`,
		`string(entries[0].done) != ""`,
		`sec != nil`,
		`nil == sec`,
		`entries != []`,
		`entries[0].title in map(entries, .title)`,
	} {
		if _, err := compile(when); err != nil {
			t.Errorf("%s: %v", when, err)
		}
	}
	a := &hiddenApplicant{ID: "a", Sec: &hiddenSection{Witness: "Jo Smith", Hours: 1}, Entries: []hiddenEntry{{Title: "t", Secret: "Smith"}}}
	for _, when := range []string{
		`string([sec]) contains "Smith"`,
		`toJSON(filter(entries, .title != "")) contains "Smith"`,
		`string({s: sec}) contains "Smith"`,
	} {
		p, err := compile(when)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		run, err := p.NewRun(a, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		_, err = run.Requirement(0)
		var ee *EvalError
		if !errors.As(err, &ee) || !errors.Is(err, ErrForbidden) {
			t.Errorf("%s: error %v, want an *EvalError wrapping ErrForbidden", when, err)
		}
	}
}

// optionalApplicant has entries with optional values.
type optionalApplicant struct {
	ID      string          `expr:"id"`
	Entries []optionalEntry `expr:"entries"`
}

type optionalEntry struct {
	Flag  *bool          `expr:"flag"`
	Score *float64       `expr:"score"`
	Name  *string        `expr:"name"`
	At    *time.Time     `expr:"at"`
	Sec   *hiddenSection `expr:"sec"`
}

// TestAbsentInEntriesSaid: within a condition on a list's entries, an
// entry's optional truth value, number or text compared, negated or
// tested without a default or a nil test is refused when the rules
// compile, at the field (ErrType); with ?? or guarded by != nil (== nil
// ||) it compiles, as do dates passed to the date functions and sections
// tested against nil.
func TestAbsentInEntriesSaid(t *testing.T) {
	compile := func(when string) error {
		set, err := Parse("optional.yaml", []byte(budgetRules(when)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Compile(set, optionalApplicant{})
		return err
	}
	for _, when := range []string{
		`none(entries, .flag == true)`,
		`any(entries, .flag == true)`,
		`all(entries, .flag != true)`,
		`count(entries, .score > 3) == 0`,
		`len(filter(entries, .name == "x")) == 0`,
		`none(entries, .flag != nil || .flag == true)`,
		`none(entries, .score != nil && .flag == true)`,
	} {
		err := compile(when)
		var el *ErrorList
		if !errors.Is(err, ErrType) || !errors.As(err, &el) || el.Errors[0].Pos.Column == 0 || !strings.Contains(err.Error(), "say what an absent") {
			t.Errorf("%s: error %v, want ErrType at the field", when, err)
		}
	}
	for _, when := range []string{
		`none(entries, .flag ?? true)`,
		`none(entries, (.flag ?? true) == true)`,
		`any(entries, .flag != nil && .flag == true)`,
		`all(entries, .flag == nil || .flag == false)`,
		`any(entries, nil != .score and .score > 3)`,
		`any(entries, done(.at))`,
		`any(entries, .sec != nil)`,
		`count(entries, (.name ?? "") == "x") == 0`,
	} {
		if err := compile(when); err != nil {
			t.Errorf("%s: %v", when, err)
		}
	}
}

// TestAbsentInEntryReachedOtherwise: an entry's optional value read by
// index (entries[0].flag), through a function (first(entries).score) or a
// let, or within a fact, is refused as within a condition on the entries:
// only the applicant's own fields and sections are made unknown when
// absent. (entries[0].score != 3 was met for an entry without a score,
// and a fact sum(entries, .score) failed for every applicant.) The
// message says what default suits the value's type.
func TestAbsentInEntryReachedOtherwise(t *testing.T) {
	compile := func(facts, when string) error {
		src := budgetRules(when)
		if facts != "" {
			src = strings.Replace(src, "requirements:", "facts:\n  "+facts+"\nrequirements:", 1)
		}
		set, err := Parse("optional.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Compile(set, optionalApplicant{})
		return err
	}
	for _, c := range []struct{ facts, when, how string }{
		{"", `entries[0].score != 3`, "entries[0].score ?? 0 (counts as 0)"},
		{"", `!(entries[0].flag ?? false) && entries[1].flag == false`, "entries[1].flag ?? true (counts as true)"},
		{"", `first(entries).score > 3`, "first(entries).score ?? 0"},
		{"", `let e = last(entries); e.name == "x"`, `e.name ?? "" (counts as empty)`},
		{"total: sum(entries, .score)", `total > 3`, ".score ?? 0"},
		{"flagged: 'count(entries, .flag == true)'", `flagged > 0`, ".flag ?? true"},
	} {
		err := compile(c.facts, c.when)
		if !errors.Is(err, ErrType) || !strings.Contains(err.Error(), "say what an absent") || !strings.Contains(err.Error(), c.how) {
			t.Errorf("%s %s: error %v, want ErrType suggesting %s", c.facts, c.when, err, c.how)
		}
	}
	for _, c := range []struct{ facts, when string }{
		{"", `(entries[0].score ?? 0) != 3`},
		{"", `entries[0].flag != nil && entries[0].flag == true`},
		{"total: sum(entries, .score ?? 0)", `total > 3`},
	} {
		if err := compile(c.facts, c.when); err != nil {
			t.Errorf("%s %s: %v", c.facts, c.when, err)
		}
	}
}

// TestAbsentInEntriesDecided: the rules that say what absence means
// decide an entry with no flag as they say.
func TestAbsentInEntriesDecided(t *testing.T) {
	yes := true
	for when, want := range map[string]Status{
		`none(entries, .flag ?? true)`:                         Unmet,
		`none(entries, .flag != nil && .flag == true)`:         Met,
		`any(entries, .flag == nil || .flag == true)`:          Met,
		`all(entries, .flag != nil && .flag == true)`:          Unmet,
		`count(entries, (.flag ?? false) == true) == 1`:        Met,
		`none(entries, .flag != nil && .flag == true) && true`: Met,
	} {
		set, err := Parse("optional.yaml", []byte(budgetRules(when)))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Compile(set, optionalApplicant{})
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		a := &optionalApplicant{ID: "a", Entries: []optionalEntry{{}, {}}}
		if when == `count(entries, (.flag ?? false) == true) == 1` {
			a.Entries[1].Flag = &yes
		}
		run, err := p.NewRun(a, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if s, err := run.Status(0); err != nil || s != want {
			t.Errorf("%s: %v, %v; want %v", when, s, err, want)
		}
	}
}
