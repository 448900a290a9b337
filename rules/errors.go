package rules

import "github.com/eligo-dev/eligo/rules/file"

// Kinds of rule-file errors. Every *Error wraps exactly one of them, so callers
// can branch with errors.Is on an *Error, an *ErrorList or any error wrapping
// them. They are the values of package rules/file, re-exported: ErrSyntax is
// file.ErrSyntax.
var (
	// ErrSyntax: the file is not well-formed YAML, or an expression does not parse.
	ErrSyntax = file.ErrSyntax
	// ErrUnknownKey: a mapping key the rule-file format does not define.
	ErrUnknownKey = file.ErrUnknownKey
	// ErrValue: a value of the wrong shape or out of range (a list where a
	// string was wanted, a malformed date, a missing required key, ...).
	ErrValue = file.ErrValue
	// ErrType: an expression that does not type-check, or whose result has the
	// wrong type (a condition that is not boolean).
	ErrType = file.ErrType
	// ErrUnknownReference: a name that refers to nothing: an unknown
	// requirement, parameter, fact, benefit, catalogue or applicant field.
	ErrUnknownReference = file.ErrUnknownReference
	// ErrDuplicate: an id or key defined twice.
	ErrDuplicate = file.ErrDuplicate
	// ErrCycle: facts that depend on each other in a cycle.
	ErrCycle = file.ErrCycle
	// ErrLimit: a safety limit was exceeded (file size, expression size, ...).
	ErrLimit = file.ErrLimit
	// ErrForbidden: an expression uses something rules may not use: a method
	// call, the whole environment, the clock.
	ErrForbidden = file.ErrForbidden
	// ErrReserved: a fact, parameter or catalogue given a name that
	// expressions already use: one of expr's builtins, a library function,
	// a keyword of the expression language, asOf or param.
	ErrReserved = file.ErrReserved
)

// Position is a place in a rule file: File, and a 1-based Line and Column
// (in characters, not bytes; a tab counts as one), 0 when unknown. Its
// String method formats it as file:line:col, leaving out what is unknown.
type Position = file.Position

// Error is one problem in a rule file, at a position in that file: its Pos,
// its Kind (one of the Err* kinds), its Msg, and the source Line it points
// into.
//
// Error() renders "file:line:col: message" followed by the offending source
// line and a caret under the fault. The rendered text is for people and may
// change; use the fields and errors.Is(err, ErrXxx) in code.
type Error = file.Error

// ErrorList is every error found while loading or compiling a rule set,
// sorted by file, line and column: at most MaxErrors of them in Errors, and
// in Dropped the count of those left out. It unwraps to each *Error, so
// errors.As and errors.Is see every one.
type ErrorList = file.ErrorList
