package ruleset

import (
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/eligo-dev/eligo/rules/file"
	"go.yaml.in/yaml/v3"
)

// Model is the applicant document a rule set declares under its "model"
// key: the fields of the document, each with a type, and the conventions
// the engine reads (claims carrying a verified flag, labels of list
// entries, the applicant's id). A rule set declares at most one model, in
// one of its files; a Set without one has a nil Model.
//
// Type builds the Go struct type rules compile against.
type Model struct {
	Fields []*ModelField // the document's top-level fields, in the order given
	Pos    file.Position // where the model key stands

	once sync.Once
	typ  reflect.Type
	err  error
}

// FieldType is the type of a declared model field.
type FieldType string

// The types a model field may have.
const (
	TypeText    FieldType = "text"    // a string
	TypeNumber  FieldType = "number"  // a float64, 0 when absent; a *float64, nil when absent, if nullable
	TypeInteger FieldType = "integer" // an int, 0 when absent; an *int, nil when absent, if nullable
	TypeBoolean FieldType = "boolean" // a bool, false when absent; a *bool, nil when absent, if nullable
	TypeDate    FieldType = "date"    // a *time.Time, nil when absent
	TypeSection FieldType = "section" // a pointer to a struct of Fields, nil when absent
	TypeList    FieldType = "list"    // a slice of structs of Fields, the list's entries; a []string if of text
)

var fieldTypes = []string{string(TypeText), string(TypeNumber), string(TypeInteger), string(TypeBoolean),
	string(TypeDate), string(TypeSection), string(TypeList)}

// ModelField is one declared field of a Model, of a section or of a list's
// entries. Each key of a declaration applies to the types named below; a
// key given for another type is a load error at the key.
type ModelField struct {
	// Name is the field's key in documents and the name rules read it by:
	// lowerCamelCase, e.g. "revalidation". A top-level name must not be
	// one the rule language reserves (asOf, param, a keyword, a library
	// function or expr builtin); no name may be "verified", the flag of a
	// claim. Nested names are read only after a dot ("s.len",
	// ".matches"), where the rule language takes any name, so they are
	// otherwise free.
	Name        string
	Type        FieldType
	Description string // "description": free text for people, or ""
	// Required ("required"): a text must not be empty; a number, integer,
	// boolean, date, section or list must be given (a list with at least
	// one entry), so that a document leaving it out (or giving null) is
	// invalid at the field. A required number or boolean may be 0 or
	// false: it is its absence that is refused. A required text with an
	// enum needs no more than its enum: no enum value is empty.
	Required bool
	// Enum ("enum", for a text or a list of texts): the values allowed,
	// or none for any text; of a list of texts, the values its entries
	// may take. Each is written in the model type's validate tag (oneof),
	// so none may hold white space, a comma, a quote, '|', '=', '\', or
	// 0x2C or 0x7C, which the validator reads as a comma and a bar.
	Enum []string
	// Min and Max ("min", "max", for numbers and integers): the bounds
	// allowed, inclusive, or nil.
	Min, Max *float64
	// Verified ("verified", for sections and lists of entries) marks a
	// section, or the entries of a list, as claims: each carries a
	// "verified" flag the engine reads. Absent means not verified, but an
	// engine (eligibility.New) refuses a model whose section or list holds,
	// with no verified section or list around it, data a requirement that
	// can grant reads: an unverified claim there would grant.
	Verified bool
	// Unverifiable is "verified: false" written out: the section or list
	// holds data that can only refuse, not claims (a sanction, say), and
	// granting requirements may read it. Its Go field is tagged
	// eligo:"unverifiable".
	Unverifiable bool
	// Label ("label", for lists of entries): the text field naming an
	// entry in explanations, or "". A personal field cannot be a label.
	Label string
	// ID ("id", for a top-level text): the applicant's id, one field at
	// most. A personal field cannot be the id.
	ID bool
	// Past ("past", for dates): the date is an event's, which must not
	// lie after the evaluation date: a later one makes the document
	// invalid. It is the strict alternative to Event, and excludes it.
	Past bool
	// Event ("event", for dates): the date is an event's, judged against
	// the evaluation date, so that a decision rests on the evidence as it
	// stood then. EventDate ("event: true"): a later date is as if absent
	// (a course completed later is in progress). EventStart ("event:
	// start"): the date starts its list entry or section, which is left
	// out whole when it lies later (a CPD activity dated later is not
	// listed). Either is allowed on a date in a top-level section or list
	// entry, or in an entry of a list within a top-level section, and
	// EventDate on a top-level date too; "" when not given.
	Event EventKind
	// NotBefore ("notBefore", for dates): the name of a date field of the
	// same section or list entry (or of the document's top level) that
	// this date must not precede when both are given; or "".
	NotBefore string
	// Nullable ("nullable", for booleans, numbers and integers): absent
	// means unknown, not false or 0; rules see nil for it, so that a
	// requirement reading it at the top level is unknown, and within a
	// condition on a list's entries must say what absence means
	// (.active ?? true). A field is required or nullable, not both.
	//
	// A number, integer or boolean neither required nor nullable is 0 or
	// false when a document leaves it out, and a rule reading it cannot
	// tell absence from the value: lint reports a clause that holds on
	// such an absence (absence-grants).
	Nullable bool
	// Personal ("personal", for texts): personal data, such as a name,
	// that documents carry but rules never see.
	Personal bool
	// Format ("format", for texts): the form the text must take, or "".
	// The one format is "country", an ISO 3166-1 alpha-2 country code
	// such as GB.
	Format string
	// Of ("of", for lists): TypeText for a list of texts; "" for a list
	// of entries, each a struct of Fields.
	Of FieldType
	// MaxEntries ("maxEntries", for lists): the most entries the list may
	// hold, 1 to MaxListEntries; 0 when not declared, which means
	// MaxListEntries.
	MaxEntries int
	Fields     []*ModelField // "fields", for sections and lists of entries: their fields, in the order given
	Pos        file.Position // where the field's key stands

	notBeforeAt *yaml.Node // the notBefore value, until the reference is checked
	eventAt     *yaml.Node // the event key, until its place is checked
}

