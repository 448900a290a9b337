package docdecode

import (
	"reflect"
	"testing"
	"time"
)

// The eligibility package tests decoding on the Applicant model
// (decode_test.go and others there). These tests decode a model of their
// own, to show that nothing here depends on that one.

type book struct {
	Title   string     `yaml:"title"`
	Pages   int        `yaml:"pages"`
	Out     *time.Time `yaml:"published"`
	Authors []person   `yaml:"authors"`
	Skipped string     // no yaml tag: not a document key
}

type person struct {
	Name string `yaml:"name"`
}

var what = What{A: "a book", One: "one book"}

func TestDecodeAnyStruct(t *testing.T) {
	d := New([]byte("title: Go\npages: 380\npublished: 2015-10-26\nauthors:\n  - name: A\n  - name: B\n"), YAML, what, 10)
	docs, ok := d.Documents(true)
	if !ok || len(docs) != 1 {
		t.Fatalf("Documents: %d, %v", len(docs), ok)
	}
	var b book
	at := d.Decode(docs[0], reflect.ValueOf(&b))
	if p, _ := d.Problems(); len(p) > 0 {
		t.Fatalf("problems: %+v", p)
	}
	if b.Title != "Go" || b.Pages != 380 || b.Out == nil || !b.Out.Equal(time.Date(2015, 10, 26, 0, 0, 0, 0, time.UTC)) || len(b.Authors) != 2 || b.Authors[1].Name != "B" {
		t.Errorf("decoded %+v", b)
	}
	want := map[string]Position{"title": {"title", 1, 8}, "authors[1].name": {"authors[1].name", 6, 11}}
	for _, p := range at {
		if w, ok := want[p.Path]; ok && p != w {
			t.Errorf("%s at %d:%d, want %d:%d", p.Path, p.Line, p.Column, w.Line, w.Column)
		}
		delete(want, p.Path)
	}
	if len(want) > 0 {
		t.Errorf("no position for %v", want)
	}
}

func TestProblems(t *testing.T) {
	cases := []struct {
		name   string
		format Format
		data   string
		want   Problem
	}{
		{"unknown key with a suggestion", YAML, "titel: Go\n", Problem{"titel", 1, 1, UnknownField, `unknown field "titel"; did you mean "title"?`}},
		{"wrong type", YAML, "pages: many\n", Problem{"pages", 1, 8, Type, `want a number, got "many"`}},
		{"not decimal", YAML, "pages: 0x10\n", Problem{"pages", 1, 8, Type, "want a decimal number, got 0x10: hexadecimal, octal and binary numbers are not allowed; write 16"}},
		{"null document names what it wants", YAML, "null\n", Problem{"", 1, 1, Type, "want a book (a mapping), got null"}},
		{"second document", YAML, "title: a\n---\ntitle: b\n", Problem{"", 2, 1, Syntax, "a second YAML document starts here: a file holds one book"}},
		{"strict JSON", JSON, "{\"title\": \"a\",}", Problem{"", 1, 15, Syntax, "invalid character '}' looking for beginning of object key string"}},
	}
	for _, tc := range cases {
		d := New([]byte(tc.data), tc.format, what, 10)
		docs, _ := d.Documents(true)
		for _, doc := range docs {
			var b book
			d.Decode(doc, reflect.ValueOf(&b))
		}
		problems, _ := d.Problems()
		if len(problems) != 1 || problems[0] != tc.want {
			t.Errorf("%s: got %+v\nwant %+v", tc.name, problems, tc.want)
		}
	}
}

func TestEntriesAndAt(t *testing.T) {
	d := New([]byte("- title: a\n- title: b\n  pages: 3\n"), YAML, what, 1)
	docs, _ := d.Documents(false)
	entries := d.Entries(docs)
	if len(entries) != 2 || entries[1].Path != "[1]" {
		t.Fatalf("entries %+v", entries)
	}
	var b book
	at := d.Decode(entries[1], reflect.ValueOf(&b))
	if len(at) == 0 || at[0].Path != "" || at[1].Path != "title" {
		t.Errorf("positions not in the entry's own paths: %+v", at)
	}
	if line, col := d.At(entries[1], "pages"); line != 3 || col != 10 {
		t.Errorf("At pages: %d:%d", line, col)
	}
	d.Errorf(1, 1, "", Invalid, "first")
	d.Errorf(2, 1, "", Invalid, "second")
	if p, dropped := d.Problems(); len(p) != 1 || dropped != 1 {
		t.Errorf("kept %d, dropped %d; want 1 and 1", len(p), dropped)
	}
}

// A type tagged for JSON alone (as most Go types are) decodes by its json
// keys; a yaml tag, where there is one, wins; "-" hides a field either way.
type tagged struct {
	Name   string  `json:"name"`
	Alias  string  `json:"alias" yaml:"aka"`
	Hidden string  `json:"-"`
	Small  int8    `json:"small"`
	Count  uint16  `json:"count"`
	Ratio  float32 `json:"ratio"`
}

func TestDecodeByJSONTags(t *testing.T) {
	d := New([]byte("name: x\naka: y\nsmall: -3\ncount: 9\nratio: 0.5\n"), YAML, what, 10)
	docs, _ := d.Documents(true)
	var v tagged
	d.Decode(docs[0], reflect.ValueOf(&v))
	if p, _ := d.Problems(); len(p) > 0 {
		t.Fatalf("problems: %+v", p)
	}
	if v != (tagged{Name: "x", Alias: "y", Small: -3, Count: 9, Ratio: 0.5}) {
		t.Errorf("decoded %+v", v)
	}
	for _, doc := range []string{"alias: y\n", "Hidden: z\n", "-: z\n"} {
		d := New([]byte(doc), YAML, what, 10)
		docs, _ := d.Documents(true)
		d.Decode(docs[0], reflect.ValueOf(new(tagged)))
		if p, _ := d.Problems(); len(p) != 1 || p[0].Kind != UnknownField {
			t.Errorf("%q: problems %+v, want one unknown field", doc, p)
		}
	}
}

// Numbers out of a narrow field's range are type problems, not wrapped values.
func TestDecodeNarrowNumbers(t *testing.T) {
	for _, doc := range []string{"small: 200\n", "count: -1\n", "count: 70000\n", "ratio: 1e300\n", "count: 1.5\n"} {
		d := New([]byte(doc), YAML, what, 10)
		docs, _ := d.Documents(true)
		d.Decode(docs[0], reflect.ValueOf(new(tagged)))
		if p, _ := d.Problems(); len(p) != 1 || p[0].Kind != Type || p[0].Line != 1 {
			t.Errorf("%q: problems %+v, want one type problem", doc, p)
		}
	}
}

func TestCheck(t *testing.T) {
	if err := Check(reflect.TypeFor[book]()); err != nil {
		t.Errorf("book: %v", err)
	}
	type withMap struct {
		Inner struct {
			M map[string]int `json:"m"`
		} `json:"inner"`
		Ignored map[string]int // no tag: not decoded, not checked
	}
	if err := Check(reflect.TypeFor[withMap]()); err == nil {
		t.Error("a map field: no error")
	}
	if err := Check(reflect.TypeFor[int]()); err == nil {
		t.Error("int: no error")
	}
}
