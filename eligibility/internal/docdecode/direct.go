package docdecode

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/eligo-dev/eligo/rules/file"
)

// DecodeJSON decodes data, one JSON document, straight into the struct v
// points at, which must hold its zero value, without building the
// document's tree, keeping its positions or naming its paths: the fast way
// for the usual document, well-formed and valid. It takes only what it
// is sure of: a document that fastJSON would read, that Decode would
// decode without a problem, and that it can read without the tree (no
// escapes in strings, nesting at most maxDirectDepth deep). On anything
// else it reports false, leaving v part-decoded, and the caller decodes a
// new value the usual way (New, Documents, Decode), which finds and words
// the problems. On success v holds what Decode would give it, and text is
// the document as a string, which v's strings share (as Decoder.Text).
// TestDecodeJSON and FuzzDecodeJSON hold it to Decode.
func DecodeJSON(data []byte, v reflect.Value) (text string, ok bool) {
	p := directJSON{data: data, src: string(data)}
	if !p.space() || p.off >= len(data) || data[p.off] != '{' {
		// Not an object: null, the one value Decode would take that
		// the plan does not refuse, is a problem for Decode to word.
		return "", false
	}
	if !p.value(planOf(v.Type().Elem()), v.Elem(), 0) || !p.space() || p.off != len(data) {
		return "", false
	}
	return p.src, true
}

// maxDirectDepth bounds the nesting DecodeJSON reads; deeper documents go
// the usual way. A list's entries are counted before they are read, so
// the work on a document is at most its size times this depth.
const maxDirectDepth = 32

// planKind is what kind of value a plan decodes.
type planKind uint8

const (
	kindNone planKind = iota // a type documents do not decode into
	kindString
	kindBool
	kindFloat
	kindInt
	kindUint
	kindDate
	kindPointer
	kindSlice
	kindStruct
)

// plan is how DecodeJSON decodes a value of one type, worked out once per
// type: what decodeValue finds out about it by reflection at every value.
type plan struct {
	kind   planKind
	elem   *plan        // a pointer's or slice's element
	etype  reflect.Type // a pointer's element type
	empty  reflect.Value
	fields []planField // a struct's, in declaration order
	// required has bit j set for each of a struct's first 64 fields that
	// is required (planField.required); a struct of more has none, and
	// the ways that decode it fast leave it to decodeStruct.
	required    uint64
	anyRequired bool // some field is required
}

type planField struct {
	key   string
	index int
	plan  *plan
	// required: the field is tagged eligo:"required", a number or boolean
	// a document must give, null not taken (see [Required]).
	required bool
}

// plans holds the plan of every type decoded into: by DecodeJSON, by
// tryTree, and for its fields by decodeStruct. A type's plan never
// changes, and types are few (a model's).
var plans sync.Map // reflect.Type → *plan

func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := buildPlan(t, map[reflect.Type]*plan{})
	plans.Store(t, p) // a racing builder's plan is the same
	return p
}

// fieldFrom returns the index in fields of the field of document key key,
// -1 for none, looking from fields[from] on, then from the start: from the
// field after the last one found, keys in the fields' order take one
// comparison each.
func fieldFrom(fields []planField, key string, from int) int {
	for i := from; i < len(fields); i++ {
		if fields[i].key == key {
			return i
		}
	}
	for i := range min(from, len(fields)) {
		if fields[i].key == key {
			return i
		}
	}
	return -1
}

// setDate sets v, a time.Time, to the date s when s is one, written
// YYYY-MM-DD: what decodeDate decodes without a problem.
func setDate(v reflect.Value, s string) bool {
	if !isDateShaped(s) {
		return false
	}
	t, ok := parseDate(s)
	if ok {
		// Through a pointer, as reflect.ValueOf(t) would allocate.
		*v.Addr().Interface().(*time.Time) = t
	}
	return ok
}

func buildPlan(t reflect.Type, building map[reflect.Type]*plan) *plan {
	if p, ok := building[t]; ok {
		return p // a recursive type
	}
	p := &plan{}
	building[t] = p
	switch k := t.Kind(); {
	case t == timeType:
		p.kind = kindDate
	case k == reflect.String:
		p.kind = kindString
	case k == reflect.Bool:
		p.kind = kindBool
	case k == reflect.Float32 || k == reflect.Float64:
		p.kind = kindFloat
	case isInt(k):
		p.kind = kindInt
	case isUint(k):
		p.kind = kindUint
	case k == reflect.Pointer:
		p.kind, p.etype, p.elem = kindPointer, t.Elem(), buildPlan(t.Elem(), building)
	case k == reflect.Slice:
		p.kind, p.empty, p.elem = kindSlice, emptySlice(t), buildPlan(t.Elem(), building)
	case k == reflect.Struct:
		p.kind = kindStruct
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			key, ok := Key(sf)
			if !ok || slices.ContainsFunc(p.fields, func(f planField) bool { return f.key == key }) {
				continue // of two fields of one key, the first has it
			}
			p.fields = append(p.fields, planField{key: key, index: i, plan: buildPlan(sf.Type, building), required: Required(sf)})
		}
		for j, f := range p.fields {
			p.anyRequired = p.anyRequired || f.required
			if f.required && len(p.fields) <= 64 {
				p.required |= 1 << j
			}
		}
	}
	return p
}

