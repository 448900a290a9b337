package eligibility

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"
)

// isDateType reports whether t is time.Time or *time.Time.
func isDateType(t reflect.Type) bool {
	return t == timeType || t.Kind() == reflect.Pointer && t.Elem() == timeType
}

// checkSiblingTags rejects, with an error wrapping ErrModel, a model with a
// not_before tag the validator could not judge: one after dive, on a field
// that is not a date, or naming what is not an exported date field of the
// tagged field's struct.
func checkSiblingTags(model reflect.Type) error {
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type) error
	walk = func(t reflect.Type) error {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == timeType || seen[t] {
			return nil
		}
		seen[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if problem := notBeforeProblem(t, f); problem != "" {
				return fmt.Errorf("eligibility: NewFor[%s]: %w: %s.%s: %s", model, ErrModel, t, f.Name, problem)
			}
			if err := walk(f.Type); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(model)
}

// notBeforeProblem says what is wrong with the not_before tags of field f
// of struct type s; "" when nothing is.
func notBeforeProblem(s reflect.Type, f reflect.StructField) string {
	dived := false
	for _, tag := range strings.Split(f.Tag.Get("validate"), ",") {
		for _, alt := range strings.Split(tag, "|") {
			name, param, _ := strings.Cut(alt, "=")
			switch {
			case name == "dive" || name == "keys":
				dived = true
			case name != tagNotBefore:
			case dived:
				return alt + " after dive: it compares date fields of one struct"
			case !isDateType(f.Type):
				return alt + " on a " + f.Type.String() + ", not a date"
			default:
				o, ok := s.FieldByName(param)
				if !ok || !o.IsExported() || !isDateType(o.Type) {
					return alt + ": " + strconv.Quote(param) + " is not a date field of " + s.String()
				}
			}
		}
	}
	return ""
}

// notBeforeMessage describes a failed not_before on a, a pointer to the
// model, naming the sibling by its document key and date: "2024-07-01 is
// before enrolled 2024-08-01".
func notBeforeMessage(a any, fe validator.FieldError, root string) string {
	value := fmt.Sprint(fe.Value())
	if t, present, ok := dateIn(reflect.ValueOf(fe.Value())); ok && present {
		value = t.Format(dateLayout)
	}
	if parent, ok := parentStruct(reflect.ValueOf(a), documentPath(fe.StructNamespace(), root)); ok {
		if f, ok := parent.Type().FieldByName(fe.Param()); ok {
			if t, present, ok := dateIn(parent.FieldByIndex(f.Index)); ok && present {
				return fmt.Sprintf("%s is before %s %s", value, documentKey(f), t.Format(dateLayout))
			}
		}
	}
	return fmt.Sprintf("%s is before %s", value, fe.Param())
}

// parentStruct finds in v the struct holding the field a validator struct
// namespace past the root struct's name, such as "Sessions[0].Ended",
// names.
func parentStruct(v reflect.Value, rest string) (reflect.Value, bool) {
	v, ok := indirect(v)
	if !ok {
		return v, false
	}
	for {
		i := strings.IndexAny(rest, ".[")
		if i < 0 {
			return v, v.Kind() == reflect.Struct // rest names the field itself
		}
		if v.Kind() != reflect.Struct {
			return v, false
		}
		v, rest = v.FieldByName(rest[:i]), rest[i:]
		for strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			if v, ok = indirect(v); !ok || end < 0 {
				return v, false
			}
			if v, ok = element(v, rest[1:end]); !ok {
				return v, false
			}
			rest = rest[end+1:]
		}
		var found bool
		if rest, found = strings.CutPrefix(rest, "."); !found {
			return v, false
		}
		if v, ok = indirect(v); !ok {
			return v, false
		}
	}
}

// indirect follows pointers and interfaces in v; false at a nil one.
func indirect(v reflect.Value) (reflect.Value, bool) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return v, false
		}
		v = v.Elem()
	}
	return v, v.IsValid()
}

// element is the entry of slice, array or map v at key, as the validator
// writes it in a namespace.
func element(v reflect.Value, key string) (reflect.Value, bool) {
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= v.Len() {
			return v, false
		}
		return v.Index(i), true
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if fmt.Sprint(it.Key().Interface()) == key {
				return it.Value(), true
			}
		}
	}
	return v, false
}
