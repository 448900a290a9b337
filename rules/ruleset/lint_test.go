package ruleset

import (
	"errors"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/rules/file"
)

const suppressed = `ruleset: s
version: "1"
parameters:
  p: {value: 1, source: s, lint: {ignore: {unused-parameter: kept for next year}}}
catalogue:
  things:
    lint: {ignore: {unused-catalogue: read by a tool}}
    entries:
      - {id: a, name: A, lint: {ignore: {unused-catalogue: an old name}}}
facts:
  f: {expr: "1", lint: {ignore: {unused-fact: shown in reports}}}
requirements:
  r:
    title: R
    source: s
    when: "true"
    lint: {ignore: {constant-false: "a placeholder"}}
benefits:
  b: {title: B, lint: {ignore: {unused-benefit: coming soon}}}
levels:
  - {id: m, title: M, requires: [r], lint: {ignore: {grants-everyone: "open", level-shadowed: "by design"}}}
`

// TestLintSuppressions: every item that takes a lint key keeps its
// suppressions, with their reasons and where each code stands.
func TestLintSuppressions(t *testing.T) {
	set, err := Parse("s.yaml", []byte(suppressed))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		got  []Suppression
		code string
	}{
		{set.Parameters[0].Ignore, "unused-parameter"},
		{set.Catalogues[0].Ignore, "unused-catalogue"},
		{set.Catalogues[0].Entries[0].Ignore, "unused-catalogue"},
		{set.Facts[0].Ignore, "unused-fact"},
		{set.Requirements[0].Ignore, "constant-false"},
		{set.Benefits[0].Ignore, "unused-benefit"},
		{set.Levels[0].Ignore[:1], "grants-everyone"},
	} {
		if len(c.got) != 1 || c.got[0].Code != c.code || c.got[0].Reason == "" || !c.got[0].Pos.IsValid() {
			t.Errorf("%s: got %+v", c.code, c.got)
		}
	}
	if len(set.Levels[0].Ignore) != 2 || set.Levels[0].Ignore[1].Reason != "by design" {
		t.Errorf("level: %+v", set.Levels[0].Ignore)
	}
	if len(set.Catalogues[0].Entries) != 1 {
		t.Errorf("catalogue entries: %+v", set.Catalogues[0].Entries)
	}
}

// TestLintSuppressionErrors: an unknown code (with a suggestion), a
// missing reason, an empty ignore and unused-suppression are refused, each
// at its place.
func TestLintSuppressionErrors(t *testing.T) {
	src := `ruleset: s
version: "1"
parameters:
  p: {value: 1, source: s, lint: {ignore: {unused-paramter: typo}}}
  q: {value: 1, source: s, lint: {ignore: {unused-parameter: ""}}}
  u: {value: 1, source: s, lint: {ignore: {}}}
  v: {value: 1, source: s, lint: {ignore: {unused-suppression: x}}}
  w: {value: 1, source: s, lint: {ignor: {unused-parameter: x}}}
requirements:
  r: {title: R, source: s, when: "true"}
levels:
  - {id: m, title: M, requires: [r]}
`
	_, err := Parse("s.yaml", []byte(src))
	var list *file.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want an error list, got %v", err)
	}
	want := []struct {
		line, col int
		kind      error
		msg       string
	}{
		{4, 44, file.ErrUnknownKey, `did you mean "unused-parameter"?`},
		{5, 62, file.ErrValue, "give the reason"},
		{6, 43, file.ErrValue, "name at least one finding code"},
		{7, 44, file.ErrUnknownKey, "remove the suppression"},
		{8, 35, file.ErrUnknownKey, `did you mean "ignore"?`},
	}
	if len(list.Errors) < len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(list.Errors), len(want), err)
	}
	for i, w := range want {
		e := list.Errors[i]
		if e.Pos.Line != w.line || e.Pos.Column != w.col || !errors.Is(e, w.kind) || !strings.Contains(e.Msg, w.msg) {
			t.Errorf("error %d: got %s (%v), want %d:%d %q", i, e.Pos, e, w.line, w.col, w.msg)
		}
	}
}
