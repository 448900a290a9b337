package eligibility

import (
	"fmt"
	"io"
	"reflect"
	"runtime"
	"sync"
	"unsafe"
	"weak"

	"github.com/eligo-dev/eligo/eligibility/internal/docdecode"
)

// The decoders are named for the type they decode into, as [NewFor] is:
// DecodeFor[Coach] reads as "decode for Coach", and the batch forms say
// All because the caller's type name cannot be made plural for them.

// DecodeFor decodes one document, in JSON or YAML, from data into a new T,
// the caller's struct type; name names the file in errors. A name ending
// in ".json" makes the input strict JSON: what only YAML allows (trailing
// commas, single quotes, comments) is a syntax error. [ReadFor] takes the
// format explicitly, from an [io.Reader], with a size limit.
//
// Decoding is strict: unknown keys, values of the wrong type, dates not
// written YYYY-MM-DD, numbers that are not finite or not written in
// decimal (020, which YAML reads as octal, 0x1F, 0o17, 0b11, 1_000),
// duplicate keys, an empty input and a second YAML document are all
// errors. Following YAML aliases is bounded: past twice the document's
// bytes plus 10,000 values, decoding stops with an [ErrSyntax]. An absent
// or null section decodes to a nil pointer or slice (unknown); an empty
// list decodes to a non-nil empty slice. DecodeFor checks shape and
// types, and that a bool or number field tagged `eligo:"required"` is
// given, not null ("is required", [ErrInvalid]): no value could tell its
// false or 0 from absence. The validate tags (required, enums, ranges,
// dates from 1900-01-01 to 9999-12-31 and against the evaluation date)
// are applied when the value is evaluated or validated.
//
// On failure it returns nil and an [*InputError] holding every problem
// found, each with its path, line and column. YAML syntax errors carry
// only the line the YAML parser reports, which may be one line early; JSON
// syntax errors carry the exact position. It never panics.
//
// A field's document key is the name in its yaml tag or, when it has none,
// in its json tag; a field with neither tag, or tagged "-", is not in
// documents. Fields may be strings, booleans, integers, floating-point
// numbers, time.Time (a date YYYY-MM-DD), structs, pointers to and slices
// of these; an embedded struct is a field like any other, under its own
// key, never inlined. A T holding a field of another type (a map, an
// interface), or an eligo:"required" field that is no bool or number, is
// refused before data is read, with an error wrapping [ErrModel].
//
// The *T returned remembers where each of its values stands in the
// document, so that the problems [EngineOf.Evaluate] and
// [EngineOf.Validate] find in it carry a line and column. They are kept
// in a side table keyed weakly by the *T: an entry costs
// nothing to look up until validation finds a problem, and goes when the
// value is collected. They belong to that pointer: a copy of the value
// (*p assigned elsewhere) validates without positions, and a value whose
// fields are changed after decoding keeps the positions of its paths.
func DecodeFor[T any](name string, data []byte) (*T, error) {
	return decodeOneFor[T](name, data, formatOf(name))
}

// DecodeAllFor decodes a batch of documents into new T values: either a
// single JSON or YAML list, or a stream of YAML documents separated by
// "---", each one value. In a list, paths start with the entry's index, as
// in "[2].sessions[0].hours". In a stream, a YAML alias reaches only
// anchors of its own document: an alias naming another document's anchor
// is an [ErrSyntax] where it stands. Ids, read as [EngineOf] reads them
// (the field tagged `eligo:"id"`, else the one rules see as id), are
// unique in a batch: a repeated id is an error at its second use.
// Otherwise it behaves as [DecodeFor].
func DecodeAllFor[T any](name string, data []byte) ([]*T, error) {
	return decodeBatchFor[T](name, data, formatOf(name))
}

// ReadFor reads one document in format f from r, to its end, and decodes
// it into a new T as [DecodeFor] does; name names the document in errors
// only (its suffix does not choose the format, f does). It reads at most
// [MaxDocumentSize] bytes: a longer input is an [*InputError] wrapping
// [ErrTooLarge]. An error reading r is returned wrapped, not as an
// InputError. A Format other than YAML or JSON, or a T documents cannot
// decode into, is an error before r is read.
func ReadFor[T any](name string, r io.Reader, f Format) (*T, error) {
	if err := checkDecodable[T](); err != nil {
		return nil, err
	}
	data, err := readDocument(name, r, f)
	if err != nil {
		return nil, err
	}
	return decodeOneFor[T](name, data, f)
}

// ReadAllFor reads a batch of documents in format f from r, to its end,
// and decodes it into new T values as [DecodeAllFor] does. Its limits and
// errors are ReadFor's: the whole batch is at most [MaxDocumentSize]
// bytes. A larger batch is better kept as one document per value, each
// read with ReadFor and decided with [KeyedDecisions] as it is read.
func ReadAllFor[T any](name string, r io.Reader, f Format) ([]*T, error) {
	if err := checkDecodable[T](); err != nil {
		return nil, err
	}
	data, err := readDocument(name, r, f)
	if err != nil {
		return nil, err
	}
	return decodeBatchFor[T](name, data, f)
}

