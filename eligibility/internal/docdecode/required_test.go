package docdecode

import (
	"fmt"
	"reflect"
	"strings"
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

// rq has required fields of several kinds, a section with required
// fields and lists of entries with required fields, in a list in a
// section too.
type rq struct {
	S   string    `json:"s"`
	B   bool      `json:"b" eligo:"required"`
	N   float64   `json:"n" eligo:"required"`
	U   uint8     `json:"u"`
	Sec *rqSec    `json:"sec"`
	LS  []rqEntry `json:"ls"`
}

type rqSec struct {
	T  string    `json:"t"`
	F  float32   `json:"f" eligo:"required"`
	LS []rqEntry `json:"ls"`
}

type rqEntry struct {
	I int    `json:"i" eligo:"required"`
	T string `json:"t"`
}

// tryDecodeOK runs TryDecode on doc.
func tryDecodeOK(doc string, f Format, v any) bool {
	d := New([]byte(doc), f, what, 100)
	defer d.Release()
	docs, ok := d.Documents(true)
	if !ok || len(docs) != 1 {
		return false
	}
	return d.TryDecode(docs[0], reflect.ValueOf(v))
}

// TestRequiredStillFast: a valid document with required fields, in
// sections and list entries, still takes the fast ways.
func TestRequiredStillFast(t *testing.T) {
	for _, c := range []struct {
		doc string
		f   Format
	}{
		{`{"b": false, "n": 0, "sec": {"f": 0, "ls": [{"i": 0}]}, "ls": [{"i": 1, "t": "x"}]}`, JSON},
		{"b: false\nn: 0\nsec:\n  f: 0\n  ls:\n  - i: 0\nls:\n- i: 1\n  t: x\n", YAML},
	} {
		var ok bool
		if c.f == JSON {
			_, ok = DecodeJSON([]byte(c.doc), reflect.ValueOf(new(rq)))
		} else {
			_, ok = DecodeYAML([]byte(c.doc), reflect.ValueOf(new(rq)))
		}
		if !ok {
			t.Errorf("%q: direct refused a valid document", c.doc)
		}
		if took, fast, _ := checkTryTree[rq](t, []byte(c.doc), c.f); !fast || !took {
			t.Errorf("%q: tryTree: took %v fast %v", c.doc, took, fast)
		}
	}
	// A flow-mapping YAML doc goes tryTree.
	doc := "b: false\nn: 0\nls: [{i: 1}, {i: 2, t: y}]\n"
	if took, fast, _ := checkTryTree[rq](t, []byte(doc), YAML); !fast || !took {
		t.Errorf("%q: tryTree: took %v fast %v", doc, took, fast)
	}
}

// TestRequiredManyFields: in a struct of more than 64 fields, whose fields
// the fast ways do not track in one word, a required field left out or
// null is found by every way.
func TestRequiredManyFields(t *testing.T) {
	fields := []reflect.StructField{{Name: "R0", Type: reflect.TypeFor[bool](), Tag: `json:"r0" eligo:"required"`}}
	for i := 1; i < 70; i++ {
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: reflect.TypeFor[int](), Tag: reflect.StructTag(fmt.Sprintf(`json:"f%d"`, i))})
	}
	fields = append(fields, reflect.StructField{Name: "R70", Type: reflect.TypeFor[float64](), Tag: `json:"r70" eligo:"required"`})
	typ := reflect.StructOf(fields)
	for _, c := range []struct {
		doc   string
		f     Format
		valid bool
		want  string
	}{
		{`{"r0": true, "r70": 1}`, JSON, true, ""},
		{`{"r0": true}`, JSON, false, "r70"},
		{`{"f1": 1}`, JSON, false, "r0 r70"},
		{`{"r70": null, "r0": false}`, JSON, false, "r70"},
		{"r0: true\n", YAML, false, "r70"},
		{"r70: 1\nr0:\n", YAML, false, "r0"},
		{"f3: 1\n", YAML, false, "r0 r70"},
	} {
		d := New([]byte(c.doc), c.f, what, 100)
		docs, _ := d.Documents(true)
		d.Decode(docs[0], reflect.New(typ))
		ps, _ := d.Problems()
		var got []string
		for _, p := range ps {
			got = append(got, p.Path)
		}
		d.Release()
		if strings.Join(got, " ") != c.want {
			t.Errorf("%q: Decode problems %v, want %q", c.doc, ps, c.want)
		}
		if c.f == JSON {
			if _, ok := DecodeJSON([]byte(c.doc), reflect.New(typ)); ok != c.valid {
				t.Errorf("%q: DecodeJSON %v, want %v", c.doc, ok, c.valid)
			}
		} else if _, ok := DecodeYAML([]byte(c.doc), reflect.New(typ)); ok && !c.valid {
			t.Errorf("%q: DecodeYAML took it", c.doc)
		}
		if ok := tryDecodeOK(c.doc, c.f, reflect.New(typ).Interface()); ok != c.valid {
			t.Errorf("%q: TryDecode %v, want %v", c.doc, ok, c.valid)
		}
	}
}

var requiredSeeds = []string{
	`{"b": false, "n": 0, "sec": {"f": 0, "ls": [{"i": 0}]}, "ls": [{"i": 1, "t": "x"}]}`,
	`{"b": null, "n": 1}`, `{}`, `{"n": 1, "ls": [{}]}`, `{"b": true, "n": 1, "sec": {}}`,
	"b: false\nn: 0\nsec:\n  f: 0\n  ls:\n  - i: 0\nls:\n- i: 1\n  t: x\n",
	"b:\nn: 0\n", "b: ~\nn: 1\n", "n: 1\nb: true\nls: [{i: 1}, {t: a}]\n", "b: true\nn: 1\nsec:\n  t: x\n",
	"b: true\nn: 1\nls:\n- t: x\n- i:\n  t: y\n", "{b: false, n: 0}\n", "b: &x true\nn: *x\n",
}

// FuzzRequired holds every fast way (DecodeJSON, DecodeYAML, tryTree,
// TryDecode) to Decode on documents of a type with required fields.
func FuzzRequired(f *testing.F) {
	for _, s := range requiredSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFast[rq](t, data, JSON, "DecodeJSON", DecodeJSON)
		checkFast[rq](t, data, YAML, "DecodeJSON-as-YAML", DecodeJSON)
		checkDirectYAML[rq](t, data)
		checkTryTree[rq](t, data, YAML)
		checkTryTree[rq](t, data, JSON)
		// TryDecode agrees with Decode
		for _, f := range []Format{YAML, JSON} {
			d := New(data, f, what, 10)
			docs, ok := d.Documents(true)
			if ok && len(docs) == 1 {
				if p, _ := d.Problems(); len(p) == 0 {
					tried := d.TryDecode(docs[0], reflect.ValueOf(new(rq)))
					d.Decode(docs[0], reflect.ValueOf(new(rq)))
					p, dr := d.Problems()
					if tried && (len(p) > 0 || dr > 0) {
						t.Fatalf("%q: TryDecode took it; Decode: %v", data, p)
					}
					if !tried && len(p) == 0 && dr == 0 {
						t.Fatalf("%q: TryDecode refused it; Decode found nothing", data)
					}
				}
			}
			d.Release()
		}
	})
}
