package docdecode

import (
	"reflect"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/eligo-dev/eligo/rules/acto"
	"github.com/eligo-dev/eligo/rules/acto/actogen"
)

// checkTryTree holds tryTree to decodeValue on data, one document of
// format f for a T, when fastYAML or fastJSON builds its tree: a document
// tryTree takes, decodeValue takes too, to the same value. (tryTree may
// leave to decodeValue what it is unsure of.) took reports whether
// tryTree took it, fast whether the tree was a fast one, and wantOK
// whether decodeValue took it.
func checkTryTree[T any](t *testing.T, data []byte, f Format) (took, fast, wantOK bool) {
	t.Helper()
	d := New(data, f, what, 10)
	defer d.Release()
	docs, ok := d.Documents(true)
	if !ok || len(docs) != 1 || !d.fastTree {
		return false, false, false
	}
	if r := d.resolve(docs[0].n); r.Kind == yaml.ScalarNode && r.ShortTag() == "!!null" {
		return false, true, false // TryDecode refuses a null document before either
	}
	budget := d.budget
	got := new(T)
	took = d.tryTree(planOf(reflect.TypeFor[T]()), docs[0].n, reflect.ValueOf(got).Elem())
	d.budget = budget
	want := new(T)
	d.quiet, d.failed = true, false
	d.decodeValue(docs[0].n, reflect.ValueOf(want).Elem(), "")
	wantOK = !d.failed
	d.quiet, d.failed = false, false
	switch {
	case took && !wantOK:
		t.Fatalf("tryTree takes %q, which decodeValue refuses", data)
	case took && !reflect.DeepEqual(got, want):
		t.Fatalf("%q: tryTree decoded\n%+v\ndecodeValue\n%+v", data, got, want)
	}
	return took, true, wantOK
}

// TestTryTree holds tryTree to decodeValue on documents of every kind of
// field, right and wrong, in YAML and in JSON that DecodeJSON leaves to
// the tree, and on a thousand generated applicants in several YAML styles
// and as JSON; it must take the right ones.
func TestTryTree(t *testing.T) {
	cases := []struct {
		doc  string
		f    Format
		take bool
	}{
		{"s: a\nb: true\npb: false\nf: -0\nf32: 1.5e3\ni: -12\ni8: 127\nu: 18446744073709549568\nu16: 65535\n", YAML, true},
		{"d: 2024-02-29\npd: \"1900-01-01\"\nld: [2001-01-01, '2002-02-02']\n", YAML, true},
		{"l: []\nls:\n- s: x\n  ls:\n  - l: [é, ü]\n- {}\np:\n  p:\n    i: 3\npp: 4\n", YAML, true},
		{"s: ~\npb: null\nl:\np: null\nm: ~\nd: null\ni: ~\n", YAML, true},
		{"f: .5\ni: 1.0\nf32: 1e3\ns: '1'\ny: \"x\"\n", YAML, true},
		{"f: 99999999999999999999\n", YAML, true},
		{"i: 1e2\nu: 0\n", YAML, true},
		{"b: True\n", YAML, false}, // decodeValue reads it; tryTree leaves it
		{"b: yes\n", YAML, false},
		{"b: 'true'\n", YAML, false},
		{"i: 0x1F\n", YAML, false},
		{"i: 020\n", YAML, false},
		{"i: 1_000\n", YAML, false},
		{"i: 1.5\n", YAML, false},
		{"i8: 128\n", YAML, false},
		{"u: -1\n", YAML, false},
		{"u16: 1e10\n", YAML, false},
		{"f32: 1e39\n", YAML, false},
		{"f: .inf\n", YAML, false},
		{"f: .nan\n", YAML, false},
		{"i: 99999999999999999999\n", YAML, false},
		{"s: a\ns: b\n", YAML, false},
		{"b: true\ns: a\nb: false\n", YAML, false},
		{"x: 1\n", YAML, false},
		{"notme: a\n", YAML, false},
		{"<<: x\n", YAML, false},
		{"s: 1\n", YAML, false},
		{"s: true\n", YAML, false},
		{"s: [a]\n", YAML, false},
		{"d: 20230101\n", YAML, false},
		{"d: 2023-02-29\n", YAML, false},
		{"d: 2023-2-28\n", YAML, false},
		{"d: '2023-02-28x'\n", YAML, false},
		{"pd: 2023-13-01\n", YAML, false},
		{"ls: {}\n", YAML, false},
		{"ls: x\n", YAML, false},
		{"p: []\n", YAML, false},
		{"l: [null]\n", YAML, false},
		{"l: [a, ~]\n", YAML, false},
		{"ld: [2001-01-01, null]\n", YAML, false},
		{"m: {}\n", YAML, false},
		{"- a\n", YAML, false},
		{`{"s": "a\"b", "i": 2, "l": ["x\\y"], "d": "2024-01-31"}`, JSON, true},
		{`{"s": "a\"b", "s": "c"}`, JSON, false},
		{`{"s": "a\"b", "i": 1.5}`, JSON, false},
		{`{"s": "a\"b", "b": "true"}`, JSON, false},
	}
	for _, c := range cases {
		took, fast, _ := checkTryTree[kit](t, []byte(c.doc), c.f)
		if !fast {
			t.Errorf("%q: not a fast tree", c.doc)
		}
		if took != c.take {
			t.Errorf("%q: tryTree took it: %v, want %v", c.doc, took, c.take)
		}
	}

	n := 0
	for _, data := range actogen.Documents(11, 1000, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) {
		if took, _, _ := checkTryTree[acto.Applicant](t, data, JSON); !took {
			t.Errorf("tryTree does not take a generated JSON document:\n%s", data)
		}
		// Some styles quote scalars at random, a boolean too: decodeValue
		// refuses those documents, and tryTree must.
		for i, y := range yamlStyles(t, data, n) {
			if took, _, wantOK := checkTryTree[acto.Applicant](t, y, YAML); wantOK && !took {
				t.Errorf("tryTree does not take a generated document in style %d:\n%s", i, y)
			}
		}
		n++
	}
}

// FuzzTryTree holds tryTree to decodeValue on any YAML document.
func FuzzTryTree(f *testing.F) {
	for _, s := range []string{"s: a\nl: [x, 'y']\nls:\n- i: 1\n  d: 2024-02-29\n", "b: true\nb: false\n", "p:\n  pp: 3\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkTryTree[kit](t, data, YAML)
	})
}
