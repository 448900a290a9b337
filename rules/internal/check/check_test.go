package check

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/ruleset"
)

type licence struct {
	Expires *string `expr:"expires"`
}

type applicant struct {
	Hours   float64  `expr:"hours"`
	Licence *licence `expr:"licence"`
	Tags    []string `expr:"tags"`
	Secret  string   `expr:"-"`
}

const seamRules = `ruleset: seam
version: "1"
parameters:
  minHours: {value: 20, source: test}
facts:
  total: hours * 2
  tagged: len(tags) > 0
requirements:
  r:
    title: R
    source: s
    when: total >= param.minHours && licence.expires != nil && tagged
levels:
  - {id: m, title: M, requires: [r]}
`

// TestCheckedSeam holds what later consumers of *Checked (compile, lint,
// coverage) rely on: the type, the position map, the text of parts, what a
// part reads, and the facts' order and layout.
func TestCheckedSeam(t *testing.T) {
	set, err := ruleset.Parse("seam.yaml", []byte(seamRules))
	if err != nil {
		t.Fatal(err)
	}
	errs := &file.Errors{}
	env, err := New(set, reflect.TypeFor[applicant](), errs, Options{MaxNodes: 2000})
	if err != nil {
		t.Fatal(err)
	}
	facts := env.Facts()
	if len(facts) != 2 || facts[0].Checked == nil || facts[0].Type.Kind() != reflect.Float64 {
		t.Fatalf("facts: %+v", facts)
	}
	if _, ok := env.Type().FieldByName("F1"); !ok {
		t.Errorf("environment %s has no field for the second fact", env.Type())
	}
	c := env.Condition(set.Requirements[0].When, "requirement r when")
	if c == nil {
		t.Fatal(errs.Err(0))
	}
	if c.Type.Kind() != reflect.Bool {
		t.Errorf("type %s, want bool", c.Type)
	}
	if got := c.Text(c.Tree.Node); got != "total >= param.minHours && licence.expires != nil && tagged" {
		t.Errorf("text %q", got)
	}
	if pos := c.Position(0); pos.File != "seam.yaml" || pos.Line != 12 || pos.Column != 11 {
		t.Errorf("position %s, want seam.yaml:12:11", pos)
	}
	u := c.Uses(c.Tree.Node)
	var paths []string
	for _, n := range u.Needs {
		paths = append(paths, n.Path)
	}
	if !slices.Equal(paths, []string{"licence", "tags", "licence.expires"}) {
		t.Errorf("needs %v", paths)
	}
	if len(u.Facts) != 2 || !slices.Equal(u.Params, []string{"minHours"}) {
		t.Errorf("uses %+v", u)
	}
	if got := c.Reads(nil); !slices.Equal(got, []string{"hours", "licence", "tags"}) {
		t.Errorf("reads %v", got)
	}
	if errs.Len() != 0 {
		t.Errorf("errors: %v", errs.Err(0))
	}
}

// TestForbiddenIsReported: a forbidden construct yields nil and an error
// positioned in the rule file.
func TestForbiddenIsReported(t *testing.T) {
	set, err := ruleset.Parse("seam.yaml", []byte(seamRules))
	if err != nil {
		t.Fatal(err)
	}
	errs := &file.Errors{}
	env, err := New(set, reflect.TypeFor[applicant](), errs, Options{MaxNodes: 2000})
	if err != nil {
		t.Fatal(err)
	}
	e := set.Requirements[0].When
	e.Source = "$env.hours > 1"
	if c := env.Expr(e, "x"); c != nil || errs.Len() != 1 || !errors.Is(errs.Recorded()[0], file.ErrForbidden) {
		t.Errorf("got %v, errors %v", c, errs.Err(0))
	}
}