// directJSON is DecodeJSON's reader. It follows fastJSON's grammar and
// its refusals, and decodeValue's rules.
type directJSON struct {
	data []byte
	src  string // data as a string; strings are slices of it
	off  int
	values
}

// space skips white space; false at a tab, which fastJSON leaves to the
// YAML parser.
func (p *directJSON) space() bool {
	for p.off < len(p.data) {
		switch p.data[p.off] {
		case ' ', '\n', '\r':
			p.off++
		case '\t':
			return false
		default:
			return true
		}
	}
	return true
}

func (p *directJSON) literal(word string) bool {
	if len(p.data)-p.off < len(word) || p.src[p.off:p.off+len(word)] != word {
		return false
	}
	p.off += len(word)
	return true
}

// value decodes the value at p.off into v, by pl.
func (p *directJSON) value(pl *plan, v reflect.Value, depth int) bool {
	if p.off >= len(p.data) {
		return false
	}
	c := p.data[p.off]
	if c == 'n' {
		// Null means absent: decodeValue leaves the zero value.
		return p.literal("null")
	}
	switch pl.kind {
	case kindString:
		if c != '"' {
			return false
		}
		s, ok := p.str()
		if !ok {
			return false
		}
		v.SetString(s)
		return true
	case kindBool:
		switch {
		case p.literal("true"):
			v.SetBool(true)
		case p.literal("false"):
			v.SetBool(false)
		default:
			return false
		}
		return true
	case kindFloat, kindInt, kindUint:
		return p.number(pl.kind, v)
	case kindDate:
		if c != '"' {
			return false
		}
		s, ok := p.str()
		return ok && setDate(v, s)
	case kindPointer:
		e := p.newValue(pl.etype)
		if !p.value(pl.elem, e.Elem(), depth) {
			return false
		}
		v.Set(e)
		return true
	case kindSlice:
		if c != '[' || depth >= maxDirectDepth {
			return false
		}
		return p.list(pl, v, depth+1)
	case kindStruct:
		if c != '{' || depth >= maxDirectDepth {
			return false
		}
		return p.object(pl, v, depth+1)
	}
	return false
}

// list decodes the array at p.off into the slice v, nil.
func (p *directJSON) list(pl *plan, v reflect.Value, depth int) bool {
	n, ok := p.count()
	if !ok {
		return false
	}
	p.off++
	if !p.space() {
		return false
	}
	if n == 0 {
		if p.off >= len(p.data) || p.data[p.off] != ']' {
			return false
		}
		p.off++
		v.Set(pl.empty)
		return true
	}
	v.Grow(n)
	v.SetLen(n)
	for i := 0; ; i++ {
		if i >= n || p.off >= len(p.data) || p.data[p.off] == 'n' {
			// A null entry is a problem for Decode.
			return false
		}
		if !p.value(pl.elem, v.Index(i), depth) || !p.space() || p.off >= len(p.data) {
			return false
		}
		switch p.data[p.off] {
		case ',':
			p.off++
			if !p.space() {
				return false
			}
			continue
		case ']':
			p.off++
			return i == n-1
		}
		return false
	}
}