// EventKind is how an event date is judged against the evaluation date
// (ModelField.Event).
type EventKind string

// The kinds of event date.
const (
	// EventDate: an event's date, as if absent when it lies after the
	// evaluation date ("event: true").
	EventDate EventKind = "event"
	// EventStart: the start of a list entry or section, left out whole
	// when it lies after the evaluation date ("event: start").
	EventStart EventKind = "start"
)

// FormatCountry is the format of an ISO 3166-1 alpha-2 country code.
const FormatCountry = "country"

var textFormats = []string{FormatCountry}

// Limits on a declared model.
const (
	// MaxModelDepth is how deeply sections and lists may nest in a model.
	MaxModelDepth = 8
	// MaxModelFields is how many fields a model may declare in all.
	MaxModelFields = 1000
)

var modelNameRE = regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)

// enumValueRE: an enum value must fit in a validate tag's oneof.
var enumValueRE = regexp.MustCompile(`^[^\s,|'"=\\]+$`)

// validatorEscapes are the escapes go-playground/validator replaces in a
// tag's parameters (as written: it does not ignore case), with what each
// stands for: an enum value holding one would not be itself in oneof.
var validatorEscapes = map[string]string{"0x2C": ",", "0x7C": "|"}

// validatorEscape returns the first of validatorEscapes in v, or "".
func validatorEscape(v string) string {
	for _, esc := range []string{"0x2C", "0x7C"} {
		if strings.Contains(v, esc) {
			return esc
		}
	}
	return ""
}

var modelFieldKeys = []string{"type", "description", "required", "enum", "min", "max", "verified", "label", "id", "fields",
	"past", "event", "notBefore", "nullable", "personal", "format", "of", "maxEntries"}

// which types each key applies to (type and description apply to all)
var modelKeyTypes = map[string][]FieldType{
	"required": {TypeText, TypeNumber, TypeInteger, TypeBoolean, TypeDate, TypeSection, TypeList},
	"enum":     {TypeText, TypeList},
	"min":      {TypeNumber, TypeInteger},
	"max":      {TypeNumber, TypeInteger},
	"verified": {TypeSection, TypeList},
	"label":    {TypeList},
	"id":       {TypeText},
	"fields":   {TypeSection, TypeList},

	"past":       {TypeDate},
	"event":      {TypeDate},
	"notBefore":  {TypeDate},
	"nullable":   {TypeNumber, TypeInteger, TypeBoolean},
	"personal":   {TypeText},
	"format":     {TypeText},
	"of":         {TypeList},
	"maxEntries": {TypeList},
}

