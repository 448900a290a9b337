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

// TestModelUnverifiable: verified: false written out opts a section or
// list out of the claims check; left out, or true, it does not.
func TestModelUnverifiable(t *testing.T) {
	set, err := Parse("m.yaml", []byte(modelHead+`  a: {type: section, verified: false, fields: {x: {type: text}}}
  b: {type: list, verified: false, fields: {x: {type: text}}}
  c: {type: section, fields: {x: {type: text}}}
  d: {type: list, verified: true, fields: {x: {type: text}}}
`))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct{ unverifiable, verified bool }{{true, false}, {true, false}, {false, false}, {false, true}} {
		if f := set.Model.Fields[i]; f.Unverifiable != want.unverifiable || f.Verified != want.verified {
			t.Errorf("%s: Unverifiable %v, Verified %v; want %v, %v", f.Name, f.Unverifiable, f.Verified, want.unverifiable, want.verified)
		}
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
		{"key for another type", "  a: {type: number, enum: [x]}\n  b: {type: text, nullable: true}\n",
			[]string{`5:21 unknown key model field a: key "enum" does not apply to a number field`,
				`6:19 unknown key model field b: key "nullable" does not apply to a text field`}},
		{"required and nullable", "  a: {type: integer, required: true, nullable: true}\n",
			[]string{`5:38 invalid value model field a: required makes a document that leaves the field out invalid, nullable makes its absence unknown to the rules; give one of them`}},
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
		{"keys for other types", "  a: {type: text, past: true, nullable: true, maxEntries: 3}\n  b: {type: date, personal: true, format: country}\n  c: {type: boolean, notBefore: a, of: text}\n", []string{
			`5:19 unknown key model field a: key "past" does not apply to a text field`,
			`5:31 unknown key model field a: key "nullable" does not apply to a text field`,
			`5:47 unknown key model field a: key "maxEntries" does not apply to a text field`,
			`6:19 unknown key model field b: key "personal" does not apply to a date field`,
			`6:35 unknown key model field b: key "format" does not apply to a date field`,
			`7:22 unknown key model field c: key "notBefore" does not apply to a boolean field`,
			`7:36 unknown key model field c: key "of" does not apply to a boolean field`}},
		{"notBefore", "  s:\n    type: section\n    fields:\n      enrolled: {type: date}\n      title: {type: text}\n" +
			"      a: {type: date, notBefore: enroled}\n      b: {type: date, notBefore: title}\n      c: {type: date, notBefore: c}\n" +
			"      d: {type: date, notBefore: nowhere}\n  e: {type: date, notBefore: enrolled}\n", []string{
			`10:34 unknown reference model field s.a notBefore: no field "enroled" beside it; did you mean "enrolled"?`,
			`11:34 invalid value model field s.b notBefore: field "title" is text; want a date field`,
			`12:34 invalid value model field s.c notBefore: a date cannot be compared with itself`,
			`13:34 unknown reference model field s.d notBefore: no field "nowhere" beside it; want a date field beside it`,
			`14:30 unknown reference model field e notBefore: no field "enrolled" beside it; want a date field beside it`}},
		{"personal", "  a: {type: text, id: true, personal: true}\n  l: {type: list, label: n, fields: {n: {type: text, personal: true}}}\n", []string{
			`5:29 invalid value model field a: the applicant's id cannot be personal`,
			`6:26 invalid value model field l label: field "n" is personal`}},
		{"format", "  a: {type: text, format: contry}\n  b: {type: text, format: email}\n  c: {type: text, format: [country]}\n", []string{
			`5:27 invalid value model field a format: unknown format "contry"; did you mean "country"?`,
			`6:27 invalid value model field b format: unknown format "email"; want one of country`,
			`7:27 invalid value model field c format: want text`}},
		{"of", "  a: {type: list, of: txt}\n  b: {type: list, of: number, fields: {x: {type: text}}}\n" +
			"  c: {type: list, of: text, fields: {x: {type: text}}, verified: true, label: x}\n  d: {type: list, enum: [x], fields: {x: {type: text}}}\n", []string{
			`5:23 invalid value model field a of: "txt"; a list may only be of text; did you mean "text"?`,
			`6:23 invalid value model field b of: "number"; a list may only be of text; a list of entries declares its fields instead`,
			`7:29 unknown key model field c: key "fields" does not apply to a list of text`,
			`7:56 unknown key model field c: key "verified" does not apply to a list of text`,
			`7:72 unknown key model field c: key "label" does not apply to a list of text`,
			`8:19 unknown key model field d: key "enum" does not apply to a list of entries`}},
		{"maxEntries", "  a: {type: list, of: text, maxEntries: 0}\n  b: {type: list, of: text, maxEntries: 1001}\n  c: {type: list, of: text, maxEntries: 2.5}\n", []string{
			`5:41 invalid value model field a maxEntries: want a whole number from 1 to 1000, got 0`,
			`6:41 invalid value model field b maxEntries: want a whole number from 1 to 1000, got 1001`,
			`7:41 invalid value model field c maxEntries: want a whole number from 1 to 1000, got "2.5"`}},
		{"event", "  a: {type: date, event: start}\n  b: {type: date, event: yes}\n  c: {type: date, event: false}\n" +
			"  d: {type: date, past: true, event: true}\n  e: {type: text, event: true}\n" +
			"  s: {type: section, fields: {t: {type: section, fields: {u: {type: date, event: true}}}}}\n" +
			"  l: {type: list, fields: {m: {type: list, fields: {v: {type: date, event: start}}}}}\n" +
			"  n: {type: section, fields: {o: {type: list, fields: {w: {type: date, event: start}}}}}\n", []string{
			`5:19 invalid value model field a event: start marks the date a section or list entry begins; a top-level date begins none`,
			`6:26 invalid value model field b event: want true (a later date is as if absent) or start`,
			`7:26 invalid value model field c event: want true or start; leave the key out`,
			`8:19 invalid value model field d: past makes a date after the evaluation date an input error, event leaves it out`,
			`9:19 unknown key model field e: key "event" does not apply to a text field`,
			`10:75 invalid value model field s.t.u event: event dates are judged at the top level, in a top-level section or list entry, or in an entry of a list within a top-level section, not deeper`,
			`11:69 invalid value model field l.m.v event: event dates are judged`}},
		{"nested names", "  s: {type: section, fields: {verified: {type: boolean}, asOf: {type: date}, in: {type: text}}}\n", []string{
			`5:31 reserved name model field s field "verified"`}},
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

// TestModelParseKeys: the keys of dates, booleans, texts and lists parse
// into the tree.
func TestModelParseKeys(t *testing.T) {
	set, err := Parse("m.yaml", []byte(modelHead+`  name: {type: text, personal: true}
  country: {type: text, format: country}
  practising: {type: boolean, nullable: true}
  langs: {type: list, of: text, enum: [en, cy], maxEntries: 8}
  log:
    type: list
    fields:
      from: {type: date, past: true}
      to: {type: date, notBefore: from, event: true}
      at: {type: date, event: start}
`))
	if err != nil {
		t.Fatal(err)
	}
	f := set.Model.Fields
	if !f[0].Personal || f[1].Format != FormatCountry || !f[2].Nullable {
		t.Errorf("fields %+v %+v %+v", f[0], f[1], f[2])
	}
	if f[3].Of != TypeText || f[3].MaxEntries != 8 || strings.Join(f[3].Enum, ",") != "en,cy" || f[3].Fields != nil {
		t.Errorf("langs %+v", f[3])
	}
	if from, to := f[4].Fields[0], f[4].Fields[1]; !from.Past || to.Past || to.NotBefore != "from" || f[4].MaxEntries != 0 {
		t.Errorf("log %+v %+v", from, to)
	}
	if from, to, at := f[4].Fields[0], f[4].Fields[1], f[4].Fields[2]; from.Event != "" || to.Event != EventDate || at.Event != EventStart {
		t.Errorf("events %q %q %q", from.Event, to.Event, at.Event)
	}
}