// count returns how many entries the array at p.off holds, or false if it
// does not end.
func (p *directJSON) count() (int, bool) {
	i := p.off + 1
	for i < len(p.data) && (p.data[i] == ' ' || p.data[i] == '\n' || p.data[i] == '\r') {
		i++
	}
	if i < len(p.data) && p.data[i] == ']' {
		return 0, true
	}
	n, depth := 1, 0
	for ; i < len(p.data); i++ {
		switch p.data[i] {
		case '"':
			for i++; i < len(p.data) && p.data[i] != '"'; i++ {
				if p.data[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			depth++
		case ']', '}':
			if depth == 0 {
				return n, true
			}
			depth--
		case ',':
			if depth == 0 {
				n++
			}
		}
	}
	return 0, false
}

// object decodes the object at p.off into the struct v.
func (p *directJSON) object(pl *plan, v reflect.Value, depth int) bool {
	p.off++
	if !p.space() {
		return false
	}
	if p.off < len(p.data) && p.data[p.off] == '}' {
		p.off++
		return !pl.anyRequired
	}
	var seen uint64 // the fields decoded, for a struct of at most 64
	var seenMore []bool
	if len(pl.fields) > 64 {
		seenMore = make([]bool, len(pl.fields))
	}
	for {
		if p.off >= len(p.data) || p.data[p.off] != '"' {
			return false
		}
		keyAt := p.off
		key, ok := p.str()
		if !ok {
			return false
		}
		j := fieldFrom(pl.fields, key, 0)
		if j < 0 {
			return false // an unknown key
		}
		if seenMore != nil {
			if seenMore[j] {
				return false
			}
			seenMore[j] = true
		} else {
			if seen&(1<<j) != 0 {
				return false // a duplicate key
			}
			seen |= 1 << j
		}
		// The YAML parser takes a key (of a YAML document written as
		// JSON) only on the line of its ':', and at most 1,024
		// characters before it.
		for p.off < len(p.data) && p.data[p.off] == ' ' {
			p.off++
		}
		if p.off >= len(p.data) || p.data[p.off] != ':' || p.off-keyAt > maxYAMLKey {
			return false
		}
		p.off++
		f := &pl.fields[j]
		if !p.space() || f.required && p.off < len(p.data) && p.data[p.off] == 'n' {
			return false // a required field given null: decodeStruct words it
		}
		if !p.value(f.plan, v.Field(f.index), depth) || !p.space() || p.off >= len(p.data) {
			return false
		}
		switch p.data[p.off] {
		case ',':
			p.off++
			if !p.space() {
				return false
			}
			continue
		case '}':
			p.off++
			return givesRequired(pl, seen, seenMore)
		}
		return false
	}
}

// givesRequired reports whether an object of plan pl whose keys seen (its
// fields' bits), or seenMore (a struct of more than 64 fields), marks as
// given gives every required field.
func givesRequired(pl *plan, seen uint64, seenMore []bool) bool {
	if seenMore == nil {
		return seen&pl.required == pl.required
	}
	for j, f := range pl.fields {
		if f.required && !seenMore[j] {
			return false
		}
	}
	return true
}

// str reads a string without escapes at p.off, as a slice of p.src,
// refusing what fastJSON refuses.
func (p *directJSON) str() (string, bool) {
	i := p.off + 1
	for i < len(p.data) {
		c := p.data[i]
		switch {
		case c == '"':
			s := p.src[p.off+1 : i]
			p.off = i + 1
			return s, true
		case c == '\\' || c < 0x20 || c == 0x7f:
			return "", false
		case c < 0x7f:
			i++
		default:
			r, size := utf8.DecodeRune(p.data[i:])
			if r == utf8.RuneError && size <= 1 || !file.YAMLPrintable(r) || r == 0x85 || r == 0x2028 || r == 0x2029 {
				return "", false
			}
			i += size
		}
	}
	return "", false
}

// number decodes a JSON number into v, of kind k, as fastJSON tags it and
// decodeValue decodes it: through float64, an integer first.
func (p *directJSON) number(k planKind, v reflect.Value) bool {
	start, i := p.off, p.off
	digits := func() bool {
		j := i
		for i < len(p.data) && p.data[i] >= '0' && p.data[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(p.data) && p.data[i] == '-' {
		i++
	}
	if i < len(p.data) && p.data[i] == '0' {
		i++
	} else if !digits() {
		return false
	}
	if i < len(p.data) && p.data[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(p.data) && (p.data[i] == 'e' || p.data[i] == 'E') {
		i++
		if i < len(p.data) && (p.data[i] == '+' || p.data[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	text := p.src[start:i]
	p.off = i
	var f float64
	if strings.ContainsAny(text, ".eE") {
		x, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return false
		}
		f = x
	} else if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		f = float64(n)
	} else if u, err := strconv.ParseUint(text, 10, 64); err == nil {
		f = float64(u)
	} else if x, err := strconv.ParseFloat(text, 64); err == nil {
		f = x
	} else {
		return false
	}
	return setNumber(k, v, f, text)
}

// setNumber sets v, of kind k, to the finite number f, written text, as
// decodeValue would; false where decodeValue finds a problem (a fraction
// for a whole number, a number out of v's range). A whole number written
// as one (wholeText) is read from text, exactly: f, a float64, holds
// whole numbers exactly only up to 2^53.
func setNumber(k planKind, v reflect.Value, f float64, text string) bool {
	if (k == kindInt || k == kindUint) && wholeText(text) {
		return setWhole(v, text)
	}
	switch k {
	case kindFloat:
		if v.OverflowFloat(f) {
			return false
		}
		v.SetFloat(f)
	case kindInt:
		if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 || v.OverflowInt(int64(f)) {
			return false
		}
		v.SetInt(int64(f))
	case kindUint:
		if f != math.Trunc(f) || f < 0 || f >= math.MaxUint64 || v.OverflowUint(uint64(f)) {
			return false
		}
		v.SetUint(uint64(f))
	}
	return true
}

// wholeText reports whether s is a whole number written in decimal
// digits, with an optional sign: no fraction, no exponent.
func wholeText(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// setWhole sets v, an integer of any size or sign, to the whole number
// s (wholeText), exactly; false when v cannot hold it.
func setWhole(v reflect.Value, s string) bool {
	if isUint(v.Kind()) {
		n, err := strconv.ParseUint(strings.TrimPrefix(s, "+"), 10, 64)
		if err != nil || v.OverflowUint(n) {
			return false
		}
		v.SetUint(n)
		return true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v.OverflowInt(n) {
		return false
	}
	v.SetInt(n)
	return true
}
