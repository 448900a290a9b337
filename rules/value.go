package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of a Value.
type Kind uint8

// The kinds of value a rule can observe.
const (
	KindNull   Kind = iota // no value: absent data, a nil pointer or list
	KindBool               // true or false
	KindInt                // a whole number (expr's int)
	KindFloat              // a number (expr's float64)
	KindText               // a string
	KindDate               // a point in time, normally a date at midnight UTC
	KindList               // a list of values
	KindRecord             // a struct: named fields, in declaration order
)

var kindNames = [...]string{"null", "bool", "int", "float", "text", "date", "list", "record"}

// String returns the kind's name: "null", "bool", "int", "float", "text",
// "date", "list" or "record".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is a value a rule observed, such as the two sides of a comparison
// or a fact: a number, a text, a date, a truth value, a list or a record.
//
// A Value is immutable and owns what it holds: nothing that made it (an
// evaluation, the applicant it read, a reused Run) can change it later, so
// a Value may be kept, copied and shared between goroutines freely. The
// zero Value is null.
//
// A Value is four words: decisions hold many, so it keeps its kind, and
// what does not fit in a number or a text, behind one pointer.
type Value struct {
	ref  *valueExt // nil for null; scalars share one per kind
	bits uint64    // KindBool: 0 or 1; KindInt: the int; KindFloat: its IEEE 754 bits; KindDate: Unix seconds
	text string    // KindText
}

// valueExt is a Value's kind and what does not fit in its words. It is
// never written after the Value is made.
type valueExt struct {
	kind  Kind
	nsec  int32    // KindDate: the nanoseconds within the second
	items []Value  // KindList: the elements; KindRecord: the fields' values
	names []string // KindRecord: the name of each field
}

// scalars are the shared valueRefs of the kinds that need nothing more.
var scalars = [...]valueExt{KindBool: {kind: KindBool}, KindInt: {kind: KindInt},
	KindFloat: {kind: KindFloat}, KindText: {kind: KindText}, KindDate: {kind: KindDate}}

func boolValue(b bool) Value {
	v := Value{ref: &scalars[KindBool]}
	if b {
		v.bits = 1
	}
	return v
}

func intValue(n int) Value          { return Value{ref: &scalars[KindInt], bits: uint64(n)} }
func floatValue(f float64) Value    { return Value{ref: &scalars[KindFloat], bits: math.Float64bits(f)} }
func textValue(s string) Value      { return Value{ref: &scalars[KindText], text: s} }
func listValue(items []Value) Value { return Value{ref: &valueExt{kind: KindList, items: items}} }

func dateValue(t time.Time) Value {
	t = t.UTC()
	v := Value{ref: &scalars[KindDate], bits: uint64(t.Unix())}
	if ns := t.Nanosecond(); ns != 0 {
		v.ref = &valueExt{kind: KindDate, nsec: int32(ns)}
	}
	return v
}

// ValueOf returns v as a Value, copying what it holds: nil (and a nil
// pointer, slice or map) is null; booleans, integers, floating-point
// numbers, strings and time.Time are themselves; a pointer is what it
// points at; slices and arrays are lists; a struct is a record of its
// exported fields, each named by its `expr` tag, else its `json` tag, else
// its Go name (a tag of "-" leaves the field out); a map with string keys
// is a record sorted by key. Anything else (functions, channels) is its
// fmt.Sprint text.
func ValueOf(v any) Value {
	if v == nil {
		return Value{}
	}
	switch x := v.(type) {
	case Value:
		return x
	case bool:
		return boolValue(x)
	case int:
		return intValue(x)
	case float64:
		return floatValue(x)
	case string:
		return textValue(x)
	case time.Time:
		return dateValue(x)
	}
	return valueOfReflect(reflect.ValueOf(v), 0)
}

// maxValueDepth bounds how deep ValueOf follows pointers, so that a
// self-referencing value ends.
const maxValueDepth = 32

var timeType = reflect.TypeFor[time.Time]()

