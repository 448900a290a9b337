package rules

import "github.com/eligo-dev/eligo/rules/internal/check"

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
	// node limit (DefaultMaxNodes, or MaxNodes). expr reads every token of
	// an expression before it counts nodes, so a longer expression is
	// refused, with ErrLimit, before it reaches the parser.
	TokensPerNode = 8
)

// The limits are rules/internal/check's, which applies them; these
// constants fail to compile if the two disagree.
const (
	_ = uint(MaxNesting-check.MaxNesting) + uint(check.MaxNesting-MaxNesting)
	_ = uint(TokensPerNode-check.TokensPerNode) + uint(check.TokensPerNode-TokensPerNode)
)
