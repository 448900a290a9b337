package rules

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// nursingRules is a nursing-like body's rule set with its applicant
// document declared in YAML: no Go type of its own.
var nursingRules = func() string {
	data, err := os.ReadFile("testdata/declared/nursing.yaml")
	if err != nil {
		panic(err)
	}
	return string(data)
}()

func nursingType(t *testing.T) (*Set, reflect.Type) {
	t.Helper()
	set, err := Parse("nursing.yaml", []byte(nursingRules))
	require.NoError(t, err)
	typ, err := ModelType(set)
	require.NoError(t, err)
	require.NotNil(t, typ)
	return set, typ
}

// TestModelTypeFields: the built type's fields, types and tags follow the
// declaration, and the type is built once.
func TestModelTypeFields(t *testing.T) {
	set, typ := nursingType(t)
	again, err := ModelType(set)
	require.NoError(t, err)
	assert.True(t, typ == again, "the type is built once")

	field := func(st reflect.Type, name string) reflect.StructField {
		t.Helper()
		f, ok := st.FieldByName(name)
		require.True(t, ok, "field %s of %s", name, st)
		return f
	}
	ref := field(typ, "Ref")
	assert.Equal(t, `json:"ref" yaml:"ref" expr:"ref" validate:"required" eligo:"id"`, string(ref.Tag))
	assert.Equal(t, "oneof=NMC NMBI", field(typ, "Body").Tag.Get("validate"))

	reg := field(typ, "Registration")
	require.Equal(t, reflect.Pointer, reg.Type.Kind())
	assert.Equal(t, "registration,omitempty", reg.Tag.Get("json"))
	assert.Equal(t, reflect.TypeOf((*time.Time)(nil)), field(reg.Type.Elem(), "Revalidation").Type)
	v := field(reg.Type.Elem(), "Verified")
	assert.Equal(t, reflect.Bool, v.Type.Kind())
	assert.Equal(t, `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`, string(v.Tag))

	assert.Equal(t, reflect.TypeOf((*time.Time)(nil)), field(typ, "BackgroundCheck").Type)
	assert.Equal(t, "backgroundCheck", field(typ, "BackgroundCheck").Tag.Get("expr"))

	hours := field(typ, "SupervisedHours")
	require.Equal(t, reflect.Slice, hours.Type.Kind())
	assert.Equal(t, "max=1000,dive", hours.Tag.Get("validate"))
	entry := hours.Type.Elem()
	assert.Equal(t, "label", field(entry, "Quarter").Tag.Get("eligo"))
	assert.Equal(t, reflect.Float64, field(entry, "Hours").Type.Kind())
	assert.Equal(t, "finite,gte=0,lte=2000", field(entry, "Hours").Tag.Get("validate"))
	field(entry, "Verified")

	sanction := field(typ, "Sanctions").Type.Elem()
	assert.Equal(t, reflect.Bool, field(sanction, "Active").Type.Kind())
	field(sanction, "Verified")
	_, labelled := sanction.FieldByName("Reason")
	assert.True(t, labelled)
	assert.Empty(t, field(sanction, "Reason").Tag.Get("eligo"))
}

// TestModelTypeNone: a rule set without a model has no model type.
func TestModelTypeNone(t *testing.T) {
	set, err := Parse("s.yaml", []byte("ruleset: s\nversion: \"1\"\nlevels: [{id: m, title: M}]\n"))
	require.NoError(t, err)
	typ, err := ModelType(set)
	assert.NoError(t, err)
	assert.Nil(t, typ)
	_, err = ModelType(nil)
	assert.Error(t, err)
}

