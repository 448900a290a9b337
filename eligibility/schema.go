package eligibility

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/eligo-dev/eligo/eligibility/internal/docdecode"
	"github.com/eligo-dev/eligo/rules"
)

// jsonSchemaDialect is the JSON Schema draft the schemas follow.
const jsonSchemaDialect = "https://json-schema.org/draft/2020-12/schema"

// DecisionSchema returns the JSON Schema (draft 2020-12) of a decision's
// JSON, SchemaVersion: generated from the Decision type and the types it
// holds by reflection, with the members their MarshalJSON methods add
// ("explain", "wording", "text"), the enumerations of Status, Outcome and
// ActionKind, and the typed values of rules.Value. Every object is closed
// (additionalProperties false). The result is the caller's.
func DecisionSchema() []byte { return slices.Clone(decisionSchema()) }

var decisionSchema = sync.OnceValue(func() []byte {
	g := &decisionSchemaGen{defs: map[string]any{}}
	root := g.schema(reflect.TypeFor[Decision]())
	out := map[string]any{
		"$schema":     jsonSchemaDialect,
		"title":       "eligo decision (" + SchemaVersion + ")",
		"description": "An eligibility decision as eligo writes it; see the eligibility package's documentation, \"Decisions as JSON\".",
		"$ref":        root["$ref"],
		"$defs":       g.defs,
	}
	j, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		panic(err) // maps of strings, bools and numbers always marshal
	}
	return j
})

// schemaEnums are the values of the decision's string enumerations.
var schemaEnums = map[reflect.Type][]string{
	reflect.TypeFor[Status]():     {string(Met), string(Unmet), string(Unknown), string(Unverified), string(Review)},
	reflect.TypeFor[Outcome]():    {string(Refused), string(Undetermined), string(Referred), string(Provisional), string(Granted)},
	reflect.TypeFor[ActionKind](): {string(Verify), string(Supply), string(Judge)},
}

// schemaExtras are the members a type's MarshalJSON adds to its fields:
// name, schema, and whether it is always written.
var schemaExtras = map[reflect.Type][]struct {
	name     string
	schema   map[string]any
	required bool
}{
	reflect.TypeFor[RequirementResult](): {
		{"wording", map[string]any{"type": "string", "description": "the rule file's explain text for the status, as written, with its {placeholders}"}, false},
		{"explain", map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "description": "the explanation for people, line by line (RequirementResult.Explain); derived, not read back"}, true},
	},
	reflect.TypeFor[Action](): {
		{"text", map[string]any{"type": "string", "description": "the action for people (Action.String); derived, not read back"}, true},
	},
}

// dateSchema is a calendar date, YYYY-MM-DD.
func dateSchema() map[string]any {
	return map[string]any{"type": "string", "format": "date", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`}
}

// typedValueSchema is the schema of rules.Value's typed JSON form.
func typedValueSchema() map[string]any {
	ref := map[string]any{"$ref": "#/$defs/TypedValue"}
	typed := func(typ, member string, s map[string]any) map[string]any {
		return map[string]any{
			"type":                 "object",
			"properties":           map[string]any{"type": map[string]any{"const": typ}, member: s},
			"required":             []string{"type", member},
			"additionalProperties": false,
		}
	}
	return map[string]any{
		"description": "a value a rule observed: null, or typed by \"type\" (rules.Value)",
		"oneOf": []any{
			map[string]any{"type": "null"},
			typed("boolean", "value", map[string]any{"type": "boolean"}),
			typed("integer", "value", map[string]any{"type": "integer"}),
			typed("number", "value", map[string]any{"type": "number"}),
			typed("text", "value", map[string]any{"type": "string"}),
			typed("date", "value", map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]+Z)?$`}),
			typed("list", "items", map[string]any{"type": "array", "items": ref}),
			typed("record", "fields", map[string]any{"type": "object", "additionalProperties": ref}),
		},
	}
}

type decisionSchemaGen struct{ defs map[string]any }

// schema is the schema of a value of type t, without null.
func (g *decisionSchemaGen) schema(t reflect.Type) map[string]any {
	switch t {
	case reflect.TypeFor[rules.Value]():
		if g.defs["TypedValue"] == nil {
			g.defs["TypedValue"] = typedValueSchema()
		}
		return map[string]any{"$ref": "#/$defs/TypedValue"}
	case reflect.TypeFor[Date]():
		return dateSchema()
	case reflect.TypeFor[time.Time]():
		return map[string]any{"type": "string", "format": "date-time"}
	case reflect.TypeFor[Schema]():
		return map[string]any{"type": "string", "pattern": `^eligo\.decision/` + strconv.Itoa(schemaMajor) + `(\.[0-9]+)?$`,
			"description": "the schema version, " + SchemaVersion + " (a later minor version adds members)"}
	}
	if enum, ok := schemaEnums[t]; ok {
		return map[string]any{"type": "string", "enum": enum}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Pointer:
		return g.schema(t.Elem())
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		name := t.Name()
		if _, ok := g.defs[name]; !ok {
			g.defs[name] = nil // being made: a type that holds itself refers to it
			g.defs[name] = g.object(t)
		}
		return map[string]any{"$ref": "#/$defs/" + name}
	}
	return map[string]any{}
}

