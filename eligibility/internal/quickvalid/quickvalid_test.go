package quickvalid

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/go-playground/validator/v10"
)

// The eligibility package holds the quick check to validator/v10 on the
// Applicant model (quickvalid_test.go there). These tests do the same on a
// model of their own, to show that nothing here depends on that one.

type member struct {
	Name    string     `validate:"required"`
	Grade   string     `validate:"omitempty,oneof=a b c"`
	Hours   float64    `validate:"gte=0,max=100,finite"`
	Count   int        `validate:"gte=1"`
	Tags    []string   `validate:"max=3,dive,required"`
	Home    *address   // no tag: checked when set
	Joined  *time.Time `validate:"omitempty,past"`
	Left    *time.Time `validate:"omitempty,past,notbefore=Joined"`
	Periods []period   `validate:"dive"`
	Score   float64    `validate:"gt=0,lt=10"`
	Rank    int        `validate:"min=1,lte=5"`
	Since   *time.Time `validate:"required"`
	Office  *address   `validate:"required"`
	Roles   []string   `validate:"min=1,max=2,dive,oneof=x y"`
	note    string     // unexported: ignored
}

type address struct {
	Country string `validate:"required,iso3166_1_alpha2"`
}

type period struct{ From, To int }

type asOfKey struct{}

// newValidators builds validator/v10 and the quick check from the same
// custom tags ("finite"; "past": not after the evaluation date;
// "notbefore": not before the sibling's time when it has one) and the
// same struct-level check (a period does not end before it begins).
func newValidators(t *testing.T) (*validator.Validate, *Validator) {
	t.Helper()
	val := validator.New()
	if err := errors.Join(
		val.RegisterValidation("finite", func(fl validator.FieldLevel) bool {
			f := fl.Field().Float()
			return !math.IsNaN(f) && !math.IsInf(f, 0)
		}),
		val.RegisterValidationCtx("past", func(ctx context.Context, fl validator.FieldLevel) bool {
			return !fl.Field().Interface().(time.Time).After(ctx.Value(asOfKey{}).(time.Time))
		}),
		val.RegisterValidation("notbefore", func(fl validator.FieldLevel) bool {
			other, _, ok := fl.GetStructFieldOK()
			return !ok || other.Kind() == reflect.Pointer || !fl.Field().Interface().(time.Time).Before(other.Interface().(time.Time))
		}),
	); err != nil {
		t.Fatal(err)
	}
	val.RegisterStructValidation(func(sl validator.StructLevel) {
		if p := sl.Current().Interface().(period); p.To < p.From {
			sl.ReportError(p.To, "To", "To", "order", "")
		}
	}, period{})
	quick, err := New(reflect.TypeFor[member](), map[reflect.Type]Check{
		reflect.TypeFor[period](): func(p unsafe.Pointer, _ *Run) bool { return (*period)(p).From <= (*period)(p).To },
	}, map[string]Tag{
		"finite": func(t reflect.Type) Check {
			if t != reflect.TypeFor[float64]() {
				return nil
			}
			return func(p unsafe.Pointer, _ *Run) bool { x := *(*float64)(p); return !math.IsNaN(x) && !math.IsInf(x, 0) }
		},
		"past": func(t reflect.Type) Check {
			if t != reflect.TypeFor[time.Time]() {
				return nil
			}
			return func(p unsafe.Pointer, r *Run) bool { return !(*time.Time)(p).After(r.AsOf) }
		},
	}, notBefore)
	if err != nil {
		t.Fatal(err)
	}
	return val, quick
}

// notBefore mirrors the validator's "notbefore" on member.Left, the one
// field the tests give it.
var notBefore = map[string]SiblingTag{"notbefore": func(s reflect.Type, f reflect.StructField, param string) Check {
	other, ok := s.FieldByName(param)
	if s != reflect.TypeFor[member]() || f.Name != "Left" || !ok || other.Type != f.Type {
		return nil
	}
	return func(p unsafe.Pointer, _ *Run) bool {
		m := (*member)(p)
		return m.Joined == nil || !m.Left.Before(*m.Joined)
	}
}}

