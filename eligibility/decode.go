package eligibility

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// DecodeApplicant decodes one applicant document, in JSON or YAML, from data; name
// names the file in errors. A name ending in ".json" makes the input strict JSON:
// what only YAML allows (trailing commas, single quotes, comments) is a syntax error.
//
// Decoding is strict: unknown keys, values of the wrong type, dates not written
// YYYY-MM-DD, numbers that are not finite or not written in decimal (020, which YAML
// reads as octal, 0x1F, 0o17, 0b11, 1_000), duplicate keys, an empty input and a second
// YAML document are all errors. Following YAML aliases is bounded: past twice the
// document's bytes plus 10,000 values, decoding stops with an [ErrSyntax]. An absent
// or null section decodes to a nil pointer or slice (unknown); an empty list decodes to
// a non-nil empty slice. DecodeApplicant checks shape and types only: the validation
// rules (enums, ranges, dates from 1900-01-01 to 9999-12-31 and against the evaluation
// date) are applied when the applicant is evaluated.
//
// The applicant remembers where each of its values stands in the document,
// so that the problems validation finds when it is evaluated also carry a
// line and column.
//
// On failure it returns a nil applicant and an [*InputError] holding every problem
// found, each with its path, line and column. YAML syntax errors carry only the line the
// YAML parser reports, which may be one line early; JSON syntax errors carry the exact
// position. It never panics.
func DecodeApplicant(name string, data []byte) (*Applicant, error) {
	d := newDocDecoder(name, data)
	docs, ok := d.parse(true)
	if ok && len(docs) == 0 {
		d.errorAt(1, 1, "", ErrSyntax, "empty document: want an applicant")
	}
	var a Applicant
	if len(docs) > 0 {
		d.decodeApplicant(docs[0], &a, "")
	}
	if len(d.errs) > 0 {
		return nil, d.inputError(name)
	}
	return &a, nil
}

// DecodeApplicants decodes a batch of applicant documents from data: either a single
// JSON or YAML list of applicants, or a stream of YAML documents separated by "---",
// each one applicant. In a list, paths start with the entry's index, as in
// "[2].qualifications[0].awarded". In a stream, a YAML alias reaches only anchors of
// its own document: an alias naming another document's anchor is an [ErrSyntax] where
// it stands. Ids are unique in a batch: a repeated id is an error at the second use.
// Otherwise it behaves as [DecodeApplicant].
func DecodeApplicants(name string, data []byte) ([]*Applicant, error) {
	d := newDocDecoder(name, data)
	docs, ok := d.parse(false)
	if ok && len(docs) == 0 {
		d.errorAt(1, 1, "", ErrSyntax, "empty document: want applicants")
	}
	var entries []*yaml.Node
	var paths []string
	if len(docs) == 1 && d.resolve(docs[0]).Kind == yaml.SequenceNode {
		for i, entry := range d.resolve(docs[0]).Content {
			entries = append(entries, entry)
			paths = append(paths, "["+strconv.Itoa(i)+"]")
		}
	} else {
		entries = docs
		paths = make([]string, len(docs))
	}
	applicants := make([]*Applicant, len(entries))
	first := make(map[string]string, len(entries)) // id -> path of its first entry
	for i, entry := range entries {
		applicants[i] = new(Applicant)
		d.decodeApplicant(entry, applicants[i], paths[i])
		id := applicants[i].ID
		if id == "" {
			continue
		}
		if at, dup := first[id]; dup {
			n := idNode(d.resolve(entry))
			d.errorAtNode(n, joinPath(paths[i], "id"), ErrInvalid, "duplicate applicant id %q: %s has it already", id, joinPath(at, "id"))
			continue
		}
		first[id] = paths[i]
	}
	if len(d.errs) > 0 {
		return nil, d.inputError(name)
	}
	return applicants, nil
}

// idNode returns the value node of an applicant mapping's id key, or the
// mapping itself.
func idNode(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "id" {
				return n.Content[i+1]
			}
		}
	}
	return n
}