// keys that apply to a list of entries but not to a list of texts, and
// the one that applies to a list of texts but not to one of entries
var (
	entryListKeys = []string{"fields", "verified", "label"}
	textListKeys  = []string{"enum"}
)

// model reads the model key: a mapping of field names to declarations.
func (p *parser) model(key, n *yaml.Node) {
	if p.set.Model != nil {
		p.errorf(key, file.ErrDuplicate, "model is already declared at %s; declare it in one file", p.set.Model.Pos)
		return
	}
	m := &Model{Pos: p.src.Pos(key)}
	p.set.Model = m
	count := 0
	var idPos *file.Position
	m.Fields = p.modelFields(n, "model", 1, &count, &idPos)
	p.eventPlaces(m.Fields, placeTop, "model")
	if r := resolveAlias(n); r.Kind == yaml.MappingNode && len(r.Content) == 0 {
		p.errorf(n, file.ErrValue, "model: declare at least one field")
	}
}

// modelFields reads a mapping of field declarations at depth (1 for the
// model's own fields).
func (p *parser) modelFields(n *yaml.Node, what string, depth int, count *int, idPos **file.Position) []*ModelField {
	var out []*ModelField
	for _, f := range p.mapping(n, what, nil, nil) {
		name := f.key.Value
		*count++
		if *count == MaxModelFields+1 {
			p.errorf(f.key, file.ErrLimit, "model: more than %d fields", MaxModelFields)
		}
		if *count > MaxModelFields {
			return out
		}
		if !modelNameRE.MatchString(name) {
			p.errorf(f.key, file.ErrValue, "%s field %q: use lowerCamelCase: a lower-case letter, then letters and digits", what, name)
			continue
		}
		if name == "verified" {
			p.errorf(f.key, file.ErrReserved, "%s field %q: the flag of a claim; write verified: true on the section or list instead", what, name)
			continue
		}
		if depth == 1 && !p.unreserved("model field", f.key, name) {
			continue
		}
		if fd := p.modelField(f, what, depth, count, idPos); fd != nil {
			out = append(out, fd)
		}
	}
	p.notBefore(n, what, out)
	return out
}

// notBefore checks each notBefore of fields names another date field
// among them.
func (p *parser) notBefore(n *yaml.Node, what string, fields []*ModelField) {
	var dates []string
	for _, f := range fields {
		if f.Type == TypeDate {
			dates = append(dates, f.Name)
		}
	}
	var suggest *file.Suggester // among dates, made when first needed
	for _, f := range fields {
		at := f.notBeforeAt
		f.notBeforeAt = nil
		if f.NotBefore == "" || at == nil {
			continue
		}
		where := "model field " + f.Name
		if what != "model" {
			where = what + "." + f.Name
		}
		switch sib := fieldNamed(fields, f.NotBefore); {
		case sib == nil && hasKey(resolveAlias(n), f.NotBefore):
			f.NotBefore = "" // the sibling itself is faulty and reported
		case sib == nil:
			msg := "; want a date field beside it"
			if suggest == nil {
				suggest = file.NewSuggester(dates)
			}
			if s := suggest.Suggest(f.NotBefore); s != "" {
				msg = "; did you mean " + strconv.Quote(s) + "?"
			}
			p.errorf(at, file.ErrUnknownReference, "%s notBefore: no field %q beside it%s", where, f.NotBefore, msg)
			f.NotBefore = ""
		case sib == f:
			p.errorf(at, file.ErrValue, "%s notBefore: a date cannot be compared with itself; name another date field", where)
			f.NotBefore = ""
		case sib.Type != TypeDate:
			p.errorf(at, file.ErrValue, "%s notBefore: field %q is %s; want a date field", where, f.NotBefore, sib.Type)
			f.NotBefore = ""
		}
	}
}

