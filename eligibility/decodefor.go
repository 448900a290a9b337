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

// The generic decoders are named for the type they decode into, as [NewFor]
// is: DecodeFor[Coach] reads as "decode for Coach", beside DecodeApplicant,
// and the batch forms say All because the caller's type name cannot be
// made plural for them.

// DecodeFor decodes one document, in JSON or YAML, from data into a new T,
// the caller's struct type, as [DecodeApplicant] decodes an [Applicant]:
// with the same strictness, limits and errors, and a format chosen by the
// same rule (a name ending in ".json" is strict JSON). DecodeFor[Applicant]
// is DecodeApplicant.
//
// A field's document key is the name in its yaml tag or, when it has none,
// in its json tag; a field with neither tag, or tagged "-", is not in
// documents. Fields may be strings, booleans, integers, floating-point
// numbers, time.Time (a date YYYY-MM-DD), structs, pointers to and slices
// of these; an embedded struct is a field like any other, under its own
// key, never inlined. A T holding a
// field of another type (a map, an interface) is refused before data is
// read, with an error wrapping [ErrModel].
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

// DecodeAllFor decodes a batch of documents into new T values, as
// [DecodeApplicants] decodes applicants: a single JSON or YAML list, or a
// stream of YAML documents separated by "---". Ids, read as [EngineOf]
// reads them (the field tagged `eligo:"id"`, else the one rules see as
// id), are unique in a batch. Otherwise it behaves as [DecodeFor].
func DecodeAllFor[T any](name string, data []byte) ([]*T, error) {
	return decodeBatchFor[T](name, data, formatOf(name))
}

// ReadFor reads one document in format f from r, to its end, and decodes
// it into a new T as [DecodeFor] does, with [ReadApplicant]'s limits and
// errors: at most [MaxDocumentSize] bytes, name naming the document in
// errors only.
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
// and decodes it into new T values as [DecodeAllFor] does, with
// [ReadApplicants]' limits and errors.
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
	d := newDocDecoder(data, f)
	docs, ok := d.Documents(true)
	if ok && len(docs) == 0 {
		d.Errorf(1, 1, "", docdecode.Syntax, "empty document: want an applicant")
	}
	v := new(T)
	if len(docs) > 0 {
		rememberPositions(unsafe.Pointer(v), unsafe.Sizeof(*v), d.Decode(docs[0], reflect.ValueOf(v)))
	}
	if err := inputError(name, d); err != nil {
		return nil, err
	}
	return v, nil
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
			rememberPositions(unsafe.Pointer(v), unsafe.Sizeof(*v), d.Decode(entry, reflect.ValueOf(v)))
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

// rememberPositions records at, lent by the decoder, as the positions of
// the value at p, a new *T of non-zero size (a zero-size value has no
// fields, so no positions, and may share its address).
func rememberPositions(p unsafe.Pointer, size uintptr, at []docdecode.Position) {
	if len(at) == 0 || size == 0 {
		return
	}
	pos := &docPositions{entries: make([]pathPos, len(at))}
	for i, a := range at {
		pos.entries[i] = pathPos{path: a.Path, line: a.Line, col: a.Column}
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
