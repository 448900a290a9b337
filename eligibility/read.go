package eligibility

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Format is the syntax of an applicant document: [YAML] or [JSON]. The zero
// Format is neither, and reading with it is an error.
type Format int

// Formats of applicant documents.
const (
	// YAML documents, YAML 1.2 as go.yaml.in/yaml/v3 reads it. JSON is
	// mostly YAML too, so a JSON document read as YAML reads as YAML reads
	// it (a key and its ':' on different lines is then an [ErrSyntax]), and
	// its syntax errors still carry JSON's exact positions.
	YAML Format = iota + 1
	// JSON documents (RFC 8259), strictly and by JSON's rules: what only
	// YAML allows (comments, trailing commas, single quotes, unquoted keys,
	// a second value) is an [ErrSyntax], as are invalid UTF-8, an escaped
	// UTF-16 surrogate that is not half of a pair (\ud83d alone), and
	// nesting more than 1,000 deep. Strings and numbers read as
	// encoding/json reads them; a key given twice, or a number beyond
	// float64's range, is an error at its path.
	JSON
)

// String returns "YAML", "JSON" or, for any other value, "Format(N)".
func (f Format) String() string {
	switch f {
	case YAML:
		return "YAML"
	case JSON:
		return "JSON"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// formatOf is the format DecodeFor and DecodeAllFor infer from a
// file name: JSON for a name ending in ".json" (in any case), else YAML.
func formatOf(name string) Format {
	if strings.EqualFold(path.Ext(name), ".json") {
		return JSON
	}
	return YAML
}

// MaxDocumentSize is the most bytes [ReadFor] and [ReadAllFor] read,
// 1 MiB: some hundred times a full applicant document. A larger input
// is refused, unread beyond this limit, with an [ErrTooLarge]. The eligo
// command's -max-size flag defaults to it.
const MaxDocumentSize = 1 << 20

// ErrTooLarge marks an input longer than [MaxDocumentSize]: the one
// [FieldError] of the [*InputError] that ReadFor and ReadAllFor return
// for it wraps ErrTooLarge. Decoding bytes already in memory
// ([DecodeFor], [DecodeAllFor]) never gives it.
var ErrTooLarge = errors.New("document too large")

// readDocument reads r to its end, or to one byte past MaxDocumentSize.
func readDocument(name string, r io.Reader, f Format) ([]byte, error) {
	if f != YAML && f != JSON {
		return nil, fmt.Errorf("eligibility: reading %s: %v is not a format of applicant documents: want YAML or JSON", name, f)
	}
	if r == nil {
		return nil, fmt.Errorf("eligibility: reading %s: nil io.Reader", name)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
	if len(data) > MaxDocumentSize {
		return nil, newInputError(name, []*FieldError{{
			Err: ErrTooLarge,
			Msg: fmt.Sprintf("more than %d bytes, the limit on an applicant document (MaxDocumentSize)", MaxDocumentSize),
		}}, 0)
	}
	if err != nil {
		return nil, fmt.Errorf("eligibility: reading %s: %w", name, err)
	}
	return data, nil
}