func (p *parser) modelField(f field, parent string, depth int, count *int, idPos **file.Position) *ModelField {
	fd := &ModelField{Name: f.key.Value, Pos: p.src.Pos(f.key)}
	what := "model field " + f.key.Value
	if parent != "model" {
		what = parent + "." + f.key.Value
	}
	fields := p.mapping(f.val, what, modelFieldKeys, []string{"type"})
	if fields == nil {
		return nil
	}
	ok := true
	for _, g := range fields {
		if g.key.Value != "type" {
			continue
		}
		t := p.str(g.val, what+" type")
		if t == "" {
			return nil
		}
		if !contains(fieldTypes, t) {
			msg := "want one of " + strings.Join(fieldTypes, ", ")
			if s := file.Suggest(t, fieldTypes); s != "" {
				msg = "did you mean " + strconv.Quote(s) + "?"
			}
			p.errorf(g.val, file.ErrValue, "%s type: unknown type %q; %s", what, t, msg)
			return nil
		}
		fd.Type = FieldType(t)
	}
	if fd.Type == "" {
		return nil // missing type, reported by mapping
	}
	for _, g := range fields {
		if g.key.Value != "of" || fd.Type != TypeList {
			continue
		}
		switch of := p.str(g.val, what+" of"); of {
		case "":
			return nil
		case string(TypeText):
			fd.Of = TypeText
		default:
			msg := "a list of entries declares its fields instead"
			if s := file.Suggest(of, []string{string(TypeText)}); s != "" {
				msg = "did you mean " + strconv.Quote(s) + "?"
			}
			p.errorf(g.val, file.ErrValue, "%s of: %q; a list may only be of text; %s", what, of, msg)
			return nil
		}
	}
	var labelNode, fieldsNode, personalKey, pastKey, nullableKey *yaml.Node
	for _, g := range fields {
		k := g.key.Value
		if ts, limited := modelKeyTypes[k]; limited && !containsType(ts, fd.Type) {
			p.errorf(g.key, file.ErrUnknownKey, "%s: key %q does not apply to a %s field", what, k, fd.Type)
			ok = false
			continue
		}
		if fd.Type == TypeList && (fd.Of == TypeText && contains(entryListKeys, k) || fd.Of == "" && contains(textListKeys, k)) {
			kind := "a list of entries (without of: text)"
			if fd.Of == TypeText {
				kind = "a list of text"
			}
			p.errorf(g.key, file.ErrUnknownKey, "%s: key %q does not apply to %s", what, k, kind)
			ok = false
			continue
		}
		switch k {
		case "description":
			fd.Description = p.str(g.val, what+" description")
		case "required":
			fd.Required = p.modelBool(g.val, what+" required")
		case "verified":
			fd.Verified = p.modelBool(g.val, what+" verified")
			fd.Unverifiable = !fd.Verified
		case "id":
			if fd.ID = p.modelBool(g.val, what+" id"); fd.ID {
				switch {
				case depth > 1:
					p.errorf(g.key, file.ErrValue, "%s: only a top-level field can be the applicant's id", what)
					fd.ID = false
				case *idPos != nil:
					p.errorf(g.key, file.ErrDuplicate, "%s: the applicant's id is already declared at %s", what, **idPos)
					fd.ID = false
				default:
					pos := p.src.Pos(g.key)
					*idPos = &pos
				}
			}
		case "enum":
			fd.Enum = p.enum(g.val, what+" enum")
		case "min":
			fd.Min = p.bound(g.val, what+" min", fd.Type)
		case "max":
			fd.Max = p.bound(g.val, what+" max", fd.Type)
		case "label":
			fd.Label = p.str(g.val, what+" label")
			labelNode = g.val
		case "fields":
			fieldsNode = g.val
		case "past":
			fd.Past = p.modelBool(g.val, what+" past")
			pastKey = g.key
		case "event":
			fd.Event = p.event(g.val, what+" event")
			fd.eventAt = g.key
		case "notBefore":
			if fd.NotBefore = p.str(g.val, what+" notBefore"); fd.NotBefore != "" {
				fd.notBeforeAt = g.val
			}
		case "nullable":
			fd.Nullable = p.modelBool(g.val, what+" nullable")
			nullableKey = g.key
		case "personal":
			fd.Personal = p.modelBool(g.val, what+" personal")
			personalKey = g.key
		case "format":
			fd.Format = p.format(g.val, what+" format")
		case "maxEntries":
			fd.MaxEntries = p.maxEntries(g.val, what+" maxEntries")
		}
	}
	if fd.Personal && fd.ID {
		p.errorf(personalKey, file.ErrValue, "%s: the applicant's id cannot be personal: rules and decisions need it", what)
		ok = false
	}
	if fd.Nullable && fd.Required {
		p.errorf(nullableKey, file.ErrValue, "%s: required makes a document that leaves the field out invalid, nullable makes its absence unknown to the rules; give one of them", what)
		ok = false
	}
	if fd.Past && fd.Event != "" {
		p.errorf(pastKey, file.ErrValue, "%s: past makes a date after the evaluation date an input error, event leaves it out; give one of them", what)
		ok = false
	}
	if fd.Min != nil && fd.Max != nil && *fd.Min > *fd.Max {
		p.errorf(f.val, file.ErrValue, "%s: min %v is above max %v", what, *fd.Min, *fd.Max)
	}
	if fd.Type == TypeSection || fd.Type == TypeList && fd.Of == "" {
		switch {
		case fieldsNode == nil:
			p.errorf(f.val, file.ErrValue, "%s: a %s declares its fields", what, fd.Type)
			ok = false
		case depth >= MaxModelDepth:
			p.errorf(fieldsNode, file.ErrLimit, "%s: sections and lists nest more than %d deep", what, MaxModelDepth)
			ok = false
		default:
			fd.Fields = p.modelFields(fieldsNode, what, depth+1, count, idPos)
			if len(fd.Fields) == 0 && resolveAlias(fieldsNode).Kind == yaml.MappingNode && len(resolveAlias(fieldsNode).Content) == 0 {
				p.errorf(fieldsNode, file.ErrValue, "%s fields: declare at least one field", what)
			}
		}
	}
	if fd.Label != "" && fieldsNode != nil {
		switch lf := fieldNamed(fd.Fields, fd.Label); {
		case lf == nil && hasKey(resolveAlias(fieldsNode), fd.Label):
			// the field itself is faulty and reported
		case lf == nil:
			msg := ""
			if s := file.Suggest(fd.Label, fieldNames(fd.Fields)); s != "" {
				msg = "; did you mean " + strconv.Quote(s) + "?"
			}
			p.errorf(labelNode, file.ErrUnknownReference, "%s label: no field %q in its entries%s", what, fd.Label, msg)
		case lf.Type != TypeText:
			p.errorf(labelNode, file.ErrValue, "%s label: field %q is %s; a label is a text field", what, fd.Label, lf.Type)
		case lf.Personal:
			p.errorf(labelNode, file.ErrValue, "%s label: field %q is personal; explanations show a label, so it cannot be", what, fd.Label)
		}
	}
	if !ok {
		return nil
	}
	return fd
}

