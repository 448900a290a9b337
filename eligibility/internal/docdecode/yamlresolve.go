package docdecode

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wordStart holds the first letters of the plain scalars YAML reads as
// other than strings by their words: y, n, t, f, o (yes, no, true, false,
// on, off), ~ and < (merge), either case.
var wordStart = func() (t [256]bool) {
	for _, c := range []byte("yYnNtTfFoO~<") {
		t[c] = true
	}
	return t
}()

// plainTag is the tag the YAML parser (go.yaml.in/yaml/v3, its resolve)
// gives a plain scalar written s: !!null, !!bool, !!int, !!float,
// !!timestamp, !!merge or !!str. It follows that function's rules step
// by step; the usual values (words, whole numbers, decimals, dates) are
// told apart without its parsers' errors, which allocate. TestPlainTag and
// FuzzPlainTag hold it to the YAML parser. ok is false where it is unsure,
// for the caller to leave the document to the YAML parser (it is sure of
// every value today).
func plainTag(s string) (tag string, ok bool) {
	if s == "" {
		return "!!null", true
	}
	switch c := s[0]; {
	case c == '+' || c == '-' || c >= '0' && c <= '9':
	case c == '.':
	case wordStart[c]:
	default:
		return "!!str", true // a hint of nothing but a string
	}
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return "!!bool", true
	case "~", "null", "Null", "NULL":
		return "!!null", true
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return "!!float", true
	case "<<":
		return "!!merge", true
	}
	switch c := s[0]; {
	case c == '.':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return "!!float", true
		}
		return "!!str", true
	case c != '+' && c != '-' && (c < '0' || c > '9'):
		return "!!str", true // a word not in the table
	}
	// A sign or a digit: a timestamp, an int, a float, or a string.
	if isDateShaped(s) {
		// Only the date-only format can read it; what it refuses (a
		// month or day out of range) no number parser reads either.
		if _, _, _, ok := dateOf(s); ok {
			return "!!timestamp", true
		}
		return "!!str", true
	}
	if simpleInt(s) {
		return "!!int", true
	}
	if simpleDecimal(s) {
		return "!!float", true
	}
	return resolveNumber(s), true
}

// simpleInt reports whether s is a whole number of at most 18 digits,
// with a sign or not, without a leading zero: one that strconv.ParseInt
// reads, of base 0.
func simpleInt(s string) bool {
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i++
	}
	digits := s[i:]
	if len(digits) == 0 || len(digits) > 18 || len(digits) > 1 && digits[0] == '0' {
		return false
	}
	for j := 0; j < len(digits); j++ {
		if digits[j] < '0' || digits[j] > '9' {
			return false
		}
	}
	return true
}

// simpleDecimal reports whether s is a decimal with a fraction, as in 2.5
// or -0.25, of at most 17 digits, without a leading zero or an exponent:
// one that neither integer parser reads and yamlStyleFloat and
// strconv.ParseFloat do.
func simpleDecimal(s string) bool {
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i++
	}
	dot := strings.IndexByte(s, '.')
	if dot <= i || dot == len(s)-1 || len(s)-i > 18 || dot-i > 1 && s[i] == '0' {
		return false
	}
	for j := i; j < len(s); j++ {
		if j != dot && (s[j] < '0' || s[j] > '9') {
			return false
		}
	}
	return true
}

// yamlStyleFloat is the YAML parser's own.
var yamlStyleFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// resolveNumber is the YAML parser's resolve of a plain scalar starting
// with a sign or a digit, step by step: a timestamp, an integer (in any
// base Go reads, digit separators dropped), a float, a binary or octal
// integer, or else a string.
func resolveNumber(in string) string {
	if yamlTimestamp(in) {
		return "!!timestamp"
	}
	plain := strings.ReplaceAll(in, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return "!!int"
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return "!!int"
	}
	if yamlStyleFloat.MatchString(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return "!!float"
		}
	}
	if strings.HasPrefix(plain, "0b") {
		if _, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
			return "!!int"
		}
		if _, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
			return "!!int"
		}
	} else if strings.HasPrefix(plain, "-0b") {
		if _, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
			return "!!int"
		}
	}
	if strings.HasPrefix(plain, "0o") {
		if _, err := strconv.ParseInt(plain[2:], 8, 64); err == nil {
			return "!!int"
		}
		if _, err := strconv.ParseUint(plain[2:], 8, 64); err == nil {
			return "!!int"
		}
	} else if strings.HasPrefix(plain, "-0o") {
		if _, err := strconv.ParseInt("-"+plain[3:], 8, 64); err == nil {
			return "!!int"
		}
	}
	return "!!str"
}

// yamlTimestampFormats are the YAML parser's timestamp layouts.
var yamlTimestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// yamlTimestamp is the YAML parser's parseTimestamp: four digits and a
// '-' first, then one of its layouts.
func yamlTimestamp(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, format := range yamlTimestampFormats {
		if _, err := time.Parse(format, s); err == nil {
			return true
		}
	}
	return false
}
