package docdecode

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/eligo-dev/eligo/rules/file"
	"go.yaml.in/yaml/v3"
)

var timeType = reflect.TypeFor[time.Time]()

// decodeValue decodes n into v, whose type is one of the model's, of the
// kinds Check accepts. Recursion
// follows the Go type, not the document, so its depth is bounded by the model's.
func (d *Decoder) decodeValue(n *yaml.Node, v reflect.Value, path string) {
	if d.budget <= 0 || d.failed {
		return
	}
	d.budget--
	if d.budget == 0 {
		d.errorAtNode(n, path, Syntax, "document too large after expanding YAML aliases")
		return
	}
	n = d.resolve(n)
	if n.Kind == yaml.AliasNode {
		if anchor, ok := d.foreign[n]; ok {
			d.errorAtNode(n, path, Syntax, "unknown anchor %q: an alias reaches only anchors of its own document (the anchor at %d:%d is in another)",
				n.Value, anchor.Line, anchor.Column)
			return
		}
		d.errorAtNode(n, path, Syntax, "unresolved YAML alias")
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		// Null means absent: nil for a section or list, the zero value otherwise.
		return
	}
	t := v.Type()
	if t.Kind() != reflect.Pointer && !d.quiet {
		d.at = append(d.at, Position{Path: path, Line: int32(n.Line), Column: int32(n.Column)})
	}
	switch {
	case t == timeType:
		d.decodeDate(n, v, path)
	case t.Kind() == reflect.Pointer:
		p := d.newValue(t.Elem())
		d.decodeValue(n, p.Elem(), path)
		v.Set(p)
	case t.Kind() == reflect.Struct:
		d.decodeStruct(n, v, path)
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.typeError(n, path, "a list")
			return
		}
		// v, addressable and nil, grows its own array: MakeSlice would
		// allocate a slice header too. An empty list is a non-nil empty
		// slice.
		if len(n.Content) == 0 {
			v.Set(emptySlice(t))
			return
		}
		v.Grow(len(n.Content))
		v.SetLen(len(n.Content))
		s := v
		for i, elem := range n.Content {
			elemPath := ""
			if !d.quiet {
				elemPath = path + "[" + strconv.Itoa(i) + "]"
			}
			// A null entry is a mistake, not an entry with nothing known about it.
			if r := d.resolve(elem); r.Kind == yaml.ScalarNode && r.ShortTag() == "!!null" {
				want := "a string"
				if t.Elem().Kind() == reflect.Struct {
					want = "a mapping"
				}
				d.typeError(r, elemPath, want)
				continue
			}
			d.decodeValue(elem, s.Index(i), elemPath)
		}
	case t.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
			if n.Kind == yaml.ScalarNode && n.Style == 0 {
				d.errorAtNode(n, path, Type, "want a string, got %s (quote it: %q)", describe(n), n.Value)
				return
			}
			d.typeError(n, path, "a string")
			return
		}
		v.SetString(n.Value)
	case t.Kind() == reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			d.typeError(n, path, "true or false")
			return
		}
		var b bool
		switch n.Value {
		case "true":
			b = true
		case "false":
		default:
			// Its own variable: one Decode takes the address of
			// escapes, and would cost true and false an allocation.
			var decoded bool
			if err := n.Decode(&decoded); err != nil {
				d.typeError(n, path, "true or false")
				return
			}
			b = decoded
		}
		v.SetBool(b)
	case t.Kind() == reflect.Float64 || t.Kind() == reflect.Float32:
		f, ok := d.number(n, path)
		if !ok {
			return
		}
		if v.OverflowFloat(f) {
			d.errorAtNode(n, path, Type, "want a number of %s, got %s: out of range", t, describe(n))
			return
		}
		v.SetFloat(f)
	case isInt(t.Kind()):
		f, ok := d.number(n, path)
		if !ok {
			return
		}
		if wholeText(n.Value) { // exactly, where f may have rounded it
			if !setWhole(v, n.Value) {
				d.errorAtNode(n, path, Type, "want a whole number of %s, got %s: out of range", t, describe(n))
			}
			return
		}
		if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
			d.typeError(n, path, "a whole number")
			return
		}
		if v.OverflowInt(int64(f)) {
			d.errorAtNode(n, path, Type, "want a whole number of %s, got %s: out of range", t, describe(n))
			return
		}
		v.SetInt(int64(f))
	case isUint(t.Kind()):
		f, ok := d.number(n, path)
		if !ok {
			return
		}
		if wholeText(n.Value) && setWhole(v, n.Value) {
			return
		}
		if f != math.Trunc(f) || f < 0 || f >= math.MaxUint64 || v.OverflowUint(uint64(f)) {
			d.typeError(n, path, fmt.Sprintf("a whole number from 0 to the most %s holds", t))
			return
		}
		v.SetUint(uint64(f))
	default:
		// A field type Check rejects.
		d.errorAtNode(n, path, Type, "cannot decode into %s", t)
	}
}

