package ruleset

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/eligo-dev/eligo/rules/file"
)

const modelHead = "ruleset: s\nversion: \"1\"\nlevels: [{id: m, title: M}]\nmodel:\n"

// TestModelParse: a declaration parses into the tree, with positions.
func TestModelParse(t *testing.T) {
	set, err := Parse("m.yaml", []byte(modelHead+`  ref: {type: text, id: true, required: true, description: Member number}
  grade: {type: text, enum: [a, b]}
  hours: {type: integer, min: 0, max: 100}
  cover:
    type: section
    verified: true
    required: true
    fields:
      expires: {type: date}
  log:
    type: list
    label: title
    fields:
      title: {type: text}
      done: {type: boolean}
      score: {type: number, max: 1.5}
`))
	if err != nil {
		t.Fatal(err)
	}
	m := set.Model
	if m == nil || len(m.Fields) != 5 || m.Pos != (file.Position{File: "m.yaml", Line: 4, Column: 1}) {
		t.Fatalf("model %+v", m)
	}
	ref, grade, hours, cover, log := m.Fields[0], m.Fields[1], m.Fields[2], m.Fields[3], m.Fields[4]
	if ref.Name != "ref" || ref.Type != TypeText || !ref.ID || !ref.Required || ref.Description != "Member number" ||
		ref.Pos != (file.Position{File: "m.yaml", Line: 5, Column: 3}) {
		t.Errorf("ref %+v", ref)
	}
	if strings.Join(grade.Enum, ",") != "a,b" || grade.Required {
		t.Errorf("grade %+v", grade)
	}
	if hours.Type != TypeInteger || *hours.Min != 0 || *hours.Max != 100 {
		t.Errorf("hours %+v", hours)
	}
	if cover.Type != TypeSection || !cover.Verified || !cover.Required || len(cover.Fields) != 1 || cover.Fields[0].Type != TypeDate {
		t.Errorf("cover %+v", cover)
	}
	if log.Type != TypeList || log.Label != "title" || log.Verified || len(log.Fields) != 3 || log.Fields[2].Min != nil {
		t.Errorf("log %+v", log)
	}
}

// TestModelErrors: each fault is found at load, positioned, with its kind,
// all at once.
func TestModelErrors(t *testing.T) {
	for _, c := range []struct {
		name, model string
		want        []string // "line:col kind message-part", in order
	}{
		{"unknown type", "  a: {type: txt}\n", []string{`5:13 invalid value model field a type: unknown type "txt"; did you mean "text"?`}},
		{"missing type", "  a: {required: true}\n", []string{`5:6 invalid value model field a: missing required key "type"`}},
		{"unknown key", "  a: {type: text, enun: [x]}\n", []string{`5:19 unknown key model field a: unknown key "enun"; did you mean "enum"?`}},
		{"key for another type", "  a: {type: number, enum: [x]}\n  b: {type: boolean, required: true}\n",
			[]string{`5:21 unknown key model field a: key "enum" does not apply to a number field`,
				`6:22 unknown key model field b: key "required" does not apply to a boolean field`}},
		{"bad name", "  Ref: {type: text}\n  my_ref: {type: text}\n", []string{`5:3 invalid value model field "Ref": use lowerCamelCase`,
			`6:3 invalid value model field "my_ref": use lowerCamelCase`}},
		{"reserved", "  asOf: {type: date}\n  verified: {type: boolean}\n", []string{`5:3 reserved name model field "asOf"`,
			`6:3 reserved name model field "verified"`}},
		{"enum", "  a: {type: text, enum: [x, x, \"a b\"]}\n  b: {type: text, enum: []}\n", []string{
			`5:29 duplicate model field a enum: value "x" is already listed at m.yaml:5:26`,
			`5:32 invalid value model field a enum: value "a b": no spaces`, `6:25 invalid value model field b enum: want a non-empty list of texts, got an empty list`}},
		{"bounds", "  a: {type: integer, min: 1.5}\n  b: {type: number, min: 3, max: 2}\n  c: {type: number, max: x}\n", []string{
			`5:27 invalid value model field a min: want a whole number`, `6:6 invalid value model field b: min 3 is above max 2`,
			`7:26 invalid value model field c max: want a number, got "x"`}},
		{"ids", "  a: {type: text, id: true}\n  b: {type: text, id: true}\n  s: {type: section, fields: {c: {type: text, id: true}}}\n", []string{
			`6:19 duplicate model field b: the applicant's id is already declared at m.yaml:5:19`,
			`7:47 invalid value model field s.c: only a top-level field`}},
		{"label", "  l: {type: list, label: titel, fields: {title: {type: text}}}\n  k: {type: list, label: n, fields: {n: {type: number}}}\n", []string{
			`5:26 unknown reference model field l label: no field "titel" in its entries; did you mean "title"?`,
			`6:26 invalid value model field k label: field "n" is number; a label is a text field`}},
		{"fields", "  s: {type: section}\n  l: {type: list, fields: {}}\n  v: {type: text, verified: yes}\n", []string{
			`5:6 invalid value model field s: a section declares its fields`,
			`6:27 invalid value model field l fields: declare at least one field`,
			`7:19 unknown key model field v: key "verified" does not apply to a text field`}},
		{"bool", "  s: {type: section, verified: yes, fields: {a: {type: date, required: 1}}}\n", []string{
			`5:32 invalid value model field s verified: want true or false, got "yes"`,
			`5:72 invalid value model field s.a required: want true or false, got "1"`}},
		{"empty", "  {}\n", []string{`5:3 invalid value model: declare at least one field`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("m.yaml", []byte(modelHead+c.model))
			var list *file.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v", err)
			}
			var got []string
			for _, e := range list.Errors {
				got = append(got, e.Pos.String()+" "+e.Kind.Error()+" "+e.Msg)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d errors, want %d:\n%s", len(got), len(c.want), strings.Join(got, "\n"))
			}
			for i, w := range c.want {
				if !strings.HasPrefix(got[i], "m.yaml:"+w) {
					t.Errorf("error %d:\n got %s\nwant m.yaml:%s", i+1, got[i], w)
				}
			}
		})
	}
}

// TestModelOnce: a model is declared in one file of a rule set.
func TestModelOnce(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml": {Data: []byte(modelHead + "  a: {type: text}\n")},
		"b.yaml": {Data: []byte("model:\n  b: {type: text}\n")},
	}
	_, err := Load(fsys)
	if err == nil || !errors.Is(err, file.ErrDuplicate) || !strings.Contains(err.Error(), "b.yaml:1:1: model is already declared at a.yaml:4:1") {
		t.Fatalf("error %v", err)
	}
}
