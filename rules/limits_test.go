package rules

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/rules/file"
)

// oneRequirement is a rule file whose only requirement's condition is when,
// written as given (quote it yourself), on line 7 at column 11.
func oneRequirement(when string) []byte {
	return []byte("ruleset: limits\nversion: \"1\"\nrequirements:\n  r:\n    title: R\n    source: s\n    when: " + when +
		"\nlevels:\n  - {id: m, title: M, requires: [r]}\n")
}

// firstError parses and compiles data and returns its first error, failing
// the test when there is none or it is not an *Error in an *ErrorList.
func firstError(t *testing.T, data []byte, opts ...Option) *Error {
	t.Helper()
	err := parseAndCompile("limits.yaml", data, opts...)
	var list *ErrorList
	if !errors.As(err, &list) || len(list.Errors) == 0 {
		t.Fatalf("got %v, want an *ErrorList", err)
	}
	return list.Errors[0]
}

// firstLine is an error's text up to its first line break: the message
// without the quoted source line.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// TestExprNesting: an expression nested deeper than MaxNesting is refused
// with ErrLimit at the bracket or operator past the limit, before expr's
// parser, which recurses per level, sees it.
func TestExprNesting(t *testing.T) {
	col := 12 + MaxNesting // the character past the limit, after `    when: '`
	for _, tc := range []struct {
		why  string
		expr string
		col  int
	}{
		{"900 KB of ! overflowed the stack of expr's parser", strings.Repeat("!", 900_000) + "true", col},
		{"600 KB of parentheses took 0.9 GB in expr's parser and compiled", strings.Repeat("(", 300_000) + "true" + strings.Repeat(")", 300_000), col},
		{"not is a prefix operator like !", strings.Repeat("not ", 150) + "true", 12 + 4*MaxNesting},
		{"unary minus nests", strings.Repeat("-", 200) + "1 > 0", col},
		{"lists nest", strings.Repeat("[", 200) + strings.Repeat("]", 200) + " == []", col},
		{"a prefix operator and a bracket each count", strings.Repeat("!(", 100) + "true" + strings.Repeat(")", 100), col},
		{"one past the limit", strings.Repeat("(", MaxNesting+1) + "true" + strings.Repeat(")", MaxNesting+1), col},
	} {
		t.Run(tc.why, func(t *testing.T) {
			e := firstError(t, oneRequirement("'"+strings.ReplaceAll(tc.expr, "'", "''")+"'"))
			if !errors.Is(e, ErrLimit) {
				t.Fatalf("got %v, want ErrLimit", firstLine(e.Error()))
			}
			if e.Pos.Line != 7 || e.Pos.Column != tc.col {
				t.Errorf("at %s, want limits.yaml:7:%d: %s", e.Pos, tc.col, firstLine(e.Error()))
			}
		})
	}
}

