package docdecode

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules/acto/actogen"
	"go.yaml.in/yaml/v3"
)

// checkFastYAML holds fastYAML to the YAML parser on data: where it takes
// data, the YAML parser takes it too and builds the same tree (sameTree:
// kinds, tags, styles, values, lines, columns, anchors). It reports
// whether fastYAML took data.
func checkFastYAML(t testing.TB, data []byte) bool {
	t.Helper()
	fast, ok := fastYAML(data, new(jsonArena))
	if !ok {
		return false
	}
	var docs []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("fastYAML takes %q, which the YAML parser refuses: %v", data, err)
			}
			break
		}
		docs = append(docs, &doc)
	}
	if len(docs) != 1 || len(docs[0].Content) != 1 {
		t.Fatalf("fastYAML takes %q, of %d documents", data, len(docs))
	}
	if d := sameTree(fast, docs[0].Content[0], ""); d != "" {
		t.Fatalf("%q: %s", data, d)
	}
	return true
}

// TestFastYAML holds fastYAML to the YAML parser on the common shapes
// below (which it must take), on shapes it may leave to the YAML parser,
// on every YAML file of the repository, and on generated applicant
// documents written as YAML in several styles; it must take the
// applicant documents of the examples and the block-style generated ones.
func TestFastYAML(t *testing.T) {
	must := []string{
		"a: 1\n", "a: 1", "---\na: 1\n", "# c\n---   # c\n\na: 1\n", "a:\nb: 1\n", "a:   # c\nb: x\n",
		"a: b c  \nd:  e # c\n", "k : v\n", "\"k\": v\n'k': 'it''s'\n", "a: \"x\\ty\\\\ \\\"\"\n",
		"list:\n- x\n- y\nz: 1\n", "list:\n  - x\n  -   y\n", "- a: 1\n  b:\n- c\n", "- - a\n  - b\n- c\n",
		"a:\n  b:\n    c: [1, 2.5, -3, true, null, ~, x y, 'q', \"d\"]\n  d: {e: 1, f: [g], 'h': {}}\n",
		"e: []\nf: {}\ng: [ ]\n", "name: Zoë Ünal\nx: 日本語 no\n", "n: Zoë\ny: 2\n",
		"a: 2024-02-29\nb: 2023-02-29\nc: \"2024-02-29\"\nd: 2024-13-01\n",
		"i: [0, -0, +1, 007, 08, 0x1F, 0o17, 0b11, 1_000, 9223372036854775807, 9223372036854775808, 18446744073709551616, -9223372036854775809]\n",
		"f: [1.5, -0.25, .5, 1., 1e3, 1E+3, -1.5e-3, .inf, -.Inf, .NaN, +.inf, 00.5, 1.2.3, 1e, .x, +]\n",
		"b: [true, True, TRUE, false, yes, no, on, off, y, n, Null, NULL, nULL]\n", "<<: x\n\"<<\": y\n",
		"url: http://example.com/a#b\ntime: 12:30\nminus: -x\ndash: a - b\nhash: a#b\n",
		"t:\n- 2001-12-14t21:59:43.10-05:00\n- 2001-12-14 21:59:43.10\n- 2002-12-14\n- 2002-1-4\n",
		"a:\n\n  # c\n\n  b: 1\n\n# end\n", "a: b\r\nc:\r\n- d # e\r\n\r\nf: [g, 'h'] \r\n", "a: x:y\n", "a: b, c [d] {e}\n",
	}
	may := []string{
		"", "---\n", "a: 1\n---\nb: 2\n", "a: 1\n...\n", "%YAML 1.2\n---\na: 1\n", "a: &x 1\nb: *x\n", "a: !!str 1\n",
		"a: |\n  x\n", "a: >\n  x\n", "a: b\n  c\n", "a: b\n\n  c\n", "a: 'b\n  c'\n", "a: [b,\n  c]\n", "? a\n: b\n",
		"[a]: b\n", "{a: b}: c\n", "a:\tb\n", "a: b\rc: d\n", "a: b\r", "a: 'b\r'\n", "a: [b\r]\n", "\ufeffa: 1\n", "a: \"\\u00e9\"\n", "a: \"\\/\"\n",
		"a: b: c\n", "x: 日本語: no\n", "a: [2001-12-14 21:59:43.10]\n", "a: b : c\n", "a: [b : c]\n", "a: - b\n", "-\n- a\n", "- a\n -b\n", "a: 1\n b: 2\n", " a: 1\n", "a: 1\n  - b\n", "a: [b, ]\n",
		// A key's ':' more than 1,024 characters from its start.
		"s" + strings.Repeat(" ", 1100) + ": a\n", "p:\n  s" + strings.Repeat(" ", 1100) + ": a\n",
		"ls:\n- s" + strings.Repeat(" ", 1100) + ": a\n", "'s'" + strings.Repeat(" ", 1100) + ": a\n",
		strings.Repeat("k", 999) + strings.Repeat(" ", 30) + ": a\n",
		"p: {s" + strings.Repeat(" ", 1100) + ": a}\n", "p: {\"s\"" + strings.Repeat(" ", 1100) + ": a}\n",
		"a: [b: c]\n", "a: {b}\n", "a: {b: }\n", "a: {b:c}\n", "a: [b?]\n", "a: [b # c\n]\n", "a: \"b\"c\n", "a: \"b\"#c\n",
		"a: -\n", "a: '\n", "a:\n  b\n", "x\n", "- \n", "a:\n- b\n c: 1\n", "a: b\n- c\n", "- a\nb: 1\n", "a: 1\n1: 2\n",
		"a: \x01\n", "a: \u0085\n", "a: \u2028\n", "a: [\"x\":1]\n", "{\"a\": 1}\n", "[1, 2]\n", "'a'\n", "a: 1 # c\n  # d\nb: 2\n",
		"a:\n  - b\n  c: d\n", "a: `x`\n", "a: @x\n", "a: %x\n", "- ? a\n", "a: [-]\n", "a: [- b]\n", "- -1\n- -\n",
		"a: b #c: d\n", "a #b: c\n", "a: 'x'' y'\n", "a: \"x\\\n  y\"\n", "a:\n  - [\n  x]\n", "a: 1\n---x: 2\n",
		"a:\n -  b: 1\n    c: 2\n", "a:\n -  b: 1\n   c: 2\n", "- a:\n  - b\n  c: 1\n", "x: " + strings.Repeat("k", 2000) + "\n",
		strings.Repeat("k", 1100) + ": 1\n", "a: {" + strings.Repeat("k", 1100) + ": 1}\n", strings.Repeat("- ", 150) + "x\n",
	}
	for _, in := range must {
		if !checkFastYAML(t, []byte(in)) {
			t.Errorf("fastYAML does not take %q", in)
		}
	}
	for _, in := range may {
		checkFastYAML(t, []byte(in))
	}

	// Every YAML file of the repository; of the applicant documents,
	// those fastYAML cannot take are named here.
	root := filepath.Join("..", "..", "..")
	applicants, taken := 0, 0
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, ".yml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		ok := checkFastYAML(t, data)
		if isApplicantFixture(path) {
			applicants++
			if ok {
				taken++
			} else if !slowApplicant[filepath.Base(path)] {
				t.Errorf("fastYAML does not take %s", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if applicants < 100 {
		t.Fatalf("only %d applicant documents found", applicants)
	}
	t.Logf("fastYAML takes %d of %d applicant documents of the examples and test data", taken, applicants)

	n := 0
	for _, data := range actogen.Documents(7, 1000, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) {
		for i, y := range yamlStyles(t, data, n) {
			if !checkFastYAML(t, y) && (i < 2 || i == 5) {
				t.Errorf("fastYAML does not take a generated document in style %d:\n%s", i, y)
			}
		}
		n++
	}
	if n != 1000 {
		t.Fatalf("%d documents", n)
	}
}

// isApplicantFixture reports whether the file at path is an applicant
// document of the examples or test data.
func isApplicantFixture(path string) bool {
	path = filepath.ToSlash(path)
	return (strings.Contains(path, "/applicants/") || strings.Contains(path, "/applicants-invalid/")) &&
		!strings.Contains(path, "/want/") // decisions
}

// slowApplicant names the applicant documents fastYAML leaves to the YAML
// parser, and why.
var slowApplicant = map[string]bool{
	"malformed-yaml.yaml": true, // a syntax error
	"stream.yaml":         true, // several documents
}

// yamlStyles writes a JSON document as YAML in several styles: block
// style with an indentation of 2 (as BenchmarkDecodeYAML's documents) and
// of 4 (and of 2 with "\r\n" line ends, the last), flow style for lists of scalars and small mappings, scalars quoted
// at random, and comments at random (seeded by seed).
func yamlStyles(t testing.TB, data []byte, seed int) [][]byte {
	t.Helper()
	encode := func(n *yaml.Node, indent int) []byte {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(indent)
		if err := enc.Encode(n); err != nil {
			t.Fatal(err)
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	tree := func() *yaml.Node {
		var n yaml.Node
		if err := yaml.Unmarshal(data, &n); err != nil {
			t.Fatal(err)
		}
		return &n
	}
	walk := func(n *yaml.Node, f func(*yaml.Node)) {
		var w func(*yaml.Node)
		w = func(n *yaml.Node) {
			f(n)
			for _, c := range n.Content {
				w(c)
			}
		}
		w(n)
	}
	var out [][]byte
	for _, indent := range []int{2, 4} {
		n := tree()
		walk(n, func(n *yaml.Node) { n.Style = 0 })
		out = append(out, encode(n, indent))
	}
	// yaml.v3's own writing of the decoded value.
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	y, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, y)
	// Flow style for collections of scalars, quotes and comments at random.
	r := rand.New(rand.NewPCG(uint64(seed), 1))
	n := tree()
	walk(n, func(n *yaml.Node) {
		switch n.Kind {
		case yaml.ScalarNode:
			n.Style = []yaml.Style{0, 0, yaml.SingleQuotedStyle, yaml.DoubleQuotedStyle}[r.IntN(4)]
			if r.IntN(10) == 0 {
				n.LineComment = "# a comment"
			}
		case yaml.MappingNode, yaml.SequenceNode:
			n.Style = 0
			leaves := true
			for _, c := range n.Content {
				leaves = leaves && c.Kind == yaml.ScalarNode
			}
			if leaves && r.IntN(2) == 0 {
				n.Style = yaml.FlowStyle
			}
			if r.IntN(5) == 0 {
				n.HeadComment = "# heading"
			}
		}
	})
	out = append(out, encode(n, 2), encode(n, 3))
	// Block style with Windows line ends.
	out = append(out, bytes.ReplaceAll(out[0], []byte("\n"), []byte("\r\n")))
	return out
}

// FuzzFastYAML: whatever the input, fastYAML takes nothing the YAML
// parser refuses, and builds the tree it builds.
func FuzzFastYAML(f *testing.F) {
	for _, s := range []string{"a: 1\n", "---\na:\n  - b: [1, 'x', \"y\"]\n    c: {d: 2024-01-01}\n  - - e\n# c\nf: g h # i\n", "- a\n- b: ~\n  c:\n  - 1.5\n"} {
		f.Add([]byte(s))
	}
	root := filepath.Join("..", "..", "..")
	filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && isApplicantFixture(path) && strings.HasSuffix(path, ".yaml") {
			if data, err := os.ReadFile(path); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastYAML(t, data)
	})
}

// TestPlainTag holds plainTag to the YAML parser's tags of plain scalars.
func TestPlainTag(t *testing.T) {
	words := []string{
		"", "a", "true", "True", "TRUE", "tRUE", "false", "yes", "no", "on", "off", "y", "n", "~", "null", "Null", "NULL", "nul",
		"<<", "<", "<<<", ".nan", ".NaN", ".NAN", ".nAn", ".inf", ".Inf", ".INF", "+.inf", "-.Inf", "+.INF", "-.inf", ".5", ".5e3",
		".", "..", ".e3", "._5", ".0x1p3", "0", "-0", "+0", "00", "007", "08", "09.5", "0x1F", "0X1F", "0o17", "0O17", "0b11", "-0b11",
		"-0o17", "0b12", "0o8", "1_000", "1__0", "_1", "1_", "0x_1F", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616", "+18446744073709551615",
		"999999999999999999", "1234567890123456789", "1.5", "-0.25", "+1.5", "1.", "-1.", "1.5.5", "1e3", "1E3", "1e+3", "1e-3",
		"1e", "e3", "1.5e300", "1e400", "-1e400", "0.1234567890123456789", "12345678901234567.5", "1,5", "1 5", "-", "+", "-a",
		"+a", "--1", "-.5", "+.5", "-x", "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01", "2024-1-5",
		"2024-01-05T10:00:00Z", "2024-01-05t10:00:00+01:00", "2024-01-05 10:00:00", "2024-01-05 10:00:00.5", "2024-01-05x",
		"12024-01-05", "202-01-05", "2024-01", "2024-01-5", "0x1p3", "0x1.8p1", "1_0.5", "Inf", "inf", "NaN", "infinity", "1e3_0",
		"0b", "0o", "0x", "-0x1F", "+0x1F", "-0b", "12:30", "1:2:3", "1/2",
	}
	for _, s := range words {
		checkPlainTag(t, s)
	}
}

// checkPlainTag compares plainTag's tag for s with the YAML parser's,
// where the YAML parser reads s alone as a plain scalar.
func checkPlainTag(t testing.TB, s string) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("k: "+s), &doc); err != nil || len(doc.Content) != 1 {
		return
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode || len(m.Content) != 2 || m.Content[1].Kind != yaml.ScalarNode ||
		m.Content[1].Style != 0 || m.Content[1].Value != s {
		return
	}
	tag, ok := plainTag(s)
	if !ok {
		return
	}
	if want := m.Content[1].Tag; tag != want {
		t.Errorf("plainTag(%q) = %s, the YAML parser's %s", s, tag, want)
	}
}

// FuzzPlainTag: plainTag gives any plain scalar the YAML parser's tag.
func FuzzPlainTag(f *testing.F) {
	for _, s := range []string{"1", "-1.5", "2024-02-29", "0x1F", "1_000", ".5", "true", "2024-01-05 10:00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkPlainTag(t, s)
	})
}

// TestReadableWord: the eight-byte test takes a word exactly when every
// byte of it is one yamlASCII takes, for every byte value in every place.
func TestReadableWord(t *testing.T) {
	base := []byte("key: ab\n")
	for pos := range 8 {
		for c := range 256 {
			w := slices.Clone(base)
			w[pos] = byte(c)
			want := true
			for _, b := range w {
				want = want && yamlASCII[b]
			}
			if got := readableWord(binary.LittleEndian.Uint64(w)); got != want {
				t.Fatalf("%q: %v, want %v", w, got, want)
			}
		}
	}
	// Neighbours that would borrow or carry in a looser test.
	for _, w := range []string{"\n \n \n \n ", "\x00\x01\x1f\x20\x7e\x7f\x80\xff", "\n\x0b\n\x0b\n\x0b\n\x0b", "        ", "~~~~~~~~"} {
		want := true
		for i := range 8 {
			want = want && yamlASCII[w[i]]
		}
		if got := readableWord(binary.LittleEndian.Uint64([]byte(w))); got != want {
			t.Errorf("%q: %v, want %v", w, got, want)
		}
	}
}
