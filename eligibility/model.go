package eligibility

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/docdecode"
	"github.com/eligo-dev/eligo/eligibility/internal/view"
	"github.com/go-playground/validator/v10"
)

// ErrModel marks an applicant type [NewFor] or [New] cannot decide: not a
// struct, claims in a shape the verified view does not filter, a
// verification flag that is not a bool named Verified, a label or id that
// is not a string, validate tags the validator does not know, data a
// requirement that can grant reads outside any claim. The engine is not
// built; no applicant of such a type is ever evaluated.
var ErrModel = errors.New("unusable applicant type")

// checkModel rejects, before the rules compile against it, a model the
// engine could not decide faithfully. The verified view finds claims by a
// bool field named Verified; a flag under any other name or type would
// leave unverified claims in the verified view, so granting on them.
func checkModel(model reflect.Type) error {
	if model.Kind() != reflect.Struct {
		return fmt.Errorf("eligibility: NewFor[%s]: %w: want a struct type", model, ErrModel)
	}
	if err := checkFields(model, model.Name(), map[reflect.Type]bool{}); err != nil {
		return fmt.Errorf("eligibility: NewFor[%s]: %w: %s", model, ErrModel, err)
	}
	if f, ok := idField(model); ok && f.Type.Kind() != reflect.String {
		return fmt.Errorf("eligibility: NewFor[%s]: %w: %s.%s: the applicant's id must be a string, not %s", model, ErrModel, model.Name(), f.Name, f.Type)
	}
	return nil
}

// checkFields checks the flags and labels of struct type t and of the
// structs it holds; path names t for the error.
func checkFields(t reflect.Type, path string, seen map[reflect.Type]bool) error {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] || t == reflect.TypeFor[time.Time]() {
		return nil
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, visible := view.Name(f)
		where := path + "." + f.Name
		isFlag := f.Name == "Verified" || (visible && name == "verified")
		switch {
		case isFlag && f.Name != "Verified":
			return fmt.Errorf("%s: rules see it as verified, but the verified view reads only a bool field named Verified", where)
		case isFlag && f.Type.Kind() != reflect.Bool:
			return fmt.Errorf("%s: a verification flag must be a bool, not %s", where, f.Type)
		case f.Tag.Get("eligo") == "label" && f.Type.Kind() != reflect.String:
			return fmt.Errorf("%s: an eligo:\"label\" field must be a string, not %s", where, f.Type)
		case docdecode.Required(f) && !docdecode.CanRequire(f.Type):
			return fmt.Errorf("%s: eligo:\"required\" marks a boolean or number that documents must give, not %s (validate:\"required\" requires a text, a pointer or a list)", where, f.Type)
		case isOptOut(f):
			tag := f.Tag.Get("eligo")
			switch k, _, _ := kindOf(reflect.StructField{Type: f.Type}); k {
			case scalar:
				return fmt.Errorf("%s: eligo:%q marks a section or a list of entries, not %s", where, tag, f.Type)
			case claim:
				return fmt.Errorf("%s: eligo:%q on claims: %s has a Verified flag", where, tag, f.Type)
			}
		}
		if err := checkFields(f.Type, where, seen); err != nil {
			return err
		}
	}
	return nil
}

// idField is the model's id: the top-level field tagged `eligo:"id"`,
// else the one rules see as id.
func idField(model reflect.Type) (reflect.StructField, bool) {
	var byName *reflect.StructField
	for i := 0; i < model.NumField(); i++ {
		f := model.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Tag.Get("eligo") == "id" {
			return f, true
		}
		if name, ok := view.Name(f); ok && name == "id" && byName == nil {
			byName = &f
		}
	}
	if byName != nil {
		return *byName, true
	}
	return reflect.StructField{}, false
}

// idOf returns the function reading the id of an applicant of model: the
// decision's Applicant and the errors' Source. A model without one gives
// "".
func idOf(model reflect.Type) func(unsafe.Pointer) string {
	f, ok := idField(model)
	if !ok || f.Type.Kind() != reflect.String {
		return func(unsafe.Pointer) string { return "" }
	}
	off := f.Offset
	return func(p unsafe.Pointer) string { return *(*string)(unsafe.Add(p, off)) }
}

// probeTags validates, once, a value of model with every pointer set and
// every list holding an entry, so that the validator reads every tag of
// every struct the model holds now rather than at evaluation: it panics
// on a tag it does not know or a parameter it cannot read.
func probeTags(v *validator.Validate, model reflect.Type) (err error) {
	probe := reflect.New(model)
	fillProbe(probe.Elem(), 0)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("eligibility: NewFor[%s]: %w: validate tags: %v", model, ErrModel, r)
		}
	}()
	ctx := context.WithValue(context.Background(), asOfKey{}, minDate)
	_ = v.StructCtx(ctx, probe.Interface()) // a probe's problems are no model's
	return nil
}

// fillProbe sets, to a depth that ends recursive types, every pointer in v to
// a new value and every slice and map to one entry.
func fillProbe(v reflect.Value, depth int) {
	if depth > 6 || !v.CanSet() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		n := reflect.New(v.Type().Elem())
		fillProbe(n.Elem(), depth+1)
		v.Set(n)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fillProbe(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fillProbe(v.Index(i), depth+1)
		}
	case reflect.Map:
		m := reflect.MakeMapWithSize(v.Type(), 1)
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fillProbe(k, depth+1)
		fillProbe(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			fillProbe(v.Field(i), depth+1)
		}
	}
}
