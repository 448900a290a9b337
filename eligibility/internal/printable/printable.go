// Package printable says whether text from an applicant or a caller (an
// id, a label, a document's name) can be shown to people as it is: a line
// break or a terminal's escape sequence in it would forge a line or
// rewrite the screen.
package printable

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Is reports whether every character of s is printable or a space
// (unicode.IsPrint), and s is valid UTF-8.
func Is(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return unicodeOnly(s[i:])
		}
	}
	return true
}

// unicodeOnly is Is beyond ASCII.
func unicodeOnly(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || r != ' ' && !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// Append appends s to b as it is when it is printable (Is), else quoted as
// a Go string literal ("a\nb").
func Append(b []byte, s string) []byte {
	if !Is(s) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

// Shown is s as Append writes it.
func Shown(s string) string {
	if !Is(s) {
		return strconv.Quote(s)
	}
	return s
}
