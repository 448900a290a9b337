package eligibility

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/view"
)

// InputDigest returns the digest of applicant a: "sha256:" and the hex
// SHA-256 of a's canonical form, which [EngineOf.Compact] records and
// [EngineOf.Expand] checks. It is the same for the same applicant however
// it came in: YAML or JSON, reformatted, keys in any order, a date
// written with or without quotes, a number as 80 or 80.0, and for a
// [Document] of a declared model and a value of a Go type whose fields
// have the same document keys and values.
//
// The canonical form is the applicant as decoded, not the document's
// bytes: a JSON object of every field rules can see, by its document key
// (its json key, else the name rules see, as validation errors name
// it), keys sorted; sections and
// list entries likewise, lists in order. An absent section, list or
// value (a nil pointer, slice or map) is left out; an empty list is [];
// a field that is no pointer is always written, its zero value included
// (a document that leaves out verified: false and one that writes it are
// the same applicant). Numbers are written as the shortest decimal that
// reads back as the same float64 (80, 79.5), dates at midnight UTC as
// "YYYY-MM-DD" and other times in RFC 3339 in UTC.
//
// Personal data is left out: a field rules cannot see (personal: true
// in a declared model, `expr:"-"` on a Go type, such as a name) is no
// part of the canonical form, so the digest covers exactly what a
// decision can rest on and a corrected name does not make a stored
// decision unexpandable. Unexported fields are left out too.
//
// A nil a is an *InputError; a Document of another model an error wrapping
// [ErrModel].
func (e *EngineOf[T]) InputDigest(a *T) (string, error) {
	if a == nil {
		return "", errNilApplicant()
	}
	p, err := e.at(unsafe.Pointer(a))
	if err != nil {
		return "", err
	}
	return e.inputDigest(p)
}

// inputDigest is InputDigest of the model value at p.
func (e *engine) inputDigest(p unsafe.Pointer) (string, error) {
	b, err := canonical(nil, reflect.NewAt(e.model, p).Elem(), 0)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// maxCanonicalDepth bounds how deep canonical follows pointers, so that
// a value that refers to itself ends, with an error.
const maxCanonicalDepth = 64

var errCanonicalDepth = errors.New("eligibility: input digest: the applicant nests more than 64 levels deep")

// canonical appends the canonical form of v (see InputDigest) to b. v is
// not nil: the caller leaves out what is absent.
func canonical(b []byte, v reflect.Value, depth int) ([]byte, error) {
	if depth > maxCanonicalDepth {
		return nil, errCanonicalDepth
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time).UTC()
		if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
			return appendString(b, t.Format(time.DateOnly)), nil
		}
		return appendString(b, t.Format(time.RFC3339Nano)), nil
	}
	switch v.Kind() {
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if f != f || f > 1.7976931348623157e308 || f < -1.7976931348623157e308 {
			// Not a JSON number; validation normally refuses it.
			return appendString(b, strconv.FormatFloat(f, 'g', -1, 64)), nil
		}
		if f == 0 {
			f = 0 // -0 reads as 0
		}
		return strconv.AppendFloat(b, f, 'g', -1, 64), nil
	case reflect.String:
		return appendString(b, v.String()), nil
	case reflect.Pointer, reflect.Interface:
		return canonical(b, v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		b = append(b, '[')
		for i := range v.Len() {
			if i > 0 {
				b = append(b, ',')
			}
			ev := v.Index(i)
			if absent(ev) {
				b = append(b, "null"...)
				continue
			}
			var err error
			if b, err = canonical(b, ev, depth+1); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case reflect.Map:
		keys := make([]string, 0, v.Len())
		vals := map[string]reflect.Value{}
		for it := v.MapRange(); it.Next(); {
			k := it.Key()
			if k.Kind() != reflect.String {
				continue // no document has such keys
			}
			if !absent(it.Value()) {
				keys = append(keys, k.String())
				vals[k.String()] = it.Value()
			}
		}
		slices.Sort(keys)
		return object(b, keys, func(k string) reflect.Value { return vals[k] }, depth)
	case reflect.Struct:
		t := v.Type()
		type field struct {
			key string
			i   int
		}
		var fs []field
		for i := range t.NumField() {
			f := t.Field(i)
			name, seen := view.Name(f)
			if !seen || absent(v.Field(i)) {
				continue
			}
			if k := documentKey(f); k != "" {
				name = k
			}
			fs = append(fs, field{name, i})
		}
		slices.SortFunc(fs, func(a, b field) int { return strings.Compare(a.key, b.key) })
		keys := make([]string, len(fs))
		byKey := make(map[string]int, len(fs))
		for j, f := range fs {
			keys[j], byKey[f.key] = f.key, f.i
		}
		return object(b, keys, func(k string) reflect.Value { return v.Field(byKey[k]) }, depth)
	}
	// Functions, channels and the like hold no evidence.
	return append(b, "null"...), nil
}

// object appends a JSON object of keys, sorted, and their values.
func object(b []byte, keys []string, value func(string) reflect.Value, depth int) ([]byte, error) {
	b = append(b, '{')
	for j, k := range keys {
		if j > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		var err error
		if b, err = canonical(b, value(k), depth+1); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// absent reports whether v is absent data: a nil pointer, interface, slice
// or map.
func absent(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return v.IsNil()
	}
	return false
}
