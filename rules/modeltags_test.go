package rules

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testValidator is go-playground's validator with stand-ins for eligo's
// own tags, which a declared model's type uses and package eligibility
// registers: finite, date, not_after_as_of (against asOf) and not_before.
func testValidator(asOf time.Time) *validator.Validate {
	v := validator.New()
	timeOf := func(f reflect.Value) (time.Time, bool) {
		for f.Kind() == reflect.Pointer {
			if f.IsNil() {
				return time.Time{}, false
			}
			f = f.Elem()
		}
		t, ok := f.Interface().(time.Time)
		return t, ok
	}
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(v.RegisterValidation("finite", func(fl validator.FieldLevel) bool {
		return fl.Field().CanFloat() && !math.IsNaN(fl.Field().Float()) && !math.IsInf(fl.Field().Float(), 0)
	}))
	must(v.RegisterValidation("date", func(fl validator.FieldLevel) bool {
		t, ok := timeOf(fl.Field())
		return ok && t.Equal(t.Truncate(24*time.Hour)) && t.Location() == time.UTC && t.Year() >= 1900 && t.Year() <= 9999
	}))
	must(v.RegisterValidation("not_after_as_of", func(fl validator.FieldLevel) bool {
		t, ok := timeOf(fl.Field())
		return ok && !t.After(asOf)
	}))
	must(v.RegisterValidation("not_before", func(fl validator.FieldLevel) bool {
		t, ok := timeOf(fl.Field())
		other, given := timeOf(fl.Parent().FieldByName(fl.Param()))
		return !ok || !given || !t.Before(other)
	}))
	return v
}

// A model with every kind of declaration the model language has.
const richModel = `ruleset: rich
version: "1"
model:
  id: {type: text, id: true, required: true}
  name: {type: text, personal: true}
  country: {type: text, format: country}
  home: {type: text, format: country, required: true}
  grade: {type: text, enum: [a, b], required: true}
  kind: {type: text, enum: [x, y]}
  practising: {type: boolean, nullable: true}
  score: {type: number}
  born: {type: date, past: true}
  tags: {type: list, of: text}
  formats: {type: list, of: text, enum: [video, audio], maxEntries: 4, required: true}
  courses:
    type: list
    maxEntries: 3
    verified: true
    label: course
    fields:
      course: {type: text}
      len: {type: integer, min: 0}
      in: {type: text}
      enrolled: {type: date, past: true}
      completed: {type: date, past: true, notBefore: enrolled, required: true}
  cover:
    type: section
    verified: false
    fields:
      from: {type: date, event: start}
      to: {type: date, notBefore: from, event: true}
      matches: {type: boolean}
levels:
  - {id: m, title: M, requires: [r]}
requirements:
  r:
    title: R
    source: test
    when: any(courses, .len > 0 && .in == "x") && cover?.matches == true && practising == true
`