// emptySlices holds a non-nil empty slice of each slice type decoded:
// what an empty list decodes to, shared, as it holds nothing.
var emptySlices sync.Map // reflect.Type → reflect.Value

func emptySlice(t reflect.Type) reflect.Value {
	if s, ok := emptySlices.Load(t); ok {
		return s.(reflect.Value)
	}
	s := reflect.MakeSlice(t, 0, 0)
	emptySlices.Store(t, s)
	return s
}

// dateSlab is how many dates newValue allocates at once.
const dateSlab = 8

// values makes the new values of pointer fields (newValue). Its zero
// value is ready to use; a decoder of one goroutine holds one.
type values struct {
	dates []time.Time // what is left of the slab dates come from
}

// newValue returns a pointer to a new zero value of t, for a pointer
// field. Dates, the most numerous, come from slabs of dateSlab: one
// allocation for several dates, each its own element of it (the values
// share the allocation, never a date).
func (vs *values) newValue(t reflect.Type) reflect.Value {
	if t != timeType {
		return reflect.New(t)
	}
	if len(vs.dates) == 0 {
		vs.dates = make([]time.Time, dateSlab)
	}
	p := &vs.dates[0]
	vs.dates = vs.dates[1:]
	return reflect.ValueOf(p)
}

// number decodes a finite number.
func (d *Decoder) number(n *yaml.Node, path string) (float64, bool) {
	if n.Kind != yaml.ScalarNode {
		d.typeError(n, path, "a number")
		return 0, false
	}
	tag := n.ShortTag()
	if tag != "!!int" && tag != "!!float" {
		d.typeError(n, path, "a number")
		return 0, false
	}
	f, ok := decimalValue(tag, n.Value)
	if !ok && isDecimal(n.Value) {
		// Written in decimal, yet no float64: beyond its range.
		d.errorAtNode(n, path, Type, "want a finite number, got %s, out of range", describe(n))
		return 0, false
	}
	if !ok {
		var decoded float64 // escapes: f would too (see the bool case)
		if err := n.Decode(&decoded); err != nil {
			d.typeError(n, path, "a number")
			return 0, false
		}
		f = decoded
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.typeError(n, path, "a finite number")
		return 0, false
	}
	if problem := notDecimal(n.Value, f); problem != "" {
		d.errorAtNode(n, path, Type, "want a decimal number, got %s: %s", describe(n), problem)
		return 0, false
	}
	return f, true
}

// decimalNumber is how a number is written in a document:
// decimal, with an optional sign, fraction and exponent, as in 20, -1,
// 2.5, .5 or 1e3; no leading zero.
var decimalNumber = regexp.MustCompile(`^[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$`)

// notDecimal says what is wrong with a number written as s, which YAML read
// as f, when it is not written in decimal; "" when it is. YAML reads 020 as
// octal 16, and 0x1F, 0o17, 0b11 and 1_000 as numbers too, where a person
// means, or a reader expects, decimal: documents write numbers in decimal.
func notDecimal(s string, f float64) string {
	if isDecimal(s) {
		return ""
	}
	sign, digits := "", s
	if s != "" && (s[0] == '-' || s[0] == '+') {
		sign, digits = s[:1], s[1:]
	}
	if sign == "+" {
		sign = ""
	}
	lower := strings.ToLower(digits)
	switch {
	case strings.HasPrefix(lower, "0x") || strings.HasPrefix(lower, "0o") || strings.HasPrefix(lower, "0b"):
		return "hexadecimal, octal and binary numbers are not allowed; write " + strconv.FormatFloat(f, 'f', -1, 64)
	case strings.Contains(digits, "_"):
		return "digit separators (_) are not allowed; write " + sign + strings.ReplaceAll(digits, "_", "")
	case len(digits) > 1 && digits[0] == '0':
		intended := strings.TrimLeft(digits, "0")
		if intended == "" || intended[0] == '.' || intended[0] == 'e' || intended[0] == 'E' {
			intended = "0" + intended
		}
		octal := ""
		if strings.Trim(digits, "01234567") == "" {
			octal = " (YAML reads it as octal)"
		}
		return "a leading zero is not allowed" + octal + "; write " + sign + intended
	}
	return "write it in decimal, such as 20 or 2.5"
}

