package file

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strings"
)

// Kinds of rule-file errors. Every *Error wraps exactly one of them, so callers
// can branch with errors.Is on an *Error, an *ErrorList or any error wrapping
// them. Package rules re-exports each one: rules.ErrSyntax is ErrSyntax.
var (
	// ErrSyntax: the file is not well-formed YAML, or an expression does not parse.
	ErrSyntax = errors.New("syntax error")
	// ErrUnknownKey: a mapping key the rule-file format does not define.
	ErrUnknownKey = errors.New("unknown key")
	// ErrValue: a value of the wrong shape or out of range (a list where a
	// string was wanted, a malformed date, a missing required key, ...).
	ErrValue = errors.New("invalid value")
	// ErrType: an expression that does not type-check, or whose result has the
	// wrong type (a condition that is not boolean).
	ErrType = errors.New("type error")
	// ErrUnknownReference: a name that refers to nothing: an unknown
	// requirement, parameter, fact, benefit, catalogue or applicant field.
	ErrUnknownReference = errors.New("unknown reference")
	// ErrDuplicate: an id or key defined twice.
	ErrDuplicate = errors.New("duplicate")
	// ErrCycle: facts that depend on each other in a cycle.
	ErrCycle = errors.New("cycle")
	// ErrLimit: a safety limit was exceeded (file size, expression size, ...).
	ErrLimit = errors.New("limit exceeded")
	// ErrForbidden: an expression uses something rules may not use: a method
	// call, the whole environment, the clock.
	ErrForbidden = errors.New("not allowed in rules")
	// ErrReserved: a fact, parameter or catalogue given a name that
	// expressions already use: one of expr's builtins, a library function,
	// a keyword of the expression language, asOf or param.
	ErrReserved = errors.New("reserved name")
)

// Position is a place in a rule file. Line and Column are 1-based; Column
// counts characters (runes), not bytes, and a tab counts as one.
type Position struct {
	// File is the rule file's name, as given to Parse or as matched by Load.
	File string
	// Line is the 1-based line number; 0 when unknown.
	Line int
	// Column is the 1-based column in characters; 0 when unknown.
	Column int
}

// Compare orders positions by file name, then line, then column: -1 when
// p comes before q, +1 when after, 0 when they are the same place.
func (p Position) Compare(q Position) int {
	if c := strings.Compare(p.File, q.File); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(p.Line, q.Line), cmp.Compare(p.Column, q.Column))
}

// IsValid reports whether the position names a line.
func (p Position) IsValid() bool { return p.Line > 0 }

// String formats the position as file:line:col, leaving out what is unknown.
func (p Position) String() string {
	s := p.File
	if p.Line > 0 {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprint(p.Line)
		if p.Column > 0 {
			s += fmt.Sprintf(":%d", p.Column)
		}
	}
	return s
}

// Error is one problem in a rule file, at a position in that file.
//
// Error() renders "file:line:col: message" followed by the offending source
// line and a caret under the fault. The rendered text is for people and may
// change; use the fields and errors.Is(err, ErrXxx) in code.
type Error struct {
	// Pos is where the problem is; its Line is 0 when no line is known
	// (a file that Load found over MaxFileSize, say).
	Pos  Position
	Kind error  // one of the Err* kinds of this package (re-exported by rules)
	Msg  string // the message, without position or kind
	// Line is the source line the error points into, without its newline;
	// empty when the position has no line. A line longer than
	// MaxQuotedLine characters is cut to that many around the error's
	// column, an ellipsis (…) standing for each part cut.
	Line string

	lineCol int // the error's column in a Line cut short; 0: Pos.Column
}

// MaxQuotedLine is the longest source line an Error quotes whole (in
// characters); a longer one is cut around the error's column.
const MaxQuotedLine = 200

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	if s := e.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Line != "" && e.Pos.Column > 0 {
		col := e.Pos.Column
		if e.lineCol > 0 {
			col = e.lineCol
		}
		b.WriteString("\n    ")
		b.WriteString(e.Line)
		b.WriteString("\n    ")
		b.WriteString(caretPad(e.Line, col))
		b.WriteByte('^')
	}
	return b.String()
}

// Unwrap returns the error's kind, one of the Err* values.
func (e *Error) Unwrap() error { return e.Kind }

// caretPad returns the white space that puts a caret under character col
// (1-based) of line: tabs stay tabs so that the caret lines up however the
// terminal expands them, every other character becomes one space.
func caretPad(line string, col int) string {
	var b strings.Builder
	i := 1
	for _, r := range line {
		if i >= col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		i++
	}
	for ; i < col; i++ {
		b.WriteByte(' ')
	}
	return b.String()
}

// ErrorList is every error found while loading or compiling a rule set,
// sorted by file, line and column. Dropped counts the errors left out past
// the cap (rules.MaxErrors).
type ErrorList struct {
	// Errors are the errors kept, sorted by position, at most rules.MaxErrors; a
	// repeat of the error before it (same position and message) is left out.
	Errors []*Error
	// Dropped is how many errors past the cap were left out of Errors.
	Dropped int
}