// TestModelTypeTags: each declaration key gives the Go type and the
// validate tag documented for it, in the forms eligo's own applicant type
// uses.
func TestModelTypeTags(t *testing.T) {
	set, err := Parse("rich.yaml", []byte(richModel))
	require.NoError(t, err)
	typ, err := ModelType(set)
	require.NoError(t, err)
	f := func(st reflect.Type, name string) reflect.StructField {
		t.Helper()
		sf, ok := st.FieldByName(name)
		require.True(t, ok, "field %s", name)
		return sf
	}
	courses := f(typ, "Courses").Type.Elem()
	cover := f(typ, "Cover").Type.Elem()
	for _, c := range []struct {
		st             reflect.Type
		name, typ, tag string
		expr, eligoTag string
	}{
		{typ, "Id", "string", "required", "id", "id"},
		{typ, "Name", "string", "", "-", ""},
		{typ, "Country", "string", "omitempty,iso3166_1_alpha2", "country", ""},
		{typ, "Home", "string", "required,iso3166_1_alpha2", "home", ""},
		{typ, "Grade", "string", "oneof=a b", "grade", ""},
		{typ, "Kind", "string", "omitempty,oneof=x y", "kind", ""},
		{typ, "Practising", "*bool", "", "practising", ""},
		{typ, "Score", "float64", "finite", "score", ""},
		{typ, "Born", "*time.Time", "omitempty,date,not_after_as_of", "born", ""},
		{typ, "Tags", "[]string", "max=1000", "tags", ""},
		{typ, "Formats", "[]string", "min=1,max=4,dive,oneof=video audio", "formats", ""},
		{typ, "Courses", "", "max=3,dive", "courses", ""},
		{courses, "Course", "string", "", "course", "label"},
		{courses, "Len", "int", "gte=0", "len", ""},
		{courses, "Enrolled", "*time.Time", "omitempty,date,not_after_as_of", "enrolled", ""},
		{courses, "Completed", "*time.Time", "required,date,not_after_as_of,not_before=Enrolled", "completed", ""},
		{typ, "Cover", "", "", "cover", "unverifiable"},
		{cover, "From", "*time.Time", "omitempty,date", "from", "start"},
		{cover, "To", "*time.Time", "omitempty,date,not_before=From", "to", "event"},
	} {
		sf := f(c.st, c.name)
		if c.typ != "" {
			assert.Equal(t, c.typ, sf.Type.String(), c.name)
		}
		assert.Equal(t, c.tag, sf.Tag.Get("validate"), c.name)
		assert.Equal(t, c.expr, sf.Tag.Get("expr"), c.name)
		assert.Equal(t, c.eligoTag, sf.Tag.Get("eligo"), c.name)
	}
	assert.Equal(t, "name", strings.Split(f(typ, "Name").Tag.Get("json"), ",")[0], "a personal field keeps its document key")
	assert.Equal(t, "practising,omitempty", f(typ, "Practising").Tag.Get("json"))
	f(courses, "Verified")
	_, ok := cover.FieldByName("Verified")
	assert.False(t, ok)
}

// TestModelTypeRich: rules compile against a model of every kind of
// field, nested names the rule language also uses (len, in, matches)
// included; a personal field is decoded but rules cannot read it; the
// tags validate.
func TestModelTypeRich(t *testing.T) {
	set, err := Parse("rich.yaml", []byte(richModel))
	require.NoError(t, err)
	typ, err := ModelType(set)
	require.NoError(t, err)
	prog, err := Compile(set, reflect.New(typ).Interface())
	require.NoError(t, err)
	asOf := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

	doc := reflect.New(typ)
	require.NoError(t, json.Unmarshal([]byte(`{"id": "A1", "name": "Ann Example", "home": "GB", "grade": "a",
		"practising": true, "formats": ["video"], "tags": ["anything"],
		"courses": [{"course": "C", "len": 3, "in": "x", "completed": "2024-02-01T00:00:00Z", "enrolled": "2024-01-01T00:00:00Z"}],
		"cover": {"matches": true}}`), doc.Interface()))
	assert.Equal(t, "Ann Example", doc.Elem().FieldByName("Name").String())
	require.NoError(t, testValidator(asOf).Struct(doc.Interface()))
	run, err := prog.NewRun(doc.Interface(), asOf)
	require.NoError(t, err)
	res, err := run.Requirement(0)
	require.NoError(t, err)
	assert.Equal(t, "met", res.Status.String())

	// Unknown when practising is absent: nil, not false.
	doc.Elem().FieldByName("Practising").SetZero()
	run, err = prog.NewRun(doc.Interface(), asOf)
	require.NoError(t, err)
	res, err = run.Requirement(0)
	require.NoError(t, err)
	assert.Equal(t, "unknown", res.Status.String())

	// Rules cannot read a personal field.
	bad := strings.Replace(richModel, `practising == true`, `name != ""`, 1)
	set2, err := Parse("rich.yaml", []byte(bad))
	require.NoError(t, err)
	typ2, err := ModelType(set2)
	require.NoError(t, err)
	_, err = Compile(set2, reflect.New(typ2).Interface())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "name")

	// Every tag fails where its value is wrong.
	wrong := reflect.New(typ)
	require.NoError(t, json.Unmarshal([]byte(`{"id": "A2", "country": "XX", "home": "", "grade": "",
		"kind": "z", "formats": ["video", "fax"], "born": "2030-01-01T00:00:00Z",
		"courses": [{"len": -1, "enrolled": "2024-03-01T00:00:00Z", "completed": "2024-02-01T00:00:00Z"},
		            {"completed": "2024-02-01T12:00:00Z"}, {"completed": "2024-02-01T00:00:00Z"}, {"completed": "2024-02-01T00:00:00Z"}],
		"cover": {"from": "2024-03-01T00:00:00Z", "to": "2024-02-01T00:00:00Z"}}`), wrong.Interface()))
	wrong.Elem().FieldByName("Score").SetFloat(math.Inf(1))
	err = testValidator(asOf).Struct(wrong.Interface())
	require.Error(t, err)
	var failed []string
	for _, fe := range err.(validator.ValidationErrors) {
		failed = append(failed, fe.Namespace()+":"+fe.Tag())
	}
	got := strings.Join(failed, " ")
	for _, w := range []string{"Country:iso3166_1_alpha2", "Home:required", "Grade:oneof", "Kind:oneof",
		"Score:finite", "Born:not_after_as_of", "Formats[1]:oneof", "Courses:max"} {
		assert.Contains(t, got, w)
	}
	// max fails before dive: the entries of a list that is too long are not checked.
	wrong.Elem().FieldByName("Courses").Set(wrong.Elem().FieldByName("Courses").Slice(0, 2))
	err = testValidator(asOf).Struct(wrong.Interface())
	require.Error(t, err)
	failed = nil
	for _, fe := range err.(validator.ValidationErrors) {
		failed = append(failed, fe.Namespace()+":"+fe.Tag())
	}
	got = strings.Join(failed, " ")
	for _, w := range []string{"Courses[0].Len:gte", "Courses[0].Completed:not_before", "Courses[1].Completed:date",
		"Cover.To:not_before"} {
		assert.Contains(t, got, w)
	}
}