// object is the schema of struct type t as encoding/json writes it.
func (g *decisionSchemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	required := []string{}
	fields := slices.Collect(t.Fields())
	if t == reflect.TypeFor[Decision]() {
		// The award lists are methods (made on demand); their JSON members.
		fields = slices.AppendSeq(fields, reflect.TypeFor[awardLists]().Fields())
	}
	for _, sf := range fields {
		name, opts, ok := jsonMember(sf)
		if !ok {
			continue
		}
		omit := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")
		s := g.schema(sf.Type)
		if k := sf.Type.Kind(); !omit && (k == reflect.Slice || k == reflect.Pointer || k == reflect.Map) {
			s = map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
		}
		props[name] = s
		if !omit {
			required = append(required, name)
		}
	}
	if t == reflect.TypeFor[Decision]() {
		// Requirements is a method (explained on demand); its JSON a member.
		props["requirements"] = map[string]any{"anyOf": []any{g.schema(reflect.TypeFor[[]RequirementResult]()), map[string]any{"type": "null"}}}
		required = append(required, "requirements")
	}
	for _, x := range schemaExtras[t] {
		props[x.name] = x.schema
		if x.required {
			required = append(required, x.name)
		}
	}
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// DocumentSchema returns the JSON Schema (draft 2020-12) of the engine's
// applicant documents, generated from the applicant type (the model the
// rule set declares, or T): keys as documents name them (yaml tags, else
// json tags), texts, numbers, integers, booleans, dates ("YYYY-MM-DD"),
// sections and lists; from the validate tags, required fields, the
// enumerations (oneof), bounds (gte, lte), country codes and list
// lengths. Every object is closed (additionalProperties false), as
// documents are decoded. A document the schema accepts can still be
// invalid for what a schema does not say: a date after the evaluation
// date, one field before another, a type's own Validate method. The
// result is the caller's.
//
// For a declared model, each field's description in the model is its
// "description".
func (e *EngineOf[T]) DocumentSchema() []byte {
	var declared []*rules.ModelField
	if e.documents && e.set.Model != nil {
		declared = e.set.Model.Fields
	}
	s := documentObject(e.model, declared)
	s["$schema"] = jsonSchemaDialect
	s["title"] = "applicant document of " + e.set.Name + " " + e.set.Version
	j, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // maps of strings, bools and numbers always marshal
	}
	return j
}

// documentObject is the schema of struct type t as documents hold it;
// declared are its fields as a model declares them, if it does.
func documentObject(t reflect.Type, declared []*rules.ModelField) map[string]any {
	props := map[string]any{}
	required := []string{}
	for i := range t.NumField() {
		sf := t.Field(i)
		key, ok := docdecode.Key(sf)
		if !ok {
			continue
		}
		var decl *rules.ModelField
		for _, f := range declared {
			if f.Name == key {
				decl = f
			}
		}
		s, req := documentField(sf.Type, strings.Split(sf.Tag.Get("validate"), ","), decl)
		if decl != nil && decl.Description != "" {
			s["description"] = decl.Description
		}
		props[key] = s
		if req || docdecode.Required(sf) {
			required = append(required, key)
		}
	}
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// documentField is the schema of a field of type t with validate rules
// tags, and whether documents must give it.
func documentField(t reflect.Type, tags []string, decl *rules.ModelField) (map[string]any, bool) {
	var declared []*rules.ModelField
	if decl != nil {
		declared = decl.Fields
	}
	var elemTags []string
	if i := slices.Index(tags, "dive"); i >= 0 {
		tags, elemTags = tags[:i], tags[i+1:]
	}
	required := slices.Contains(tags, "required") || slices.Contains(tags, "min=1")
	optional := slices.Contains(tags, "omitempty")
	nullable := false
	if t.Kind() == reflect.Pointer {
		t, nullable = t.Elem(), !required
	}
	var s map[string]any
	switch {
	case t == timeType:
		s = dateSchema()
	case t.Kind() == reflect.String:
		s = map[string]any{"type": "string"}
		if slices.Contains(tags, "required") {
			s["minLength"] = 1
		}
	case t.Kind() == reflect.Bool:
		s = map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		s = map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		s = map[string]any{"type": "number"}
	case t.Kind() == reflect.Struct:
		s = documentObject(t, declared)
	case t.Kind() == reflect.Slice:
		var entry *rules.ModelField
		if len(declared) > 0 {
			entry = &rules.ModelField{Fields: declared}
		}
		items, _ := documentField(t.Elem(), elemTags, entry)
		s = map[string]any{"type": "array", "items": items}
		nullable = !required
	default:
		s = map[string]any{}
	}
	for _, tag := range tags {
		name, arg, _ := strings.Cut(tag, "=")
		switch name {
		case "oneof":
			enum := strings.Fields(arg)
			if optional {
				enum = append(enum, "")
			} else {
				required = true
			}
			s["enum"] = enum
		case "iso3166_1_alpha2":
			s["pattern"] = "^[A-Z]{2}$"
			if optional {
				s["pattern"] = "^([A-Z]{2})?$"
			}
		case "gte", "lte", "min", "max":
			n, err := strconv.ParseFloat(arg, 64)
			if err != nil {
				continue
			}
			number := t.Kind() >= reflect.Int && t.Kind() <= reflect.Float64
			switch {
			case t.Kind() == reflect.Slice && name == "max":
				s["maxItems"] = int(n)
			case t.Kind() == reflect.Slice && name == "min":
				s["minItems"] = int(n)
			case number && (name == "gte" || name == "min"):
				s["minimum"] = n
			case number && (name == "lte" || name == "max"):
				s["maximum"] = n
			}
		}
	}
	if nullable {
		if typ, ok := s["type"].(string); ok {
			s["type"] = []string{typ, "null"}
		}
	}
	return s, required
}
