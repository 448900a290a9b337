package acto_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/acto"
	"go.yaml.in/yaml/v3"
)

// goApplicant is the hand-written Go type that model.yaml declares.
var goApplicant = reflect.TypeFor[eligibility.Applicant]()

func declaredType(t *testing.T) reflect.Type {
	t.Helper()
	set, err := acto.Rules()
	if err != nil {
		t.Fatal(err)
	}
	typ, err := rules.ModelType(set)
	if err != nil || typ == nil {
		t.Fatalf("model type %v, %v", typ, err)
	}
	return typ
}

// TestModelMirrorsApplicant: the type built from model.yaml has the Go
// applicant type's fields, field for field and recursively: the same
// document keys in the same order, the same names in rules, the same
// shapes and the same validate and eligo tags.
func TestModelMirrorsApplicant(t *testing.T) {
	compareStructs(t, "", declaredType(t), goApplicant)
}

func compareStructs(t *testing.T, at string, declared, hand reflect.Type) {
	t.Helper()
	d, h := exportedFields(declared), exportedFields(hand)
	if keys(d) != keys(h) {
		t.Errorf("%s: keys\ndeclared %s\n      Go %s", orTop(at), keys(d), keys(h))
		return
	}
	for i := range d {
		df, hf := d[i], h[i]
		path := at + key(df) // at is "" or ends in "."
		if a, b := df.Tag.Get("expr"), hf.Tag.Get("expr"); a != b {
			t.Errorf("%s: expr name %q, Go %q", path, a, b)
		}
		if a, b := df.Tag.Get("eligo"), hf.Tag.Get("eligo"); a != b {
			t.Errorf("%s: eligo tag %q, Go %q", path, a, b)
		}
		dv, hv := df.Tag.Get("validate"), hf.Tag.Get("validate")
		if dv != hv {
			t.Errorf("%s: validate %q, Go %q", path, dv, hv)
		}
		ds, hs := shape(df.Type), shape(hf.Type)
		if ds != hs {
			t.Errorf("%s: shape %s, Go %s (%s)", path, ds, hs, hf.Type)
			continue
		}
		switch ds {
		case "*struct":
			compareStructs(t, path+".", df.Type.Elem(), hf.Type.Elem())
		case "[]struct":
			compareStructs(t, path+"[].", df.Type.Elem(), hf.Type.Elem())
		}
	}
}

// shape is a field type's form as the engine sees it.
func shape(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[*time.Time]():
		return "*time.Time"
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		return "*struct"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		return "[]struct"
	}
	switch t.String() {
	case "string", "float64", "int", "bool", "*bool", "[]string":
		return t.String()
	}
	return "unexpected " + t.String()
}

func exportedFields(t reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() {
			out = append(out, f)
		}
	}
	return out
}

// key is a field's document key: its json name.
func key(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

func keys(fs []reflect.StructField) string {
	var out []string
	for _, f := range fs {
		out = append(out, key(f))
	}
	return strings.Join(out, " ")
}

func orTop(at string) string {
	if at == "" {
		return "top level"
	}
	return strings.TrimSuffix(at, ".")
}

// TestModelRulesCompile: the ACTO rules compile against the declared
// model's type as against the Go type, which ignores the declaration.
func TestModelRulesCompile(t *testing.T) {
	set, err := acto.Rules()
	if err != nil {
		t.Fatal(err)
	}
	typ := declaredType(t)
	if _, err := rules.Compile(set, reflect.New(typ).Interface()); err != nil {
		t.Fatalf("against the declared model: %v", err)
	}
	if _, err := rules.Compile(set, &eligibility.Applicant{}); err != nil {
		t.Fatalf("against the Go type: %v", err)
	}
	if _, err := eligibility.Default(); err != nil {
		t.Fatal(err)
	}
}

// TestModelDecidesAlike: the example applicants, decoded into the declared
// model's type and into the Go type, meet, fail or leave unknown every
// ACTO requirement alike.
func TestModelDecidesAlike(t *testing.T) {
	set, err := acto.Rules()
	if err != nil {
		t.Fatal(err)
	}
	typ := declaredType(t)
	declared, err := rules.Compile(set, reflect.New(typ).Interface())
	if err != nil {
		t.Fatal(err)
	}
	hand, err := rules.Compile(set, &eligibility.Applicant{})
	if err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob("../../examples/applicants/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("example applicants: %v %v", names, err)
	}
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		a, err := eligibility.DecodeApplicant(name, data)
		if err != nil {
			t.Fatal(err)
		}
		d := reflect.New(typ)
		if err := yaml.Unmarshal(data, d.Interface()); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		dr, err := declared.NewRun(d.Interface(), asOf)
		if err != nil {
			t.Fatal(err)
		}
		hr, err := hand.NewRun(a, asOf)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range set.Requirements {
			dres, derr := dr.Requirement(i)
			hres, herr := hr.Requirement(i)
			if (derr == nil) != (herr == nil) || dres.Status != hres.Status {
				t.Errorf("%s: %s: declared %v %v, Go %v %v", filepath.Base(name), r.ID, dres.Status, derr, hres.Status, herr)
			}
		}
	}
}
