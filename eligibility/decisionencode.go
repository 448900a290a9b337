package eligibility

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"
)

// MarshalJSON writes the decision as AppendJSON does. (Its receiver is a
// value, so that a Decision marshals the same way wherever it is held.)
func (d Decision) MarshalJSON() ([]byte, error) {
	return d.AppendJSON(make([]byte, 0, 32<<10))
}

// AppendJSON appends the decision's JSON to b, compact, as an
// encoding/json Encoder with SetEscapeHTML(false) writes it (json.Marshal
// writes <, > and & as \u003c, \u003e and \u0026). It is the fast way
// to write a decision: json.Marshal calls MarshalJSON, which gives the
// same bytes, then checks them again, as encoding/json does for every
// MarshalJSON, which takes longer than writing them. See "Decisions as
// JSON" in the package documentation. Into a b with room for the
// decision it allocates nothing: explanation lines and actions' texts are
// written straight into b (text.go's append helpers) and escaped there.
func (d *Decision) AppendJSON(b []byte) ([]byte, error) {
	var js jsonState
	defer js.done()
	v := reflect.ValueOf(d).Elem()
	var lists reflect.Value // d's awardLists, made when first written
	b = append(b, '{')
	first := true
	for _, f := range decisionFields() {
		if f.index < 0 {
			// The requirements, explained on demand (Requirements).
			b = append(b, `,"requirements":`...)
			var err error
			if d.expl == nil {
				b, err = appendRequirements(b, nil, nil)
			} else {
				b, err = d.expl.appendJSON(b, js.st, js.p)
			}
			if err != nil {
				return nil, fmt.Errorf("eligibility: a decision's requirements: %w", err)
			}
			continue
		}
		if x := d.expl; f.lists && x != nil && x.e != nil && (x.ready() == nil || !x.ready().awardsReady.Load()) {
			// The award lists, written from the statuses without making
			// them.
			if f.index == 0 && len(x.e.gates) == 0 { // "gates", omitted when empty
				continue
			}
			b = append(append(b, ','), f.key...)
			b = x.e.appendAwardList(b, f.index, x.codes, js.actions(x, f.index))
			continue
		}
		fv := v
		if f.lists {
			if !lists.IsValid() {
				lists = reflect.ValueOf(d.awardLists()).Elem()
			}
			fv = lists
		}
		fv = fv.Field(f.index)
		if f.omitEmpty && isEmpty(fv) || f.omitZero && isZero(fv) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.key...)
		var err error
		if b, err = f.enc(b, fv); err != nil {
			return nil, fmt.Errorf("eligibility: a decision's %s: %w", f.key[:len(f.key)-1], err)
		}
	}
	return append(b, '}'), nil
}

// jsonState is what AppendJSON takes to write a decision's award lists
// from its statuses (and its requirements, explained): what settles its
// awards, found from its copy of the applicant into a pooled state's
// memory, kept nowhere, and that state, bound to the copy, for the
// requirements. Its zero value has taken nothing; done gives back what it
// took.
type jsonState struct {
	e     *engine
	st    *evalState
	p     unsafe.Pointer // the copy, unpacked in st and bound; nil if not
	acts  []Action       // in st's memory
	found bool           // acts is set
}

// actions returns what settles x's awards, for writing award list i (0
// the gates, which need none).
func (js *jsonState) actions(x *explanation, i int) []Action {
	if i == 0 || js.found {
		return js.acts
	}
	js.e, js.st, js.found = x.e, x.e.state(), true
	js.acts, js.p = x.e.settleIn(js.st, x.app, x.date(), x.codes)
	return js.acts
}

// done clears and gives back what js took.
func (js *jsonState) done() {
	if js.st != nil {
		releaseActs(js.st, js.acts)
		js.e.finish(js.st, false, nil, nil)
	}
}

