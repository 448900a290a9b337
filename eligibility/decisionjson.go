package eligibility

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/rules"
)

// SchemaVersion names the shape of a decision's JSON: "eligo.decision/"
// and a major version. A decision's JSON carries it as its first member,
// "schema". The major version changes when a member changes meaning or
// type, or goes; added members (which older readers ignore) keep it.
const SchemaVersion = "eligo.decision/2"

const (
	schemaPrefix = "eligo.decision/"
	schemaMajor  = 2
)

// ErrSchema is the error of decision JSON this version of the library
// cannot read: no "schema" member, a schema of another major version, a
// record over MaxDecisionSize, or one whose words are not the schema's or
// whose parts contradict each other (Decision.UnmarshalJSON).
var ErrSchema = errors.New("eligibility: unknown decision schema")

// Schema is Decision.Schema: it holds nothing, marshals as SchemaVersion,
// and unmarshals only from a schema of the same major version
// ("eligo.decision/2" or "eligo.decision/2.N"), else an error wrapping
// ErrSchema that names the version.
type Schema struct{}

// String returns SchemaVersion.
func (Schema) String() string { return SchemaVersion }

// MarshalJSON writes SchemaVersion.
func (Schema) MarshalJSON() ([]byte, error) { return []byte(`"` + SchemaVersion + `"`), nil }

// UnmarshalJSON accepts a schema of major version 2 only.
func (*Schema) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("%w: \"schema\" is not a string: %s", ErrSchema, data)
	}
	return checkSchema(s)
}

func checkSchema(s string) error {
	v, ok := strings.CutPrefix(s, schemaPrefix)
	if !ok {
		return fmt.Errorf("%w %q: not an eligo decision (this library reads %s)", ErrSchema, s, SchemaVersion)
	}
	major, _, _ := strings.Cut(v, ".")
	if n, err := strconv.Atoi(major); err != nil || n != schemaMajor {
		return fmt.Errorf("%w %q: unknown major version %s (this library reads %s)", ErrSchema, s, major, SchemaVersion)
	}
	return nil
}

// UnmarshalJSON reads a decision from its JSON (see "Decisions as JSON"
// in the package documentation), replacing all of d. JSON without a
// "schema" member, or of another major version, is an error wrapping
// ErrSchema; so is a record over MaxDecisionSize bytes or
// MaxDecisionObjects objects, a status or
// outcome that is none of the schema's, an award granted while a
// requirement it lists is not met (or listed with another status than
// the decision's), a level that is not the highest granted one, or a gap
// naming a requirement the decision does not hold. On any error d is a
// zero Decision, which grants nothing. What is derived (each
// requirement's "explain" lines, each action's "text") is not read back:
// Explain and Action.String give it again from the fields. The decision
// read owns its memory: nothing of data is kept.
func (d *Decision) UnmarshalJSON(data []byte) (err error) {
	type plain Decision // without this method
	*d = Decision{}
	defer func() {
		if err != nil {
			*d = Decision{} // nothing of a record refused reads as a decision
		}
	}()
	if len(data) > MaxDecisionSize {
		return fmt.Errorf("%w: a record of %d bytes; at most %d (MaxDecisionSize) are read", ErrSchema, len(data), MaxDecisionSize)
	}
	if n := countObjects(data); n > MaxDecisionObjects {
		return fmt.Errorf("%w: a record of %d objects; at most %d (MaxDecisionObjects) are read", ErrSchema, n, MaxDecisionObjects)
	}
	w := struct {
		Schema       *string             `json:"schema"`
		Requirements []RequirementResult `json:"requirements"`
		awardLists
		*plain
	}{plain: (*plain)(d)}
	readErr := json.Unmarshal(data, &w)
	d.expl = explained(w.Requirements, w.awardLists)
	var syntax *json.SyntaxError
	if errors.As(readErr, &syntax) {
		return fmt.Errorf("eligibility: a decision: %w", readErr)
	}
	if w.Schema == nil {
		return fmt.Errorf("%w: no \"schema\" member (this library reads %s)", ErrSchema, SchemaVersion)
	}
	if err := checkSchema(*w.Schema); err != nil {
		return err
	}
	if readErr != nil {
		return fmt.Errorf("eligibility: a decision: %w", readErr)
	}
	return d.consistent()
}

