package main

import (
	"reflect"
	"testing"

	"github.com/eligo-dev/eligo/rules"
)

// mirrorTags are the struct tags a Go type mirroring a declared model must
// carry exactly as rules.ModelType writes them.
var mirrorTags = []string{"json", "yaml", "expr", "validate", "eligo"}

// assertMirrorsModel checks that T has, in order, the fields of the type
// rules.ModelType builds for set's declared model, each with the same tags
// (the Go names may differ: ID for the model's Id), the same kind of type (a *time.Time for a date, a pointer to a
// struct for a section, a slice of structs for a list) and the same tags,
// down through sections and list entries.
func assertMirrorsModel[T any](t *testing.T, set *rules.Set) {
	t.Helper()
	model, err := rules.ModelType(set)
	if err != nil {
		t.Fatal(err)
	}
	if model == nil {
		t.Fatal("the rule set declares no model")
	}
	mirrorStruct(t, reflect.TypeFor[T]().Name(), reflect.TypeFor[T](), model)
}

func mirrorStruct(t *testing.T, path string, got, want reflect.Type) {
	t.Helper()
	if got.NumField() != want.NumField() {
		t.Errorf("%s: %d fields, the model's type has %d", path, got.NumField(), want.NumField())
	}
	for i := 0; i < min(got.NumField(), want.NumField()); i++ {
		g, w := got.Field(i), want.Field(i)
		where := path + "." + g.Name
		for _, key := range mirrorTags {
			gv, gok := g.Tag.Lookup(key)
			wv, wok := w.Tag.Lookup(key)
			if gv != wv || gok != wok {
				t.Errorf("%s: tag %s:%q, the model's is %s:%q", where, key, gv, key, wv)
			}
		}
		gt, wt := g.Type, w.Type
		if gt.Kind() != wt.Kind() {
			t.Errorf("%s: a %s, the model's is a %s", where, gt, wt)
			continue
		}
		switch gt.Kind() {
		case reflect.Pointer, reflect.Slice:
			ge, we := gt.Elem(), wt.Elem()
			if we == reflect.TypeFor[struct{}]() || we.Kind() != reflect.Struct || we.PkgPath() == "time" {
				if ge != we {
					t.Errorf("%s: a %s, the model's is a %s", where, gt, wt)
				}
				continue
			}
			if ge.Kind() != reflect.Struct {
				t.Errorf("%s: a %s, the model's is a %s", where, gt, wt)
				continue
			}
			mirrorStruct(t, where, ge, we)
		default:
			if gt != wt {
				t.Errorf("%s: a %s, the model's is a %s", where, gt, wt)
			}
		}
	}
}