// appendAwardList appends the JSON of field i of a decision's awardLists
// (0 the gates, 1 the levels, 2 the categories, 3 the courses) as the
// encoder writes what awardLists makes from codes and acts, without
// making it.
func (e *engine) appendAwardList(b []byte, i int, codes []statusByte, acts []Action) []byte {
	if i == 0 {
		b = append(b, '[')
		for j, ri := range e.gates {
			if j > 0 {
				b = append(b, ',')
			}
			b = e.appendStatus(b, ri, codes[ri])
		}
		return append(b, ']')
	}
	b = append(b, '[')
	for j, aw := range e.groups()[i-1] {
		if j > 0 {
			b = append(b, ',')
		}
		k, o := best(aw, codes)
		b = appendString(append(b, aw.head...), string(o))
		b = append(b, `,"route":`...)
		if k < 0 {
			b = append(b, `"","requirements":null`...)
		} else {
			b = append(b, aw.routes[k].quoted...)
			b = e.appendRouteStatuses(append(b, `,"requirements":`...), &aw.routes[k], codes)
		}
		if len(aw.routes) > 1 {
			b = append(b, `,"routes":[`...)
			for k, rt := range aw.routes {
				if k > 0 {
					b = append(b, ',')
				}
				b = append(append(b, `{"name":`...), rt.quoted...)
				b = appendString(append(b, `,"outcome":`...), string(routeCodes(codes, &aw.routes[k])))
				if rt.review {
					b = append(b, `,"review":true`...)
				}
				b = append(e.appendRouteStatuses(append(b, `,"requirements":`...), &aw.routes[k], codes), '}')
			}
			b = append(b, ']')
		}
		if settled(k, o) {
			b = e.appendSettleJSON(b, &aw.routes[k], codes, acts)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendSettleJSON appends `,"settle":[...]`, what settleOf yields for
// route rt, unless that is nothing.
func (e *engine) appendSettleJSON(b []byte, rt *route, codes []statusByte, acts []Action) []byte {
	n := 0
	for a := range e.settleOf(rt, codes, acts) {
		if n == 0 {
			b = append(b, `,"settle":[`...)
		} else {
			b = append(b, ',')
		}
		b = a.appendJSON(b)
		n++
	}
	if n > 0 {
		b = append(b, ']')
	}
	return b
}

// appendRouteStatuses appends the JSON of route rt's requirement list on codes.
func (e *engine) appendRouteStatuses(b []byte, rt *route, codes []statusByte) []byte {
	b = append(b, '[')
	for j, ri := range rt.reqs {
		if j > 0 {
			b = append(b, ',')
		}
		b = e.appendStatus(b, ri, codes[ri])
	}
	return append(b, ']')
}

// appendStatus appends the JSON of requirement ri's RequirementStatus,
// status c.
func (e *engine) appendStatus(b []byte, ri int, c statusByte) []byte {
	return append(append(append(b, e.heads.status[ri]...), statusJSON[c]...), '}')
}

// statusJSON is each status byte's Status as a JSON string.
var statusJSON = func() (out [len(statusOfByte)]string) {
	for c, s := range statusOfByte {
		out[c] = string(appendString(nil, string(s)))
	}
	return out
}()

// jsonText holds, escaped once, when the engine is built (initJSON), what
// of a decision's JSON the rule set fixes, so that writing a decision
// copies it rather than escaping it again: each requirement's
// RequirementStatus up to its status, `{"id":"…","status":`, and its
// result up to its status, `{"id":"…","title":"…","source":"…","status":`
// (jsonHead). An award's, up to its outcome, and its routes' names are
// the award's and the routes' (award.head, route.quoted).
type jsonText struct {
	status []string
	req    []jsonHead
}

// jsonHead is a requirement result's JSON up to its status, head, as
// written from its id, title and source; and its clauses' up to theirs,
// `{"text":"…","status":`, by their texts.
type jsonHead struct {
	id, title, source, head string
	clauses                 []clauseHead
}

// clauseHead is a clause result's JSON up to its status, as written from
// its text.
type clauseHead struct{ text, head string }

// initJSON makes e.heads, and the JSON of its awards and routes.
func (e *engine) initJSON() {
	e.heads.status = make([]string, len(e.reqs))
	e.heads.req = make([]jsonHead, len(e.reqs))
	for i, r := range e.reqs {
		e.heads.status[i] = string(appendString(append([]byte(nil), `{"id":`...), r.ID)) + `,"status":`
		h := jsonHead{id: r.ID, title: r.Title, source: r.Source}
		h.head = string(appendReqHead(nil, r.ID, r.Title, r.Source))
		for _, text := range e.prog.ClauseTexts(i) {
			h.clauses = append(h.clauses, clauseHead{text: text, head: string(appendClauseHead(nil, text))})
		}
		e.heads.req[i] = h
	}
	for _, group := range e.groups() {
		for _, aw := range group {
			b := appendString(append([]byte(nil), `{"id":`...), aw.a.ID)
			b = appendString(append(b, `,"title":`...), aw.a.Title)
			aw.head = string(append(b, `,"outcome":`...))
			for k := range aw.routes {
				aw.routes[k].quoted = string(appendString(nil, aw.routes[k].name))
			}
		}
	}
}

// decisionField is one member of a decision's JSON: a field of Decision
// and how it is written.
type decisionField struct {
	index int  // the field's, or -1 for the requirements
	lists bool // index is of a field of awardLists, not of Decision

	key                 string // `"name":`
	omitEmpty, omitZero bool
	enc                 func(b []byte, v reflect.Value) ([]byte, error)
}

// jsonMember is the member encoding/json writes struct field sf as: its
// name and the options of its json tag; ok is false for a field it leaves
// out (unexported, or tagged "-").
func jsonMember(sf reflect.StructField) (name, opts string, ok bool) {
	tag := sf.Tag.Get("json")
	if !sf.IsExported() || tag == "-" {
		return "", "", false
	}
	name, opts, _ = strings.Cut(tag, ",")
	if name == "" {
		name = sf.Name
	}
	return name, opts, true
}

// decisionFields are Decision's fields as json tags name them, in order.
// Those of the types below are written directly; any other (a field added
// later) through encoding/json, so that every field is written.
var decisionFields = sync.OnceValue(func() []decisionField {
	var out []decisionField
	var fields func(t reflect.Type, lists bool)
	fields = func(t reflect.Type, lists bool) {
		for i := range t.NumField() {
			sf := t.Field(i)
			name, opts, ok := jsonMember(sf)
			if !ok {
				continue
			}
			f := decisionField{index: i, lists: lists, key: strconv.Quote(name) + ":"}
			for _, o := range strings.Split(opts, ",") {
				f.omitEmpty = f.omitEmpty || o == "omitempty"
				f.omitZero = f.omitZero || o == "omitzero"
			}
			f.enc = encoderFor(sf.Type)
			out = append(out, f)
			if name == "level" {
				// The award lists (Levels...) come after the level, the
				// requirements after them.
				fields(reflect.TypeFor[awardLists](), true)
				out = append(out, decisionField{index: -1})
			}
		}
	}
	fields(reflect.TypeFor[Decision](), false)
	return out
})

func encoderFor(t reflect.Type) func(b []byte, v reflect.Value) ([]byte, error) {
	switch t {
	case reflect.TypeFor[string]():
		return func(b []byte, v reflect.Value) ([]byte, error) { return appendString(b, v.String()), nil }
	case reflect.TypeFor[float64]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			f := v.Float()
			if f != f || f > 1.7976931348623157e308 || f < -1.7976931348623157e308 {
				return nil, fmt.Errorf("not a finite number: %v", f)
			}
			return appendFloat(b, f), nil
		}
	case reflect.TypeFor[Schema]():
		return func(b []byte, v reflect.Value) ([]byte, error) { return append(b, `"`+SchemaVersion+`"`...), nil }
	case reflect.TypeFor[bool]():
		return func(b []byte, v reflect.Value) ([]byte, error) { return strconv.AppendBool(b, v.Bool()), nil }
	case reflect.TypeFor[Date]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			return v.Addr().Interface().(*Date).appendJSON(b), nil
		}
	case reflect.TypeFor[*Date]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			if d := v.Interface().(*Date); d != nil {
				return d.appendJSON(b), nil
			}
			return append(b, "null"...), nil
		}
	case reflect.TypeFor[[]LeftOut]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			ls := *v.Addr().Interface().(*[]LeftOut)
			if ls == nil {
				return append(b, "null"...), nil
			}
			b = append(b, '[')
			for i := range ls {
				l := &ls[i]
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"path":`...)
				b = appendString(b, l.Path)
				b = append(b, `,"field":`...)
				b = appendString(b, l.Field)
				b = append(b, `,"date":`...)
				b = l.Date.appendJSON(b)
				b = append(b, `,"why":`...)
				b = appendString(b, string(l.Why))
				b = append(b, '}')
			}
			return append(b, ']'), nil
		}
	case reflect.TypeFor[*ValidityChange]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			c := v.Interface().(*ValidityChange)
			if c == nil {
				return append(b, "null"...), nil
			}
			b = append(b, `{"on":`...)
			b = c.On.appendJSON(b)
			b = append(b, `,"award":`...)
			b = appendString(b, c.Award)
			b = append(b, `,"from":`...)
			b = appendString(b, string(c.From))
			b = append(b, `,"to":`...)
			b = appendString(b, string(c.To))
			if c.Requirement != "" {
				b = append(b, `,"requirement":`...)
				b = appendString(b, c.Requirement)
			}
			if c.RequirementFrom != "" {
				b = append(b, `,"requirementFrom":`...)
				b = appendString(b, string(c.RequirementFrom))
			}
			if c.RequirementTo != "" {
				b = append(b, `,"requirementTo":`...)
				b = appendString(b, string(c.RequirementTo))
			}
			if c.Evidence != "" {
				b = append(b, `,"evidence":`...)
				b = appendString(b, c.Evidence)
			}
			b = append(b, `,"checked":`...)
			return append(strconv.AppendBool(b, c.Checked), '}'), nil
		}
	case reflect.TypeFor[RuleSetInfo]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			r := v.Addr().Interface().(*RuleSetInfo)
			b = append(b, `{"name":`...)
			b = appendString(b, r.Name)
			b = append(b, `,"version":`...)
			b = appendString(b, r.Version)
			b = append(b, `,"digest":`...)
			b = appendString(b, r.Digest)
			return append(b, '}'), nil
		}
	case reflect.TypeFor[[]RequirementStatus]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			return appendStatuses(b, *v.Addr().Interface().(*[]RequirementStatus)), nil
		}
	case reflect.TypeFor[[]AwardResult]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			return appendAwards(b, *v.Addr().Interface().(*[]AwardResult)), nil
		}
	case reflect.TypeFor[[]BenefitResult]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			bs := *v.Addr().Interface().(*[]BenefitResult)
			if bs == nil {
				return append(b, "null"...), nil
			}
			b = append(b, '[')
			for i, x := range bs {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"id":`...)
				b = appendString(b, x.ID)
				b = append(b, `,"title":`...)
				b = appendString(b, x.Title)
				b = append(b, `,"from":`...)
				b = appendString(b, x.From)
				b = append(b, '}')
			}
			return append(b, ']'), nil
		}
	case reflect.TypeFor[[]Fee]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			fs := *v.Addr().Interface().(*[]Fee)
			if fs == nil {
				return append(b, "null"...), nil
			}
			b = append(b, '[')
			for i, x := range fs {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"item":`...)
				b = appendString(b, x.Item)
				b = append(b, `,"param":`...)
				b = appendString(b, x.Param)
				b = append(b, `,"amount":`...)
				b = appendFloat(b, x.Amount)
				b = append(b, '}')
			}
			return append(b, ']'), nil
		}
	case reflect.TypeFor[*Gap]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			g := v.Interface().(*Gap)
			if g == nil {
				return append(b, "null"...), nil
			}
			b = append(b, `{"level":`...)
			b = appendString(b, g.Level)
			b = append(b, `,"title":`...)
			b = appendString(b, g.Title)
			b = append(b, `,"outcome":`...)
			b = appendString(b, string(g.Outcome))
			b = append(b, `,"route":`...)
			b = appendString(b, g.Route)
			b = append(b, `,"met":`...)
			b = appendStrings(b, g.Met)
			b = append(b, `,"unmet":`...)
			b = appendStatuses(b, g.Unmet)
			return append(b, '}'), nil
		}
	}
	return func(b []byte, v reflect.Value) ([]byte, error) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v.Interface()); err != nil {
			return nil, err
		}
		return append(b, bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})...), nil
	}
}

// appendJSON appends the date as Date.MarshalJSON writes it:
// "YYYY-MM-DD", which has nothing to escape.
func (d *Date) appendJSON(b []byte) []byte {
	return append(d.AppendFormat(append(b, '"'), time.DateOnly), '"')
}

func appendStatuses(b []byte, ss []RequirementStatus) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, s.ID)
		b = append(b, `,"status":`...)
		b = appendString(b, string(s.Status))
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendAwards(b []byte, as []AwardResult) []byte {
	if as == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range as {
		a := &as[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, a.ID)
		b = append(b, `,"title":`...)
		b = appendString(b, a.Title)
		b = append(b, `,"outcome":`...)
		b = appendString(b, string(a.Outcome))
		b = append(b, `,"route":`...)
		b = appendString(b, a.Route)
		b = append(b, `,"requirements":`...)
		b = appendStatuses(b, a.Requirements)
		if len(a.Routes) > 0 {
			b = append(b, `,"routes":[`...)
			for j, r := range a.Routes {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"name":`...)
				b = appendString(b, r.Name)
				b = append(b, `,"outcome":`...)
				b = appendString(b, string(r.Outcome))
				if r.Review {
					b = append(b, `,"review":true`...)
				}
				b = append(b, `,"requirements":`...)
				b = appendStatuses(b, r.Requirements)
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		if len(a.Settle) > 0 {
			b = append(b, `,"settle":[`...)
			for j, s := range a.Settle {
				if j > 0 {
					b = append(b, ',')
				}
				b = s.appendJSON(b)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// isZero reports whether v is zero as encoding/json's omitzero means it:
// by its IsZero method, if it has one.
func isZero(v reflect.Value) bool {
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		return z.IsZero()
	}
	return v.IsZero()
}

// isEmpty reports whether v is empty as encoding/json's omitempty means
// it: a struct never is.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.String, reflect.Array:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	}
	return false
}

// plainByte[c] is whether the byte c is written as it is in a JSON
// string: an ASCII byte other than a control character, '"' or '\\'.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendString appends s as an encoding/json Encoder with
// SetEscapeHTML(false) writes a string: invalid UTF-8 replaced by U+FFFD,
// U+2028 and U+2029 escaped, <, > and & as they are (json.Marshal escapes
// them in what a MarshalJSON returns).
func appendString(b []byte, s string) []byte {
	return append(appendEscaped(append(b, '"'), s), '"')
}

// appendEscaped appends s as appendString does, without the quotes. s
// may be bytes (see quoteLine).
func appendEscaped[S string | []byte](b []byte, s S) []byte {
	start := 0
	for i := plainPrefix(s); i < len(s); {
		c := s[i]
		if plainByte[c] {
			i += 1 + plainPrefix(s[i+1:])
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				const hex = "0123456789abcdef"
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := decodeRune(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			switch r {
			case utf8.RuneError:
				b = append(b, `\ufffd`...)
			case '\u2028':
				b = append(b, `\u2028`...)
			default:
				b = append(b, `\u2029`...)
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// decodeRune is utf8.DecodeRune of a string or bytes.
func decodeRune[S string | []byte](s S) (rune, int) {
	// At most utf8.UTFMax bytes: a conversion so short needs no memory.
	return utf8.DecodeRune([]byte(s[:min(len(s), utf8.UTFMax)]))
}

// quoteLine makes the text at b[start:], which follows a '"', the rest
// of a JSON string, as appendString writes it, in place: it escapes what
// needs it and appends the closing quote. It is how AppendJSON writes
// text that the helpers of text.go append (an action's text, a
// requirement's explain lines) without making it a string first.
func quoteLine(b []byte, start int) []byte {
	if i := start + plainPrefix(b[start:]); i < len(b) {
		// Escape the rest after the line, and move it back.
		end := len(b)
		b = appendEscaped(b, b[i:end])
		b = b[:i+copy(b[i:], b[end:])]
	}
	return append(b, '"')
}

// plainPrefix returns how many bytes s starts with that are plain
// (plainByte), eight at a time while it can. Most of a decision's text
// is plain: its ids, titles and clauses.
func plainPrefix[S string | []byte](s S) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		t := s[i : i+8]
		w := uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
			uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
		// The word has a byte that is not plain if one is 0x80 or more
		// (w), below 0x20 (the subtraction borrows into its high bit),
		// '"' or '\\' (xored with it, a zero byte, which x-ones&^x
		// flags). Past the first such byte the borrows may flag plain
		// bytes too; a word of plain bytes is never flagged.
		q, bs := w^(ones*'"'), w^(ones*'\\')
		if (w|(w-ones*0x20)|(q-ones)&^q|(bs-ones)&^bs)&highs != 0 {
			break
		}
	}
	for ; i < len(s) && plainByte[s[i]]; i++ {
	}
	return i
}

// appendRequirements appends the requirements' JSON array, null for none;
// heads, when not nil, are their requirements' (jsonHead), in order.
func appendRequirements(b []byte, rs []RequirementResult, heads []jsonHead) ([]byte, error) {
	if rs == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	var err error
	for i := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		var h *jsonHead
		if i < len(heads) {
			h = &heads[i]
		}
		if b, err = rs[i].appendJSON(b, h); err != nil {
			return nil, fmt.Errorf("requirement %s: %w", rs[i].ID, err)
		}
	}
	return append(b, ']'), nil
}
