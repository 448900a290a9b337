package docdecode

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/rules/acto"
)

// checkDirectYAML holds DecodeYAML to Decode on data, decoding a new *T.
func checkDirectYAML[T any](t *testing.T, data []byte) (ok bool) {
	t.Helper()
	return checkFast[T](t, data, YAML, "DecodeYAML", DecodeYAML)
}

var directYAMLCases = []struct {
	doc  string
	fast bool // DecodeYAML takes it
}{
	{"s: a\n", true},
	{"---\ns: a\nb: true\npb: false\nf: -0\nf32: 1.5e3\ni: -12\ni8: 127\nu: 18446744073709549568\nu16: 65535\n", true},
	{"d: 2024-02-29\npd: '1900-01-01'\nld:\n  - 2001-01-01\n  - \"2002-02-02\"\n", true},
	{"l: []\nls:\n- s: x\n  ls:\n  - l: [é, ü]\n- s: y\np:\n  p:\n    i: 3\npp: 4\n", true},
	{"l: [a, 'b', \"c\" ]\nls: []\n", true},
	{"s: ~\npb: null\nl:\np:\nd: Null\nm:\n", true}, // nulls: absent
	{"s: a # a comment\n# a line\n\nb: true   \n", true},
	{"s: a\r\nb: true\r\n", true},
	{"s:   'it''s'\ny: \"a\\tb\"\n", true},
	{"ls:\n  - s: a\n    l:\n    - x\n    - y\n  - s: b\n", true}, // an indentless sequence
	{"ls:\n- s: a\n  i: 1\n-\n  s: b\n", true},
	{"s: '1'\n", true},
	{"y: a\n", true},
	{"l:\n- a\n- ~\n", false},          // a null entry
	{"l: [a, ~]\n", false},             //
	{"l:\n- a\n-\n", false},            // an empty entry
	{"m: {}\n", false},                 // no decoding into a map
	{"p: {i: 3}\n", false},             // a flow mapping: the usual way
	{"l: [[a]]\n", false},              // a nested flow collection
	{"l: [a,]\n", false},               // an empty flow entry
	{"l: [a, b\n", false},              // unclosed
	{"s: a\ns: b\n", false},            // a duplicate key
	{"x: 1\n", false},                  // an unknown key
	{"notme: a\n", false},              // a yaml tag wins
	{"<<: a\n", false},                 // a merge key
	{"b: True\n", false},               // another spelling
	{"i: 0x1F\n", false},               // not decimal
	{"i8: 128\n", false},               // out of range
	{"d: 2023-02-29\n", false},         // no such day
	{"s: 1\n", false},                  // wrong types
	{"l: a\n", false},                  //
	{"p: a\n", false},                  //
	{"s:\n  t: a\n", false},            //
	{"l:\n- - a\n", false},             //
	{"- a\n", false},                   // not a mapping
	{"s: a\n---\ns: b\n", false},       // a second document
	{"", false},                        // empty
	{"# nothing\n", false},             //
	{"s:a\n", false},                   // a plain scalar "s:a"
	{"s: a: b\n", false},               //
	{"s: a\n b: c\n", false},           // odd indentation
	{"s: |\n  a\n", false},             // a block scalar
	{"s: &x a\n", false},               // an anchor
	{"s: a\n\tb: c\n", false},          // a tab
	{"s: \"a\\x41\"\n", false},         // an escape fastYAML leaves
	{"ls:\n- - s: a\n", false},         // a sequence of sequences into structs
	{"ls:\n  - s: a\n  s: b\n", false}, //
}

func TestDecodeYAML(t *testing.T) {
	for _, c := range directYAMLCases {
		if ok := checkDirectYAML[kit](t, []byte(c.doc)); ok != c.fast {
			t.Errorf("%q: DecodeYAML took it: %v, want %v", c.doc, ok, c.fast)
		}
	}
	// Nesting deeper than maxYAMLDepth goes the usual way.
	var deep strings.Builder
	for i := range maxYAMLDepth + 1 {
		deep.WriteString(strings.Repeat(" ", i) + "p:\n")
	}
	if checkDirectYAML[kit](t, []byte(deep.String())) {
		t.Errorf("DecodeYAML took a document %d deep", maxYAMLDepth+1)
	}
	// Every applicant document fastYAML reads, DecodeYAML reads to the
	// same applicant, but for those Decode finds a problem in.
	n := 0
	for path, data := range applicantYAML(t) {
		d := New(data, YAML, what, 10)
		docs, _ := d.Documents(true)
		problems, dropped := d.Problems()
		clean := len(docs) == 1 && len(problems) == 0 && dropped == 0 && d.TryDecode(docs[0], reflect.ValueOf(new(acto.Applicant)))
		d.Release()
		if ok := checkDirectYAML[acto.Applicant](t, data); ok != clean {
			t.Errorf("%s: DecodeYAML took it: %v; TryDecode: %v", path, ok, clean)
		}
		if clean {
			n++
		}
	}
	if n < 50 {
		t.Errorf("DecodeYAML took %d applicant documents; want most of the examples", n)
	}
}

// applicantYAML returns the repository's applicant documents in YAML, by
// path.
func applicantYAML(tb testing.TB) map[string][]byte {
	tb.Helper()
	docs := map[string][]byte{}
	root := filepath.Join("..", "..", "..")
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !isApplicantFixture(path) || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		docs[path] = data
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return docs
}

// FuzzDecodeYAML holds DecodeYAML to Decode on any input, decoding the
// test's kit and ACTO's applicant.
func FuzzDecodeYAML(f *testing.F) {
	for _, c := range directYAMLCases {
		f.Add([]byte(c.doc))
	}
	for _, data := range applicantYAML(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDirectYAML[kit](t, data)
		checkDirectYAML[acto.Applicant](t, data)
	})
}