// TestModelEnumValidatorEscapes: an enum value holding an escape that the
// validator reads in a tag's parameters (0x2C for a comma, 0x7C for a bar,
// as written) is refused where it stands, for the tag's oneof would not hold
// it; written in another case it is no escape, and oneof holds it as is.
func TestModelEnumValidatorEscapes(t *testing.T) {
	model := func(enum string) string {
		return "ruleset: x\nversion: \"1\"\nmodel:\n  body: {type: text, enum: [" + enum + "], required: true}\n" +
			"requirements:\n  r: {title: T, source: s, when: \"body == 'NMC'\"}\nlevels:\n  - {id: l, title: L, requires: [r]}\n"
	}
	for _, esc := range []string{"0x2C", "a0x7Cb"} {
		_, err := Parse("x.yaml", []byte(model("NMC, "+esc)))
		var list *ErrorList
		if !errors.As(err, &list) || len(list.Errors) != 1 {
			t.Fatalf("enum value %s: got %v, want one error", esc, err)
		}
		if e := list.Errors[0]; !errors.Is(e, ErrValue) || e.Pos.Line != 4 || e.Pos.Column != 34 || !strings.Contains(e.Msg, "oneof") {
			t.Errorf("enum value %s: got %v, want ErrValue at 4:34", esc, e)
		}
	}
	set, err := Parse("x.yaml", []byte(model("NMC, 0x2c")))
	if err != nil {
		t.Fatal(err)
	}
	typ, err := ModelType(set)
	if err != nil {
		t.Fatal(err)
	}
	v := validator.New()
	for val, ok := range map[string]bool{"0x2c": true, "NMC": true, ",": false} {
		doc := reflect.New(typ)
		doc.Elem().FieldByName("Body").SetString(val)
		if err := v.Struct(doc.Interface()); (err == nil) != ok {
			t.Errorf("%q: valid %v, want %v (%v)", val, err == nil, ok, err)
		}
	}
}
