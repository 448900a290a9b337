package file

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// What go-yaml's errors say, and how to place them in a file.

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlParserProblems are the problems go-yaml's parser (as opposed to its
// scanner) reports. For these go-yaml v3 prints the 0-based line of the
// construct it was parsing as "line N", so N+1 is the line in the file.
var yamlParserProblems = []string{
	"did not find expected",
	"found duplicate %",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// SplitYAMLError splits the first line of a go-yaml error into the line
// number go-yaml printed ("yaml: line N: ...") and the message after it;
// line is 0 when go-yaml printed none. The number is go-yaml's own: for
// some problems it is the line before the fault (YAMLErrorPos corrects it).
func SplitYAMLError(err error) (line int, msg string) {
	msg = firstLine(err.Error())
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil {
			return n, m[2]
		}
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

// YAMLErrorPos returns where in s's file a go-yaml error from decoding it
// stands (YAMLErrorAt).
func (s *Source) YAMLErrorPos(err error) Position {
	line, col := YAMLErrorAt(s.data, err)
	return Position{File: s.name, Line: line, Column: col}
}

// YAMLErrorAt returns where in data a go-yaml error from decoding it
// stands: its line and column, 1-based, the column in characters. go-yaml
// v3 reports at most a line, for some problems the line before the fault
// (yamlParserProblems), and none for a character its reader refuses or an
// alias of an unknown anchor: these are found in data, the first such
// character where it stands, the alias (*name) where it first does. Else
// the caret goes under the line's first character that is not white
// space, on line 1 when go-yaml gave none.
func YAMLErrorAt(data []byte, err error) (line, col int) {
	if off, ok := UnreadableOffset(data); ok {
		return Offset(data, off)
	}
	line, msg := SplitYAMLError(err)
	for _, prob := range yamlParserProblems {
		if strings.HasPrefix(msg, prob) {
			line++ // 0-based, see yamlParserProblems
			break
		}
	}
	if m := unknownAnchorRE.FindStringSubmatch(msg); line == 0 && m != nil {
		if off := aliasOffset(data, m[1]); off >= 0 {
			return Offset(data, off)
		}
	}
	lines := bytes.Split(data, []byte("\n"))
	line = max(1, min(line, len(lines)))
	text := strings.TrimSuffix(string(lines[line-1]), "\r")
	col = 1 + utf8.RuneCountInString(text) - utf8.RuneCountInString(strings.TrimLeft(text, " \t"))
	if col > utf8.RuneCountInString(text) {
		col = 1
	}
	return line, col
}

var unknownAnchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced`)

// aliasOffset returns the offset of the first alias *name in data, a
// token of its own, or -1.
func aliasOffset(data []byte, name string) int {
	alias := []byte("*" + name)
	for from := 0; ; {
		i := bytes.Index(data[from:], alias)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(alias)
		before := i == 0 || bytes.IndexByte([]byte(" \t\n[{,:-?"), data[i-1]) >= 0
		after := end == len(data) || bytes.IndexByte([]byte(" \t\r\n]},"), data[end]) >= 0
		if before && after {
			return i
		}
		from = i + 1
	}
}

// UnreadableOffset returns the offset of the first byte of data that the
// YAML reader refuses: invalid UTF-8, or a character it will not read (a
// control character other than tab and line breaks, a surrogate, U+FFFE,
// U+FFFF).
func UnreadableOffset(data []byte) (int, bool) {
	for off := 0; off < len(data); {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size <= 1 {
			return off, true
		}
		if !YAMLPrintable(r) {
			return off, true
		}
		off += size
	}
	return 0, false
}

// YAMLPrintable reports whether the YAML reader reads the character r.
func YAMLPrintable(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r == 0x85 ||
		(r >= 0x20 && r <= 0x7e) || (r >= 0xa0 && r <= 0xd7ff) ||
		(r >= 0xe000 && r <= 0xfffd) || r >= 0x10000
}

// Offset returns the line and column (1-based, the column in characters)
// of byte offset off in data.
func Offset(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[lineStart:]) + 1
}

// YAMLErrorMsg is a go-yaml error's message without its "yaml: line N: "
// prefix, first line only.
func YAMLErrorMsg(err error) string {
	_, msg := SplitYAMLError(err)
	return msg
}

// YAMLErrorKind is the kind of a go-yaml error: ErrLimit for its own safety
// limits (nesting deeper than 10,000 levels, excessive aliasing), which
// bound the YAML layer before any rule is read; otherwise ErrSyntax.
func YAMLErrorKind(err error) error {
	msg := err.Error()
	if strings.Contains(msg, "exceeded max depth") || strings.Contains(msg, "excessive aliasing") {
		return ErrLimit
	}
	return ErrSyntax
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Describe names a YAML node's value for a message such as "want a list,
// got ...": "a mapping", "a list", "nothing" (null), "an alias", or a
// scalar's value quoted.
func Describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an alias"
}
