package check

import (
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/ruleset"
)

// Limits on the shape of one expression, checked before expr parses it.
const (
	// MaxNesting is the deepest an expression may nest: each open bracket
	// ( [ { and each prefix operator (!, not, unary - and +) still in force
	// counts one level. expr's parser recurses once per level before it
	// counts nodes, so a deeper expression is refused, with ErrLimit,
	// before it reaches the parser.
	MaxNesting = 100
	// TokensPerNode bounds the length of an expression in tokens (names,
	// literals, operators, brackets): at most TokensPerNode times the
	// node limit (Options.MaxNodes). expr reads every token of
	// an expression before it counts nodes, so a longer expression is
	// refused, with ErrLimit, before it reaches the parser.
	TokensPerNode = 8
)

// boundsError is an expression over a shape limit: what is wrong, and at
// which character (a rune index into the expression).
type boundsError struct {
	at  int
	msg string
}

// exprBounds scans an expression's tokens without building anything and
// reports the first limit it exceeds: nesting deeper than MaxNesting, or
// more than TokensPerNode×maxNodes tokens. The scan follows expr's lexer
// closely enough to tell brackets, strings and comments apart and a prefix
// operator from an infix one; it need not reject what expr would reject.
func exprBounds(s string, maxNodes uint) *boundsError {
	budget := math.MaxInt
	if maxNodes <= uint(math.MaxInt/TokensPerNode) {
		budget = int(maxNodes) * TokensPerNode
	}
	var (
		frames  []int // levels each open bracket adds: itself and the prefix operators before it
		depth   int   // the sum of frames
		prefix  int   // prefix operators since the last operand
		operand bool  // the last token ended an operand: a - or + after it is infix
		tokens  int
	)
	deeper := func(i int) *boundsError {
		if depth+prefix > MaxNesting {
			return &boundsError{at: utf8.RuneCountInString(s[:i]),
				msg: fmt.Sprintf("expression nests deeper than the limit of %d (brackets and prefix operators such as ! and not)", MaxNesting)}
		}
		return nil
	}
	for i := 0; i < len(s); {
		c := s[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			i += 2
			for i < len(s) && !(s[i] == '*' && i+1 < len(s) && s[i+1] == '/') {
				i++
			}
			i += 2
			continue
		case c == '"' || c == '\'' || c == '`':
			i++
			for i < len(s) && s[i] != c {
				if s[i] == '\\' && c != '`' {
					i++
				}
				i++
			}
			i++
			operand, prefix = true, 0
		case '0' <= c && c <= '9':
			for i++; i < len(s); i++ {
				d := s[i]
				if isWordByte(d) || (d == '.' && i+1 < len(s) && s[i+1] != '.') ||
					((d == '+' || d == '-') && (s[i-1] == 'e' || s[i-1] == 'E')) {
					continue
				}
				break
			}
			operand, prefix = true, 0
		case isWordByte(c) || c >= utf8.RuneSelf || c == '$' || c == '#':
			for i++; i < len(s) && (isWordByte(s[i]) || s[i] >= utf8.RuneSelf); i++ {
			}
			switch s[start:i] {
			case "not":
				if !operand { // else "not in", "not matches", ...
					prefix++
					if err := deeper(start); err != nil {
						return err
					}
				}
				operand = false
			case "in", "and", "or", "matches", "contains", "startsWith", "endsWith", "let", "if", "else":
				operand = false
			default:
				operand, prefix = true, 0
			}
		case c == '(' || c == '[' || c == '{':
			i++
			frames = append(frames, 1+prefix)
			depth += 1 + prefix
			prefix, operand = 0, false
			if err := deeper(start); err != nil {
				return err
			}
		case c == ')' || c == ']' || c == '}':
			i++
			if n := len(frames); n > 0 {
				depth -= frames[n-1]
				frames = frames[:n-1]
			}
			prefix, operand = 0, true
		case (c == '!' || c == '-' || c == '+') && !operand && !(c == '!' && i+1 < len(s) && s[i+1] == '='):
			i++
			prefix++
			if err := deeper(start); err != nil {
				return err
			}
		default: // an infix operator or punctuation: a run of them is one token
			for i++; i < len(s) && isOperatorByte(s[i]) && s[i] != '!' && s[i] != '-' && s[i] != '+'; i++ {
			}
			operand = false
		}
		if tokens++; tokens > budget {
			// The whole expression is too long; point at its start.
			return &boundsError{at: 0, msg: fmt.Sprintf("expression is longer than the limit of %d tokens (%d per node of the %d-node limit)",
				budget, TokensPerNode, maxNodes)}
		}
	}
	return nil
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isOperatorByte(c byte) bool {
	switch c {
	case '&', '|', '=', '<', '>', '*', '/', '%', '^', '?', '.':
		return true
	}
	return false
}

// withinBounds reports, positioned in the rule file, an expression over
// MaxNesting or the token budget, and returns whether it is within them.
func (env *Env) withinBounds(e ruleset.Expr, what string) bool {
	b := exprBounds(e.Source, env.opts.MaxNodes)
	if b == nil {
		return true
	}
	env.errs.Add(e.PositionAt(b.at), file.ErrLimit, "%s: %s", what, b.msg)
	return false
}

// InBounds reports whether an expression's text is within the shape limits
// (MaxNesting, and TokensPerNode×maxNodes tokens), so that expr's parser
// may be given it: tools that parse rule expressions without an Env (lint)
// refuse the same texts Env.Expr would, before parsing.
func InBounds(s string, maxNodes uint) bool { return exprBounds(s, maxNodes) == nil }
