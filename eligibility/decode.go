package eligibility

import (
	"bytes"
	"reflect"
	"strings"
	"sync"

	"github.com/eligo-dev/eligo/eligibility/internal/docdecode"
)

// decodeEntries decodes a batch in format f, each entry into a new T by
// decode; idKey is the document key of the id (none: "") that id reads,
// and a repeated id is an error at its second use.
func decodeEntries[T any](name string, data []byte, f Format, idKey string, id func(*T) string, decode func(*docdecode.Decoder, docdecode.Doc, *T)) ([]*T, error) {
	d := newDocDecoder(data, f)
	defer d.Release()
	docs, ok := d.Documents(false)
	if ok && len(docs) == 0 {
		d.Errorf(1, 1, "", docdecode.Syntax, "empty document: want applicants")
	}
	entries := d.Entries(docs)
	values := make([]*T, len(entries))
	first := make(map[string]string, len(entries)) // id -> path of its first entry
	for i, entry := range entries {
		values[i] = new(T)
		decode(d, entry, values[i])
		key := id(values[i])
		if key == "" || idKey == "" {
			continue
		}
		if at, dup := first[key]; dup {
			line, col := d.At(entry, idKey)
			d.Errorf(line, col, joinPath(entry.Path, idKey), docdecode.Invalid, "duplicate applicant id %q: %s has it already", key, joinPath(at, idKey))
			continue
		}
		first[key] = entry.Path
	}
	if err := inputError(name, d); err != nil {
		return nil, err
	}
	return values, nil
}

// joinPath appends a key to a document path.
func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// maxCollected bounds the errors held before sorting; further ones are only counted.
const maxCollected = 10 * maxErrors

// dateLayout is the one date format of applicant documents.
const dateLayout = docdecode.DateLayout

func newDocDecoder(data []byte, f Format) *docdecode.Decoder {
	df := docdecode.YAML
	if f == JSON {
		df = docdecode.JSON
	}
	return docdecode.New(data, df, docdecode.What{A: "an applicant", One: "one applicant"}, maxCollected)
}

// inputError is the *InputError holding d's problems, or nil.
func inputError(source string, d *docdecode.Decoder) error {
	problems, dropped := d.Problems()
	if len(problems) == 0 {
		return nil
	}
	errs := make([]*FieldError, len(problems))
	for i, p := range problems {
		errs[i] = &FieldError{Path: p.Path, Line: p.Line, Column: p.Column, Err: errorKind(p.Kind), Msg: p.Msg}
	}
	return newInputError(source, errs, dropped)
}

// errorKind is the error a kind of decoding problem wraps.
func errorKind(k docdecode.Kind) error {
	switch k {
	case docdecode.Type:
		return ErrType
	case docdecode.UnknownField:
		return ErrUnknownField
	case docdecode.Invalid:
		return ErrInvalid
	}
	return ErrSyntax
}

// docPositions records where the values of a decoded applicant stand in
// its document: entries, or the document they are found in when first
// asked for, since most applicants never are (lazy).
type docPositions struct {
	entries []pathPos // in document order

	// With a model, entries are those of text, in format, decoded as a
	// model, found once by all.
	once   sync.Once
	text   string
	format Format
	model  reflect.Type
}

// lazyPositions are the positions of the one document text, in format f,
// that decoded without a problem into a value of model: found, when first
// asked for, by decoding it again with positions, as decodeSingle would
// have had it failed.
func lazyPositions(text string, f Format, model reflect.Type) *docPositions {
	return &docPositions{text: text, format: f, model: model}
}

// all returns the positions, finding them if they are lazy.
func (p *docPositions) all() []pathPos {
	if p.model != nil {
		p.once.Do(func() { p.entries = positionsIn(p.text, p.format, p.model) })
	}
	return p.entries
}

// positionsIn decodes text, one document that decodes without a problem
// into a value of model, and returns where its values stand.
func positionsIn(text string, f Format, model reflect.Type) []pathPos {
	d := newDocDecoder([]byte(text), f)
	defer d.Release()
	docs, _ := d.Documents(true)
	if len(docs) == 0 {
		return nil
	}
	return d.Decode(docs[0], reflect.New(model))
}

// decodeSingle decodes the one document of data, in format f, into a new
// value of vs's model, a pointer to it, and keeps where its values stand
// (docValues).
// A document is first decoded without positions or paths, the usual case:
// JSON and the usual YAML document straight from its bytes
// (docdecode.DecodeJSON, DecodeYAML); else YAML from its tree
// (TryDecode), which the usual YAML document has built by hand, from
// reused memory, rather than by the YAML parser (docdecode's fastYAML). A YAML document written as a JSON object is tried as JSON
// first: where DecodeJSON takes one, the YAML parser builds the tree
// fastJSON does (FuzzFastJSON), so the value is the same. Only a document
// with a problem is decoded again, to find and word its problems, and
// only a value validation finds a problem in has its positions found
// (lazyPositions).
func decodeSingle(name string, data []byte, f Format, vs docValues) (reflect.Value, error) {
	direct := docdecode.DecodeYAML
	if f == JSON || bytes.HasPrefix(bytes.TrimLeft(data, " \r\n"), []byte("{")) {
		direct = docdecode.DecodeJSON
	}
	v := vs.new()
	if text, ok := direct(data, v); ok {
		vs.keep(v, lazyPositions(text, f, vs.model))
		return v, nil
	}
	d := newDocDecoder(data, f)
	defer d.Release()
	docs, ok := d.Documents(true)
	if ok && len(docs) == 0 {
		d.Errorf(1, 1, "", docdecode.Syntax, "empty document: want an applicant")
	}
	v = vs.new() // direct left v part-decoded
	if len(docs) > 0 {
		if problems, dropped := d.Problems(); len(problems) == 0 && dropped == 0 {
			if d.TryDecode(docs[0], v) {
				vs.keep(v, lazyPositions(d.Text(), f, vs.model))
				return v, nil
			}
			v = vs.new() // the try left v part-decoded
		}
		vs.keep(v, &docPositions{entries: d.Decode(docs[0], v)})
	}
	if err := inputError(name, d); err != nil {
		return reflect.Value{}, err
	}
	return v, nil
}

// pathPos is a value's position, by its path in the applicant's own paths,
// as in "qualifications[0].level": the decoder's Position, kept as it
// gives it.
type pathPos = docdecode.Position

// find returns the position of the value at path or, when the document
// has none there (a missing key), of its nearest enclosing value; ok is
// false when there is neither, or p is nil.
func (p *docPositions) find(path string) (line, col int, ok bool) {
	if p == nil {
		return 0, 0, false
	}
	entries := p.all()
	for {
		for _, e := range entries {
			if e.Path == path {
				return int(e.Line), int(e.Column), true
			}
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			return 0, 0, false
		}
		path = path[:i]
	}
}