func valueOfReflect(rv reflect.Value, depth int) Value {
	if !rv.IsValid() || depth > maxValueDepth {
		return Value{}
	}
	if rv.Type() == timeType {
		return dateValue(rv.Interface().(time.Time))
	}
	switch rv.Kind() {
	case reflect.Bool:
		return boolValue(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intValue(int(rv.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return intValue(int(rv.Uint()))
	case reflect.Float32, reflect.Float64:
		return floatValue(rv.Float())
	case reflect.String:
		return textValue(rv.String())
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return Value{}
		}
		return valueOfReflect(rv.Elem(), depth+1)
	case reflect.Slice:
		if rv.IsNil() {
			return Value{}
		}
		fallthrough
	case reflect.Array:
		items := make([]Value, rv.Len())
		for i := range items {
			items[i] = valueOfReflect(rv.Index(i), depth+1)
		}
		return listValue(items)
	case reflect.Struct:
		t := rv.Type()
		l := &valueExt{kind: KindRecord}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := fieldName(f)
			if name == "" {
				continue
			}
			l.names = append(l.names, name)
			l.items = append(l.items, valueOfReflect(rv.Field(i), depth+1))
		}
		return Value{ref: l}
	case reflect.Map:
		if rv.IsNil() {
			return Value{}
		}
		if rv.Type().Key().Kind() != reflect.String {
			break
		}
		keys := rv.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		l := &valueExt{kind: KindRecord, names: make([]string, len(keys)), items: make([]Value, len(keys))}
		for i, k := range keys {
			l.names[i] = k.String()
			l.items[i] = valueOfReflect(rv.MapIndex(k), depth+1)
		}
		return Value{ref: l}
	}
	return textValue(fmt.Sprint(rv.Interface()))
}

// fieldName is the name a record shows for a struct field, or "" when it
// shows none.
func fieldName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	for _, key := range []string{"expr", "json"} {
		tag := f.Tag.Get(key)
		if tag == "-" {
			return ""
		}
		if name, _, _ := strings.Cut(tag, ","); name != "" {
			return name
		}
	}
	return f.Name
}

// Kind returns the value's kind.
func (v Value) Kind() Kind {
	if v.ref == nil {
		return KindNull
	}
	return v.ref.kind
}

// IsZero reports whether v is null. (With IsZero, encoding/json's
// `omitzero` leaves a null Value out.)
func (v Value) IsZero() bool { return v.ref == nil }

// Bool returns a KindBool value's truth; false for other kinds.
func (v Value) Bool() bool { return v.Kind() == KindBool && v.bits == 1 }

// Int returns a KindInt value, or a KindFloat value truncated toward zero;
// 0 for other kinds.
func (v Value) Int() int {
	switch v.Kind() {
	case KindInt:
		return int(v.bits)
	case KindFloat:
		return int(v.Float())
	}
	return 0
}

// Float returns a number as a float64 (an int converted); 0 for other
// kinds. Number says whether v is a number.
func (v Value) Float() float64 {
	f, _ := v.Number()
	return f
}

// Number returns a KindInt or KindFloat value as a float64, and whether v
// is one of them.
func (v Value) Number() (float64, bool) {
	switch v.Kind() {
	case KindInt:
		return float64(int(v.bits)), true
	case KindFloat:
		return math.Float64frombits(v.bits), true
	}
	return 0, false
}

// Text returns a KindText value's string; "" for other kinds (String
// formats any value).
func (v Value) Text() string { return v.text }

// Date returns a KindDate value, in UTC; the zero time for other kinds.
func (v Value) Date() time.Time {
	if v.Kind() != KindDate {
		return time.Time{}
	}
	return time.Unix(int64(v.bits), int64(v.ref.nsec)).UTC()
}

// Len returns the number of elements of a list or fields of a record; 0
// for other kinds.
func (v Value) Len() int {
	if v.ref == nil {
		return 0
	}
	return len(v.ref.items)
}

// Index returns element i of a list, or field i of a record. It panics if
// i is out of range, as indexing a slice does.
func (v Value) Index(i int) Value {
	if k := v.Kind(); k != KindList && k != KindRecord {
		panic("rules: Value.Index of a " + k.String())
	}
	return v.ref.items[i]
}

