package main

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules"
)

// mirrorTags are the struct tags a Go type mirroring a declared model must
// carry exactly as rules.ModelType writes them.
var mirrorTags = []string{"json", "yaml", "expr", "validate", "eligo"}

// assertMirrorsModel checks that T has, in order, the fields of the type
// rules.ModelType builds for set's declared model, each with the same tags
// (the Go names may differ: ID for the model's Id), the same kind of type
// (a *time.Time for a date, a pointer to a struct for a section, a slice
// of structs for a list) and the same types, down through sections and
// list entries.
func assertMirrorsModel[T any](t *testing.T, set *rules.Set) {
	t.Helper()
	model, err := rules.ModelType(set)
	if err != nil {
		t.Fatal(err)
	}
	if model == nil {
		t.Fatal("the rule set declares no model")
	}
	for _, p := range mirrorProblems(reflect.TypeFor[T]().Name(), reflect.TypeFor[T](), model) {
		t.Error(p)
	}
}

// mirrorProblems lists each way struct type got differs from want, the
// model's type; none when got mirrors it.
func mirrorProblems(path string, got, want reflect.Type) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if got.NumField() != want.NumField() {
		add("%s: %d fields, the model's type has %d", path, got.NumField(), want.NumField())
	}
	for i := 0; i < min(got.NumField(), want.NumField()); i++ {
		g, w := got.Field(i), want.Field(i)
		where := path + "." + g.Name
		for _, key := range mirrorTags {
			gv, gok := g.Tag.Lookup(key)
			wv, wok := w.Tag.Lookup(key)
			if gv != wv || gok != wok {
				add("%s: tag %s:%q, the model's field %s has %s:%q", where, key, gv, w.Name, key, wv)
			}
		}
		gt, wt := g.Type, w.Type
		switch {
		case gt.Kind() != wt.Kind():
			add("%s: a %s, the model's is a %s", where, gt, wt)
		case (gt.Kind() == reflect.Pointer || gt.Kind() == reflect.Slice) &&
			wt.Elem().Kind() == reflect.Struct && wt.Elem() != reflect.TypeFor[time.Time]():
			if gt.Elem().Kind() != reflect.Struct {
				add("%s: a %s, the model's is a %s", where, gt, wt)
				continue
			}
			out = append(out, mirrorProblems(where, gt.Elem(), wt.Elem())...)
		case gt != wt:
			add("%s: a %s, the model's is a %s", where, gt, wt)
		}
	}
	return out
}

// TestMirrorDetectsDrift: the mirror check is not vacuous: a type whose
// tag, type or fields drift from the model's is reported.
func TestMirrorDetectsDrift(t *testing.T) {
	model, err := rules.ModelType(nursingSet(t))
	if err != nil {
		t.Fatal(err)
	}
	type badQuarter struct {
		Quarter  string  `json:"quarter" yaml:"quarter" expr:"quarter" validate:"required" eligo:"label"`
		Hours    float64 `json:"hours" yaml:"hours" expr:"hours" validate:"finite,gte=0"` // lte=1000 left out
		Verified bool    `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`
	}
	type drifted struct {
		ID                 string            `json:"id" yaml:"id" expr:"id" validate:"required"` // no eligo:"id"
		Name               string            `json:"name" yaml:"name" expr:"-"`
		Registration       NurseRegistration `json:"registration,omitempty" yaml:"registration,omitempty" expr:"registration"` // not a pointer
		BackgroundCheck    *BackgroundCheck  `json:"backgroundCheck,omitempty" yaml:"backgroundCheck,omitempty" expr:"backgroundCheck"`
		SupervisedPractice []badQuarter      `json:"supervisedPractice" yaml:"supervisedPractice" expr:"supervisedPractice" validate:"max=12,dive"`
	}
	got := mirrorProblems("drifted", reflect.TypeFor[drifted](), model)
	want := []string{
		`drifted: 5 fields, the model's type has 8`,
		`drifted.ID: tag eligo:"", the model's field Id has eligo:"id"`,
		`drifted.Registration: a main.NurseRegistration, the model's is a `,
		`drifted.SupervisedPractice.Hours: tag validate:"finite,gte=0", the model's field Hours has validate:"finite,gte=0,lte=1000"`,
	}
	if len(got) != len(want) {
		t.Fatalf("problems:\n%q\nwant %d", got, len(want))
	}
	for i := range want {
		if len(got[i]) < len(want[i]) || got[i][:len(want[i])] != want[i] {
			t.Errorf("problem %d: %q, want %q...", i, got[i], want[i])
		}
	}
	if p := mirrorProblems("Nurse", reflect.TypeFor[Nurse](), model); len(p) != 0 {
		t.Errorf("Nurse: %q", p)
	}
}