// isDecimal reports whether s matches decimalNumber, without the
// regular expression's cost: documents hold many numbers.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	switch {
	case i < len(s) && s[i] == '.':
		i++
		if digits() == 0 {
			return false
		}
	case i < len(s) && s[i] == '0':
		i++
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		digits()
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	default:
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// decimalValue is the number a decimal s tagged tag (!!int or !!float)
// stands for, as the YAML decoder would give it (an int converted, so -0
// is 0), without its reflection; false for anything but a plain decimal,
// which the YAML decoder is left to read.
func decimalValue(tag, s string) (float64, bool) {
	if !isDecimal(s) {
		return 0, false
	}
	if tag == "!!int" {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return float64(i), true
		}
		if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			return float64(u), true
		}
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// DateLayout is the one date format of documents: a time.Time field
// decodes from YYYY-MM-DD to midnight UTC.
const DateLayout = "2006-01-02"

// decodeDate decodes a YYYY-MM-DD date to midnight UTC.
func (d *Decoder) decodeDate(n *yaml.Node, v reflect.Value, path string) {
	const want = "a date YYYY-MM-DD"
	tag := n.ShortTag()
	if n.Kind != yaml.ScalarNode || (tag != "!!str" && tag != "!!timestamp") {
		d.typeError(n, path, want)
		return
	}
	if !isDateShaped(n.Value) {
		d.typeError(n, path, want)
		return
	}
	t, ok := parseDate(n.Value)
	if !ok {
		d.errorAtNode(n, path, Type, "want %s, got %s: not a calendar date", want, describe(n))
		return
	}
	// Through a pointer, as reflect.ValueOf(t) would allocate.
	*v.Addr().Interface().(*time.Time) = t
}

// parseDate is time.Parse(DateLayout, s) of a date-shaped s (isDateShaped),
// without its generality: a date at midnight UTC, or false for a month or
// day out of range. TestParseDate holds it to time.Parse.
func parseDate(s string) (time.Time, bool) {
	y, m, d, ok := dateOf(s)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}

// dateOf is the year, month and day of a date-shaped s (isDateShaped), and
// whether they make a calendar date: what parseDate checks, without making
// the time.Time.
func dateOf(s string) (y, m, d int, ok bool) {
	num := func(s string) int {
		n := 0
		for i := 0; i < len(s); i++ {
			n = 10*n + int(s[i]-'0')
		}
		return n
	}
	y, m, d = num(s[:4]), num(s[5:7]), num(s[8:10])
	return y, m, d, m >= 1 && m <= 12 && d >= 1 && d <= daysIn(time.Month(m), y)
}

// daysIn is the number of days of month m (1 to 12) of year y, in the
// proleptic Gregorian calendar, as time.Date counts them.
func daysIn(m time.Month, y int) int {
	if m == time.February && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 29
	}
	return int(monthDays[m-1])
}