// event reads an event key: true or start.
func (p *parser) event(n *yaml.Node, what string) EventKind {
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!!bool" && n.Value == "true":
		return EventDate
	case n.Kind == yaml.ScalarNode && n.Tag == "!!str" && n.Value == "start":
		return EventStart
	}
	msg := "want true (a later date is as if absent) or start (a later date leaves out its entry or section)"
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		msg = "want true or start; leave the key out for a date that is no event's"
	}
	p.errorf(n, file.ErrValue, "%s: %s, got %s", what, msg, file.Describe(n))
	return ""
}

// eventPlace is where in a model a field stands, as event dates go.
type eventPlace int

const (
	placeTop     eventPlace = iota // the top level
	placeSection                   // a top-level section
	placeEntry                     // a top-level list's entries, or a list's within a top-level section
	placeTooDeep                   // anywhere deeper, where no event date is judged
)

// eventPlaces checks that each event key of fields, which stand at place,
// stands where the engine judges it, and clears those that do not.
func (p *parser) eventPlaces(fields []*ModelField, place eventPlace, what string) {
	for _, f := range fields {
		where := "model field " + f.Name
		if what != "model" {
			where = what + "." + f.Name
		}
		if at := f.eventAt; at != nil {
			f.eventAt = nil
			switch {
			case f.Event == "":
			case place == placeTooDeep:
				p.errorf(at, file.ErrValue, "%s event: event dates are judged at the top level, in a top-level section or list entry, or in an entry of a list within a top-level section, not deeper", where)
				f.Event = ""
			case place == placeTop && f.Event == EventStart:
				p.errorf(at, file.ErrValue, "%s event: start marks the date a section or list entry begins; a top-level date begins none: use event: true", where)
				f.Event = ""
			}
		}
		inner := placeTooDeep
		switch {
		case place == placeTop && f.Type == TypeSection:
			inner = placeSection
		case place == placeTop && f.Type == TypeList, place == placeSection && f.Type == TypeList:
			inner = placeEntry
		}
		if len(f.Fields) > 0 {
			p.eventPlaces(f.Fields, inner, where)
		}
	}
}