// Error implements error: one error per paragraph, then how many were dropped.
func (l *ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l.Errors {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	if l.Dropped > 0 {
		fmt.Fprintf(&b, "\n(and %d more errors)", l.Dropped)
	}
	return b.String()
}

// Unwrap returns the errors, so that errors.Is and errors.As see each one.
func (l *ErrorList) Unwrap() []error {
	errs := make([]error, len(l.Errors))
	for i, e := range l.Errors {
		errs[i] = e
	}
	return errs
}

// Errors collects the errors found in the files of a rule set, to report
// them all at once: Err sorts them by position, drops repeats and caps
// their number. The zero value is ready to use and keeps every error;
// set Max to keep no more than Max.
type Errors struct {
	// Max, if positive, is how many errors to keep: past it Add keeps the
	// first Max by position (an error that repeats one kept, same position
	// and message, left out) and only counts the rest, which Err reports in
	// ErrorList.Dropped. Zero keeps every error.
	Max int

	sources map[string]*Source
	errs    []*Error            // the errors kept, in the order added
	added   int                 // how many errors were added, kept or not
	dropped map[uint64]struct{} // a hash of each error Max left out (position and message)
}

// AddSource makes errors positioned in s's file quote the line they point into.
func (c *Errors) AddSource(s *Source) {
	if c.sources == nil {
		c.sources = map[string]*Source{}
	}
	c.sources[s.name] = s
}

// Add records an error of the given kind at pos; the message is
// fmt.Sprintf(format, args...).
func (c *Errors) Add(pos Position, kind error, format string, args ...any) {
	c.added++
	e := &Error{Pos: pos, Kind: kind, Msg: fmt.Sprintf(format, args...)}
	if c.Max <= 0 || len(c.errs) < c.Max && !c.keeps(e) {
		c.errs = append(c.errs, e)
		return
	}
	if c.keeps(e) {
		return
	}
	// Full: e replaces the last kept by position (of those at one
	// position, the last added), if it comes before it.
	last := 0
	for i, k := range c.errs {
		if !before(k.Pos, c.errs[last].Pos) {
			last = i
		}
	}
	if out := c.errs[last]; before(e.Pos, out.Pos) {
		c.errs = append(slices.Delete(c.errs, last, last+1), e)
		e = out
	}
	if c.dropped == nil {
		c.dropped = map[uint64]struct{}{}
	}
	c.dropped[hashError(e)] = struct{}{}
}

// Keeps reports whether an error added at pos now would be kept: Max is
// not set or not reached, or pos comes before the last error kept. A
// caller may skip work that only the message of an error not kept would
// show, such as a suggestion.
func (c *Errors) Keeps(pos Position) bool {
	if c.Max <= 0 || len(c.errs) < c.Max {
		return true
	}
	for _, k := range c.errs {
		if before(pos, k.Pos) {
			return true
		}
	}
	return false
}

// keeps reports whether an error with e's position and message is kept.
func (c *Errors) keeps(e *Error) bool {
	for _, k := range c.errs {
		if k.Pos == e.Pos && k.Msg == e.Msg {
			return true
		}
	}
	return false
}

func hashError(e *Error) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d:%s:%d:%d:", len(e.Pos.File), e.Pos.File, e.Pos.Line, e.Pos.Column)
	h.Write([]byte(e.Msg))
	return h.Sum64()
}

// before reports whether position a sorts before b (Position.Compare).
func before(a, b Position) bool { return a.Compare(b) < 0 }

// Len is the number of errors added so far, kept or not.
func (c *Errors) Len() int { return c.added }

// Recorded returns the errors kept so far (all of them when Max is not
// set), in the order added, each quoting its line.
func (c *Errors) Recorded() []*Error {
	for _, e := range c.errs {
		c.quote(e)
	}
	return c.errs
}

// quote sets e.Line from its file's source, if known and not yet set.
func (c *Errors) quote(e *Error) {
	if s := c.sources[e.Pos.File]; s != nil && e.Line == "" {
		e.Line, e.lineCol = s.lineAt(e.Pos.Line, e.Pos.Column)
	}
}

// Err returns the collected errors as an *ErrorList, sorted by file, line
// and column (errors at one position in the order added), without an error
// that repeats the one before it (same position and message), and keeping
// at most max of them (all when max <= 0), each quoting its line; or nil
// when there are none. Dropped counts the errors left out past max and,
// apart from repeats, past Max.
func (c *Errors) Err(max int) error {
	if len(c.errs) == 0 {
		return nil
	}
	sort.SliceStable(c.errs, func(i, j int) bool { return before(c.errs[i].Pos, c.errs[j].Pos) })
	uniq := c.errs[:0]
	for _, e := range c.errs {
		if n := len(uniq); n > 0 && e.Pos == uniq[n-1].Pos && e.Msg == uniq[n-1].Msg {
			continue
		}
		uniq = append(uniq, e)
	}
	l := &ErrorList{Errors: uniq, Dropped: len(c.dropped)}
	if max > 0 && len(uniq) > max {
		l.Errors, l.Dropped = uniq[:max], l.Dropped+len(uniq)-max
	}
	for _, e := range l.Errors {
		c.quote(e)
	}
	return l
}