var monthDays = [12]uint8{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// isDateShaped reports whether s is written NNNN-NN-NN, whatever the digits.
func isDateShaped(s string) bool {
	if len(s) != len(DateLayout) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// decodeStruct decodes a mapping into a struct of the model, by the
// fields' document keys (see [Key]).
func (d *Decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.typeError(n, path, "a mapping")
		return
	}
	pl := d.planOf(v.Type())
	fields := pl.fields
	// Duplicate keys: a small mapping's are found by looking back, a
	// large one's in a map.
	var seen map[string]*yaml.Node
	if len(n.Content) > 2*smallMapping {
		seen = make(map[string]*yaml.Node, len(n.Content)/2)
	}
	next := 0          // where the next key's field is likely: keys mostly come in the fields' order
	var decoded uint64 // the fields, of the first 64, whose keys have come
	required := 0      // the required fields whose keys have come
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := d.resolve(n.Content[i]), n.Content[i+1]
		if key.Kind != yaml.ScalarNode {
			d.errorAtNode(key, path, Syntax, "want a plain key, got %s", describe(key))
			continue
		}
		if key.ShortTag() == "!!merge" {
			d.errorAtNode(key, path, Syntax, "YAML merge keys (<<) are not supported: write the keys out")
			continue
		}
		keyPath := key.Value
		if path != "" && !d.quiet {
			keyPath = path + "." + key.Value
		}
		at := fieldFrom(fields, key.Value, next)
		ok := at >= 0
		if ok {
			next = at + 1
		}
		// A known key of a small mapping is a duplicate when its field
		// has been seen: only then is the earlier key looked for.
		if ok && seen == nil && at < 64 && decoded&(1<<at) == 0 {
			decoded |= 1 << at
		} else if first := d.earlier(n, i, seen); first != nil {
			d.errorAtNode(key, keyPath, Syntax, "duplicate key (first at %d:%d)", first.Line, first.Column)
			continue
		}
		if seen != nil {
			seen[key.Value] = key
		}
		if !ok && d.quiet {
			d.failed = true
			return
		}
		if !ok {
			msg := fmt.Sprintf("unknown field %s", describe(key))
			if s := suggest(fields, key.Value); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			d.errorAtNode(key, keyPath, UnknownField, "%s", msg)
			continue
		}
		if fields[at].required {
			required++
			if r := d.resolve(value); r.Kind == yaml.ScalarNode && r.ShortTag() == "!!null" {
				d.missing(r, keyPath)
				continue
			}
		}
		d.decodeValue(value, v.Field(fields[at].index), keyPath)
	}
	if pl.anyRequired && required < countRequired(fields) {
		for _, f := range fields {
			if f.required && !d.hasKey(n, f.key) {
				keyPath := f.key
				if path != "" && !d.quiet {
					keyPath = path + "." + f.key
				}
				d.missing(n, keyPath)
			}
		}
	}
}

// missing records that the required field at path is not given: its key
// is absent from mapping n, or n is its null.
func (d *Decoder) missing(n *yaml.Node, path string) {
	if d.quiet {
		d.failed = true
		return
	}
	d.errorAtNode(n, path, Invalid, "is required")
}

// countRequired is the number of required fields.
func countRequired(fields []planField) int {
	n := 0
	for _, f := range fields {
		if f.required {
			n++
		}
	}
	return n
}

// hasKey reports whether mapping n has key as one of its keys.
func (d *Decoder) hasKey(n *yaml.Node, key string) bool {
	for i := 0; i < len(n.Content); i += 2 {
		if k := d.resolve(n.Content[i]); k.Kind == yaml.ScalarNode && k.Value == key {
			return true
		}
	}
	return false
}

// smallMapping is the most keys a mapping has for decodeStruct to look
// for duplicates without a map.
const smallMapping = 24

// earlier returns the first key of mapping n before its i'th entry (a
// key's index in n.Content) that equals that entry's key, or nil. seen
// holds the keys decoded so far, or is nil for a small mapping.
func (d *Decoder) earlier(n *yaml.Node, i int, seen map[string]*yaml.Node) *yaml.Node {
	key := d.resolve(n.Content[i])
	if seen != nil {
		return seen[key.Value]
	}
	for j := 0; j < i; j += 2 {
		k := d.resolve(n.Content[j])
		if k.Kind == yaml.ScalarNode && k.Value == key.Value && k.ShortTag() != "!!merge" {
			return k
		}
	}
	return nil
}

// planOf is planOf(t), remembered for the next call: the entries of a
// list are structs of one type, one after another.
func (d *Decoder) planOf(t reflect.Type) *plan {
	if t != d.lastType {
		d.lastType, d.lastPlan = t, planOf(t)
	}
	return d.lastPlan
}

// Key is the document key of struct field sf: the name of its yaml tag,
// else of its json tag. ok is false for a field documents do not hold:
// unexported, untagged, or tagged "-".
func Key(sf reflect.StructField) (key string, ok bool) {
	if !sf.IsExported() {
		return "", false
	}
	tag, has := sf.Tag.Lookup("yaml")
	if !has {
		tag = sf.Tag.Get("json")
	}
	key, _, _ = strings.Cut(tag, ",")
	return key, key != "" && key != "-"
}

