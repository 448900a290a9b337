package file

import (
	"errors"
	"fmt"
	"testing"
)

// TestPositionString: unknown parts of a position are left out.
func TestPositionString(t *testing.T) {
	for _, tc := range []struct {
		p    Position
		want string
	}{
		{Position{"f.yaml", 3, 7}, "f.yaml:3:7"},
		{Position{"f.yaml", 3, 0}, "f.yaml:3"},
		{Position{"f.yaml", 0, 0}, "f.yaml"},
		{Position{"", 3, 7}, "3:7"},
		{Position{}, ""},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%#v: got %q, want %q", tc.p, got, tc.want)
		}
	}
	e := &Error{Pos: Position{File: "f.yaml"}, Kind: ErrLimit, Msg: "too big"}
	if got := e.Error(); got != "f.yaml: too big" {
		t.Errorf("error without a line: %q", got)
	}
}

// TestErrorsErr: the collector sorts by position, keeps errors at one
// position in the order added, drops a repeat, caps the count and says how
// many it dropped; the list reaches each error and kind.
func TestErrorsErr(t *testing.T) {
	var c Errors
	if c.Err(10) != nil {
		t.Fatal("an empty collector returned an error")
	}
	c.AddSource(NewSource("b.yaml", []byte("one\n\ttwo\n")))
	c.Add(Position{"b.yaml", 2, 2}, ErrValue, "second %d", 2)
	c.Add(Position{"a.yaml", 9, 1}, ErrSyntax, "first")
	c.Add(Position{"b.yaml", 2, 2}, ErrValue, "second %d", 2) // a repeat
	c.Add(Position{"b.yaml", 2, 2}, ErrType, "third")
	c.Add(Position{"c.yaml", 1, 1}, ErrCycle, "dropped")
	if c.Len() != 5 || len(c.Recorded()) != 5 {
		t.Fatalf("Len %d, want 5", c.Len())
	}
	err := c.Err(3)
	var l *ErrorList
	if !errors.As(err, &l) {
		t.Fatalf("got %T", err)
	}
	var msgs []string
	for _, e := range l.Errors {
		msgs = append(msgs, e.Msg)
	}
	if fmt.Sprint(msgs) != "[first second 2 third]" || l.Dropped != 1 {
		t.Fatalf("got %q, dropped %d", msgs, l.Dropped)
	}
	if l.Errors[1].Line != "\ttwo" {
		t.Errorf("quoted line %q", l.Errors[1].Line)
	}
	want := "a.yaml:9:1: first\nb.yaml:2:2: second 2\n    \ttwo\n    \t^\nb.yaml:2:2: third\n    \ttwo\n    \t^\n(and 1 more errors)"
	if err.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
	if !errors.Is(err, ErrType) || errors.Is(err, ErrCycle) {
		t.Error("errors.Is does not see exactly the kinds kept")
	}
}

// TestSuggest: a likely typo gets the name meant; a distant word gets none.
func TestSuggest(t *testing.T) {
	names := []string{"title", "source", "requires", "cpd"}
	for _, tc := range []struct{ in, want string }{
		{"titel", "title"},   // a swap is one edit
		{"Sourse", "source"}, // case is ignored
		{"cdp", "cpd"},
		{"xyz", ""},
		{"benefits", ""},
	} {
		if got := Suggest(tc.in, names); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if d := EditDistance("kitten", "sitting"); d != 3 {
		t.Errorf("EditDistance(kitten, sitting) = %d, want 3", d)
	}
}
