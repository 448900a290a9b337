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
// do not see; they are refused when the rules compile, at the call
// (ErrForbidden); of a field, a list of texts, a date or a literal they
// compile. Where only the value tells (a section inside a list literal),
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