// Required reports whether struct field sf is tagged eligo:"required": a
// number, integer or boolean (whose zero is a value) that a document must
// give. Decoding reports a document that leaves it out, or gives it null,
// as a problem of kind Invalid at its path ("is required"), where it would
// otherwise be zero.
func Required(sf reflect.StructField) bool {
	return sf.Tag.Get("eligo") == "required"
}

// CanRequire reports whether a field of type t may be tagged
// eligo:"required": a boolean or a number, whose zero is a value. (A
// text, pointer or list is required by its validate tag.)
func CanRequire(t reflect.Type) bool {
	k := t.Kind()
	return k == reflect.Bool || k == reflect.Float32 || k == reflect.Float64 || isInt(k) || isUint(k)
}

func isInt(k reflect.Kind) bool {
	return k == reflect.Int || k == reflect.Int8 || k == reflect.Int16 || k == reflect.Int32 || k == reflect.Int64
}

func isUint(k reflect.Kind) bool {
	return k == reflect.Uint || k == reflect.Uint8 || k == reflect.Uint16 || k == reflect.Uint32 || k == reflect.Uint64
}

// Check reports the first field type of struct type t, or of the structs
// it holds, that no document value decodes into: a map, an interface, a
// channel, a function, an array, a complex number; or that is tagged
// eligo:"required" but is no boolean or number (CanRequire). Decode reports such a
// field only where a document gives it a value; Check says so up front.
func Check(t reflect.Type) error {
	if err, ok := checkCache.Load(t); ok {
		return err.(checked).err
	}
	var err error
	if t.Kind() != reflect.Struct {
		err = fmt.Errorf("%s is not a struct type", t)
	} else {
		err = check(t, t.String(), map[reflect.Type]bool{})
	}
	checkCache.Store(t, checked{err})
	return err
}

// checkCache holds Check's answers, as plans holds planOf's: a type's
// answer never changes, and DecodeFor asks on every document.
var checkCache sync.Map // reflect.Type → checked

// checked is Check's answer for a type.
type checked struct{ err error }

func check(t reflect.Type, where string, seen map[reflect.Type]bool) error {
	switch k := t.Kind(); {
	case t == timeType, k == reflect.String, k == reflect.Bool, k == reflect.Float32, k == reflect.Float64, isInt(k), isUint(k):
		return nil
	case k == reflect.Pointer, k == reflect.Slice:
		return check(t.Elem(), where, seen)
	case k == reflect.Struct:
		if seen[t] {
			return nil
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if _, ok := Key(sf); !ok {
				continue
			}
			if Required(sf) && !CanRequire(sf.Type) {
				return fmt.Errorf("%s.%s: eligo:\"required\" marks a boolean or number that documents must give, not %s (validate:\"required\" requires a text, a pointer or a list)", where, sf.Name, sf.Type)
			}
			if err := check(sf.Type, where+"."+sf.Name, seen); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("%s: documents do not decode into %s", where, t)
}

// suggest returns the known key nearest to an unknown one: the same key but for case,
// "_" and "-", or else one within edit distance 2; "" when there is none.
func suggest(fields []planField, key string) string {
	folded := foldKey(key)
	for _, f := range fields {
		if foldKey(f.key) == folded {
			return f.key
		}
	}
	best, bestDist := "", 3
	for _, f := range fields {
		// The distance is at least the difference in length: skip the work.
		if diff := len(f.key) - len(key); diff > 2 || diff < -2 {
			continue
		}
		if dist := file.EditDistance(key, f.key); dist < bestDist && dist < utf8.RuneCountInString(key) {
			best, bestDist = f.key, dist
		}
	}
	return best
}

// keySeparators are what foldKey drops.
var keySeparators = strings.NewReplacer("_", "", "-", "", " ", "")

// foldKey is a key in lower case without separators.
func foldKey(s string) string { return keySeparators.Replace(strings.ToLower(s)) }

// describe names a node's value for an error message.
// Unlike rules/file.Describe, which names rule-file values, it shows a
// document value with its YAML type: texts and dates quoted, numbers and
// booleans as written, null as null, long values cut at 40 characters.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	value := n.Value
	if utf8.RuneCountInString(value) > 40 {
		value = string([]rune(value)[:40]) + "…"
	}
	switch n.ShortTag() {
	case "!!null":
		return "null"
	case "!!str", "!!timestamp", "!!binary":
		return strconv.Quote(value)
	default:
		return value
	}
}
