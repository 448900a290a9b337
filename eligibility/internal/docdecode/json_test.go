package docdecode

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules/acto/actogen"
	"go.yaml.in/yaml/v3"
)

// yamlTree is the tree the YAML parser makes of data, or nil when it fails.
func yamlTree(data []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// sameTree reports where two trees differ, field by field (all that
// decoding reads: not the comments), or "".
func sameTree(a, b *yaml.Node, path string) string {
	if a.Kind != b.Kind || a.Tag != b.Tag || a.Style != b.Style || a.Value != b.Value ||
		a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) ||
		a.Anchor != b.Anchor || (a.Alias == nil) != (b.Alias == nil) {
		return fmt.Sprintf("%s: fast {%v %s %v %q %d:%d %d}, YAML {%v %s %v %q %d:%d %d}", path,
			a.Kind, a.Tag, a.Style, a.Value, a.Line, a.Column, len(a.Content),
			b.Kind, b.Tag, b.Style, b.Value, b.Line, b.Column, len(b.Content))
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// TestFastJSON holds fastJSON to the YAML parser: on every input it takes,
// the same tree (kinds, tags, styles, values, lines, columns); it takes
// none the YAML parser refuses; and it takes the JSON documents of a
// generated membership and the common shapes below.
func TestFastJSON(t *testing.T) {
	must := []string{
		`{}`, `[]`, `{"a":1}`, ` { "a" : [1, 2.5, -3, 0, -0, 1e3, 1E+3, -1.5e-3, true, false, null] } `,
		`{"id":"app-1","name":"Zoë Ünal","hours":79.5,"n":9223372036854775807,"u":18446744073709551615,"big":18446744073709551616}`,
		"{\n  \"a\": {\n    \"b\": [\n      1,\n      \"x\"\n    ]\n  },\r\n  \"c\": \"\\n\\t\\\"\\\\\\u00e9\\u20ac\"\r\n}\n",
		`["日本語", "emoji 😀", "a\u0000b"]`, `"just a string"`, `42`, `null`,
		`{"date":"2024-02-29","d":"2024-13-01"}`, `{"x":"yes","y":"on","z":"~"}`,
	}
	may := []string{
		`{"a":1,}`, `{'a':1}`, `{"a":1} // c`, `{"a":1}{"b":2}`, `{"a":01}`, `{"a":0x1F}`, `{"a":1e400}`,
		`{"a":.5}`, `{"a":+1}`, `{"a":"\ud83d\ude00"}`, `{"a":"\/"}`, "{\"a\":\"\u2028\"}", "{\"a\":\t1}", "{\n\t\"a\": 1\n}", "\ufeff{\"a\":1}",
		`{"a":"b`, `{"a"`, `[1,2`, `{"a":tru}`, `{"a":"\x"}`, "{\"a\":\"\x01\"}", "{\"a\":\"\xff\"}",
		`{"a":"\u0085\u00a0"}`, "{\"a\":\"\u0085\"}", `{"a":1,"a":2}`, `{"<<":1}`, `[[[[[[]]]]]]`,
		`{"` + strings.Repeat("k", 1100) + `":1}`, `-`, `1.`, `1e`, `{"a" 1}`, `[1 2]`, ``, ` `,
	}
	check := func(in string, required bool) {
		t.Helper()
		fast, ok := fastJSON([]byte(in), new(jsonArena))
		want := yamlTree([]byte(in))
		if !ok {
			if required {
				t.Errorf("fastJSON does not take %q", in)
			}
			return
		}
		if want == nil {
			t.Errorf("fastJSON takes %q, which the YAML parser refuses", in)
			return
		}
		if d := sameTree(fast, want, ""); d != "" {
			t.Errorf("%q: %s", in, d)
		}
	}
	for _, in := range must {
		check(in, true)
	}
	for _, in := range may {
		check(in, false)
	}
	n := 0
	for _, data := range actogen.Documents(3, 300, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) {
		check(string(data), true)
		n++
	}
	if n != 300 {
		t.Fatalf("%d documents", n)
	}
}

// TestIsDecimal: isDecimal is decimalNumber without the regular expression.
func TestIsDecimal(t *testing.T) {
	for _, s := range []string{"", "0", "-0", "+0", "00", "01", "1", "12", "-12", "1.", "1.5", ".5", ".", "-.5", "0.", "0.5",
		"1e3", "1E+3", "1e-3", "1e", "e3", "1.5e3", ".5e3", "0x1F", "1_000", "+", "-", "1.2.3", "1e3e3", "0e0", "1a", " 1"} {
		if got, want := isDecimal(s), decimalNumber.MatchString(s); got != want {
			t.Errorf("isDecimal(%q) = %v, want %v", s, got, want)
		}
	}
}

// FuzzFastJSON: whatever the input, fastJSON takes nothing the YAML
// parser refuses, and builds the tree it builds.
func FuzzFastJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,2.5,-3,true,null,"x"]}`, `{"a":"\u00e9\n"}`, "{\n \"a\": 1\r\n}", `[1e3, 0, -0]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := fastJSON(data, new(jsonArena))
		if !ok {
			return
		}
		want := yamlTree(data)
		if want == nil {
			t.Fatalf("fastJSON takes %q, which the YAML parser refuses", data)
		}
		if d := sameTree(fast, want, ""); d != "" {
			t.Fatalf("%q: %s", data, d)
		}
	})
}
