package ruleset

import (
	"errors"
	"testing"

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
