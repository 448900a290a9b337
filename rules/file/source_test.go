package file

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestScalarMap: a character of a scalar's value maps to where it stands in
// the file, whatever the scalar's style, escapes, folds and indentation.
// Each value holds the markers FAULT1 and FAULT2; each must map to the
// place in the raw text where the marker is written.
func TestScalarMap(t *testing.T) {
	for _, tc := range []struct{ why, doc string }{
		{"plain", "when: a && FAULT1 || FAULT2\n"},
		{"plain over lines", "when: a &&\n  FAULT1 &&\n\n  FAULT2\nnext: x\n"},
		{"plain with tabs", "when: a\t&&\tFAULT1\t||\tFAULT2\n"},
		{"multi-byte before the markers", "when: x != \"é🎓\" && FAULT1 && \"☕\" == FAULT2\n"},
		{"single-quoted with a doubled quote", "when: 'x == ''it''''s'' && FAULT1 || FAULT2'\nnext: FAULT1 FAULT2\n"},
		{"double-quoted with \\\" escapes", "when: \"x == \\\"a\\\" && FAULT1 || FAULT2\"\n"},
		{"double-quoted with a \\t escape", "when: \"x == \\\"a\\tb\\\" && FAULT1 || FAULT2\"\nnext: FAULT1 FAULT2\n"},
		{"double-quoted with \\n and \\u escapes", "when: \"x == \\\"\\u00e9\\n\\U0001F393\\x41\\\" && FAULT1 || FAULT2\"\nnext: FAULT1 FAULT2\n"},
		{"double-quoted with a \\\\ escape", "when: \"x == \\\"\\\\\\\" && FAULT1 || FAULT2\"\n"},
		{"double-quoted over lines", "when: \"a &&\n  FAULT1 &&\n\n  FAULT2\"\n"},
		{"double-quoted with an escaped line break", "when: \"a && FAU\\\n  LT9 || FAULT1 || FAULT2\"\n"},
		{"literal", "when: |\n  a &&\n    FAULT1 &&\n  FAULT2\nnext: x\n"},
		{"literal, strip", "when: |-\n  a &&\n  FAULT1 && FAULT2\n"},
		{"literal, explicit indentation", "when: |2\n    a &&\n   FAULT1 && FAULT2\n"},
		{"folded", "when: >\n  a &&\n  FAULT1\n\n  && FAULT2\n"},
		{"folded, more indented", "when: >-\n  a(b\n    && FAULT1)\n  && FAULT2\n"},
		{"flow mapping", "r: {title: x, when: a && FAULT1 || FAULT2}\n"},
		{"CRLF line ends", "when: >-\r\n  a &&\r\n  FAULT1 &&\r\n  FAULT2\r\nnext: x\r\n"},
		{"literal, CRLF, kept final line break", "when: |\r\n  FAULT1 &&\r\n  FAULT2 !\r\nnext: x\r\n"},
		{"literal, kept final line break", "when: |\n  FAULT1 && FAULT2 !\nnext: x\n"},
	} {
		t.Run(tc.why, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tc.doc), &doc); err != nil {
				t.Fatal(err)
			}
			n := findKey(doc.Content[0], "when")
			if n == nil {
				t.Fatal("no when")
			}
			src := NewSource("f.yaml", []byte(tc.doc))
			pos := src.ScalarMap(n)
			value := []rune(n.Value)
			if len(pos) != len(value)+1 {
				t.Fatalf("%d positions for %d characters", len(pos), len(value))
			}
			for _, marker := range []string{"FAULT1", "FAULT2"} {
				i := strings.Index(n.Value, marker)
				if i < 0 {
					t.Fatalf("value %q has no %s", n.Value, marker)
				}
				p := pos[len([]rune(n.Value[:i]))]
				line := []rune(src.Line(p.Line))
				if p.Column < 1 || p.Column > len(line) || !strings.HasPrefix(string(line[p.Column-1:]), marker) {
					t.Errorf("%s maps to %d:%d, in line %q", marker, p.Line, p.Column, src.Line(p.Line))
				}
			}
			// Every position, the end's included, is on a line of the file
			// and at most just past that line's last character.
			for k, p := range pos {
				if width := len([]rune(src.Line(p.Line))); p.Line < 1 || p.Column < 1 || p.Column > width+1 {
					t.Errorf("character %d of %q maps to %d:%d, beyond line %q", k, n.Value, p.Line, p.Column, src.Line(p.Line))
				}
			}
			end := pos[len(value)]
			if end.Line < n.Line || end.Line > strings.Count(tc.doc, "\n")+1 {
				t.Errorf("end of value at %d:%d", end.Line, end.Column)
			}
		})
	}
}

func findKey(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
		if v := findKey(n.Content[i+1], key); v != nil {
			return v
		}
	}
	return nil
}
