package ruleset

import (
	"errors"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/rules/file"
)

// TestCatalogueSharedName: a name that two entries of a catalogue share, as
// rules match names (ignoring case and runs of white space), whether id,
// name or alias, is refused where the later entry gives it, naming the
// entry that has it first; an entry may repeat its own names, and entries
// of different catalogues may share them.
func TestCatalogueSharedName(t *testing.T) {
	for _, tc := range []struct {
		why, entries string
		want         []string // line:col and message part of each error
	}{
		{"an alias takes a later entry's id",
			"- {id: a, name: Body A, aliases: [b]}\n      - {id: b, name: Body B}",
			[]string{`7:14: catalogue bodies entry b: id "b" is already an alias of entry a at x.yaml:6:41`}},
		{"a name another entry's id, in another case",
			"- {id: a, name: Body A}\n      - {id: b, name: A}",
			[]string{`7:23: catalogue bodies entry b: name "A" is already the id of entry a at x.yaml:6:14`}},
		{"names that differ in case and white space",
			"- {id: a, name: Body A}\n      - {id: b, name: \" body   a\"}",
			[]string{`7:23: catalogue bodies entry b: name " body   a" is already the name of entry a at x.yaml:6:23`}},
		{"an alias another entry's alias",
			"- {id: a, name: Body A, aliases: [BA, X]}\n      - {id: b, name: Body B, aliases: [x]}",
			[]string{`7:41: catalogue bodies entry b: alias "x" is already an alias of entry a at x.yaml:6:45`}},
		{"an entry's own names repeated", "- {id: a, name: a, aliases: [A, \"a \"]}\n      - {id: b, name: B}", nil},
	} {
		t.Run(tc.why, func(t *testing.T) {
			src := "ruleset: x\nversion: \"1\"\ncatalogue:\n  other: [{id: a, name: Body A}]\n  bodies:\n      " + tc.entries +
				"\nrequirements:\n  r: {title: T, source: s, when: \"true\"}\nlevels:\n  - {id: l, title: L, requires: [r]}\n"
			_, err := Parse("x.yaml", []byte(src))
			var list *file.ErrorList
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.As(err, &list) || len(list.Errors) != len(tc.want) {
				t.Fatalf("got %v, want %d errors", err, len(tc.want))
			}
			for i, e := range list.Errors {
				got := strings.TrimPrefix(e.Pos.String(), "x.yaml:") + ": " + e.Msg
				if !errors.Is(e, file.ErrDuplicate) || !strings.HasPrefix(got, tc.want[i]) {
					t.Errorf("got %s\nwant %s", got, tc.want[i])
				}
			}
		})
	}
}
