package rules

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/errors")

// errorKinds maps the names used in "# want:" lines to the kinds.
var errorKinds = map[string]error{
	"ErrSyntax":           ErrSyntax,
	"ErrUnknownKey":       ErrUnknownKey,
	"ErrValue":            ErrValue,
	"ErrType":             ErrType,
	"ErrUnknownReference": ErrUnknownReference,
	"ErrDuplicate":        ErrDuplicate,
	"ErrCycle":            ErrCycle,
	"ErrLimit":            ErrLimit,
	"ErrForbidden":        ErrForbidden,
	"ErrReserved":         ErrReserved,
}

// want is one expected error of a golden case: in file (the case's own
// file when ""), at line and col.
type want struct {
	file      string
	line, col int
	kind      string
}

var (
	wantRE    = regexp.MustCompile(`^# want: (?:([^\s:]+):)?(\d+):(\d+) (Err[A-Za-z]+)\s*$`)
	whyRE     = regexp.MustCompile(`^# why: \S`)
	optionsRE = regexp.MustCompile(`^# options: MaxNodes=(\d+)\s*$`)
)

// goldenCase reads the header comments of a broken rule file: its "# want:"
// lines, its "# why:" line and its compile options.
func goldenCase(t *testing.T, data []byte) (wants []want, opts []Option) {
	t.Helper()
	why := false
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "#") {
			break
		}
		if m := wantRE.FindStringSubmatch(line); m != nil {
			l, _ := strconv.Atoi(m[2])
			c, _ := strconv.Atoi(m[3])
			if errorKinds[m[4]] == nil {
				t.Fatalf("%q: no such kind", line)
			}
			wants = append(wants, want{m[1], l, c, m[4]})
		}
		if whyRE.MatchString(line) {
			why = true
		}
		if m := optionsRE.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			opts = append(opts, MaxNodes(uint(n)))
		}
	}
	if len(wants) == 0 || !why {
		t.Fatal("the file must start with \"# want: LINE:COL KIND\" and \"# why: ...\" comment lines")
	}
	return wants, opts
}

// parseAndCompile is what a user does with one rule file: parse it and, if
// that succeeds, compile it against the applicant model: the one the file
// declares, else testApplicant.
func parseAndCompile(name string, data []byte, opts ...Option) error {
	set, err := Parse(name, data)
	if err != nil {
		return err
	}
	return compileTest(set, opts...)
}

func compileTest(set *Set, opts ...Option) error {
	var model any = testApplicant{}
	if typ, err := ModelType(set); err != nil {
		return err
	} else if typ != nil {
		model = reflect.New(typ).Interface()
	}
	_, err := Compile(set, model, opts...)
	return err
}

// loadAndCompile is what a user does with a directory of rule files:
// load them and, if that succeeds, compile them against the applicant
// model.
func loadAndCompile(dir string, opts ...Option) error {
	set, err := Load(os.DirFS(dir))
	if err != nil {
		return err
	}
	return compileTest(set, opts...)
}

// TestGolden loads every broken rule file under testdata/errors and checks
// the position and kind of each error against the file's "# want:" lines,
// and the rendered text against NAME.golden (go test -run Golden -update
// rewrites them; read the diff: every caret must stand under the fault).
// A directory there is a rule set of several files, loaded together; its
// "# want:" lines, in the first file by name, name the file of each error
// (# want: b.yaml:3:5 ErrValue).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir("testdata/errors")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join("testdata/errors", e.Name()))
		}
	}
	if len(files)+len(dirs) < 24 {
		t.Fatalf("only %d golden error cases; the suite needs at least 24", len(files)+len(dirs))
	}
	for _, path := range append(files, dirs...) {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			var wants []want
			var opts []Option
			var err error
			if strings.HasSuffix(path, ".yaml") {
				data, rerr := os.ReadFile(path)
				if rerr != nil {
					t.Fatal(rerr)
				}
				wants, opts = goldenCase(t, data)
				err = parseAndCompile(name, data, opts...)
			} else {
				first, _ := filepath.Glob(filepath.Join(path, "*.yaml"))
				if len(first) == 0 {
					t.Fatalf("no rule files in %s", path)
				}
				data, rerr := os.ReadFile(first[0])
				if rerr != nil {
					t.Fatal(rerr)
				}
				wants, opts = goldenCase(t, data)
				err = loadAndCompile(path, opts...)
			}
			if err == nil {
				t.Fatal("the broken rule file loaded without error")
			}
			var list *ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, not an *ErrorList: %v", err, err)
			}
			if len(list.Errors) != len(wants) {
				t.Errorf("got %d errors, want %d:\n%v", len(list.Errors), len(wants), err)
			}
			for i, w := range wants {
				if i >= len(list.Errors) {
					break
				}
				e := list.Errors[i]
				file := w.file
				if file == "" {
					file = name
				}
				if e.Pos.File != file || e.Pos.Line != w.line || e.Pos.Column != w.col {
					t.Errorf("error %d at %s, want %s:%d:%d:\n%v", i+1, e.Pos, file, w.line, w.col, e)
				}
				if !errors.Is(e, errorKinds[w.kind]) {
					t.Errorf("error %d is %v, want %s:\n%v", i+1, e.Kind, w.kind, e)
				}
			}
			golden := strings.TrimSuffix(path, ".yaml") + ".golden"
			got := err.Error() + "\n"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			wantText, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./rules -run Golden -update)", err)
			}
			if got != string(wantText) {
				t.Errorf("error text differs from %s:\n--- got\n%s--- want\n%s", golden, got, wantText)
			}
		})
	}
}