func containsType(ts []FieldType, t FieldType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

func fieldNamed(fs []*ModelField, name string) *ModelField {
	for _, f := range fs {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func fieldNames(fs []*ModelField) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

func hasKey(n *yaml.Node, key string) bool {
	if n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

func (p *parser) modelBool(n *yaml.Node, what string) bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		p.errorf(n, file.ErrValue, "%s: want true or false, got %s", what, file.Describe(n))
		return false
	}
	return n.Value == "true"
}

func (p *parser) enum(n *yaml.Node, what string) []string {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		got := file.Describe(n)
		if n.Kind == yaml.SequenceNode {
			got = "an empty list"
		}
		p.errorf(n, file.ErrValue, "%s: want a non-empty list of texts, got %s", what, got)
		return nil
	}
	seen := map[string]file.Position{}
	var out []string
	for _, e := range n.Content {
		e = resolveAlias(e)
		if e.Kind != yaml.ScalarNode || e.Tag == "!!null" {
			p.errorf(e, file.ErrValue, "%s: want text, got %s", what, file.Describe(e))
			continue
		}
		v := e.Value
		if !enumValueRE.MatchString(v) {
			p.errorf(e, file.ErrValue, "%s: value %q: no spaces, commas, quotes, '|', '=' or '\\'", what, v)
			continue
		}
		if esc := validatorEscape(v); esc != "" {
			p.errorf(e, file.ErrValue, "%s: value %q: the validate tag's oneof reads %s as %q, so it cannot hold this value as written",
				what, v, esc, validatorEscapes[esc])
			continue
		}
		if first, dup := seen[v]; dup {
			p.errorf(e, file.ErrDuplicate, "%s: value %q is already listed at %s", what, v, first)
			continue
		}
		seen[v] = p.src.Pos(e)
		out = append(out, v)
	}
	return out
}

func (p *parser) bound(n *yaml.Node, what string, t FieldType) *float64 {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		p.errorf(n, file.ErrValue, "%s: want a number, got %s", what, file.Describe(n))
		return nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		p.errorf(n, file.ErrValue, "%s: want a finite number, got %q", what, n.Value)
		return nil
	}
	if t == TypeInteger && (f != math.Trunc(f) || math.Abs(f) > 1<<53) {
		p.errorf(n, file.ErrValue, "%s: want a whole number for an integer field, got %q", what, n.Value)
		return nil
	}
	return &f
}

func (p *parser) format(n *yaml.Node, what string) string {
	f := p.str(n, what)
	if f == "" || contains(textFormats, f) {
		return f
	}
	msg := "want one of " + strings.Join(textFormats, ", ")
	if s := file.Suggest(f, textFormats); s != "" {
		msg = "did you mean " + strconv.Quote(s) + "?"
	}
	p.errorf(n, file.ErrValue, "%s: unknown format %q; %s", what, f, msg)
	return ""
}

func (p *parser) maxEntries(n *yaml.Node, what string) int {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		p.errorf(n, file.ErrValue, "%s: want a whole number from 1 to %d, got %s", what, MaxListEntries, file.Describe(n))
		return 0
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
	if err != nil || v < 1 || v > MaxListEntries {
		p.errorf(n, file.ErrValue, "%s: want a whole number from 1 to %d, got %s", what, MaxListEntries, n.Value)
		return 0
	}
	return int(v)
}