// TestExprNestingAllowed: what is not nesting does not count: at the limit,
// prefix operators in a row of clauses, brackets inside strings and
// comments, infix minus.
func TestExprNestingAllowed(t *testing.T) {
	for _, tc := range []struct{ why, expr string }{
		{"exactly MaxNesting brackets", strings.Repeat("(", MaxNesting) + "true" + strings.Repeat(")", MaxNesting)},
		{"exactly MaxNesting prefix operators", strings.Repeat("!", MaxNesting) + "true"},
		{"a prefix operator ends with its operand", strings.Repeat("!false && ", 200) + "true"},
		{"brackets in strings are text", `"` + strings.Repeat("((", 200) + `" != "" && '` + strings.Repeat("[", 200) + `' != ""`},
		{"brackets in comments are not code", "/* " + strings.Repeat("{", 200) + " */ true // " + strings.Repeat("(", 200)},
		{"infix minus after an operand", strings.Repeat("1 - ", 200) + "1 < 0"},
		{"not in is infix", strings.Repeat(`"a" not in ["b"] && `, 120) + "true"},
	} {
		t.Run(tc.why, func(t *testing.T) {
			if err := parseAndCompile("limits.yaml", oneRequirement("'"+strings.ReplaceAll(tc.expr, "'", "''")+"'")); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestExprTokens: an expression of more than TokensPerNode tokens per node
// of the node limit is refused with ErrLimit at its start before expr's
// lexer reads it all.
func TestExprTokens(t *testing.T) {
	e := firstError(t, oneRequirement("'"+strings.Repeat("1+", 450_000)+"1 > 0'"))
	if !errors.Is(e, ErrLimit) || e.Pos.Line != 7 || e.Pos.Column != 12 || !strings.Contains(e.Msg, "tokens") {
		t.Fatalf("got %s, want the token limit at limits.yaml:7:12", e)
	}
	e = firstError(t, oneRequirement("'"+strings.Repeat("1+", 200)+"1 > 0'"), MaxNodes(20))
	if !errors.Is(e, ErrLimit) || !strings.Contains(e.Msg, "160 tokens") {
		t.Fatalf("with MaxNodes(20): got %s, want the limit of 160 tokens", e)
	}
}

// TestYAMLDepth: go-yaml refuses YAML nested deeper than 10,000 levels
// before building it; that is a limit (ErrLimit), not a syntax error.
func TestYAMLDepth(t *testing.T) {
	for _, tc := range []struct{ why, doc string }{
		{"flow lists", "ruleset: " + strings.Repeat("[", 100_000)},
		{"flow mappings", "ruleset: " + strings.Repeat("{a: ", 50_000)},
		{"block lists", "ruleset:\n" + strings.Repeat("- ", 20_000) + "x\n"},
	} {
		t.Run(tc.why, func(t *testing.T) {
			_, err := Parse("deep.yaml", []byte(tc.doc))
			var e *Error
			if !errors.As(err, &e) || !errors.Is(e, ErrLimit) || e.Pos.Line < 1 {
				t.Fatalf("got %v, want a positioned ErrLimit", err)
			}
		})
	}
}

// aliasedRequirement is a rule file whose requirement r0 is the anchor &R
// (its value body, a flow mapping) and r1 to rk its aliases, the alias of
// ri on line 4+i at column 7.
func aliasedRequirement(body string, k int) []byte {
	var b strings.Builder
	b.WriteString("ruleset: x\nversion: \"1\"\nrequirements:\n  r0: &R " + body + "\n")
	for i := 1; i <= k; i++ {
		b.WriteString("  r" + strconv.Itoa(i) + ": *R\n")
	}
	b.WriteString("levels:\n  - {id: l, title: L, requires: [r0]}\n")
	return []byte(b.String())
}

// TestAliasLimit: the aliases of a file may repeat at most the file's own
// size (64 KiB for a smaller file), each alias counted as the value it
// names; past that the file is refused, with a single ErrLimit at the alias
// that passes the limit, before any of it is checked. A value that holds
// an alias of itself is refused the same way.
func TestAliasLimit(t *testing.T) {
	faults := "{title: T, source: s, when: \"true\""
	for i := range 600 {
		faults += ", x" + strconv.Itoa(i) + ": 1"
	}
	faults += "}"                                                                                             // 4,236 as counted: the 16th alias passes 64 KiB
	valid := "{title: T, source: s, when: \"len(cpd) >= 0" + strings.Repeat(" && len(cpd) >= 0", 350) + "\"}" // 6,352: the 11th
	for _, tc := range []struct {
		why, src string
		line     int
	}{
		{"a mapping of 600 faults aliased 600 times", string(aliasedRequirement(faults, 600)), 4 + 16},
		{"a valid requirement aliased 400 times", string(aliasedRequirement(valid, 400)), 4 + 11},
		{"a value that holds its own alias", "ruleset: x\nversion: \"1\"\nrequirements:\n  r0: &R {title: T, source: s, when: *R}\n", 4},
	} {
		t.Run(tc.why, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tc.src))
			var list *ErrorList
			if !errors.As(err, &list) || len(list.Errors) != 1 || list.Dropped != 0 {
				t.Fatalf("got %v, want one error", err)
			}
			e := list.Errors[0]
			if !errors.Is(e, ErrLimit) || e.Pos.Line != tc.line || !strings.Contains(e.Msg, "alias *R") {
				t.Fatalf("got %v, want ErrLimit at alias *R on line %d", e, tc.line)
			}
			if col := strings.Index(e.Line, "*R") + 1; e.Pos.Column != col {
				t.Errorf("column %d, want %d (the alias)", e.Pos.Column, col)
			}
		})
	}
}

// TestAliasUnderLimit: aliases that repeat less than the limit are read as
// copies of their anchor's value; a fault inside the anchored value is
// reported once, where it stands, however many aliases read it.
func TestAliasUnderLimit(t *testing.T) {
	set, err := Parse("x.yaml", aliasedRequirement(`{title: T, source: s, when: "true"}`, 20))
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Requirements) != 21 || set.Requirements[20].When.Source != "true" {
		t.Fatalf("got %d requirements, want 21 alike", len(set.Requirements))
	}
	_, err = Parse("x.yaml", aliasedRequirement(`{title: T, source: s, when: "true", x: 1, y: 2}`, 20))
	var list *ErrorList
	if !errors.As(err, &list) || len(list.Errors) != 2 || list.Dropped != 0 {
		t.Fatalf("got %v, want the two unknown keys, once each", err)
	}
	for i, key := range []string{"x", "y"} {
		if e := list.Errors[i]; !errors.Is(e, ErrUnknownKey) || e.Pos.Line != 4 || !strings.Contains(e.Msg, `"`+key+`"`) {
			t.Errorf("error %d: %v, want unknown key %q on line 4", i, e, key)
		}
	}
}

