package eligibility_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/eligibility"
)

// TestWholeNumbersExact: an integer field is decoded exactly from the
// digits written, beyond 2^53 where a float64 rounds (9007199254740993
// is not 9007199254740992), up to the largest int64, in JSON and in
// YAML, block, flow and with an anchor (each of the decoder's paths); one
// past the largest int64 is a type problem at its line and column.
func TestWholeNumbersExact(t *testing.T) {
	e := declaredEngine(t, "whole.yaml", `ruleset: whole
version: "1"
model:
  id: {type: text, id: true}
  i: {type: integer}
requirements:
  exact: {title: Exact, source: s, when: 'i == 9007199254740993'}
  largest: {title: Largest, source: s, when: 'i == 9223372036854775807'}
  smallest: {title: Smallest, source: s, when: 'i == -9223372036854775807 - 1'}
levels:
  - {id: m, title: M, requires: [exact]}
  - {id: n, title: N, requires: [largest]}
  - {id: o, title: O, requires: [smallest]}
`)
	forms := func(n string) map[string]string {
		return map[string]string{
			"a.json":      `{"id": "a", "i": ` + n + `}`,
			"block.yaml":  "id: a\ni: " + n + "\n",
			"flow.yaml":   "{id: a, i: " + n + "}\n",
			"anchor.yaml": "id: &x a\ni: " + n + "\n",
		}
	}
	for n, want := range map[string]string{"9007199254740993": "exact", "9223372036854775807": "largest", "-9223372036854775808": "smallest"} {
		for name, doc := range forms(n) {
			a, err := e.Decode(name, []byte(doc))
			if err != nil {
				t.Fatalf("%s %s: %v", name, n, err)
			}
			d, err := e.Evaluate(t.Context(), a, eligibility.AsOf(shapeAsOf))
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range d.Statuses() {
				if (r.ID == want) != (r.Status == eligibility.Met) {
					t.Errorf("%s, i: %s: %s is %s", name, n, r.ID, r.Status)
				}
			}
		}
	}
	for _, n := range []string{"9223372036854775808", "-9223372036854775809", "18446744073709551616"} {
		for name, doc := range forms(n) {
			_, err := e.Decode(name, []byte(doc))
			var ie *eligibility.InputError
			if !errors.As(err, &ie) || ie.Errors[0].Path != "i" || ie.Errors[0].Line != 1+strings.Count(doc[:strings.Index(doc, n)], "\n") || !strings.Contains(err.Error(), "out of range") {
				t.Errorf("%s, i: %s: error %v, want out of range at i", name, n, err)
			}
		}
	}
}