// Fields yields the name and value of each field of a record, in order;
// nothing for other kinds.
func (v Value) Fields() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		if v.Kind() != KindRecord {
			return
		}
		for i, name := range v.ref.names {
			if !yield(name, v.ref.items[i]) {
				return
			}
		}
	}
}

// Any returns v as a new Go value: nil, bool, int, float64, string,
// time.Time, []any (a list) or map[string]any (a record).
func (v Value) Any() any {
	switch v.Kind() {
	case KindBool:
		return v.Bool()
	case KindInt:
		return v.Int()
	case KindFloat:
		return v.Float()
	case KindText:
		return v.text
	case KindDate:
		return v.Date()
	case KindList:
		out := make([]any, v.Len())
		for i, x := range v.ref.items {
			out[i] = x.Any()
		}
		return out
	case KindRecord:
		out := make(map[string]any, v.Len())
		for name, x := range v.Fields() {
			out[name] = x.Any()
		}
		return out
	}
	return nil
}

// Equal reports whether v and w are the same value: the same kind and
// contents (lists and records element by element). An int and a float are
// never equal; a float NaN is equal to itself here, so that two decisions
// can be compared.
func (v Value) Equal(w Value) bool {
	k := v.Kind()
	if k != w.Kind() || v.bits != w.bits || v.text != w.text {
		return false
	}
	switch k {
	case KindDate:
		return v.ref.nsec == w.ref.nsec
	case KindList, KindRecord:
		if v.Len() != w.Len() {
			return false
		}
		for i := range v.Len() {
			if !v.ref.items[i].Equal(w.ref.items[i]) {
				return false
			}
		}
		if k == KindRecord {
			for i, name := range v.ref.names {
				if w.ref.names[i] != name {
					return false
				}
			}
		}
	}
	return true
}

// String formats v for people: null as "none", numbers without trailing
// zeros, a date at midnight UTC as YYYY-MM-DD (other times in RFC 3339),
// texts quoted, lists as [a, b] and records as {name: value, ...}.
func (v Value) String() string { return string(v.AppendString(nil)) }

// AppendString appends String's text of v to b and returns the extended
// buffer: what String returns, without making a string.
func (v Value) AppendString(b []byte) []byte {
	switch v.Kind() {
	case KindNull:
		return append(b, "none"...)
	case KindBool:
		return strconv.AppendBool(b, v.Bool())
	case KindInt:
		return strconv.AppendInt(b, int64(v.Int()), 10)
	case KindFloat:
		return strconv.AppendFloat(b, v.Float(), 'f', -1, 64)
	case KindText:
		return strconv.AppendQuote(b, v.text)
	case KindDate:
		return v.appendDate(b)
	case KindList:
		b = append(b, '[')
		for i, x := range v.ref.items {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = x.AppendString(b)
		}
		return append(b, ']')
	case KindRecord:
		b = append(b, '{')
		for i, name := range v.ref.names {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, name...)
			b = append(b, ": "...)
			b = v.ref.items[i].AppendString(b)
		}
		return append(b, '}')
	}
	return b
}

// appendDate appends a date as YYYY-MM-DD, or in RFC 3339 when it is not
// midnight UTC.
func (v Value) appendDate(b []byte) []byte {
	t := v.Date()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.AppendFormat(b, time.DateOnly)
	}
	return t.AppendFormat(b, time.RFC3339Nano)
}

// ErrNonFinite is the error of a number that is not finite (±Inf or NaN),
// or of integer arithmetic that overflows: it has no JSON form, or not the
// value written, and no rule may decide on one.
var ErrNonFinite = errors.New("a number out of range (infinite or not a number)")

// MarshalJSON writes v in its typed JSON form: null is null; any other
// value is an object whose "type" says its kind and whose other member
// holds it:
//
//	{"type":"boolean","value":true}
//	{"type":"integer","value":48}          an int (KindInt)
//	{"type":"number","value":79.5}         a float64 (KindFloat), even when whole: 80
//	{"type":"text","value":"diploma"}
//	{"type":"date","value":"2026-01-02"}   other than midnight UTC: RFC 3339, "2026-01-02T10:30:00Z"
//	{"type":"list","items":[...]}          each element typed the same way
//	{"type":"record","fields":{"hours":{...},...}}  in field order
//
// Numbers and texts are written as encoding/json writes a float64 or a
// string. UnmarshalJSON reads the same form back to an equal Value (see
// Equal); a text of invalid UTF-8 reads back with U+FFFD in place of the
// bad bytes, as encoding/json writes it. A non-finite number is an error
// wrapping ErrNonFinite; evaluations never produce one (see EvalError).
func (v Value) MarshalJSON() ([]byte, error) {
	return v.AppendJSON(make([]byte, 0, 40))
}

