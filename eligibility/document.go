package eligibility

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/docdecode"
	"github.com/eligo-dev/eligo/rules"
)

// Document is one applicant document of the model a rule set declares
// under its model key: what an [Engine] decodes, validates and decides
// when no Go type of the caller's stands for the applicant. Only an
// Engine's Decode, DecodeAll, Read and ReadAll make Documents; a Document
// belongs to the model it was decoded for, and an Engine over another
// model refuses it (with an error wrapping [ErrModel]), as it refuses the
// zero Document.
//
// A Document is immutable: nothing, the engine included, changes it once
// it is decoded, so one Document may be decided any number of times, on
// any number of goroutines.
type Document struct {
	model reflect.Type   // the declared model's struct type (rules.ModelType)
	v     unsafe.Pointer // a *model holding the document's values
	id    string         // the value of the model's id field, or ""
}

// ID returns the document's applicant id: the value of the model's field
// declared with id: true, or "" when the model declares none.
func (d *Document) ID() string {
	if d == nil {
		return ""
	}
	return d.id
}

// errForeignDocument is the error for a Document an engine cannot decide.
func errForeignDocument(d *Document, model reflect.Type) error {
	if d.model == nil {
		return fmt.Errorf("eligibility: %w: a zero Document: decode documents with the Engine's Decode, DecodeAll, Read or ReadAll", ErrModel)
	}
	return fmt.Errorf("eligibility: %w: document %q was decoded for another model than the engine's", ErrModel, d.id)
}

// newDocument decodes entry into a new value of vs's model and makes it a
// Document, its positions kept for validation's errors.
func newDocument(d *docdecode.Decoder, entry docdecode.Doc, doc *Document, vs docValues) {
	v := vs.new()
	vs.keep(v, &docPositions{entries: d.Decode(entry, v)})
	doc.model, doc.v, doc.id = vs.model, v.UnsafePointer(), idOf(vs.model)(v.UnsafePointer())
}

// decodeDocument decodes one document in format f as a Document of vs's
// model, whose id id reads.
func decodeDocument(name string, data []byte, f Format, vs docValues, id func(unsafe.Pointer) string) (*Document, error) {
	v, err := decodeSingle(name, data, f, vs)
	if err != nil {
		return nil, err
	}
	return &Document{model: vs.model, v: v.UnsafePointer(), id: id(v.UnsafePointer())}, nil
}

// decodeDocuments decodes a batch of documents in format f as Documents of
// vs's model.
func decodeDocuments(name string, data []byte, f Format, vs docValues) ([]*Document, error) {
	model := vs.model
	idKey := ""
	if sf, ok := idField(model); ok {
		idKey, _ = docdecode.Key(sf)
	}
	return decodeEntries(name, data, f, idKey, (*Document).ID,
		func(d *docdecode.Decoder, entry docdecode.Doc, doc *Document) { newDocument(d, entry, doc, vs) })
}

// Decode decodes one applicant document, in JSON or YAML, from data into a
// new *T; name names the document in errors, and a name ending in ".json"
// (in any case) makes it strict JSON, any other YAML. For an [Engine], T is
// [Document] and the document is one of the rule set's declared model; for
// an EngineOf the caller's type, Decode is [DecodeFor][T].
//
// Decoding is strict: unknown keys, values of the wrong type, dates not
// written YYYY-MM-DD, numbers that are not finite or not written in decimal
// (020, which YAML reads as octal, 0x1F, 1_000), duplicate keys, an empty
// input and a second YAML document are all errors, each with its path,
// line and column in one [*InputError]. Following YAML aliases is bounded.
// An absent or null section decodes as absent (unknown to rules); an empty
// list as a list of none. Decode checks shape and types, and that a
// required boolean or number (one whose false or 0 no value could tell
// from absence) is given, not null ("is required", [ErrInvalid]); the
// other validation rules (required texts, dates, sections and lists,
// enums, bounds, dates against the evaluation date) apply when the
// applicant is validated or evaluated, and their errors carry the
// document's lines and columns too. It never panics.
func (e *EngineOf[T]) Decode(name string, data []byte) (*T, error) {
	return e.decodeOne(name, data, formatOf(name))
}

// DecodeAll decodes a batch of applicant documents from data, as Decode
// decodes one: either a single JSON or YAML list of applicants, or a
// stream of YAML documents separated by "---", each one applicant. In a
// list, paths start with the entry's index, as in "[2].registration.pin".
// Ids (the model's id field) are unique in a batch: a repeated id is an
// error at its second use.
func (e *EngineOf[T]) DecodeAll(name string, data []byte) ([]*T, error) {
	return e.decodeAll(name, data, formatOf(name))
}

// Read reads one applicant document in format f from r, to its end, and
// decodes it as Decode does; name names the document in errors only (f,
// not its suffix, chooses the format). It reads at most [MaxDocumentSize]
// bytes: a longer input is an [*InputError] wrapping [ErrTooLarge]. An
// error reading r is returned wrapped, not as an InputError.
func (e *EngineOf[T]) Read(name string, r io.Reader, f Format) (*T, error) {
	data, err := readDocument(name, r, f)
	if err != nil {
		return nil, err
	}
	return e.decodeOne(name, data, f)
}

// ReadAll reads a batch of applicant documents in format f from r, to its
// end, and decodes it as DecodeAll does, with Read's limits and errors:
// the whole batch is at most [MaxDocumentSize] bytes.
func (e *EngineOf[T]) ReadAll(name string, r io.Reader, f Format) ([]*T, error) {
	data, err := readDocument(name, r, f)
	if err != nil {
		return nil, err
	}
	return e.decodeAll(name, data, f)
}

func (e *EngineOf[T]) decodeOne(name string, data []byte, f Format) (*T, error) {
	if !e.documents {
		return decodeOneFor[T](name, data, f)
	}
	doc, err := decodeDocument(name, data, f, e.validator.values, e.id)
	if err != nil {
		return nil, err
	}
	return any(doc).(*T), nil
}

func (e *EngineOf[T]) decodeAll(name string, data []byte, f Format) ([]*T, error) {
	if !e.documents {
		return decodeBatchFor[T](name, data, f)
	}
	docs, err := decodeDocuments(name, data, f, e.validator.values)
	if err != nil {
		return nil, err
	}
	return any(docs).([]*T), nil
}

// errDocumentType is NewFor's error for T = Document, whose model only a
// rule set can give.
var errDocumentType = errors.New("eligibility: NewFor[Document]: a Document's model is the rule set's: build the engine with New")

// newForModel builds an engine deciding Documents of the model set
// declares.
func newForModel(set *rules.Set, opts []Option) (*EngineOf[Document], error) {
	if set == nil {
		return nil, errors.New("eligibility: New with a nil rule set")
	}
	model, err := rules.ModelType(set)
	if err != nil {
		return nil, fmt.Errorf("eligibility: New: %w: %w", ErrModel, err)
	}
	if model == nil {
		return nil, fmt.Errorf("eligibility: New: %w: rule set %s declares no applicant model (its model key); decide a Go type of your own with NewFor", ErrModel, set.Name)
	}
	if err := docdecode.Check(model); err != nil {
		return nil, fmt.Errorf("eligibility: New: %w: %v", ErrModel, err)
	}
	e := &EngineOf[Document]{}
	e.documents = true
	box := func(p unsafe.Pointer) any { return reflect.NewAt(model, p).Interface() }
	if err := e.init(set, model, box, opts); err != nil {
		return nil, err
	}
	return e, nil
}