// joinPath appends a key to a document path.
func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// decodeApplicant decodes one applicant's mapping into a.
func (d *docDecoder) decodeApplicant(n *yaml.Node, a *Applicant, path string) {
	// Null would decode to an applicant with nothing in it: say so instead.
	if r := d.resolve(n); r.Kind == yaml.ScalarNode && r.ShortTag() == "!!null" {
		d.typeError(r, path, "an applicant (a mapping)")
		return
	}
	d.at = d.at[:0] // the positions of this applicant alone
	d.decodeValue(n, reflect.ValueOf(a).Elem(), path)
	// The applicant keeps where each of its values stands in the document,
	// by its own paths, for the errors validation finds later.
	at := slices.Clone(d.at)
	if path != "" {
		for i := range at {
			at[i].path = strings.TrimPrefix(strings.TrimPrefix(at[i].path, path), ".")
		}
	}
	a.at = &docPositions{entries: at}
}

// Limits on the work one document can cause.
const (
	// maxCollected bounds the errors held before sorting; further ones are only counted.
	maxCollected = 10 * maxErrors
	// aliasAllowance is how many node visits a document gets beyond twice its size in
	// bytes, so that YAML aliases cannot make decoding explode.
	aliasAllowance = 10000
)

// docDecoder holds the state of decoding one input: the errors found so far and the
// remaining work budget.
type docDecoder struct {
	data    []byte
	errs    []*FieldError
	dropped int
	budget  int
	fields  map[reflect.Type][]docField
	json    bool      // the input is named *.json: it must be strict JSON
	at      []pathPos // where each value of the applicant being decoded stands
	// foreign holds the aliases that named an anchor of another document of
	// the stream, with that anchor; parse cut them off from it.
	foreign map[*yaml.Node]*yaml.Node
}

// docPositions records where the values of a decoded applicant stand in
// its document.
type docPositions struct {
	entries []pathPos // in document order
}

type pathPos struct {
	path      string // in the applicant's own paths, as in "qualifications[0].level"
	line, col int32
}

// find returns the position of the value at path or, when the document
// has none there (a missing key), of its nearest enclosing value; ok is
// false when there is neither, or p is nil.
func (p *docPositions) find(path string) (line, col int, ok bool) {
	if p == nil {
		return 0, 0, false
	}
	for {
		for _, e := range p.entries {
			if e.path == path {
				return int(e.line), int(e.col), true
			}
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			return 0, 0, false
		}
		path = path[:i]
	}
}

// docField is a struct field as the document names it.
type docField struct {
	key   string
	index int
}

func newDocDecoder(name string, data []byte) *docDecoder {
	return &docDecoder{
		json:   strings.EqualFold(path.Ext(name), ".json"),
		data:   data,
		budget: 2*len(data) + aliasAllowance,
		fields: make(map[reflect.Type][]docField),
	}
}

func (d *docDecoder) inputError(source string) *InputError {
	return newInputError(source, d.errs, d.dropped)
}

// errorAt records one problem.
func (d *docDecoder) errorAt(line, col int, path string, kind error, format string, args ...any) {
	if len(d.errs) >= maxCollected {
		d.dropped++
		return
	}
	d.errs = append(d.errs, &FieldError{Path: path, Line: line, Column: col, Err: kind, Msg: fmt.Sprintf(format, args...)})
}

func (d *docDecoder) errorAtNode(n *yaml.Node, path string, kind error, format string, args ...any) {
	d.errorAt(n.Line, n.Column, path, kind, format, args...)
}

// typeError records that n is not the wanted kind of value.
func (d *docDecoder) typeError(n *yaml.Node, path, want string) {
	d.errorAtNode(n, path, ErrType, "want %s, got %s", want, describe(n))
}

