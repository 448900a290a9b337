package file

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
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

// TestErrorsMax: a collector with Max keeps the first Max errors by
// position, in whatever order they are added, and only counts the rest:
// Err gives what a collector keeping every error gives, repeats aside.
func TestErrorsMax(t *testing.T) {
	const n, max = 40, 7
	var all Errors
	capped := Errors{Max: max}
	src := NewSource("a.yaml", []byte(strings.Repeat("line\n", n)))
	all.AddSource(src)
	capped.AddSource(src)
	for i := range n {
		line := 1 + (i*17)%n // every line once, out of order
		for _, c := range []*Errors{&all, &capped} {
			c.Add(Position{"a.yaml", line, 1}, ErrValue, "fault on line %d", line)
			c.Add(Position{"a.yaml", line, 1}, ErrValue, "fault on line %d", line) // a repeat
		}
	}
	if capped.Len() != 2*n || len(capped.Recorded()) != max {
		t.Fatalf("Len %d, kept %d; want %d added, %d kept", capped.Len(), len(capped.Recorded()), 2*n, max)
	}
	want, got := all.Err(max).(*ErrorList), capped.Err(max).(*ErrorList)
	if got.Dropped != n-max || want.Dropped != got.Dropped {
		t.Errorf("dropped %d, want %d", got.Dropped, n-max)
	}
	for i, e := range got.Errors {
		if w := want.Errors[i]; e.Pos != w.Pos || e.Msg != w.Msg || e.Line != "line" {
			t.Errorf("error %d: %v, want %v", i, e, w)
		}
	}
}

// TestErrorLongLine: an error on a line longer than MaxQuotedLine quotes the
// part of it around the error's column, an ellipsis for each part cut, and
// the caret stands under the character at fault.
func TestErrorLongLine(t *testing.T) {
	long := "é" + strings.Repeat("ab", 5000) + "X" + strings.Repeat("cd", 5000) + "ü"
	at := 1 + 1 + 10000 // X's column
	for _, tc := range []struct {
		why       string
		col       int
		want      rune
		cutBefore bool
		cutAfter  bool
	}{
		{"mid-line", at, 'X', true, true},
		{"at the start", 1, 'é', false, true},
		{"at the end", at + 10001, 'ü', true, false},
		{"past the end", at + 10002, 0, true, false},
	} {
		t.Run(tc.why, func(t *testing.T) {
			var c Errors
			c.AddSource(NewSource("a.yaml", []byte("first\n"+long+"\nlast\n")))
			c.Add(Position{"a.yaml", 2, tc.col}, ErrValue, "fault")
			e := c.Err(0).(*ErrorList).Errors[0]
			line := []rune(e.Line)
			if len(line) > MaxQuotedLine {
				t.Fatalf("quoted %d characters, want at most %d", len(line), MaxQuotedLine)
			}
			if (line[0] == '…') != tc.cutBefore || (line[len(line)-1] == '…') != tc.cutAfter {
				t.Errorf("quoted %q: cut before %v, after %v", e.Line, tc.cutBefore, tc.cutAfter)
			}
			text := strings.Split(e.Error(), "\n")
			if len(text) != 3 || !strings.HasPrefix(text[0], "a.yaml:2:") {
				t.Fatalf("got %q", e.Error())
			}
			caret := len([]rune(text[2])) - 1
			quoted := []rune(text[1])
			var under rune
			if caret < len(quoted) {
				under = quoted[caret]
			}
			if text[2][len(text[2])-1] != '^' || under != tc.want {
				t.Errorf("the caret is under %q, want %q:\n%s", under, tc.want, e.Error())
			}
		})
	}
}

// TestSuggestBounded: Suggest and a Suggester give what the closest
// candidate by the whole EditDistance gives (the first of equally close),
// on random names of a small alphabet, case and non-ASCII letters mixed in.
func TestSuggestBounded(t *testing.T) {
	reference := func(s string, candidates []string) string {
		best, bestD := "", 3
		if len(s) <= 3 {
			bestD = 2
		}
		for _, c := range candidates {
			if d := EditDistance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
				best, bestD = c, d
			}
		}
		return best
	}
	rng := rand.New(rand.NewPCG(1, 2))
	letters := []rune("abAé")
	word := func() string {
		w := make([]rune, rng.IntN(7))
		for i := range w {
			w[i] = letters[rng.IntN(len(letters))]
		}
		return string(w)
	}
	for range 300 {
		candidates := make([]string, rng.IntN(12))
		for i := range candidates {
			candidates[i] = word()
		}
		g := NewSuggester(candidates)
		for range 20 {
			s := word()
			want := reference(s, candidates)
			if got := Suggest(s, candidates); got != want {
				t.Fatalf("Suggest(%q, %q) = %q, want %q", s, candidates, got, want)
			}
			if got := g.Suggest(s); got != want {
				t.Fatalf("Suggester(%q).Suggest(%q) = %q, want %q", candidates, s, got, want)
			}
		}
	}
}

// TestSuggestLong: a name longer than MaxSuggestLen gets no suggestion;
// one at the limit does, among candidates of any length.
func TestSuggestLong(t *testing.T) {
	at := strings.Repeat("a", MaxSuggestLen)
	over := strings.Repeat("a", 60_000)
	candidates := []string{over + "b", at[1:] + "b", strings.Repeat("é", 70_000)}
	if got := Suggest(over, candidates); got != "" {
		t.Errorf("Suggest of a name of %d characters: %.20q…", len(over), got)
	}
	if got := Suggest(at, candidates); got != at[1:]+"b" {
		t.Errorf("Suggest of a name of %d characters: %.20q…", len(at), got)
	}
	if got := NewSuggester(candidates).Suggest(at); got != at[1:]+"b" {
		t.Errorf("Suggester of a name of %d characters: %.20q…", len(at), got)
	}
}

// TestPositionCompare: positions order by file, then line, then column.
func TestPositionCompare(t *testing.T) {
	ordered := []Position{{File: "a.yaml", Line: 2, Column: 9}, {File: "a.yaml", Line: 3, Column: 1}, {File: "a.yaml", Line: 3, Column: 4}, {File: "b.yaml", Line: 1, Column: 1}}
	for i, p := range ordered {
		for j, q := range ordered {
			if got, want := p.Compare(q), cmp.Compare(i, j); got != want {
				t.Errorf("%v.Compare(%v) = %d, want %d", p, q, got, want)
			}
		}
	}
}
