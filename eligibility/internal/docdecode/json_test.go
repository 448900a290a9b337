package docdecode

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
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

// jsonTokens lists the values of a JSON document as encoding/json reads
// them, token by token ("{", "s:key", "n:1.5", "b:true", "null", "}"...),
// or reports false when it is not one JSON value.
func jsonTokens(data []byte) ([]string, bool) {
	if !json.Valid(data) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, true
		}
		if err != nil {
			return nil, false
		}
		switch tok := tok.(type) {
		case json.Delim:
			out = append(out, tok.String())
		case string:
			out = append(out, "s:"+tok)
		case json.Number:
			out = append(out, "n:"+tok.String())
		case bool:
			out = append(out, fmt.Sprint("b:", tok))
		case nil:
			out = append(out, "null")
		}
	}
}

// treeTokens lists the values of a tree of JSON as jsonTokens does.
func treeTokens(n *yaml.Node, out []string) []string {
	switch n.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		open, end := "[", "]"
		if n.Kind == yaml.MappingNode {
			open, end = "{", "}"
		}
		out = append(out, open)
		for _, c := range n.Content {
			out = treeTokens(c, out)
		}
		return append(out, end)
	}
	switch n.Tag {
	case "!!str":
		return append(out, "s:"+n.Value)
	case "!!int", "!!float":
		return append(out, "n:"+n.Value)
	case "!!bool":
		return append(out, "b:"+n.Value)
	case "!!null":
		return append(out, "null")
	}
	return append(out, "?"+n.Tag+":"+n.Value)
}

// checkFastJSON holds fastJSON to JSON on data: it takes what encoding/json
// reads, with the same values, and no more; it refuses JSON only with a
// problem it words (what is not JSON it may refuse with one too: the
// caller words the syntax error first); and where the YAML parser reads the document alike
// (the same values), it builds the YAML parser's tree, lines and columns
// too. It returns whether fastJSON took data.
func checkFastJSON(t *testing.T, data []byte) bool {
	t.Helper()
	fast, _, _, msg, ok := fastJSONText(data, new(jsonArena))
	want, valid := jsonTokens(data)
	switch {
	case !ok && valid && msg == "":
		t.Errorf("fastJSON refuses %q, JSON, without a problem", data)
	case ok && !valid:
		t.Errorf("fastJSON takes %q, which is not JSON", data)
	case ok:
		got := treeTokens(fast, nil)
		if !slices.Equal(got, want) {
			t.Errorf("%q: fastJSON reads %q, encoding/json %q", data, got, want)
		}
		if y := yamlTree(data); y != nil && slices.Equal(treeTokens(y, nil), got) {
			if d := sameTree(fast, y, ""); d != "" {
				t.Errorf("%q: %s", data, d)
			}
		}
	}
	return ok
}

// TestFastJSON holds fastJSON to JSON (checkFastJSON) on every input below,
// the JSON documents of a generated membership and the common shapes
// taken, and JSON the YAML parser reads otherwise or not at all read as
// JSON reads it.
func TestFastJSON(t *testing.T) {
	must := []string{
		`{}`, `[]`, `{"a":1}`, ` { "a" : [1, 2.5, -3, 0, -0, 1e3, 1E+3, -1.5e-3, true, false, null] } `,
		`{"id":"app-1","name":"Zoë Ünal","hours":79.5,"n":9223372036854775807,"u":18446744073709551615,"big":18446744073709551616}`,
		"{\n  \"a\": {\n    \"b\": [\n      1,\n      \"x\"\n    ]\n  },\r\n  \"c\": \"\\n\\t\\\"\\\\\\u00e9\\u20ac\"\r\n}\n",
		`["日本語", "emoji 😀", "a\u0000b"]`, `"just a string"`, `42`, `null`,
		`{"date":"2024-02-29","d":"2024-13-01"}`, `{"x":"yes","y":"on","z":"~"}`,
		// JSON the YAML parser reads otherwise, or not at all.
		`{"a":"\ud83d\ude00"}`, `{"a":"\/"}`, "{\"a\":\"\u2028\u2029\"}", "{\"a\":\t1}", "{\n\t\"a\": 1\n}",
		"{\"a\":\"\u0085\u00a0\u0080\uffff\"}", `{"a":1e400}`, `{"a":-1e400,"b":123456789012345678901234567890}`,
		"{\"a\"\n: 1}", "{\"a\"\r\n:\r\n1}", `{"a"` + strings.Repeat(" ", 1100) + `: 1}`,
		`{"` + strings.Repeat("k", 1100) + `":1}`, `{"a":1,"a":2}`, `{"<<":1}`, `[[[[[[]]]]]]`,
		strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth),
	}
	refused := map[string]string{ // JSON no document holds, and the problem
		`{"a":"\ud83d"}`:       "surrogate",
		`{"a":"\ude00\ud83d"}`: "surrogate",
		`{"a":"\ud83d\u0041"}`: "surrogate",
		"{\"a\":\"\xff\"}":     "invalid UTF-8",
		strings.Repeat("[", maxJSONDepth+2) + strings.Repeat("]", maxJSONDepth+2): "nested",
	}
	may := []string{
		`{"a":1,}`, `{'a':1}`, `{"a":1} // c`, `{"a":1}{"b":2}`, `{"a":01}`, `{"a":0x1F}`,
		`{"a":.5}`, `{"a":+1}`, "\ufeff{\"a\":1}",
		`{"a":"b`, `{"a"`, `[1,2`, `{"a":tru}`, `{"a":"\x"}`, "{\"a\":\"\x01\"}",
		`-`, `1.`, `1e`, `{"a" 1}`, `[1 2]`, ``, ` `, `{"a":"\u12"}`, `{"a":"\ud83d\u12"}`,
	}
	for _, in := range must {
		if !checkFastJSON(t, []byte(in)) {
			t.Errorf("fastJSON does not take %.80q", in)
		}
	}
	for in, problem := range refused {
		if checkFastJSON(t, []byte(in)) {
			t.Errorf("fastJSON takes %.80q", in)
		} else if _, _, _, msg, _ := fastJSONText([]byte(in), new(jsonArena)); !strings.Contains(msg, problem) {
			t.Errorf("fastJSON refuses %.80q with %q, want a problem saying %q", in, msg, problem)
		}
	}
	for _, in := range may {
		checkFastJSON(t, []byte(in))
	}
	n := 0
	for _, data := range actogen.Documents(3, 300, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) {
		if !checkFastJSON(t, data) {
			t.Errorf("fastJSON does not take %.80q", data)
		}
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

// FuzzFastJSON holds fastJSON to JSON (checkFastJSON) whatever the input.
func FuzzFastJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,2.5,-3,true,null,"x"]}`, `{"a":"\u00e9\n"}`, "{\n \"a\": 1\r\n}", `[1e3, 0, -0]`,
		`{"a":"\ud83d\ude00\/"}`, "{\"a\"\t\n:\t1}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastJSON(t, data)
	})
}