// TestDeclaredModelEvaluates: rules compile against the declared model's
// type, and documents decoded into it evaluate. eligibility.DecodeFor[T]
// needs T at compile time, which a type built from YAML is not; a caller
// holding only a reflect.Type decodes with reflect.New and a decoder, and
// runs the program on the value.
func TestDeclaredModelEvaluates(t *testing.T) {
	set, typ := nursingType(t)
	prog, err := Compile(set, reflect.New(typ).Interface())
	require.NoError(t, err)
	asOf := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

	statuses := func(app any) map[string]string {
		t.Helper()
		run, err := prog.NewRun(app, asOf)
		require.NoError(t, err)
		out := map[string]string{}
		for i, r := range set.Requirements {
			res, err := run.Requirement(i)
			require.NoError(t, err)
			out[r.ID] = res.Status.String()
		}
		return out
	}

	// JSON, by encoding/json (dates as RFC 3339 timestamps).
	fromJSON := reflect.New(typ)
	require.NoError(t, json.Unmarshal([]byte(`{
		"ref": "N-1", "body": "NMC",
		"registration": {"pin": "12A3456B", "revalidation": "2026-03-31T00:00:00Z", "verified": true},
		"backgroundCheck": "2024-01-15T00:00:00Z",
		"supervisedHours": [{"quarter": "2025Q1", "hours": 40, "verified": true}, {"quarter": "2025Q2", "hours": 60}],
		"sanctions": [{"reason": "lapsed", "active": false, "verified": true}]
	}`), fromJSON.Interface()))
	assert.Equal(t, map[string]string{"registered": "met", "background-check": "met", "supervised": "met", "no-sanction": "met"},
		statuses(fromJSON.Interface()))
	assert.NoError(t, testValidator(asOf).Struct(fromJSON.Interface()))

	// YAML (dates as YYYY-MM-DD), with an active sanction and an old check.
	fromYAML := reflect.New(typ)
	require.NoError(t, yaml.Unmarshal([]byte(`
ref: N-2
body: NMBI
registration: {pin: 99Z, revalidation: 2025-05-31}
backgroundCheck: 2020-01-15
supervisedHours: [{quarter: 2025Q1, hours: 12.5}]
sanctions:
  - {reason: conduct, active: true}
`), fromYAML.Interface()))
	assert.Equal(t, map[string]string{"registered": "unmet", "background-check": "unmet", "supervised": "unmet", "no-sanction": "unmet"},
		statuses(fromYAML.Interface()))

	// The failed none() names the offending entry; a failed any() the
	// closest one, by its label.
	run, err := prog.NewRun(fromYAML.Interface(), asOf)
	require.NoError(t, err)
	i, _ := prog.Requirement("supervised")
	res, err := run.Requirement(i)
	require.NoError(t, err)
	require.NotEmpty(t, res.Clauses)
	assert.Equal(t, []string{"supervisedHours[0]=2025Q1"}, entryLabels(res))
	i, _ = prog.Requirement("no-sanction")
	res, err = run.Requirement(i)
	require.NoError(t, err)
	assert.Equal(t, []string{"sanctions[0]="}, entryLabels(res))

	// Nothing given: an absent section, date or list (nil) is unknown.
	empty := reflect.New(typ)
	assert.Equal(t, map[string]string{"registered": "unknown", "background-check": "unknown", "supervised": "unknown", "no-sanction": "unknown"},
		statuses(empty.Interface()))
}

func entryLabels(res Result) []string {
	var out []string
	for _, c := range res.Clauses {
		if c.Closest != nil {
			out = append(out, c.Closest.Path+"="+c.Closest.Label)
		}
	}
	return out
}

// TestDeclaredModelValidates: the built type's validate tags check enums,
// required fields and bounds with go-playground/validator's standard tags.
func TestDeclaredModelValidates(t *testing.T) {
	_, typ := nursingType(t)
	v := reflect.New(typ)
	require.NoError(t, json.Unmarshal([]byte(`{"body": "GMC",
		"registration": {"pin": ""},
		"supervisedHours": [{"quarter": "2025Q1", "hours": -1}]}`), v.Interface()))
	err := testValidator(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)).Struct(v.Interface())
	require.Error(t, err)
	var failed []string
	for _, fe := range err.(validator.ValidationErrors) {
		failed = append(failed, fe.Namespace()+":"+fe.Tag())
	}
	got := strings.Join(failed, " ")
	for _, w := range []string{"Ref:required", "Body:oneof", "Registration.Pin:required", "Registration.Revalidation:required",
		"SupervisedHours[0].Hours:gte"} {
		assert.Contains(t, got, w)
	}
}