// MaxDecisionSize is the most bytes of JSON Decision.UnmarshalJSON reads:
// a decision of ACTO's rules, some 40 requirements with their
// explanations, is about 60 KB, so this holds one of a few thousand.
const MaxDecisionSize = 4 << 20

// MaxDecisionObjects is the most JSON objects ({...}) a record
// Decision.UnmarshalJSON reads may hold. Each becomes a Go value (a
// requirement's result, a clause's, a typed value) far bigger than its
// text can be, "{}" at the least: a record of MaxDecisionSize bytes of
// them would cost gigabytes to read. A decision of ACTO's rules holds an
// object in about 80 bytes, so a record of MaxDecisionSize bytes holds
// some 50,000.
const MaxDecisionObjects = MaxDecisionSize / 32

// countObjects counts the objects of JSON data: the braces that open one,
// outside strings. (Of data that is not JSON, it counts the braces outside
// what would be strings; json.Unmarshal then refuses data.)
func countObjects(data []byte) int {
	n := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '{':
			n++
		case '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
		}
	}
	return n
}

// consistent reports, as an error wrapping ErrSchema, a decision read
// from JSON whose words are not the schema's (a status, an outcome) or
// whose parts contradict each other: an award granted while a requirement
// it lists is not met, a level that is not the highest granted, a gap
// naming a requirement the decision does not hold. A record that passes
// is not re-decided: Expand of its compact form does that, against an
// engine and the applicant.
func (d *Decision) consistent() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: a decision that contradicts itself: "+format, append([]any{ErrSchema}, args...)...)
	}
	statuses := map[string]Status{}
	for i, r := range d.Requirements() {
		if !knownStatus(r.Status) {
			return bad("requirements[%d].status %q is no status", i, r.Status)
		}
		statuses[r.ID] = r.Status
	}
	level := ""
	for _, group := range []struct {
		name string
		as   []AwardResult
	}{{"levels", d.Levels()}, {"categories", d.Categories()}, {"courses", d.Courses()}} {
		for i, a := range group.as {
			if !slices.Contains(outcomeOfRank[:], a.Outcome) {
				return bad("%s[%d].outcome %q is no outcome", group.name, i, a.Outcome)
			}
			for _, r := range a.Requirements {
				if !knownStatus(r.Status) {
					return bad("%s[%d] requirement %s: status %q is no status", group.name, i, r.ID, r.Status)
				}
				if s, ok := statuses[r.ID]; ok && s != r.Status {
					return bad("%s[%d] requirement %s is %s, the decision's requirement %s", group.name, i, r.ID, r.Status, s)
				}
				if a.Outcome == Granted && r.Status != Met {
					return bad("%s[%d] %s is granted, yet its requirement %s is %s", group.name, i, a.ID, r.ID, r.Status)
				}
			}
			if group.name == "levels" && a.Outcome == Granted {
				level = a.ID
			}
		}
	}
	if d.Levels() != nil && d.Level != level {
		return bad("level %q, where the highest granted level is %q", d.Level, level)
	}
	if g := d.Next; g != nil && d.Requirements() != nil {
		for _, u := range g.Unmet {
			if _, ok := statuses[u.ID]; !ok {
				return bad("next.unmet names %q, a requirement the decision does not hold", u.ID)
			}
		}
	}
	return nil
}

// knownStatus reports whether s is one of the five statuses.
func knownStatus(s Status) bool { return slices.Contains(statusOfByte[:], s) }

