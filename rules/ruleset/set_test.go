package ruleset

import (
	"errors"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/eligo-dev/eligo/rules/file"
)

const small = `ruleset: s
version: "1"
requirements:
  r:
    title: R
    source: s
    when: "x &&
      y"
levels:
  - {id: m, title: M, requires: [r]}
`

// TestExprPositions: an expression maps its characters to the rule file,
// across a folded line, and the set keeps its files for quoting lines.
func TestExprPositions(t *testing.T) {
	set, err := Parse("s.yaml", []byte(small))
	if err != nil {
		t.Fatal(err)
	}
	e := set.Requirements[0].When
	if e.Source != "x && y" || e.Pos != (file.Position{File: "s.yaml", Line: 7, Column: 11}) {
		t.Fatalf("expression %q at %s", e.Source, e.Pos)
	}
	pos := e.Positions()
	if len(pos) != len(e.Source)+1 {
		t.Fatalf("%d positions for %d characters", len(pos), len(e.Source))
	}
	y := file.Position{File: "s.yaml", Line: 8, Column: 7}
	if pos[5] != y || e.PositionAt(5) != y {
		t.Errorf("y at %s and %s, want %s", pos[5], e.PositionAt(5), y)
	}
	if (Expr{Source: "a", Pos: y}).PositionAt(0) != y || (Expr{}).Positions() != nil {
		t.Error("an expression not from a file has positions")
	}
	if fs := set.Files(); len(fs) != 1 || fs[0].Name() != "s.yaml" || fs[0].Line(7) != `    when: "x &&` {
		t.Errorf("files %v", fs)
	}
}

// TestParseErrors: a broken file gives a positioned list of kinds.
func TestParseErrors(t *testing.T) {
	_, err := Parse("b.yaml", []byte("ruleset: b\nversion: \"1\"\nlevels: []\nfacts:\n  param: 1\n"))
	var list *file.ErrorList
	if !errors.As(err, &list) || len(list.Errors) != 2 {
		t.Fatalf("got %v", err)
	}
	if !errors.Is(list.Errors[0], file.ErrValue) || !errors.Is(list.Errors[1], file.ErrReserved) {
		t.Errorf("got %v", err)
	}
}

// TestGates: the gates key lists requirement ids in the order given,
// merged across files; a gate listed twice, even in another file, or a
// gates key that is not a list, is a positioned error.
func TestGates(t *testing.T) {
	const reqs = `ruleset: g
version: "1"
requirements:
  a: {title: A, source: s, when: "true"}
  b: {title: B, source: s, when: "true"}
levels:
  - {id: m, title: M, requires: [a]}
`
	set, err := Load(fstest.MapFS{
		"a.yaml": {Data: []byte(reqs + "gates: [b]\n")},
		"b.yaml": {Data: []byte("gates: [a]\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(set.Gates, []string{"b", "a"}) {
		t.Errorf("gates %v, want [b a]", set.Gates)
	}
	for _, tc := range []struct {
		why  string
		fsys fstest.MapFS
		pos  file.Position
		kind error
	}{
		{"a gate listed again in another file", fstest.MapFS{
			"a.yaml": {Data: []byte(reqs + "gates: [b]\n")},
			"b.yaml": {Data: []byte("gates:\n  - a\n  - b\n")},
		}, file.Position{File: "b.yaml", Line: 3, Column: 5}, file.ErrDuplicate},
		{"gates as a mapping", fstest.MapFS{
			"a.yaml": {Data: []byte(reqs + "gates: {a: true}\n")},
		}, file.Position{File: "a.yaml", Line: 8, Column: 8}, file.ErrValue},
		{"a gate that is not a name", fstest.MapFS{
			"a.yaml": {Data: []byte(reqs + "gates: [[a]]\n")},
		}, file.Position{File: "a.yaml", Line: 8, Column: 9}, file.ErrValue},
	} {
		_, err := Load(tc.fsys)
		var list *file.ErrorList
		if !errors.As(err, &list) || len(list.Errors) != 1 {
			t.Errorf("%s: got %v, want one error", tc.why, err)
			continue
		}
		if e := list.Errors[0]; e.Pos != tc.pos || !errors.Is(e, tc.kind) {
			t.Errorf("%s: got %v at %s, want %v at %s", tc.why, e.Kind, e.Pos, tc.kind, tc.pos)
		}
	}
}

// TestEntry: a level's entry key lists requirement ids in the order given;
// a ladder whose every level has one is an error at its last level.
func TestEntry(t *testing.T) {
	const head = `ruleset: e
version: "1"
requirements:
  a: {title: A, source: s, when: "true"}
  b: {title: B, source: s, when: "true"}
levels:
`
	set, err := Parse("e.yaml", []byte(head+"  - {id: side, title: S, requires: [a], entry: [b, a]}\n  - {id: m, title: M, requires: [a]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(set.Levels[0].Entry, []string{"b", "a"}) || set.Levels[1].Entry != nil {
		t.Errorf("entries %v and %v, want [b a] and none", set.Levels[0].Entry, set.Levels[1].Entry)
	}
	_, err = Parse("e.yaml", []byte(head+"  - {id: side, title: S, requires: [a], entry: [b]}\n  - {id: m, title: M, requires: [a], entry: [a]}\n"))
	var list *file.ErrorList
	if !errors.As(err, &list) || len(list.Errors) != 1 {
		t.Fatalf("got %v, want one error", err)
	}
	if e := list.Errors[0]; e.Pos != (file.Position{File: "e.yaml", Line: 8, Column: 5}) || !errors.Is(e, file.ErrValue) {
		t.Errorf("got %v at %s, want ErrValue at e.yaml:8:5", e, e.Pos)
	}
}