// yamlErrorLine finds the line number in a YAML parser error.
var yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parse reads the YAML stream into document roots. With single, a second document is
// an error. It reports false when the stream is not well-formed.
func (d *docDecoder) parse(single bool) (roots []*yaml.Node, ok bool) {
	defer func() {
		// The YAML parser is third-party code; a panic in it must not reach the caller.
		if r := recover(); r != nil {
			d.errorAt(0, 0, "", ErrSyntax, "the YAML parser failed: %v", r)
			ok = false
		}
	}()
	if d.json {
		// YAML accepts much that JSON does not (trailing commas, single quotes,
		// comments): a file that says it is JSON must be JSON.
		if off, msg, bad := jsonSyntaxError(d.data, true); bad {
			line, col := position(d.data, off)
			d.errorAt(line, col, "", ErrSyntax, "%s", msg)
			return nil, false
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(d.data))
	anchors := make(map[*yaml.Node]int)
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return roots, true
		}
		if err != nil {
			d.syntaxError(err)
			return roots, false
		}
		if single && len(roots) == 1 {
			d.errorAtNode(&doc, "", ErrSyntax, "a second YAML document starts here: a file holds one applicant")
			return roots, true
		}
		if len(doc.Content) == 0 {
			// An empty document, such as a bare "---".
			roots = append(roots, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: doc.Line, Column: doc.Column})
			continue
		}
		d.isolate(doc.Content[0], len(roots), anchors)
		roots = append(roots, doc.Content[0])
	}
}

// isolate cuts off the aliases in the document rooted at root (the stream's
// document number doc) that name an anchor of an earlier document. The YAML
// parser keeps one anchor table for a whole stream, so that in a batch of
// "---" separated applicants one applicant's document could otherwise take
// in another's values (a verified qualification, say). anchors records the
// document of every anchor seen so far. A cut alias is left without a
// target and recorded in d.foreign, so decoding reports it where it stands.
func (d *docDecoder) isolate(root *yaml.Node, doc int, anchors map[*yaml.Node]int) {
	// The parser bounds the nesting depth; walk without recursion all the same.
	stack := []*yaml.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Anchor != "" {
			anchors[n] = doc
		}
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			if at, ok := anchors[n.Alias]; !ok || at != doc {
				if d.foreign == nil {
					d.foreign = make(map[*yaml.Node]*yaml.Node)
				}
				d.foreign[n] = n.Alias
				n.Alias = nil
			}
		}
		// Children in reverse, so that nodes are visited in document order
		// and an anchor is recorded before the aliases that follow it.
		for i := len(n.Content) - 1; i >= 0; i-- {
			stack = append(stack, n.Content[i])
		}
	}
}

// syntaxError records a YAML parser error. The parser gives at most a line, and for
// some errors one less than the problem's, so positions are found more precisely where
// that is cheap: from encoding/json for JSON input, and by scanning for the character
// the YAML reader rejected.
func (d *docDecoder) syntaxError(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if off, jsonMsg, ok := jsonSyntaxError(d.data, false); ok {
		line, col := position(d.data, off)
		d.errorAt(line, col, "", ErrSyntax, "%s", jsonMsg)
		return
	}
	if off, ok := firstUnreadable(d.data); ok {
		line, col := position(d.data, off)
		d.errorAt(line, col, "", ErrSyntax, "%s", msg)
		return
	}
	if m := yamlErrorLine.FindStringSubmatch(err.Error()); m != nil {
		if line, convErr := strconv.Atoi(m[1]); convErr == nil {
			d.errorAt(line, 0, "", ErrSyntax, "%s", m[2])
			return
		}
	}
	// The parser leaves the line out when the problem lies on the first line.
	d.errorAt(1, 0, "", ErrSyntax, "%s", msg)
}

// jsonSyntaxError reports where data stops being one JSON value. Unless
// strict, data that does not look like JSON (starting with '{' or '[') is
// not judged.
func jsonSyntaxError(data []byte, strict bool) (offset int, msg string, ok bool) {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		if strict {
			return 0, "empty document: want an applicant", true
		}
		return 0, "", false
	}
	if !strict && trimmed[0] != '{' && trimmed[0] != '[' {
		return 0, "", false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var v json.RawMessage
	err := dec.Decode(&v)
	var serr *json.SyntaxError
	switch {
	case errors.As(err, &serr):
		// The scanner counts the offending byte before it stops.
		return max(int(serr.Offset)-1, 0), serr.Error(), true
	case err != nil:
		// io.ErrUnexpectedEOF: the document ends too soon.
		return len(data), "unexpected end of JSON input", true
	}
	end := int(dec.InputOffset())
	rest := bytes.TrimLeft(data[end:], " \t\r\n")
	if len(rest) > 0 {
		return len(data) - len(rest), "data after the JSON value", true
	}
	return 0, "", false
}

