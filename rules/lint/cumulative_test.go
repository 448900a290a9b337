package lint_test

import (
	"testing"

	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/lint"
)

// level-not-cumulative: level two needs a and c; level one is granted by
// its first route, which needs only a. Whoever holds two holds one too: no
// finding, whatever the order of one's routes (a route missing nothing
// once let the next route's missing b stand).
func TestNotCumulativeFirstRouteContained(t *testing.T) {
	const src = `ruleset: t
version: "1"
requirements:
  a: {title: A, source: s, when: a}
  b: {title: B, source: s, when: b}
  c: {title: C, source: s, when: c}
levels:
  - id: one
    title: One
    routes:
      first: [a]
      second: [b]
  - {id: two, title: Two, requires: [a, c]}
`
	set, err := rules.Parse("r.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range lint.Run(set) {
		if f.Code == "level-not-cumulative" {
			t.Errorf("false finding: %s", f)
		}
	}
}

// The same ladder with the routes the other way round.
func TestNotCumulativeOrderIndependent(t *testing.T) {
	const src = `ruleset: t
version: "1"
requirements:
  a: {title: A, source: s, when: a}
  b: {title: B, source: s, when: b}
  c: {title: C, source: s, when: c}
levels:
  - id: one
    title: One
    routes:
      second: [b]
      first: [a]
  - {id: two, title: Two, requires: [a, c]}
`
	set, err := rules.Parse("r.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range lint.Run(set) {
		if f.Code == "level-not-cumulative" {
			t.Errorf("finding: %s", f)
		}
	}
}