// AppendJSON appends v's JSON form (see MarshalJSON) to b, with <, > and
// & in texts as they are (json.Marshal escapes them as \u003c, \u003e and
// \u0026; an Encoder with SetEscapeHTML(false) does not).
func (v Value) AppendJSON(b []byte) ([]byte, error) {
	var err error
	switch v.Kind() {
	case KindNull:
		return append(b, "null"...), nil
	case KindBool:
		b = append(b, `{"type":"boolean","value":`...)
		b = strconv.AppendBool(b, v.Bool())
	case KindInt:
		b = append(b, `{"type":"integer","value":`...)
		b = strconv.AppendInt(b, int64(v.Int()), 10)
	case KindFloat:
		f := v.Float()
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("%w: %v", ErrNonFinite, f)
		}
		b = append(b, `{"type":"number","value":`...)
		b = appendJSONFloat(b, f)
	case KindText:
		b = append(b, `{"type":"text","value":`...)
		b = appendJSONString(b, v.text)
	case KindDate:
		b = append(b, `{"type":"date","value":"`...)
		b = v.appendDate(b) // digits, '-', ':', '.', 'T' and 'Z' only
		b = append(b, '"')
	case KindList:
		b = append(b, `{"type":"list","items":[`...)
		for i, x := range v.ref.items {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = x.AppendJSON(b); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	case KindRecord:
		b = append(b, `{"type":"record","fields":{`...)
		for i, name := range v.ref.names {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, name)
			b = append(b, ':')
			if b, err = v.ref.items[i].AppendJSON(b); err != nil {
				return nil, err
			}
		}
		b = append(b, '}')
	default:
		return nil, fmt.Errorf("rules: cannot marshal a value of kind %v", v.Kind())
	}
	return append(b, '}'), nil
}

// valueJSON is the typed JSON form of a non-null Value.
type valueJSON struct {
	Type   string          `json:"type"`
	Value  json.RawMessage `json:"value"`
	Items  *[]Value        `json:"items"`
	Fields json.RawMessage `json:"fields"`
}

// maxValueNesting is how deep the JSON of a Value read back may nest
// (arrays and objects): 32 lists or records within each other. Each level
// reads its part again, so depth bounds the cost of reading.
const maxValueNesting = 64

// UnmarshalJSON reads a Value from its typed JSON form (see MarshalJSON).
// The Value owns its memory: nothing of data is kept. JSON nested more
// than 64 arrays and objects deep (32 lists or records within each other)
// is refused. Its errors wrap ErrValue.
func (v *Value) UnmarshalJSON(data []byte) error {
	err := v.unmarshalJSON(data)
	if err != nil && !errors.Is(err, ErrValue) {
		err = valueError{err}
	}
	return err
}

// valueError is an error of reading a Value: its text as it is, and
// ErrValue beside what it wraps.
type valueError struct{ err error }

func (e valueError) Error() string   { return e.err.Error() }
func (e valueError) Unwrap() []error { return []error{ErrValue, e.err} }