// UnmarshalJSON reads a date written "YYYY-MM-DD", as midnight UTC.
func (d *Date) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("eligibility: a date: %w", err)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("eligibility: a date: %q is not YYYY-MM-DD", s)
	}
	d.Time = t
	return nil
}

// MarshalJSON writes the action with its text for people (String) as
// "text": {"kind":"verify","requirement":"insured","item":"insurance",
// "text":"verify insurance"}.
func (a Action) MarshalJSON() ([]byte, error) { return a.appendJSON(make([]byte, 0, 128)), nil }

func (a Action) appendJSON(b []byte) []byte {
	b = append(b, `{"kind":`...)
	b = appendString(b, string(a.Kind))
	b = append(b, `,"requirement":`...)
	b = appendString(b, a.Requirement)
	if a.Item != "" {
		b = append(b, `,"item":`...)
		b = appendString(b, a.Item)
	}
	if a.Label != "" {
		b = append(b, `,"label":`...)
		b = appendString(b, a.Label)
	}
	b = append(b, `,"text":`...)
	b = append(b, '"')
	start := len(b)
	return append(quoteLine(a.appendText(b), start), '}')
}

// UnmarshalJSON reads an action; its "text" is derived (String) and not
// read.
func (a *Action) UnmarshalJSON(data []byte) error {
	type plain Action
	*a = Action{}
	return json.Unmarshal(data, (*plain)(a))
}

// MarshalJSON writes the result with the lines Explain gives, as
// "explain", and the rule file's explain wording for its status, if any,
// as written (with its {placeholders}), as "wording".
func (r RequirementResult) MarshalJSON() ([]byte, error) {
	return r.appendJSON(make([]byte, 0, 1024), nil)
}

// appendJSON appends r's JSON; h, when not nil, is the JSON its
// requirement's id, title, source and clause texts make, escaped already
// (jsonHead), which it copies where r holds them.
func (r *RequirementResult) appendJSON(b []byte, h *jsonHead) ([]byte, error) {
	var err error
	if h != nil && r.ID == h.id && r.Title == h.title && r.Source == h.source {
		b = append(b, h.head...)
	} else {
		b = appendReqHead(b, r.ID, r.Title, r.Source)
	}
	b = appendStatusString(b, r.Status)
	if w := r.wording(); w != "" {
		b = append(b, `,"wording":`...)
		b = appendString(b, w)
	}
	// Each line follows a '"' and is followed by `,"`: the last line's
	// (or, with none, the opening '"') is taken back.
	b = append(b, `,"explain":["`...)
	open := len(b)
	b = r.appendExplain(b, func(b []byte, start int) []byte {
		return append(quoteLine(b, start), `,"`...)
	})
	if len(b) == open {
		b = b[:len(b)-1]
	} else {
		b = b[:len(b)-2]
	}
	b = append(b, ']')
	b = append(b, `,"clauses":`...)
	if r.Clauses == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Clauses {
			if i > 0 {
				b = append(b, ',')
			}
			var ch *clauseHead
			if h != nil && i < len(h.clauses) {
				ch = &h.clauses[i]
			}
			if b, err = r.Clauses[i].appendJSON(b, ch); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	if len(r.Missing) > 0 {
		b = append(b, `,"missing":`...)
		b = appendStrings(b, r.Missing)
	}
	if len(r.Unverified) > 0 {
		b = append(b, `,"unverified":[`...)
		for i, a := range r.Unverified {
			if i > 0 {
				b = append(b, ',')
			}
			b = a.appendJSON(b)
		}
		b = append(b, ']')
	}
	if r.Error != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, r.Error)
	}
	return append(b, '}'), nil
}

// wording is the rule file's explain text for the result's status, as
// written.
func (r RequirementResult) wording() string { return r.explain[string(r.Status)] }

