package file

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Source is one rule file's bytes with an index of its lines, so that errors
// can quote the line they point into and positions in a YAML scalar can be
// mapped back to the file.
type Source struct {
	name  string
	data  []byte
	lines []int // byte offset of the start of each line
}

// NewSource indexes the lines of data, the file called name.
func NewSource(name string, data []byte) *Source {
	s := &Source{name: name, data: data, lines: []int{0}}
	for i, b := range data {
		if b == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

// Name returns the file's name, as positions give it.
func (s *Source) Name() string { return s.name }

// Line returns line n (1-based) without its line ending, or "" if there is
// no such line.
func (s *Source) Line(n int) string {
	if n < 1 || n > len(s.lines) {
		return ""
	}
	start := s.lines[n-1]
	end := len(s.data)
	if n < len(s.lines) {
		end = s.lines[n] - 1
	}
	return string(bytes.TrimRight(s.data[start:end], "\r"))
}

// lineAt returns line n as an Error quotes it (Error.Line) for an error at
// column col: the whole line if it has at most MaxQuotedLine characters,
// else the MaxQuotedLine-2 around col with an ellipsis for each part cut,
// and col's column in that (0 for the whole line). It reads the line up to
// the cut only.
func (s *Source) lineAt(n, col int) (string, int) {
	if n < 1 || n > len(s.lines) {
		return "", 0
	}
	start := s.lines[n-1]
	end := len(s.data)
	if n < len(s.lines) {
		end = s.lines[n] - 1
	}
	line := bytes.TrimRight(s.data[start:end], "\r")
	if len(line) <= MaxQuotedLine || utf8.RuneCount(line) <= MaxQuotedLine {
		return string(line), 0
	}
	const keep = MaxQuotedLine - 2 // characters kept: two stand for the cuts
	from := max(0, col-1-keep/2)   // the first character kept, 0-based
	// Find from's byte offset, then keep characters up to the line's end.
	off := 0
	for i := 0; i < from && off < len(line); i++ {
		_, size := utf8.DecodeRune(line[off:])
		off += size
	}
	if off == len(line) { // col is past the line's end: keep its last characters
		tail := s.lineTail(line)
		return tail, utf8.RuneCountInString(tail) + 1
	}
	stop := off
	kept := 0
	for ; kept < keep && stop < len(line); kept++ {
		_, size := utf8.DecodeRune(line[stop:])
		stop += size
	}
	var b strings.Builder
	lineCol := col - from
	if from > 0 {
		b.WriteString("…")
		lineCol++
	}
	b.Write(line[off:stop])
	if stop < len(line) {
		b.WriteString("…")
	}
	return b.String(), lineCol
}

// lineTail is the last MaxQuotedLine-1 characters of a long line, after an
// ellipsis.
func (s *Source) lineTail(line []byte) string {
	off := len(line)
	for i := 0; i < MaxQuotedLine-1 && off > 0; i++ {
		_, size := utf8.DecodeLastRune(line[:off])
		off -= size
	}
	return "…" + string(line[off:])
}

// offset returns the byte offset of line:col (1-based, col in runes), or -1.
func (s *Source) offset(line, col int) int {
	if line < 1 || line > len(s.lines) {
		return -1
	}
	off := s.lines[line-1]
	for c := 1; c < col && off < len(s.data); c++ {
		if s.data[off] == '\n' {
			return -1
		}
		_, size := utf8.DecodeRune(s.data[off:])
		off += size
	}
	return off
}

// Pos returns the position of node n in this file; for a nil node, the
// file alone.
func (s *Source) Pos(n *yaml.Node) Position {
	if n == nil {
		return Position{File: s.name}
	}
	return Position{File: s.name, Line: n.Line, Column: n.Column}
}

// ScalarMap maps each character of a scalar's value to its position in the
// file, so that an error at character k of an expression is reported where
// that character stands in the rule file, whatever the scalar's style
// (plain, quoted, literal | or folded >).
//
// The value is aligned with the raw text greedily: a value character matches
// the next raw character (or escape sequence, or doubled quote) that stands
// for it; indentation, quotes and line folds are skipped, and a quoted
// scalar's closing quote ends the search. Where alignment fails the rest maps
// to the last matched position, which is still inside the scalar. The
// result has one entry more than the value has characters: the last is
// just past the value's end.
func (s *Source) ScalarMap(n *yaml.Node) []Position {
	value := []rune(n.Value)
	out := make([]Position, len(value)+1)
	start := s.Pos(n)
	for i := range out {
		out[i] = start
	}
	off := s.offset(n.Line, n.Column)
	if off < 0 {
		return out
	}
	line, col := n.Line, n.Column
	advance := func(runes int) { // consumes raw runes, keeping line and col
		for ; runes > 0 && off < len(s.data); runes-- {
			r, size := utf8.DecodeRune(s.data[off:])
			off += size
			if r == '\n' {
				line++
				col = 1
			} else {
				col++
			}
		}
	}
	var quote rune
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		for off < len(s.data) && s.data[off] != '\n' { // skip the indicator line
			advance(1)
		}
		advance(1)
	case yaml.DoubleQuotedStyle:
		quote = '"'
		advance(1)
	case yaml.SingleQuotedStyle:
		quote = '\''
		advance(1)
	}
	i := 0
	for i < len(value) && off < len(s.data) {
		r, _ := utf8.DecodeRune(s.data[off:])
		unit, width := r, 1 // the value character the raw text here stands for, and its length in runes
		switch {
		case quote == '"' && r == '\\':
			unit, width = unescape(s.data[off:])
		case quote == '\'' && r == '\'' && off+1 < len(s.data) && s.data[off+1] == '\'':
			unit, width = '\'', 2
		case quote != 0 && r == quote:
			i = len(value) + 1 // the closing quote: the value ends here
			continue
		case r == '\r':
			// A line break written CR LF (or CR alone) stands for one line
			// break, at the CR: the column just past the line's text.
			unit = '\n'
			if off+1 < len(s.data) && s.data[off+1] == '\n' {
				width = 2
			}
		}
		if v := value[i]; unit == v || (unit == '\n' && v == ' ') {
			out[i] = Position{File: s.name, Line: line, Column: col}
			i++
		}
		advance(width)
	}
	for k := 1; k < len(value); k++ {
		if out[k] == start && out[k-1] != start {
			out[k] = out[k-1] // alignment failed: stay inside the scalar
		}
	}
	out[len(value)] = Position{File: s.name, Line: line, Column: col}
	if len(value) > 0 && out[len(value)].Line != out[len(value)-1].Line {
		// The end of the value is just past its last character, on that
		// character's line; a final line break already stands there.
		out[len(value)] = out[len(value)-1]
		if value[len(value)-1] != '\n' {
			out[len(value)].Column++
		}
	}
	return out
}

// ScalarPos is ScalarMap(n)[k] without mapping the characters after k: a
// position in a scalar of any length costs what its first k characters do.
func (s *Source) ScalarPos(n *yaml.Node, k int) Position {
	prefix := *n
	i := 0
	for r := range n.Value { // byte offset of character k+1
		if i == k+1 {
			prefix.Value = n.Value[:r]
			break
		}
		i++
	}
	m := s.ScalarMap(&prefix)
	return m[min(k, len(m)-1)]
}

// unescape decodes the escape sequence at the start of b (b[0] is a
// backslash) in a double-quoted scalar: the character it stands for (-1 for
// an escaped line break, which stands for none) and its length in runes.
func unescape(b []byte) (rune, int) {
	if len(b) < 2 {
		return '\\', 1
	}
	hex := map[byte]int{'x': 2, 'u': 4, 'U': 8}
	if n, ok := hex[b[1]]; ok {
		if len(b) >= 2+n {
			if v, err := strconv.ParseUint(string(b[2:2+n]), 16, 32); err == nil {
				return rune(v), 2 + n
			}
		}
		return -1, 2
	}
	switch b[1] {
	case '\n':
		return -1, 2
	case '\r':
		if len(b) > 2 && b[2] == '\n' {
			return -1, 3
		}
		return -1, 2
	}
	simple := map[byte]rune{'0': 0, 'a': 7, 'b': 8, 't': 9, '\t': 9, 'n': 10, 'v': 11, 'f': 12, 'r': 13, 'e': 27,
		' ': ' ', '"': '"', '/': '/', '\\': '\\', 'N': 0x85, '_': 0xA0, 'L': 0x2028, 'P': 0x2029}
	if r, ok := simple[b[1]]; ok {
		return r, 2
	}
	r, _ := utf8.DecodeRune(b[1:])
	return r, 2
}