func TestQuickMatchesValidator(t *testing.T) {
	val, quick := newValidators(t)
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	earlier, early, late := asOf.AddDate(-2, 0, 0), asOf.AddDate(-1, 0, 0), asOf.AddDate(0, 0, 1)
	valid := func() member {
		return member{Name: "n", Grade: "b", Hours: 5, Count: 1, Tags: []string{"x"},
			Home: &address{Country: "GB"}, Joined: &early, Left: &asOf, Periods: []period{{1, 2}},
			Score: 5, Rank: 1, Since: &early, Office: &address{Country: "FR"}, Roles: []string{"x"}}
	}
	cases := []struct {
		name  string
		edit  func(*member)
		valid bool
	}{
		{"valid", func(*member) {}, true},
		{"valid: optional parts absent", func(m *member) { m.Grade, m.Home, m.Joined, m.Left, m.Tags, m.Periods = "", nil, nil, nil, nil, nil }, true},
		{"sibling tag: the sibling absent", func(m *member) { m.Joined, m.Left = nil, &earlier }, true},
		{"sibling tag: the field absent", func(m *member) { m.Left = nil }, true},
		{"sibling tag: the same time", func(m *member) { m.Left = m.Joined }, true},
		{"sibling tag: before the sibling", func(m *member) { m.Left = &earlier }, false},
		{"required string empty", func(m *member) { m.Name = "" }, false},
		{"oneof", func(m *member) { m.Grade = "d" }, false},
		{"gte on a float", func(m *member) { m.Hours = -1 }, false},
		{"max on a float", func(m *member) { m.Hours = 101 }, false},
		{"custom tag: NaN", func(m *member) { m.Hours = math.NaN() }, false},
		{"gte on an int", func(m *member) { m.Count = 0 }, false},
		{"max on a list", func(m *member) { m.Tags = []string{"a", "b", "c", "d"} }, false},
		{"dive: an empty entry", func(m *member) { m.Tags = []string{"a", ""} }, false},
		{"untagged section: its fields", func(m *member) { m.Home.Country = "gb" }, false},
		{"unknown country", func(m *member) { m.Home.Country = "XX" }, false},
		{"custom tag with the evaluation date", func(m *member) { m.Joined = &late }, false},
		{"struct level", func(m *member) { m.Periods = append(m.Periods, period{3, 2}) }, false},
		{"unexported field ignored", func(m *member) { m.note = "" }, true},
		{"gt on a float: the bound", func(m *member) { m.Score = 0 }, false},
		{"lt on a float: the bound", func(m *member) { m.Score = 10 }, false},
		{"min on an int", func(m *member) { m.Rank = 0 }, false},
		{"lte on an int: the bound", func(m *member) { m.Rank = 5 }, true},
		{"lte on an int", func(m *member) { m.Rank = 6 }, false},
		{"required date pointer absent", func(m *member) { m.Since = nil }, false},
		{"required date pointer: a zero time is set", func(m *member) { m.Since = &time.Time{} }, true},
		{"required section absent", func(m *member) { m.Office = nil }, false},
		{"required section: its fields", func(m *member) { m.Office.Country = "" }, false},
		{"min on a list", func(m *member) { m.Roles = []string{} }, false},
		{"min on a nil list", func(m *member) { m.Roles = nil }, false},
		{"list entries' oneof", func(m *member) { m.Roles = []string{"x", "z"} }, false},
		{"max on a list of two", func(m *member) { m.Roles = []string{"x", "y"} }, true},
	}
	ctx := context.WithValue(context.Background(), asOfKey{}, asOf)
	for _, tc := range cases {
		m := valid()
		tc.edit(&m)
		err := val.StructCtx(ctx, &m)
		if (err == nil) != tc.valid {
			t.Fatalf("%s: the validator says %v; the case says valid=%v", tc.name, err, tc.valid)
		}
		if got := quick.Valid(unsafe.Pointer(&m), asOf); got != tc.valid {
			t.Errorf("%s: quick check says certainly valid=%v, want %v", tc.name, got, tc.valid)
		}
	}
}

func TestUnsupported(t *testing.T) {
	type unknownTag struct {
		Email string `validate:"email"`
	}
	type alternatives struct {
		S string `validate:"oneof=a b|len=3"`
	}
	type customOnAnotherType struct {
		N int `validate:"finite"`
	}
	finite := map[string]Tag{"finite": func(t reflect.Type) Check {
		if t != reflect.TypeFor[float64]() {
			return nil
		}
		return func(unsafe.Pointer, *Run) bool { return true }
	}}
	type siblingAfterDive struct {
		Joined *time.Time
		Left   []time.Time `validate:"dive,notbefore=Joined"`
	}
	type siblingNotModelled struct {
		Joined, Left *time.Time `validate:"omitempty,notbefore=Joined"`
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[unknownTag](), reflect.TypeFor[alternatives](), reflect.TypeFor[customOnAnotherType](),
		reflect.TypeFor[siblingAfterDive](), reflect.TypeFor[siblingNotModelled]()} {
		v, err := New(typ, nil, finite, notBefore)
		if !errors.Is(err, ErrUnsupported) || v != nil {
			t.Errorf("%s: got %v, %v; want ErrUnsupported", typ, v, err)
		}
	}
	var none *Validator
	if none.Valid(unsafe.Pointer(&member{}), time.Time{}) {
		t.Error("a nil Validator is certain")
	}
}