// checkDecodable refuses a T documents cannot decode into.
func checkDecodable[T any]() error {
	t := reflect.TypeFor[T]()
	if err := docdecode.Check(t); err != nil {
		return fmt.Errorf("eligibility: decoding into %s: %w: %v", t, ErrModel, err)
	}
	return nil
}

// decodeOneFor decodes one document in format f into a new T.
func decodeOneFor[T any](name string, data []byte, f Format) (*T, error) {
	if err := checkDecodable[T](); err != nil {
		return nil, err
	}
	v, err := decodeSingle(name, data, f, valuesFor(reflect.TypeFor[T](), false))
	if err != nil {
		return nil, err
	}
	return v.Interface().(*T), nil
}

// decodeBatchFor decodes a batch of documents in format f into new T values.
func decodeBatchFor[T any](name string, data []byte, f Format) ([]*T, error) {
	if err := checkDecodable[T](); err != nil {
		return nil, err
	}
	t := reflect.TypeFor[T]()
	id := idOf(t)
	idKey := ""
	if sf, ok := idField(t); ok {
		idKey, _ = docdecode.Key(sf)
	}
	return decodeEntries(name, data, f, idKey, func(v *T) string { return id(unsafe.Pointer(v)) },
		func(d *docdecode.Decoder, entry docdecode.Doc, v *T) {
			rememberPositions(unsafe.Pointer(v), unsafe.Sizeof(*v), &docPositions{entries: d.Decode(entry, reflect.ValueOf(v))})
		})
}

// decodedPositions is the side table of where the values of each T that
// DecodeFor and its kin decoded stand in their documents. It is keyed by a weak pointer to the value, so that it
// keeps no value alive: a cleanup drops the entry once the value is
// collected. It is the package's one piece of shared state, written once
// per decoded value and read only when validation reports a problem.
var decodedPositions struct {
	sync.Mutex
	m map[weak.Pointer[byte]]*docPositions
}

// rememberPositions records pos as the positions of
// the value at p, a new *T of non-zero size (a zero-size value has no
// fields, so no positions, and may share its address).
func rememberPositions(p unsafe.Pointer, size uintptr, pos *docPositions) {
	if (pos.model == nil && len(pos.entries) == 0) || size == 0 {
		return
	}
	ptr := (*byte)(p)
	key := weak.Make(ptr)
	decodedPositions.Lock()
	if decodedPositions.m == nil {
		decodedPositions.m = make(map[weak.Pointer[byte]]*docPositions)
	}
	decodedPositions.m[key] = pos
	decodedPositions.Unlock()
	runtime.AddCleanup(ptr, forgetPositions, key)
}

func forgetPositions(key weak.Pointer[byte]) {
	decodedPositions.Lock()
	delete(decodedPositions.m, key)
	decodedPositions.Unlock()
}

// positionsAt returns the positions recorded for the value at p, or nil.
func positionsAt(p unsafe.Pointer) *docPositions {
	if p == nil {
		return nil
	}
	key := weak.Make((*byte)(p))
	decodedPositions.Lock()
	defer decodedPositions.Unlock()
	return decodedPositions.m[key]
}

// docValues makes the values that documents of one type decode into, and
// keeps, for validation's errors, where each value's document put its
// parts: for the values of an Engine's Documents, which are all the
// engine's to allocate, in the value's own memory, in a field after the
// model's; for a value of the caller's type, which the caller may make
// too, in the side table (rememberPositions).
type docValues struct {
	model reflect.Type
	// alloc is what new allocates: struct{Values model; Positions
	// *docPositions}, its first field at offset 0; nil for the side table.
	alloc reflect.Type
	at    uintptr // the Positions field's offset in alloc
}

// valuesFor returns the docValues of model: with documents, for the
// Documents of an Engine over the model the rule set declares; else for a
// caller's Go type.
func valuesFor(model reflect.Type, documents bool) docValues {
	vs := docValues{model: model}
	if documents {
		alloc := reflect.StructOf([]reflect.StructField{
			{Name: "Values", Type: model},
			{Name: "Positions", Type: reflect.TypeFor[*docPositions]()},
		})
		if alloc.Field(0).Offset == 0 { // as StructOf lays out (TestDeclaredEngineValidates)
			vs.alloc, vs.at = alloc, alloc.Field(1).Offset
		}
	}
	return vs
}

// new returns a pointer to a new zero value of the model.
func (vs docValues) new() reflect.Value {
	if vs.alloc == nil {
		return reflect.New(vs.model)
	}
	return reflect.NewAt(vs.model, reflect.New(vs.alloc).UnsafePointer())
}

// keep records pos as the positions of v, a value new made.
func (vs docValues) keep(v reflect.Value, pos *docPositions) {
	if vs.alloc == nil {
		rememberPositions(v.UnsafePointer(), vs.model.Size(), pos)
		return
	}
	*(**docPositions)(unsafe.Add(v.UnsafePointer(), vs.at)) = pos
}

// positions returns the positions recorded for the value at p, one new
// made, or nil.
func (vs docValues) positions(p unsafe.Pointer) *docPositions {
	if vs.alloc == nil || p == nil {
		return positionsAt(p)
	}
	return *(**docPositions)(unsafe.Add(p, vs.at))
}
