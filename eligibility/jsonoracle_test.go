package eligibility

// The decision JSON encoder as it was before it was made to allocate
// less (reflection over Decision's fields, Explain's lines built as
// strings, strings.NewReplacer for explain wording): the oracle of
// TestAppendJSONAsBefore, which requires the encoder of today to write
// the same bytes.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/eligo-dev/eligo/eligibility/internal/printable"
	"github.com/eligo-dev/eligo/rules"
)

// AppendJSON appends the decision's JSON to b, compact, as an
// encoding/json Encoder with SetEscapeHTML(false) writes it (json.Marshal
// writes <, > and & as \u003c, \u003e and \u0026). It is the fast way
// to write a decision: json.Marshal calls MarshalJSON, which gives the
// same bytes, then checks them again, as encoding/json does for every
// MarshalJSON, which takes longer than writing them. See "Decisions as
// JSON" in the package documentation.
func oldAppendJSON(d *Decision, b []byte) ([]byte, error) {
	v := reflect.ValueOf(d).Elem()
	b = append(b, '{')
	first := true
	for _, f := range oldDecisionFields() {
		var fv reflect.Value
		if f.method != "" { // the award lists, methods since
			r := reflect.ValueOf(d).MethodByName(f.method).Call(nil)[0]
			fv = reflect.New(r.Type()).Elem()
			fv.Set(r)
		} else if f.index >= 0 {
			fv = v.Field(f.index)
		} else {
			rs := d.Requirements()
			fv = reflect.ValueOf(&rs).Elem()
		}
		if f.omitEmpty && oldIsEmpty(fv) || f.omitZero && oldIsZero(fv) {
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

// oldDecisionField is one member of a decision's JSON: a field of Decision
// and how it is written.
type oldDecisionField struct {
	index               int
	method              string // a method of Decision giving the value, for the award lists
	key                 string // `"name":`
	omitEmpty, omitZero bool
	enc                 func(b []byte, v reflect.Value) ([]byte, error)
}

// oldDecisionFields are Decision's fields as json tags name them, in order.
// Those of the types below are written directly; any other (a field added
// later) through encoding/json, so that every field is written.
var oldDecisionFields = sync.OnceValue(func() []oldDecisionField {
	t := reflect.TypeFor[Decision]()
	var out []oldDecisionField
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if !sf.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		f := oldDecisionField{index: i, key: strconv.Quote(name) + ":"}
		for _, o := range strings.Split(opts, ",") {
			f.omitEmpty = f.omitEmpty || o == "omitempty"
			f.omitZero = f.omitZero || o == "omitzero"
		}
		f.enc = oldEncoderFor(sf.Type)
		out = append(out, f)
		if name == "level" { // the award lists and the requirements, methods since
			for _, m := range []struct {
				name, key string
				t         reflect.Type
			}{{"Gates", "gates", reflect.TypeFor[[]RequirementStatus]()}, {"Levels", "levels", reflect.TypeFor[[]AwardResult]()},
				{"Categories", "categories", reflect.TypeFor[[]AwardResult]()}, {"Courses", "courses", reflect.TypeFor[[]AwardResult]()}} {
				out = append(out, oldDecisionField{index: -1, method: m.name, key: strconv.Quote(m.key) + ":", omitEmpty: m.name == "Gates", enc: oldEncoderFor(m.t)})
			}
			out = append(out, oldDecisionField{index: -1, key: `"requirements":`, enc: oldEncoderFor(reflect.TypeFor[[]RequirementResult]())})
		}
	}
	return out
})

func oldEncoderFor(t reflect.Type) func(b []byte, v reflect.Value) ([]byte, error) {
	switch t {
	case reflect.TypeFor[string]():
		return func(b []byte, v reflect.Value) ([]byte, error) { return oldAppendString(b, v.String()), nil }
	case reflect.TypeFor[float64]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			f := v.Float()
			if f != f || f > 1.7976931348623157e308 || f < -1.7976931348623157e308 {
				return nil, fmt.Errorf("not a finite number: %v", f)
			}
			return oldAppendFloat(b, f), nil
		}
	case reflect.TypeFor[Schema]():
		return func(b []byte, v reflect.Value) ([]byte, error) { return append(b, `"`+SchemaVersion+`"`...), nil }
	case reflect.TypeFor[Date]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			return oldAppendString(b, v.Addr().Interface().(*Date).String()), nil
		}
	case reflect.TypeFor[RuleSetInfo]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			r := v.Addr().Interface().(*RuleSetInfo)
			b = append(b, `{"name":`...)
			b = oldAppendString(b, r.Name)
			b = append(b, `,"version":`...)
			b = oldAppendString(b, r.Version)
			b = append(b, `,"digest":`...)
			b = oldAppendString(b, r.Digest)
			return append(b, '}'), nil
		}
	case reflect.TypeFor[[]RequirementStatus]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			return oldAppendStatuses(b, *v.Addr().Interface().(*[]RequirementStatus)), nil
		}
	case reflect.TypeFor[[]AwardResult]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			return oldAppendAwards(b, *v.Addr().Interface().(*[]AwardResult)), nil
		}
	case reflect.TypeFor[[]RequirementResult]():
		return func(b []byte, v reflect.Value) ([]byte, error) {
			rs := *v.Addr().Interface().(*[]RequirementResult)
			if rs == nil {
				return append(b, "null"...), nil
			}
			b = append(b, '[')
			var err error
			for i := range rs {
				if i > 0 {
					b = append(b, ',')
				}
				if b, err = oldRequirementJSON(rs[i], b); err != nil {
					return nil, fmt.Errorf("requirement %s: %w", rs[i].ID, err)
				}
			}
			return append(b, ']'), nil
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
				b = oldAppendString(b, x.ID)
				b = append(b, `,"title":`...)
				b = oldAppendString(b, x.Title)
				b = append(b, `,"from":`...)
				b = oldAppendString(b, x.From)
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
				b = oldAppendString(b, x.Item)
				b = append(b, `,"param":`...)
				b = oldAppendString(b, x.Param)
				b = append(b, `,"amount":`...)
				b = oldAppendFloat(b, x.Amount)
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
			b = oldAppendString(b, g.Level)
			b = append(b, `,"title":`...)
			b = oldAppendString(b, g.Title)
			b = append(b, `,"outcome":`...)
			b = oldAppendString(b, string(g.Outcome))
			b = append(b, `,"route":`...)
			b = oldAppendString(b, g.Route)
			b = append(b, `,"met":`...)
			b = oldAppendStrings(b, g.Met)
			b = append(b, `,"unmet":`...)
			b = oldAppendStatuses(b, g.Unmet)
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

func oldAppendStatuses(b []byte, ss []RequirementStatus) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = oldAppendString(b, s.ID)
		b = append(b, `,"status":`...)
		b = oldAppendString(b, string(s.Status))
		b = append(b, '}')
	}
	return append(b, ']')
}

