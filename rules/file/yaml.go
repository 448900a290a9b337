package file

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

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
// stands. go-yaml v3 reports a line but no column; the caret goes under the
// line's first character that is not white space.
func (s *Source) YAMLErrorPos(err error) Position {
	line, msg := SplitYAMLError(err)
	for _, prob := range yamlParserProblems {
		if strings.HasPrefix(msg, prob) {
			line++ // 0-based, see yamlParserProblems
			break
		}
	}
	line = max(1, min(line, len(s.lines)))
	text := s.Line(line)
	col := 1 + len([]rune(text)) - len([]rune(strings.TrimLeft(text, " \t")))
	if col > len([]rune(text)) {
		col = 1
	}
	return Position{File: s.name, Line: line, Column: col}
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
