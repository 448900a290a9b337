package eligibility_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
)

// TestClaimsWithinClaimsRefused: a claim (verified: true) within a list
// entry that is itself a claim, or a section within a section that is, is
// refused by New, at the inner field in the rule file: eligo checks the
// outer claim's flag alone there, so an inner claim whose own flag says
// unverified would grant. (A list of claims within a section that is a
// claim is checked at both levels: TestClaimsInClaimedSection.)
func TestClaimsWithinClaimsRefused(t *testing.T) {
	for _, tc := range []struct{ outer, inner, when string }{
		{"list", "list", "any(outer, any(.inner, .h > 5))"},
		{"list", "section", "any(outer, .inner.h > 5)"},
		{"section", "section", "outer.inner.h > 5"},
	} {
		src := `ruleset: shape
version: "1"
model:
  id: {type: text, id: true}
  outer:
    type: ` + tc.outer + `
    verified: true
    fields:
      inner:
        type: ` + tc.inner + `
        verified: true
        fields:
          h: {type: number}
requirements:
  r: {title: R, source: s, when: '` + tc.when + `'}
levels:
  - {id: m, title: M, requires: [r]}
`
		set, err := rules.Parse("shape.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		_, err = eligibility.New(set)
		var list *rules.ErrorList
		if !errors.Is(err, eligibility.ErrModel) || !errors.As(err, &list) {
			t.Fatalf("%s in %s: error %v, want an ErrModel with positions", tc.inner, tc.outer, err)
		}
		if p := list.Errors[0].Pos; p.File != "shape.yaml" || p.Line != 9 || p.Column != 7 || !strings.Contains(err.Error(), "outer.inner holds claims within a section or list entry that is itself a claim") {
			t.Errorf("%s in %s: %v, want it at shape.yaml:9:7 (inner)", tc.inner, tc.outer, err)
		}
	}
}

type shapeApplicant struct {
	ID    string       `json:"id" eligo:"id"`
	Outer []shapeOuter `json:"outer" expr:"outer"`
}

type shapeOuter struct {
	Verified bool         `json:"verified"`
	Inner    []shapeInner `json:"inner" expr:"inner"`
}

type shapeInner struct {
	Verified bool    `json:"verified"`
	H        float64 `json:"h" expr:"h"`
}

// TestClaimsInClaimedSection: a list of claims within a section that is a
// claim counts an entry only when both the section and the entry are
// verified.
func TestClaimsInClaimedSection(t *testing.T) {
	e := declaredEngine(t, "shape.yaml", `ruleset: shape
version: "1"
model:
  id: {type: text, id: true}
  outer:
    type: section
    verified: true
    fields:
      inner:
        type: list
        verified: true
        fields:
          h: {type: number}
requirements:
  r: {title: R, source: s, when: 'any(outer.inner, .h > 5)'}
levels:
  - {id: m, title: M, requires: [r]}
`)
	for doc, want := range map[string]string{
		"id: a\nouter: {verified: true, inner: [{h: 9, verified: true}]}\n":  "m",
		"id: a\nouter: {verified: true, inner: [{h: 9, verified: false}]}\n": "",
		"id: a\nouter: {verified: false, inner: [{h: 9, verified: true}]}\n": "",
	} {
		a, err := e.Decode("a.yaml", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		d, err := e.Evaluate(t.Context(), a, eligibility.AsOf(shapeAsOf))
		if err != nil {
			t.Fatal(err)
		}
		if d.Level != want {
			t.Errorf("%q: level %q, want %q", doc, d.Level, want)
		}
	}
}

var shapeAsOf = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// TestClaimsWithinClaimsRefusedGo: the same for a Go type, named by its
// Go fields.
func TestClaimsWithinClaimsRefusedGo(t *testing.T) {
	set, err := rules.Parse("shape.yaml", []byte(`ruleset: shape
version: "1"
requirements:
  r: {title: R, source: s, when: 'any(outer, any(.inner, .h > 5))'}
levels:
  - {id: m, title: M, requires: [r]}
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = eligibility.NewFor[shapeApplicant](set)
	if !errors.Is(err, eligibility.ErrModel) || !strings.Contains(err.Error(), "shapeApplicant.Outer.Inner: claims in a shape the verified view does not model: claims within a section or list entry") {
		t.Errorf("error %v, want an ErrModel naming shapeApplicant.Outer.Inner", err)
	}
}

// TestNotBeforeDeclared: a date before the one it may not precede, in a
// declared model's section, is reported with the other field's document
// key and date, as for a Go type.
func TestNotBeforeDeclared(t *testing.T) {
	e := declaredEngine(t, "nb.yaml", `ruleset: nb
version: "1"
model:
  id: {type: text, id: true}
  sec:
    type: section
    verified: true
    fields:
      from: {type: date}
      to: {type: date, notBefore: from}
requirements:
  r: {title: R, source: s, when: 'done(sec.to)'}
levels:
  - {id: m, title: M, requires: [r]}
`)
	a, err := e.Decode("a.json", []byte(`{"id":"a","sec":{"from":"2024-05-01","to":"2024-04-01","verified":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Evaluate(t.Context(), a, eligibility.AsOf(shapeAsOf))
	var ie *eligibility.InputError
	if !errors.As(err, &ie) || len(ie.Errors) != 1 || ie.Errors[0].Path != "sec.to" || ie.Errors[0].Msg != "2024-04-01 is before from 2024-05-01" {
		t.Errorf("error %v, want sec.to: 2024-04-01 is before from 2024-05-01", err)
	}
}

// declaredEngine is the engine of the rule set src, a file called name
// that declares its model.
func declaredEngine(t *testing.T, name, src string) *eligibility.Engine {
	t.Helper()
	set, err := rules.Parse(name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	e, err := eligibility.New(set)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