// TestManyErrorsOnOneLine: a file on one long line with thousands of faults
// keeps MaxErrors of them and counts the rest; each quotes at most
// file.MaxQuotedLine characters of the line, around its fault.
func TestManyErrorsOnOneLine(t *testing.T) {
	const n = 8000
	var b strings.Builder
	b.WriteString(`{ruleset: x, version: "1", levels: [{id: l, title: L}]`)
	for i := range n {
		b.WriteString(", k" + strconv.Itoa(i) + ": 1")
	}
	b.WriteString("}\n")
	_, err := Parse("x.yaml", []byte(b.String()))
	var list *ErrorList
	if !errors.As(err, &list) || len(list.Errors) != MaxErrors || list.Dropped != n-MaxErrors {
		t.Fatalf("got %.300v, want %d errors and %d dropped", err, MaxErrors, n-MaxErrors)
	}
	for i, e := range list.Errors {
		key := "k" + strconv.Itoa(i)
		if !errors.Is(e, ErrUnknownKey) || e.Pos.Line != 1 || !strings.Contains(e.Msg, `"`+key+`"`) {
			t.Fatalf("error %d: %.300v, want unknown key %s", i, e, key)
		}
		if len([]rune(e.Line)) > file.MaxQuotedLine {
			t.Fatalf("error %d quotes %d characters of the line", i, len([]rune(e.Line)))
		}
		text := strings.Split(e.Error(), "\n")
		if caret := len(text[2]) - 1; !strings.HasPrefix(string([]rune(text[1])[caret:]), key+":") {
			t.Errorf("error %d: the caret is not under %s:\n%s", i, key, e)
		}
	}
}

// TestManyUnknownPlaceholders: each unknown placeholder of an explain
// wording is reported at its opening brace, and positioning them all costs
// about the wording's length, not its length once per placeholder: 8,000
// in a 24 KB wording allocate well under 256 MB (quadratic, 2.6 GB).
func TestManyUnknownPlaceholders(t *testing.T) {
	const n = 8000
	src := `ruleset: x
version: "1"
requirements:
  r:
    title: T
    source: s
    when: "true"
    explain: {unmet: "` + strings.Repeat("{x}", n) + `"}
levels:
  - {id: l, title: L, requires: [r]}
`
	var err error
	if alloc := allocated(func() { _, err = Parse("x.yaml", []byte(src)) }); alloc > 256<<20 {
		t.Errorf("Parse allocated %d MB", alloc>>20)
	}
	var list *ErrorList
	if !errors.As(err, &list) || len(list.Errors) != MaxErrors || list.Dropped != n-MaxErrors {
		t.Fatalf("got %.300v, want %d errors and %d dropped", err, MaxErrors, n-MaxErrors)
	}
	for i, e := range list.Errors {
		if !errors.Is(e, ErrUnknownReference) || e.Pos.Line != 8 || e.Pos.Column != 23+3*i || !strings.Contains(e.Msg, "{x}") {
			t.Fatalf("error %d: %.200v, want unknown placeholder {x} at 8:%d", i, e, 23+3*i)
		}
	}
}

// TestSuggestLongID: an unknown reference longer than file.MaxSuggestLen
// is reported without a "did you mean", however close an id is to it.
func TestSuggestLongID(t *testing.T) {
	long := "r" + strings.Repeat("a", 60_000)
	src := "ruleset: x\nversion: \"1\"\nrequirements:\n  ? " + long + "\n  : {title: T, source: s, when: \"true\"}\n" +
		"levels:\n  - {id: l, title: L, requires: [" + long[:len(long)-1] + "b]}\n"
	_, err := Parse("x.yaml", []byte(src))
	var list *ErrorList
	if !errors.As(err, &list) || len(list.Errors) != 1 {
		t.Fatalf("got %.300v, want one error", err)
	}
	if e := list.Errors[0]; !errors.Is(e, ErrUnknownReference) || e.Pos.Line != 7 || strings.Contains(e.Msg, "did you mean") {
		t.Errorf("got %.300v, want an unknown reference on line 7 without a suggestion", e)
	}
}

// TestSuggestManyRefs: of many unknown references among many ids, those
// kept (MaxErrors) carry a suggestion; finding them costs little per
// reference: the ids are prepared once, and those not kept get none.
// 30,000 unknown references among 8,000 ids allocate well under 256 MB.
func TestSuggestManyRefs(t *testing.T) {
	const ids, refs = 8000, 30000
	var b strings.Builder
	b.WriteString("ruleset: x\nversion: \"1\"\nrequirements:\n")
	for i := range ids {
		b.WriteString("  r" + strconv.Itoa(i) + ": {title: T, source: s, when: \"true\"}\n")
	}
	b.WriteString("levels:\n  - id: l\n    title: L\n    requires:\n")
	for i := range refs {
		b.WriteString("      - q" + strconv.Itoa(i) + "\n")
	}
	var err error
	if alloc := allocated(func() { _, err = Parse("x.yaml", []byte(b.String())) }); alloc > 256<<20 {
		t.Errorf("Parse allocated %d MB", alloc>>20)
	}
	var list *ErrorList
	if !errors.As(err, &list) || len(list.Errors) != MaxErrors || list.Dropped != refs-MaxErrors {
		t.Fatalf("got %.300v, want %d errors and %d dropped", err, MaxErrors, refs-MaxErrors)
	}
	for i, e := range list.Errors {
		if want := fmt.Sprintf(`unknown requirement "q%d"; did you mean "r%d"?`, i, i); !strings.HasSuffix(e.Msg, want) {
			t.Fatalf("error %d: %q, want it to end %q", i, e.Msg, want)
		}
	}
}