// firstUnreadable returns the offset of the first byte the YAML reader rejects: invalid
// UTF-8 or a control character.
func firstUnreadable(data []byte) (int, bool) {
	for off := 0; off < len(data); {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size <= 1 {
			return off, true
		}
		printable := r == '\t' || r == '\n' || r == '\r' || r == 0x85 ||
			(r >= 0x20 && r <= 0x7e) || (r >= 0xa0 && r <= 0xd7ff) ||
			(r >= 0xe000 && r <= 0xfffd) || r >= 0x10000
		if !printable {
			return off, true
		}
		off += size
	}
	return 0, false
}

// position turns a byte offset in data into a 1-based line and column, the column
// counted in characters as the YAML parser counts it.
func position(data []byte, offset int) (line, col int) {
	offset = min(offset, len(data))
	before := data[:offset]
	line = 1 + bytes.Count(before, []byte("\n"))
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[lineStart:]) + 1
}

// resolve follows aliases to the node they name.
func (d *docDecoder) resolve(n *yaml.Node) *yaml.Node {
	// An alias of an alias is not valid YAML, but bound the walk all the same.
	for hops := 0; n.Kind == yaml.AliasNode && n.Alias != nil && hops < 100; hops++ {
		n = n.Alias
	}
	return n
}

var timeType = reflect.TypeFor[time.Time]()