func oldAppendAwards(b []byte, as []AwardResult) []byte {
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
		b = oldAppendString(b, a.ID)
		b = append(b, `,"title":`...)
		b = oldAppendString(b, a.Title)
		b = append(b, `,"outcome":`...)
		b = oldAppendString(b, string(a.Outcome))
		b = append(b, `,"route":`...)
		b = oldAppendString(b, a.Route)
		b = append(b, `,"requirements":`...)
		b = oldAppendStatuses(b, a.Requirements)
		if len(a.Routes) > 0 {
			b = append(b, `,"routes":[`...)
			for j, r := range a.Routes {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"name":`...)
				b = oldAppendString(b, r.Name)
				b = append(b, `,"outcome":`...)
				b = oldAppendString(b, string(r.Outcome))
				if r.Review {
					b = append(b, `,"review":true`...)
				}
				b = append(b, `,"requirements":`...)
				b = oldAppendStatuses(b, r.Requirements)
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
				b = oldActionJSON(s, b)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// oldIsZero reports whether v is zero as encoding/json's omitzero means it:
// by its IsZero method, if it has one.
func oldIsZero(v reflect.Value) bool {
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		return z.IsZero()
	}
	return v.IsZero()
}

// oldIsEmpty reports whether v is empty as encoding/json's omitempty means
// it: a struct never is.
func oldIsEmpty(v reflect.Value) bool {
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

// oldPlainByte[c] is whether the ASCII byte c is written as it is in a JSON
// string.
var oldPlainByte = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// oldAppendString appends s as an encoding/json Encoder with
// SetEscapeHTML(false) writes a string: invalid UTF-8 replaced by U+FFFD,
// U+2028 and U+2029 escaped, <, > and & as they are (json.Marshal escapes
// them in what a MarshalJSON returns).
func oldAppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if oldPlainByte[c] {
				i++
				continue
			}
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
		r, size := utf8.DecodeRuneInString(s[i:])
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
	b = append(b, s[start:]...)
	return append(b, '"')
}

func oldActionJSON(a Action, b []byte) []byte {
	b = append(b, `{"kind":`...)
	b = oldAppendString(b, string(a.Kind))
	b = append(b, `,"requirement":`...)
	b = oldAppendString(b, a.Requirement)
	if a.Item != "" {
		b = append(b, `,"item":`...)
		b = oldAppendString(b, a.Item)
	}
	if a.Label != "" {
		b = append(b, `,"label":`...)
		b = oldAppendString(b, a.Label)
	}
	b = append(b, `,"text":`...)
	b = oldAppendString(b, oldActionString(a))
	return append(b, '}')
}

func oldRequirementJSON(r RequirementResult, b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = oldAppendString(b, r.ID)
	b = append(b, `,"title":`...)
	b = oldAppendString(b, r.Title)
	b = append(b, `,"source":`...)
	b = oldAppendString(b, r.Source)
	b = append(b, `,"status":`...)
	b = oldAppendString(b, string(r.Status))
	if w := r.explain[string(r.Status)]; w != "" {
		b = append(b, `,"wording":`...)
		b = oldAppendString(b, w)
	}
	b = append(b, `,"explain":`...)
	if lines := oldExplain(r); lines != nil {
		b = oldAppendStrings(b, lines)
	} else {
		b = append(b, "[]"...)
	}
	b = append(b, `,"clauses":`...)
	if r.Clauses == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Clauses {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = oldClauseJSON(&r.Clauses[i], b); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	if len(r.Missing) > 0 {
		b = append(b, `,"missing":`...)
		b = oldAppendStrings(b, r.Missing)
	}
	if len(r.Unverified) > 0 {
		b = append(b, `,"unverified":[`...)
		for i, a := range r.Unverified {
			if i > 0 {
				b = append(b, ',')
			}
			b = oldActionJSON(a, b)
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

func oldClauseJSON(c *ClauseResult, b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"text":`...)
	b = oldAppendString(b, c.Text)
	b = append(b, `,"status":`...)
	b = oldAppendString(b, string(c.Status))
	if b, err = oldAppendComparison(b, c.Op, c.Observed, c.Required, c.Shortfall); err != nil {
		return nil, err
	}
	if len(c.Missing) > 0 {
		b = append(b, `,"missing":`...)
		b = oldAppendStrings(b, c.Missing)
	}
	if len(c.Values) > 0 {
		b = append(b, `,"values":[`...)
		for i, v := range c.Values {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = oldAppendString(b, v.Name)
			b = append(b, `,"value":`...)
			if b, err = v.Value.AppendJSON(b); err != nil {
				return nil, err
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if g := c.Closest; g != nil {
		b = append(b, `,"closest":{"path":`...)
		b = oldAppendString(b, g.Path)
		if g.Label != "" {
			b = append(b, `,"label":`...)
			b = oldAppendString(b, g.Label)
		}
		b = append(b, `,"met":`...)
		b = strconv.AppendInt(b, int64(g.Met), 10)
		b = append(b, `,"total":`...)
		b = strconv.AppendInt(b, int64(g.Total), 10)
		b = append(b, `,"failed":`...)
		if g.Failed == nil {
			b = append(b, "null"...)
		} else {
			b = append(b, '[')
			for i := range g.Failed {
				f := &g.Failed[i]
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"text":`...)
				b = oldAppendString(b, f.Text)
				if b, err = oldAppendComparison(b, f.Op, f.Observed, f.Required, f.Shortfall); err != nil {
					return nil, err
				}
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

func oldAppendComparison(b []byte, op string, observed, required rules.Value, shortfall *float64) ([]byte, error) {
	var err error
	if op != "" {
		b = append(b, `,"op":`...)
		b = oldAppendString(b, op)
	}
	if !observed.IsZero() {
		b = append(b, `,"observed":`...)
		if b, err = observed.AppendJSON(b); err != nil {
			return nil, err
		}
	}
	if !required.IsZero() {
		b = append(b, `,"required":`...)
		if b, err = required.AppendJSON(b); err != nil {
			return nil, err
		}
	}
	if shortfall != nil {
		f := *shortfall
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("%w: shortfall %v", rules.ErrNonFinite, f)
		}
		b = append(b, `,"shortfall":`...)
		b = oldAppendFloat(b, f)
	}
	return b, nil
}

func oldAppendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = oldAppendString(b, s)
	}
	return append(b, ']')
}

func oldAppendFloat(b []byte, f float64) []byte {
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

func oldActionString(a Action) string {
	s := string(a.Kind)
	if a.Item != "" {
		s += " " + a.Item
	}
	if a.Label != "" {
		s += " (" + printable.Shown(a.Label) + ")"
	}
	if a.Item == "" || a.Kind == Judge {
		s += " for " + a.Requirement
	}
	return s
}

func oldExplain(r RequirementResult) []string {
	var lines []string
	if t := r.explain[string(r.Status)]; t != "" {
		lines = append(lines, oldFill(r, t))
	}
	for _, c := range r.Clauses {
		if r.Status != Met && c.Status == Met {
			continue
		}
		lines = append(lines, oldClauseExplain(c))
		if g := c.Closest; g != nil && c.Status != Met && g.Met == g.Total && len(g.Failed) == 0 {
			// A failed none(): the entry is the offender, not a near miss.
			line := "found: " + oldEntry(g) + ", which meets the condition"
			if g.Total > 1 {
				line = fmt.Sprintf("found: %s, which meets all %d conditions", oldEntry(g), g.Total)
			}
			lines = append(lines, line)
		} else if g != nil && c.Status != Met {
			line := "closest: " + oldEntry(g)
			line += fmt.Sprintf(", %d of %d conditions hold; fails", g.Met, g.Total)
			for i, f := range g.Failed {
				if i > 0 {
					line += ";"
				}
				line += " " + oldGapExplain(ConditionGap(f))
			}
			lines = append(lines, line)
		}
	}
	for _, a := range r.Unverified {
		lines = append(lines, "unverified claim: "+oldActionString(a))
	}
	return lines
}

func oldEntry(g *EntryGap) string {
	if g.Label != "" {
		return g.Path + " (" + printable.Shown(g.Label) + ")"
	}
	return g.Path
}

func oldFill(r RequirementResult, t string) string {
	var obs, req, short string
	for _, c := range r.Clauses {
		if c.Op != "" {
			obs, req = c.Observed.String(), c.Required.String()
			if c.Shortfall != nil {
				short = strconv.FormatFloat(*c.Shortfall, 'f', -1, 64)
			}
			break
		}
	}
	return strings.NewReplacer("{observed}", obs, "{required}", req, "{shortfall}", short,
		"{missing}", strings.Join(r.Missing, ", "), "{title}", r.Title).Replace(t)
}

func oldClauseExplain(c ClauseResult) string {
	var s string
	switch {
	case c.Status == Unknown:
		s = fmt.Sprintf("%s: unknown, missing %s", c.Text, strings.Join(c.Missing, ", "))
		if c.Op != "" && !c.Required.IsZero() {
			s += fmt.Sprintf(" (needs %s %s)", c.Op, c.Required.String())
		}
	case c.Op != "":
		s = fmt.Sprintf("%s: %s, needs %s %s", c.Text, c.Observed.String(), c.Op, c.Required.String())
		if c.Shortfall != nil {
			s += fmt.Sprintf(" (%s short)", strconv.FormatFloat(*c.Shortfall, 'f', -1, 64))
		}
	case c.Status == Met && c.Closest != nil:
		s = c.Text + ": holds for " + oldEntry(c.Closest)
	case c.Status == Met:
		s = c.Text + ": holds"
	case !c.Observed.IsZero():
		s = fmt.Sprintf("%s: does not hold for %s", c.Text, c.Observed.String())
	default:
		s = c.Text + ": does not hold"
	}
	return s
}

func oldGapExplain(f ConditionGap) string {
	switch {
	case f.Op != "":
		s := fmt.Sprintf("%s (%s, needs %s %s", f.Text, f.Observed.String(), f.Op, f.Required.String())
		if f.Shortfall != nil {
			s += fmt.Sprintf("; %s short", strconv.FormatFloat(*f.Shortfall, 'f', -1, 64))
		}
		return s + ")"
	case !f.Observed.IsZero():
		return fmt.Sprintf("%s (given %s)", f.Text, f.Observed.String())
	}
	return f.Text
}