// unmarshalJSON is UnmarshalJSON, its errors not yet wrapping ErrValue.
func (v *Value) unmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		*v = Value{}
		return nil
	}
	if nestedPast(data, maxValueNesting) {
		return fmt.Errorf("rules: a value nested more than %d lists or records deep", maxValueNesting/2)
	}
	var w valueJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("rules: a value: %w", err)
	}
	need := func(what string, present bool) error {
		if !present {
			return fmt.Errorf("rules: a value of type %q without %q", w.Type, what)
		}
		return nil
	}
	hasValue := len(w.Value) > 0 && string(w.Value) != "null"
	switch w.Type {
	case "boolean":
		var x bool
		if err := need("value", hasValue); err != nil {
			return err
		}
		if err := json.Unmarshal(w.Value, &x); err != nil {
			return fmt.Errorf("rules: a boolean value: %w", err)
		}
		*v = boolValue(x)
	case "integer":
		if err := need("value", hasValue); err != nil {
			return err
		}
		n, err := strconv.ParseInt(string(w.Value), 10, 64)
		if err != nil {
			return fmt.Errorf("rules: an integer value: %s is not a whole number in range", w.Value)
		}
		*v = intValue(int(n))
	case "number":
		if err := need("value", hasValue); err != nil {
			return err
		}
		var f float64
		if err := json.Unmarshal(w.Value, &f); err != nil {
			return fmt.Errorf("rules: a number value: %w", err)
		}
		*v = floatValue(f)
	case "text":
		var s string
		if err := need("value", hasValue); err != nil {
			return err
		}
		if err := json.Unmarshal(w.Value, &s); err != nil {
			return fmt.Errorf("rules: a text value: %w", err)
		}
		*v = textValue(s)
	case "date":
		var s string
		if err := need("value", hasValue); err != nil {
			return err
		}
		if err := json.Unmarshal(w.Value, &s); err != nil {
			return fmt.Errorf("rules: a date value: %w", err)
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
				return fmt.Errorf("rules: a date value: %q is neither YYYY-MM-DD nor RFC 3339", s)
			}
		}
		*v = dateValue(t)
	case "list":
		if err := need("items", w.Items != nil); err != nil {
			return err
		}
		items := *w.Items
		if items == nil {
			items = []Value{}
		}
		*v = listValue(items)
	case "record":
		if err := need("fields", len(w.Fields) > 0 && string(w.Fields) != "null"); err != nil {
			return err
		}
		r, err := recordFromJSON(w.Fields)
		if err != nil {
			return err
		}
		*v = r
	case "":
		return errors.New(`rules: a value without "type"`)
	default:
		return fmt.Errorf("rules: a value of unknown type %q", w.Type)
	}
	return nil
}

// recordFromJSON reads a record's fields, an object of typed values, in
// the order they are written.
func recordFromJSON(data []byte) (Value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return Value{}, errors.New(`rules: a record value's "fields" is not an object`)
	}
	l := &valueExt{kind: KindRecord, names: []string{}, items: []Value{}}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return Value{}, fmt.Errorf("rules: a record value: %w", err)
		}
		name := t.(string) // an object's keys are strings
		if slices.Contains(l.names, name) {
			return Value{}, fmt.Errorf("rules: a record value: field %q twice", name)
		}
		var x Value
		if err := dec.Decode(&x); err != nil {
			return Value{}, fmt.Errorf("rules: a record value: field %q: %w", name, err)
		}
		l.names = append(l.names, name)
		l.items = append(l.items, x)
	}
	return Value{ref: l}, nil
}

// appendJSONString appends s as an encoding/json Encoder with
// SetEscapeHTML(false) writes a string: as it is when no character needs
// escaping, else through encoding/json itself. (json.Marshal escapes <, >
// and & in what a MarshalJSON returns.)
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(s) // a string always encodes
			return append(b, bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendJSONFloat appends a finite f as encoding/json writes a float64 (as
// ES6 converts a number to a string): like %g, with other exponent cutoffs
// and unpadded exponents. TestJSONFloatsAsEncodingJSON holds it to
// encoding/json.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 becomes e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// finite reports whether v holds no non-finite number, at any depth.
func (v Value) finite() bool {
	switch v.Kind() {
	case KindFloat:
		f := v.Float()
		return !math.IsInf(f, 0) && !math.IsNaN(f)
	case KindList, KindRecord:
		for _, x := range v.ref.items {
			if !x.finite() {
				return false
			}
		}
	}
	return true
}

// nestedPast reports whether the JSON data nests arrays and objects more
// than limit deep, strings skipped.
func nestedPast(data []byte, limit int) bool {
	depth, inString := 0, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			if depth++; depth > limit {
				return true
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return false
}