// decodeValue decodes n into v, whose type is one of the applicant model's. Recursion
// follows the Go type, not the document, so its depth is bounded by the model's.
func (d *docDecoder) decodeValue(n *yaml.Node, v reflect.Value, path string) {
	if d.budget <= 0 {
		return
	}
	d.budget--
	if d.budget == 0 {
		d.errorAtNode(n, path, ErrSyntax, "document too large after expanding YAML aliases")
		return
	}
	n = d.resolve(n)
	if n.Kind == yaml.AliasNode {
		if anchor, ok := d.foreign[n]; ok {
			d.errorAtNode(n, path, ErrSyntax, "unknown anchor %q: an alias reaches only anchors of its own document (the anchor at %d:%d is in another)",
				n.Value, anchor.Line, anchor.Column)
			return
		}
		d.errorAtNode(n, path, ErrSyntax, "unresolved YAML alias")
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		// Null means absent: nil for a section or list, the zero value otherwise.
		return
	}
	t := v.Type()
	if t.Kind() != reflect.Pointer {
		d.at = append(d.at, pathPos{path: path, line: int32(n.Line), col: int32(n.Column)})
	}
	switch {
	case t == timeType:
		d.decodeDate(n, v, path)
	case t.Kind() == reflect.Pointer:
		p := reflect.New(t.Elem())
		d.decodeValue(n, p.Elem(), path)
		v.Set(p)
	case t.Kind() == reflect.Struct:
		d.decodeStruct(n, v, path)
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.typeError(n, path, "a list")
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, elem := range n.Content {
			elemPath := path + "[" + strconv.Itoa(i) + "]"
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
		v.Set(s)
	case t.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
			if n.Kind == yaml.ScalarNode && n.Style == 0 {
				d.errorAtNode(n, path, ErrType, "want a string, got %s (quote it: %q)", describe(n), n.Value)
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
		if err := n.Decode(&b); err != nil {
			d.typeError(n, path, "true or false")
			return
		}
		v.SetBool(b)
	case t.Kind() == reflect.Float64:
		f, ok := d.number(n, path)
		if ok {
			v.SetFloat(f)
		}
	case t.Kind() == reflect.Int:
		f, ok := d.number(n, path)
		if !ok {
			return
		}
		if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
			d.typeError(n, path, "a whole number")
			return
		}
		v.SetInt(int64(f))
	default:
		// Only reachable if the model gains a field of a type this decoder lacks.
		d.errorAtNode(n, path, ErrType, "cannot decode into %s", t)
	}
}

// number decodes a finite number.
func (d *docDecoder) number(n *yaml.Node, path string) (float64, bool) {
	if n.Kind != yaml.ScalarNode {
		d.typeError(n, path, "a number")
		return 0, false
	}
	tag := n.ShortTag()
	if tag != "!!int" && tag != "!!float" {
		d.typeError(n, path, "a number")
		return 0, false
	}
	var f float64
	if err := n.Decode(&f); err != nil {
		d.typeError(n, path, "a number")
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.typeError(n, path, "a finite number")
		return 0, false
	}
	if problem := notDecimal(n.Value, f); problem != "" {
		d.errorAtNode(n, path, ErrType, "want a decimal number, got %s: %s", describe(n), problem)
		return 0, false
	}
	return f, true
}

// decimalNumber is how a number is written in an applicant document:
// decimal, with an optional sign, fraction and exponent, as in 20, -1,
// 2.5, .5 or 1e3; no leading zero.
var decimalNumber = regexp.MustCompile(`^[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$`)

// notDecimal says what is wrong with a number written as s, which YAML read
// as f, when it is not written in decimal; "" when it is. YAML reads 020 as
// octal 16, and 0x1F, 0o17, 0b11 and 1_000 as numbers too, where a person
// means, or a reader expects, decimal (DOMAIN.md §2).
func notDecimal(s string, f float64) string {
	if decimalNumber.MatchString(s) {
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

// dateLayout is the one date format of applicant documents.
const dateLayout = "2006-01-02"

// decodeDate decodes a YYYY-MM-DD date to midnight UTC.
func (d *docDecoder) decodeDate(n *yaml.Node, v reflect.Value, path string) {
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
	t, err := time.Parse(dateLayout, n.Value)
	if err != nil {
		d.errorAtNode(n, path, ErrType, "want %s, got %s: not a calendar date", want, describe(n))
		return
	}
	v.Set(reflect.ValueOf(t))
}

// isDateShaped reports whether s is written NNNN-NN-NN, whatever the digits.
func isDateShaped(s string) bool {
	if len(s) != len(dateLayout) {
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

// decodeStruct decodes a mapping into a struct of the model, by the fields' yaml tags.
func (d *docDecoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.typeError(n, path, "a mapping")
		return
	}
	fields := d.fieldsOf(v.Type())
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := d.resolve(n.Content[i]), n.Content[i+1]
		if key.Kind != yaml.ScalarNode {
			d.errorAtNode(key, path, ErrSyntax, "want a plain key, got %s", describe(key))
			continue
		}
		if key.ShortTag() == "!!merge" {
			d.errorAtNode(key, path, ErrSyntax, "YAML merge keys (<<) are not supported: write the keys out")
			continue
		}
		keyPath := key.Value
		if path != "" {
			keyPath = path + "." + key.Value
		}
		if first, dup := seen[key.Value]; dup {
			d.errorAtNode(key, keyPath, ErrSyntax, "duplicate key (first at %d:%d)", first.Line, first.Column)
			continue
		}
		seen[key.Value] = key
		f, ok := findField(fields, key.Value)
		if !ok {
			msg := fmt.Sprintf("unknown field %s", describe(key))
			if s := suggest(fields, key.Value); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			d.errorAtNode(key, keyPath, ErrUnknownField, "%s", msg)
			continue
		}
		d.decodeValue(value, v.Field(f.index), keyPath)
	}
}

// fieldsOf lists the document keys of struct type t, in declaration order.
func (d *docDecoder) fieldsOf(t reflect.Type) []docField {
	if fields, ok := d.fields[t]; ok {
		return fields
	}
	var fields []docField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		key, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if !sf.IsExported() || key == "" || key == "-" {
			continue
		}
		fields = append(fields, docField{key: key, index: i})
	}
	d.fields[t] = fields
	return fields
}

func findField(fields []docField, key string) (docField, bool) {
	for _, f := range fields {
		if f.key == key {
			return f, true
		}
	}
	return docField{}, false
}

// suggest returns the known key nearest to an unknown one: the same key but for case,
// "_" and "-", or else one within edit distance 2; "" when there is none.
func suggest(fields []docField, key string) string {
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
		if dist := editDistance(key, f.key); dist < bestDist && dist < utf8.RuneCountInString(key) {
			best, bestDist = f.key, dist
		}
	}
	return best
}

// keySeparators are what foldKey drops.
var keySeparators = strings.NewReplacer("_", "", "-", "", " ", "")

// foldKey is a key in lower case without separators.
func foldKey(s string) string { return keySeparators.Replace(strings.ToLower(s)) }

// editDistance is the Levenshtein distance between a and b, counted in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// describe names a node's value for an error message.
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
