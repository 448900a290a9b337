package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/eligo-dev/eligo/eligibility"
)

const schemaAbout = `Writes a JSON Schema (draft 2020-12): with document, the schema of the
applicant documents the rules decide (the model the rule set declares, or
ACTO's for the embedded rules); with decision, the schema of the decisions
that decide -format json and jsonl write, the same for every rule set.
The schema is written as JSON by default, for validators and code
generators; -format text writes an outline for people instead, a line per
field: its path, type, constraints and description.
Exit status 0 when written, 2 when the rules or the flags are unusable.`

func runSchema(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("schema", stderr, schemaAbout)
	rulesDir := fs.String("rules", "", "the document schema of the rule files in `DIR` instead of the embedded ACTO set")
	format := fs.String("format", "json", "output format: json (the schema) or text (an outline for people)")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "eligo schema: -format must be json or text, not %q\n", *format)
		return 2
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "document" && fs.Arg(0) != "decision") {
		fmt.Fprintf(stderr, "eligo schema: want one argument, document or decision\n")
		fs.Usage()
		return 2
	}
	var schema []byte
	if fs.Arg(0) == "decision" {
		schema = eligibility.DecisionSchema()
	} else {
		engine, ok := loadEngine("schema", *rulesDir, stderr)
		if !ok {
			return 2
		}
		schema = engine.DocumentSchema()
	}
	var err error
	if *format == "json" {
		_, err = stdout.Write(append(schema, '\n'))
	} else {
		err = writeSchemaOutline(stdout, schema)
	}
	if err != nil {
		fmt.Fprintf(stderr, "eligo schema: %v\n", err)
		return 2
	}
	return 0
}

// writeSchemaOutline writes the JSON Schema schema as an outline: its
// title, then a line per property, depth first in key order, named by its
// path ("qualifications[].level"), with its type, whether it is required,
// its constraints and its description. References to $defs are followed,
// each once along a path, so a recursive schema ends.
func writeSchemaOutline(w io.Writer, schema []byte) error {
	var root map[string]any
	if err := json.Unmarshal(schema, &root); err != nil {
		return fmt.Errorf("reading the schema: %w", err)
	}
	o := outline{defs: asMap(root["$defs"])}
	if title, _ := root["title"].(string); title != "" {
		o.lines = append(o.lines, []string{title})
	}
	o.walk("", root, nil)
	width := 0
	for _, l := range o.lines[1:] {
		width = max(width, len(l[0]))
	}
	var b strings.Builder
	b.WriteString(o.lines[0][0] + "\n")
	for _, l := range o.lines[1:] {
		rest := slices.DeleteFunc(slices.Clone(l[1:]), func(s string) bool { return s == "" })
		fmt.Fprintf(&b, "  %-*s  %s\n", width, l[0], strings.Join(rest, "  "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// outline collects writeSchemaOutline's lines.
type outline struct {
	defs  map[string]any
	lines [][]string // path, type, constraints, description
}

// walk adds the properties of s, the schema at path; seen are the $defs
// already followed on the way to it.
func (o *outline) walk(path string, s map[string]any, seen []string) {
	s, seen = o.resolve(s, seen)
	if s == nil {
		return
	}
	if items := asMap(s["items"]); items != nil {
		o.walk(path+"[]", items, seen)
		return
	}
	for _, alt := range asList(s["anyOf"]) {
		// A nullable object or list: the non-null alternative holds the fields.
		if m := asMap(alt); m != nil && m["type"] != "null" {
			o.walk(path, m, seen)
		}
	}
	props := asMap(s["properties"])
	required := map[string]bool{}
	for _, r := range asList(s["required"]) {
		if name, ok := r.(string); ok {
			required[name] = true
		}
	}
	for _, name := range sortedKeys(props) {
		p := asMap(props[name])
		full := name
		if path != "" {
			full = path + "." + name
		}
		r, _ := o.resolve(p, seen)
		o.lines = append(o.lines, []string{full, schemaType(r), constraints(r, required[name]), describe(p, r)})
		o.walk(full, p, seen)
	}
}

// resolve follows s's $ref, unless it is among seen (then nil: a cycle).
func (o *outline) resolve(s map[string]any, seen []string) (map[string]any, []string) {
	ref, _ := s["$ref"].(string)
	if ref == "" {
		return s, seen
	}
	name := strings.TrimPrefix(ref, "#/$defs/")
	if slices.Contains(seen, name) {
		return nil, seen
	}
	return asMap(o.defs[name]), append(slices.Clip(seen), name)
}

// schemaType names s's type for people: "text", "date", "list of object",
// "object or null".
func schemaType(s map[string]any) string {
	if s == nil {
		return "(recursive)"
	}
	var kinds []string
	switch t := s["type"].(type) {
	case string:
		kinds = []string{t}
	case []any:
		for _, k := range t {
			if k, ok := k.(string); ok {
				kinds = append(kinds, k)
			}
		}
	}
	if len(kinds) == 0 {
		for _, alt := range asList(s["anyOf"]) {
			kinds = append(kinds, schemaType(asMap(alt)))
		}
	}
	for i, k := range kinds {
		switch {
		case k == "string" && s["format"] == "date":
			kinds[i] = "date"
		case k == "string":
			kinds[i] = "text"
		case k == "array":
			kinds[i] = "list"
			if items := asMap(s["items"]); items != nil {
				if _, ref := items["$ref"]; ref {
					kinds[i] = "list of object"
				} else {
					kinds[i] = "list of " + schemaType(items)
				}
			}
		}
	}
	if len(kinds) == 0 {
		return "any"
	}
	return strings.Join(kinds, " or ")
}

// constraints lists what s requires of a value, for people.
func constraints(s map[string]any, required bool) string {
	var c []string
	if required {
		c = append(c, "required")
	}
	if s == nil {
		return strings.Join(c, ", ")
	}
	if enum := asList(s["enum"]); enum != nil {
		vals := make([]string, len(enum))
		for i, v := range enum {
			vals[i] = fmt.Sprint(v)
			if vals[i] == "" {
				vals[i] = `""`
			}
		}
		c = append(c, "one of "+strings.Join(vals, "|"))
	}
	for _, k := range []struct{ key, say string }{
		{"minimum", ">= "}, {"exclusiveMinimum", "> "}, {"maximum", "<= "}, {"exclusiveMaximum", "< "},
		{"minItems", "at least %v entries"}, {"maxItems", "at most %v entries"},
		{"minLength", "at least %v characters"}, {"maxLength", "at most %v characters"},
	} {
		v, ok := s[k.key]
		if !ok {
			continue
		}
		if k.key == "minLength" && v == 1.0 {
			c = append(c, "not empty")
		} else if strings.Contains(k.say, "%v") {
			c = append(c, fmt.Sprintf(k.say, v))
		} else {
			c = append(c, k.say+fmt.Sprint(v))
		}
	}
	return strings.Join(c, ", ")
}

// describe is p's description, else the one of what it refers to.
func describe(p, resolved map[string]any) string {
	if d, _ := p["description"].(string); d != "" {
		return d
	}
	if resolved != nil {
		d, _ := resolved["description"].(string)
		return d
	}
	return ""
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }
func asList(v any) []any         { l, _ := v.([]any); return l }

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