// TestGoldenCaret checks what the goldens show: the caret line has exactly
// as many characters before the caret as the column says, tabs kept as
// tabs, so the caret lines up under the fault in any terminal.
func TestGoldenCaret(t *testing.T) {
	for _, tc := range []struct {
		why  string
		line string
		col  int
		want string
	}{
		{"plain ASCII", "when: a && b", 11, "          ^"},
		{"a tab stays a tab so the caret lines up however it is expanded", "\twhen: a", 8, "\t      ^"},
		{"multi-byte characters take one space each", `"Café 🎓" && x`, 13, "            ^"},
		{"a column past the end of the line (end of input) pads with spaces", "ab", 4, "   ^"},
	} {
		e := &Error{Pos: Position{File: "f.yaml", Line: 1, Column: tc.col}, Kind: ErrValue, Msg: "m", Line: tc.line}
		want := fmt.Sprintf("f.yaml:1:%d: m\n    %s\n    %s", tc.col, tc.line, tc.want)
		if got := e.Error(); got != want {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.why, got, want)
		}
	}
}

const loadHeader = "ruleset: split\nversion: \"1\"\n"

const loadRequirements = `requirements:
  online-cpd:
    title: Online CPD
    source: assumed
    when: sum(cpd, .hours) >= param.cpd_hours
`

const loadLevels = `parameters:
  cpd_hours: {value: 20, source: assumed}
levels:
  - id: member
    title: Member
    requires: [online-cpd]
`

// TestLoadMerges: a rule set split over files is one set; references
// across files resolve.
func TestLoadMerges(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml":     {Data: []byte(loadHeader + loadRequirements)},
		"b.YML":      {Data: []byte(loadLevels)},
		"README.txt": {Data: []byte("not a rule file")},
	}
	set, err := Load(fsys) // b.YML too: the extensions in any letter case
	if err != nil {
		t.Fatal(err)
	}
	if set.Name != "split" || len(set.Requirements) != 1 || len(set.Levels) != 1 || len(set.Parameters) != 1 {
		t.Fatalf("merged set: %+v", set)
	}
	if got := set.Requirements[0].Pos; got != (Position{File: "a.yaml", Line: 4, Column: 3}) {
		t.Errorf("requirement position %s, want a.yaml:4:3", got)
	}
	if got := set.Levels[0].Pos; got.File != "b.YML" {
		t.Errorf("level position %s, want in b.YML", got)
	}
	if _, err := Compile(set, testApplicant{}); err != nil {
		t.Fatal(err)
	}
}

