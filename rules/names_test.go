package rules

import (
	"errors"
	"fmt"
	"testing"
)

// TestReservedNames: a fact, parameter or catalogue named like something
// expressions already use is refused at its name, with ErrReserved. Before,
// some were shadowed in silence and others failed elsewhere.
func TestReservedNames(t *testing.T) {
	sections := []struct {
		section, yaml string
	}{
		{"fact", "facts:\n  %s: 1 + 1\n"},
		{"parameter", "parameters:\n  %s: {value: 1, source: s}\n"},
		{"catalogue", "catalogue:\n  %s: [{id: a, name: A}]\n"},
	}
	for _, name := range []string{"done", "approved", "len", "any", "all", "filter", "date", "timezone", "now", "sum",
		"asOf", "param", "true", "nil", "in", "not", "and", "or", "matches", "contains", "let", "if"} {
		for _, s := range sections {
			t.Run(s.section+" "+name, func(t *testing.T) {
				data := "ruleset: r\nversion: \"1\"\n" + fmt.Sprintf(s.yaml, name) +
					"requirements:\n  r: {title: R, source: s, when: \"true\"}\nlevels:\n  - {id: m, title: M, requires: [r]}\n"
				_, err := Parse("names.yaml", []byte(data))
				var list *ErrorList
				if !errors.As(err, &list) || len(list.Errors) != 1 {
					t.Fatalf("got %v, want one error", err)
				}
				e := list.Errors[0]
				if !errors.Is(e, ErrReserved) || e.Pos != (Position{File: "names.yaml", Line: 4, Column: 3}) {
					t.Errorf("got %v at %s, want ErrReserved at names.yaml:4:3", e.Kind, e)
				}
			})
		}
	}
}

// TestUnreservedNames: names that merely contain or resemble reserved ones
// are free.
func TestUnreservedNames(t *testing.T) {
	data := "ruleset: r\nversion: \"1\"\nfacts:\n  doneHours: 1\n  lenient: \"true\"\n  asOfYear: 2\n" +
		"parameters:\n  min_hours: {value: 1, source: s}\n  Len: {value: 2, source: s}\n" +
		"requirements:\n  r: {title: R, source: s, when: \"lenient && doneHours < asOfYear\"}\nlevels:\n  - {id: m, title: M, requires: [r]}\n"
	if err := parseAndCompile("names.yaml", []byte(data)); err != nil {
		t.Fatal(err)
	}
}
