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
	// YAML documents, YAML 1.2 as go.yaml.in/yaml/v3 reads it. JSON is YAML
	// too, so a JSON document reads as YAML, and its syntax errors still
	// carry JSON's exact positions.
	YAML Format = iota + 1
	// JSON documents, strictly: what only YAML allows (comments, trailing
	// commas, single quotes, unquoted keys, a second value) is an [ErrSyntax].
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

// formatOf is the format DecodeApplicant and DecodeApplicants infer from a
// file name: JSON for a name ending in ".json" (in any case), else YAML.
func formatOf(name string) Format {
	if strings.EqualFold(path.Ext(name), ".json") {
		return JSON
	}
	return YAML
}

// MaxDocumentSize is the most bytes [ReadApplicant] and [ReadApplicants]
// read, 1 MiB: some hundred times a full applicant document. A larger input
// is refused, unread beyond this limit, with an [ErrTooLarge]. The eligo
// command's -max-size flag defaults to it.
const MaxDocumentSize = 1 << 20

// ErrTooLarge marks an input longer than [MaxDocumentSize]: the one
// [FieldError] of the [*InputError] that ReadApplicant and ReadApplicants
// return for it wraps ErrTooLarge. Decoding bytes already in memory
// ([DecodeApplicant], [DecodeApplicants]) never gives it.
var ErrTooLarge = errors.New("document too large")

// ReadApplicant reads one applicant document in format f from r, to its
// end, and decodes it as [DecodeApplicant] does; name names the document in
// errors only (its suffix does not choose the format, f does). It reads at
// most [MaxDocumentSize] bytes: a longer input is an [*InputError] wrapping
// [ErrTooLarge]. An error reading r is returned wrapped, not as an
// InputError. A Format other than YAML or JSON is an error, before r is read.
func ReadApplicant(name string, r io.Reader, f Format) (*Applicant, error) {
	return ReadFor[Applicant](name, r, f)
}

// ReadApplicants reads a batch of applicant documents in format f from r, to
// its end, and decodes it as [DecodeApplicants] does: a list of applicants
// or, in YAML, a stream of documents separated by "---". Its limits and
// errors are ReadApplicant's: the whole batch is at most [MaxDocumentSize]
// bytes. A larger batch is better kept as one document per applicant, each
// read with ReadApplicant and decided with [KeyedDecisions] as it is read.
func ReadApplicants(name string, r io.Reader, f Format) ([]*Applicant, error) {
	return ReadAllFor[Applicant](name, r, f)
}

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