// TestLoadErrors: faults that only show across files name both files.
func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		why   string
		fsys  fstest.MapFS
		wants []string // substrings of the errors, in order
		kind  error
	}{
		{
			why: "a requirement defined in two files is a duplicate naming both positions",
			fsys: fstest.MapFS{
				"a.yaml": {Data: []byte(loadHeader + loadRequirements)},
				"b.yaml": {Data: []byte(loadLevels + loadRequirements)},
			},
			wants: []string{`b.yaml:8:3: requirement "online-cpd" is already defined at a.yaml:4:3`},
			kind:  ErrDuplicate,
		},
		{
			why: "two files giving different versions of the header disagree; the second names the first",
			fsys: fstest.MapFS{
				"a.yaml": {Data: []byte(loadHeader + loadRequirements)},
				"b.yaml": {Data: []byte("ruleset: split\nversion: \"2\"\n" + loadLevels)},
			},
			wants: []string{`b.yaml:2:1: version "2" differs from "1" given at a.yaml:2:1`},
			kind:  ErrDuplicate,
		},
		{
			why: "a header repeated identically is fine, but a reference to nothing in any file is not",
			fsys: fstest.MapFS{
				"a.yaml": {Data: []byte(loadHeader + loadRequirements)},
				"b.yaml": {Data: []byte(loadHeader + strings.Replace(loadLevels, "[online-cpd]", "[online-cpd, insured]", 1))},
			},
			wants: []string{`b.yaml:8:28: level member requires: unknown requirement "insured"`},
			kind:  ErrUnknownReference,
		},
		{
			why: "a set that declares its model reports its expressions' faults with its structure's, in one pass",
			fsys: fstest.MapFS{
				"a.yaml": {Data: []byte(loadHeader + "model:\n  cpd:\n    type: list\n    fields:\n      hrs: {type: number}\n" + loadRequirements)},
				"b.yaml": {Data: []byte(strings.Replace(loadLevels, "title: Member", "titel: Member", 1))},
			},
			wants: []string{
				`a.yaml:12:21: requirement online-cpd when: unknown field "hours"; did you mean "hrs"?`,
				`b.yaml:5:5: level member: unknown key "titel"; did you mean "title"?`,
			},
			kind: ErrUnknownKey,
		},
		{
			why: "a file that is not YAML is reported alone: references into it and a missing header are not faults of their own",
			fsys: fstest.MapFS{
				"a.yaml": {Data: []byte(loadHeader + loadRequirements + "  broken: {title: x\n")},
				"b.yaml": {Data: []byte(loadLevels)},
			},
			wants: []string{`a.yaml:8:3: did not find expected ',' or '}'`},
			kind:  ErrSyntax,
		},
	} {
		t.Run(tc.why, func(t *testing.T) {
			_, err := Load(tc.fsys)
			var list *ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want an *ErrorList", err)
			}
			if len(list.Errors) != len(tc.wants) {
				t.Fatalf("got %d errors, want %d:\n%v", len(list.Errors), len(tc.wants), err)
			}
			for i, w := range tc.wants {
				if !strings.HasPrefix(list.Errors[i].Error(), w) {
					t.Errorf("error %d:\ngot  %s\nwant %s", i+1, list.Errors[i], w)
				}
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("errors.Is(err, %v) is false", tc.kind)
			}
		})
	}
}

// TestLoadNoFiles: no matching file is an error, not an empty rule set.
func TestLoadNoFiles(t *testing.T) {
	if _, err := Load(fstest.MapFS{"x.txt": {Data: []byte("x")}}); err == nil {
		t.Fatal("Load of no rule files succeeded")
	}
	if _, err := Load(fstest.MapFS{}, "["); err == nil {
		t.Fatal("Load with a malformed pattern succeeded")
	}
}

// TestMaxErrors: a file with more faults than MaxErrors keeps the first
// MaxErrors, in order, and counts the rest.
func TestMaxErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("ruleset: many\nversion: \"1\"\nlevels:\n  - id: member\n    title: Member\n")
	const n = MaxErrors + 7
	for i := range n {
		fmt.Fprintf(&b, "    key%d: x\n", i)
	}
	_, err := Parse("many.yaml", []byte(b.String()))
	var list *ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got %v, want an *ErrorList", err)
	}
	if len(list.Errors) != MaxErrors || list.Dropped != n-MaxErrors {
		t.Fatalf("kept %d and dropped %d, want %d and %d", len(list.Errors), list.Dropped, MaxErrors, n-MaxErrors)
	}
	for i, e := range list.Errors {
		if e.Pos.Line != 6+i {
			t.Fatalf("error %d at line %d, want %d: errors must be sorted", i, e.Pos.Line, 6+i)
		}
	}
	if !strings.HasSuffix(err.Error(), fmt.Sprintf("\n(and %d more errors)", n-MaxErrors)) {
		t.Errorf("the text does not say how many were dropped:\n%s", err)
	}
}

// TestErrorsAs: callers reach the first positioned error and each kind
// through the list, also when it is wrapped.
func TestErrorsAs(t *testing.T) {
	data := []byte("ruleset: x\nversion: \"1\"\nlevels: []\nbogus: 1\n")
	_, err := Parse("x.yaml", data)
	wrapped := fmt.Errorf("loading rules: %w", err)
	var e *Error
	if !errors.As(wrapped, &e) {
		t.Fatalf("errors.As(*Error) failed on %v", wrapped)
	}
	if e.Pos != (Position{File: "x.yaml", Line: 3, Column: 9}) || e.Kind != ErrValue {
		t.Errorf("first error %v at %s, want the empty ladder at x.yaml:3:9", e.Kind, e.Pos)
	}
	if e.Line != "levels: []" {
		t.Errorf("source line %q", e.Line)
	}
	for _, kind := range []error{ErrValue, ErrUnknownKey} {
		if !errors.Is(wrapped, kind) {
			t.Errorf("errors.Is(err, %v) is false", kind)
		}
	}
	if errors.Is(wrapped, ErrCycle) {
		t.Error("errors.Is(err, ErrCycle) is true")
	}
}

