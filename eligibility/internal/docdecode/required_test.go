package docdecode

import (
	"fmt"
	"reflect"
	"testing"
)

// stated has required fields (eligo:"required"): a boolean, a number and,
// in a list's entries, an integer, which a document must give.
type stated struct {
	S  string        `json:"s"`
	B  bool          `json:"b" eligo:"required"`
	N  float64       `json:"n" eligo:"required"`
	LS []statedEntry `json:"ls"`
}

type statedEntry struct {
	I int    `json:"i" eligo:"required"`
	T string `json:"t"`
}

// TestRequired: a document that leaves a required field out, or gives it
// null, is a problem of kind Invalid at the field ("is required"): at the
// null, or at the mapping missing the key. Every fast way (DecodeJSON,
// DecodeYAML, tryTree) refuses such a document, leaving it to Decode to
// word, and takes one giving false and 0, which are values.
func TestRequired(t *testing.T) {
	cases := []struct {
		doc  string
		f    Format
		want []string // "path line:col"; none for a valid document
	}{
		{`{"b": false, "n": 0, "ls": [{"i": 0}]}`, JSON, nil},
		{"b: false\nn: 0\nls:\n- i: 0\n", YAML, nil},
		{"b: false\nn: 0\nls: [{i: 0}]\n", YAML, nil},
		{`{"n": 1}`, JSON, []string{"b 1:1"}},
		{`{}`, JSON, []string{"b 1:1", "n 1:1"}},
		{`{"b": null, "n": 1}`, JSON, []string{"b 1:7"}},
		{`{"b": true, "n": null}`, JSON, []string{"n 1:18"}},
		{`{"b": true, "n": 1, "ls": [{"t": "x"}, {"i": null}]}`, JSON, []string{"ls[0].i 1:28", "ls[1].i 1:46"}},
		{"n: 1\n", YAML, []string{"b 1:1"}},
		{"s: x\nb:\nn: 1\n", YAML, []string{"b 2:3"}},
		{"b: ~\nn: 1\n", YAML, []string{"b 1:4"}},
		{"b: true\nn: Null\n", YAML, []string{"n 2:4"}},
		{"b: true\nn: 1\nls:\n- t: x\n- i:\n  t: y\n", YAML, []string{"ls[0].i 4:3", "ls[1].i 5:5"}},
		{"b: true\nn: 1\nls: [{t: x}, {i: null}]\n", YAML, []string{"ls[0].i 3:6", "ls[1].i 3:18"}},
	}
	for _, c := range cases {
		valid := c.want == nil
		switch c.f {
		case JSON:
			if ok := checkFast[stated](t, []byte(c.doc), JSON, "DecodeJSON", DecodeJSON); ok != valid {
				t.Errorf("%q: DecodeJSON took it: %v, want %v", c.doc, ok, valid)
			}
		case YAML:
			if ok := checkDirectYAML[stated](t, []byte(c.doc)); ok && !valid {
				t.Errorf("%q: DecodeYAML took it", c.doc)
			}
		}
		if took, fast, _ := checkTryTree[stated](t, []byte(c.doc), c.f); fast && took && !valid {
			t.Errorf("%q: tryTree took it", c.doc)
		}

		d := New([]byte(c.doc), c.f, what, 10)
		docs, _ := d.Documents(true)
		if len(docs) != 1 {
			t.Fatalf("%q: %d documents", c.doc, len(docs))
		}
		if tried := d.TryDecode(docs[0], reflect.ValueOf(new(stated))); tried != valid {
			t.Errorf("%q: TryDecode: %v, want %v", c.doc, tried, valid)
		}
		d.Decode(docs[0], reflect.ValueOf(new(stated)))
		problems, _ := d.Problems()
		var got []string
		for _, p := range problems {
			if p.Kind != Invalid || p.Msg != "is required" {
				t.Errorf("%q: problem %+v, want Invalid \"is required\"", c.doc, p)
			}
			got = append(got, fmt.Sprintf("%s %d:%d", p.Path, p.Line, p.Column))
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%q: problems %v, want %v", c.doc, got, c.want)
		}
		d.Release()
	}
}