// UnmarshalJSON reads a requirement's result. Its "explain" lines are
// derived and not read (Explain gives them again); its "wording" is kept,
// so Explain's first line is the rule file's wording filled in, as in the
// original.
func (r *RequirementResult) UnmarshalJSON(data []byte) error {
	type plain RequirementResult
	*r = RequirementResult{}
	w := struct {
		*plain
		Wording string `json:"wording"`
	}{plain: (*plain)(r)}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	if w.Wording != "" {
		r.explain = map[string]string{string(r.Status): w.Wording}
	}
	return nil
}

// Equal reports whether r and o are the same result: the same exported
// fields (values compared with rules.Value.Equal, a nil list equal to an
// empty one) and the same explain wording for their status. It is how
// results compare whatever unexported state they hold (the rule file's
// wording for every status, from an evaluation; for one, from JSON);
// go-cmp uses it.
func (r RequirementResult) Equal(o RequirementResult) bool {
	return r.wording() == o.wording() && equalExported(reflect.ValueOf(r), reflect.ValueOf(o))
}

var valueType = reflect.TypeFor[rules.Value]()

// equalExported compares a and b, of one type, by their exported fields.
func equalExported(a, b reflect.Value) bool {
	switch a.Type() {
	case valueType:
		return a.Interface().(rules.Value).Equal(b.Interface().(rules.Value))
	case timeType:
		return a.Interface().(time.Time).Equal(b.Interface().(time.Time))
	}
	switch a.Kind() {
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() && !equalExported(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equalExported(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equalExported(a.Elem(), b.Elem())
	}
	return a.Interface() == b.Interface()
}

// appendReqHead appends a requirement result's JSON up to its status.
func appendReqHead(b []byte, id, title, source string) []byte {
	b = appendString(append(b, `{"id":`...), id)
	b = appendString(append(b, `,"title":`...), title)
	b = appendString(append(b, `,"source":`...), source)
	return append(b, `,"status":`...)
}

// appendClauseHead appends a clause result's JSON up to its status.
func appendClauseHead(b []byte, text string) []byte {
	return append(appendString(append(b, `{"text":`...), text), `,"status":`...)
}

// appendStatusString appends s as a JSON string: quoted once already
// (statusJSON) for a status of a byte, else escaped.
func appendStatusString(b []byte, s Status) []byte {
	for c, t := range statusOfByte {
		if s == t {
			return append(b, statusJSON[c]...)
		}
	}
	return appendString(b, string(s))
}

// appendJSON appends c's JSON; h, when not nil, is the JSON its clause's
// text makes, escaped already, which it copies where c holds that text.
func (c *ClauseResult) appendJSON(b []byte, h *clauseHead) ([]byte, error) {
	var err error
	if h != nil && c.Text == h.text {
		b = append(b, h.head...)
	} else {
		b = appendClauseHead(b, c.Text)
	}
	b = appendStatusString(b, c.Status)
	if b, err = appendComparison(b, c.Op, c.Observed, c.Required, c.Shortfall); err != nil {
		return nil, err
	}
	if len(c.Missing) > 0 {
		b = append(b, `,"missing":`...)
		b = appendStrings(b, c.Missing)
	}
	if len(c.Values) > 0 {
		b = append(b, `,"values":[`...)
		for i, v := range c.Values {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = appendString(b, v.Name)
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
		b = appendString(b, g.Path)
		if g.Label != "" {
			b = append(b, `,"label":`...)
			b = appendString(b, g.Label)
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
				b = appendString(b, f.Text)
				if b, err = appendComparison(b, f.Op, f.Observed, f.Required, f.Shortfall); err != nil {
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

// appendComparison appends the members op, observed, required and
// shortfall that are set.
func appendComparison(b []byte, op string, observed, required rules.Value, shortfall *float64) ([]byte, error) {
	var err error
	if op != "" {
		b = append(b, `,"op":`...)
		b = appendString(b, op)
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
		b = appendFloat(b, f)
	}
	return b, nil
}

func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendFloat appends a finite f as encoding/json writes a float64.
func appendFloat(b []byte, f float64) []byte {
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
