// Package file holds the vocabulary of positions and errors in rule files:
// Position, the positioned Error and the sorted, capped ErrorList, the
// error kinds (ErrSyntax, ErrUnknownKey, ...), the Errors collector, and
// Source, which maps YAML nodes and the characters of a YAML scalar back to
// lines and columns of the file, and the helpers that place go-yaml's own
// errors and suggest a name for a misspelt one.
//
// Clients normally use package rules, which re-exports the types and the
// error kinds (rules.Error is Error, rules.ErrSyntax is ErrSyntax); this
// package is for tools built beside it, such as the applicant decoder of
// package eligibility, that report problems in YAML files the same way.
package file