// TestDigest: the digest identifies the files' names and bytes: stable
// across loads, changed by one byte.
func TestDigest(t *testing.T) {
	data, err := os.ReadFile("testdata/valid/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	load := func(files map[string][]byte) string {
		t.Helper()
		fsys := fstest.MapFS{}
		for n, d := range files {
			fsys[n] = &fstest.MapFile{Data: d}
		}
		set, err := Load(fsys)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(set.Digest, "sha256:") || len(set.Digest) != len("sha256:")+64 {
			t.Fatalf("digest %q", set.Digest)
		}
		return set.Digest
	}
	first := load(map[string][]byte{"small.yaml": data})
	if again := load(map[string][]byte{"small.yaml": bytes.Clone(data)}); again != first {
		t.Errorf("digest changed between loads: %s, %s", first, again)
	}
	set, err := Parse("small.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if set.Digest != first {
		t.Errorf("Parse and Load of the same file differ: %s, %s", set.Digest, first)
	}
	changed := bytes.Replace(data, []byte("value: 80"), []byte("value: 81"), 1)
	if bytes.Equal(changed, data) {
		t.Fatal("test data changed; nothing replaced")
	}
	if d := load(map[string][]byte{"small.yaml": changed}); d == first {
		t.Error("digest did not change when a byte did")
	}
	if d := load(map[string][]byte{"other.yaml": data}); d == first {
		t.Error("digest did not change when the file name did")
	}
	// Splitting the same bytes differently over two files is a different rule set text.
	i := bytes.Index(data, []byte("requirements:"))
	split := load(map[string][]byte{"a.yaml": data[:i], "b.yaml": data[i:]})
	moved := load(map[string][]byte{"a.yaml": data[:i-1], "b.yaml": data[i-1:]})
	if split == moved {
		t.Error("moving a byte from one file to the next did not change the digest")
	}
}

// TestFactCycles: facts that read each other, directly, through a let's
// value or within a predicate, are a cycle (ErrCycle); a let's variable
// named like a fact is not a read of the fact, so a fact the named fact
// reads is no cycle: expr refuses the let itself (ErrType, "cannot
// redeclare"), as it does where there is no cycle to mistake.
func TestFactCycles(t *testing.T) {
	for _, tc := range []struct {
		name, facts string
		want        error
		text        string
	}{
		{"two", "  a: b + 1\n  b: a + 1", ErrCycle, "fact a depends on itself: a -> b -> a"},
		{"self", "  a: a + 1", ErrCycle, "fact a depends on itself: a -> a"},
		{"three", "  a: c > 0\n  b: a\n  c: \"len(cpd) + (b ? 1 : 0)\"", ErrCycle, "a -> c -> b -> a"},
		{"let value", "  a: let x = b; x + 1\n  b: let y = a; y", ErrCycle, "a -> b -> a"},
		{"let value named like the fact", "  a: let b = b; 1\n  b: a + 1", ErrCycle, "a -> b -> a"},
		{"predicate", "  a: any(cpd, .hours > b)\n  b: \"a ? 1 : 0\"", ErrCycle, "a -> b -> a"},
		{"let named like a fact", "  a: let b = 2; b + 1\n  b: a + 1", ErrType, "x.yaml:4:10: fact a: cannot redeclare b"},
		{"let named like a fact, no cycle", "  a: let b = 2; b + 1\n  b: 5", ErrType, "x.yaml:4:10: fact a: cannot redeclare b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "ruleset: x\nversion: \"1\"\nfacts:\n" + tc.facts +
				"\nrequirements:\n  r: {title: R, source: s, when: \"a > 0\"}\nlevels:\n  - {id: l, title: L, requires: [r]}\n"
			err := parseAndCompile("x.yaml", []byte(src))
			if !errors.Is(err, tc.want) || err == nil || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("got %v; want %v with %q", err, tc.want, tc.text)
			}
			if tc.want != ErrCycle && errors.Is(err, ErrCycle) {
				t.Errorf("a let's variable is taken for a fact: %v", err)
			}
		})
	}
}
