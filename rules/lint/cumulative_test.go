package lint_test

import (
	"testing"

	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/lint"
)

// level-not-cumulative: level two needs a and c; level one is granted by
// a route that needs only a. Whoever holds two holds one too: no finding,
// whatever the order of one's routes (a route missing nothing once let the
// next route's missing b stand).
func TestNotCumulativeRouteContained(t *testing.T) {
	for _, routes := range []string{"first: [a]\n      second: [b]", "second: [b]\n      first: [a]"} {
		src := `ruleset: t
version: "1"
requirements:
  a: {title: A, source: s, when: a}
  b: {title: B, source: s, when: b}
  c: {title: C, source: s, when: c}
levels:
  - id: one
    title: One
    routes:
      ` + routes + `
  - {id: two, title: Two, requires: [a, c]}
`
		set, err := rules.Parse("r.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range lint.Run(set) {
			if f.Code == "level-not-cumulative" {
				t.Errorf("routes %q: false finding: %s", routes, f)
			}
		}
	}
}
