package ruleset

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Type returns the Go struct type of the declared document, built once
// (with reflect.StructOf) and the same on every call; nil and no error for
// a nil Model.
//
// Each field becomes an exported Go field named after its key ("pin" is
// Pin) with `json`, `yaml` and `expr` tags giving the key, so that
// documents decode by their keys and rules read fields by them:
//
//   - text: string; a required text is validate:"required", an enum is
//     validate:"oneof=..." (also omitempty unless required);
//     the applicant's id is tagged eligo:"id", a list's label eligo:"label"
//   - number: float64; integer: int; min and max are validate:"gte=...,lte=..."
//   - boolean: bool
//   - date: *time.Time, nil when absent (validate:"required" if required)
//   - section: a pointer to a struct of its fields, nil when absent
//   - list: a slice of structs of its fields, validate:"max=1000,dive"
//     (min=1 too if required)
//
// A verified section or list entry struct gets a last field
// Verified bool `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`.
// Validate tags are go-playground/validator's standard ones.
func (m *Model) Type() (reflect.Type, error) {
	if m == nil {
		return nil, nil
	}
	m.once.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				m.typ, m.err = nil, fmt.Errorf("rules: model at %s: %v", m.Pos, r)
			}
		}()
		if len(m.Fields) == 0 {
			m.err = fmt.Errorf("rules: model at %s declares no fields", m.Pos)
			return
		}
		m.typ = structOf(m.Fields, false, "")
	})
	return m.typ, m.err
}

// MaxListEntries is the most entries a declared list may hold: its
// validate tag's max.
const MaxListEntries = 1000

var timePtr = reflect.TypeOf((*time.Time)(nil))

// structOf builds the struct of fields, with a Verified flag if verified
// and the field named label tagged eligo:"label".
func structOf(fields []*ModelField, verified bool, label string) reflect.Type {
	sf := make([]reflect.StructField, 0, len(fields)+1)
	for _, f := range fields {
		s := structField(f)
		if label != "" && f.Name == label {
			s.Tag += ` eligo:"label"`
		}
		sf = append(sf, s)
	}
	if verified {
		sf = append(sf, reflect.StructField{Name: "Verified", Type: reflect.TypeOf(false),
			Tag: `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`})
	}
	return reflect.StructOf(sf)
}

func structField(f *ModelField) reflect.StructField {
	var (
		t        reflect.Type
		validate []string
		eligo    string
		omit     bool
	)
	switch f.Type {
	case TypeText:
		t = reflect.TypeOf("")
		if f.Required {
			validate = append(validate, "required")
		}
		if len(f.Enum) > 0 {
			if !f.Required {
				validate = append(validate, "omitempty")
			}
			validate = append(validate, "oneof="+strings.Join(f.Enum, " "))
		}
		if f.ID {
			eligo = "id"
		}
	case TypeNumber, TypeInteger:
		t = reflect.TypeOf(float64(0))
		if f.Type == TypeInteger {
			t = reflect.TypeOf(0)
		}
		if f.Min != nil {
			validate = append(validate, "gte="+strconv.FormatFloat(*f.Min, 'f', -1, 64))
		}
		if f.Max != nil {
			validate = append(validate, "lte="+strconv.FormatFloat(*f.Max, 'f', -1, 64))
		}
	case TypeBoolean:
		t = reflect.TypeOf(false)
	case TypeDate:
		t, omit = timePtr, true
		if f.Required {
			validate = append(validate, "required")
		}
	case TypeSection:
		t, omit = reflect.PointerTo(structOf(f.Fields, f.Verified, "")), true
		if f.Required {
			validate = append(validate, "required")
		}
	case TypeList:
		t = reflect.SliceOf(structOf(f.Fields, f.Verified, f.Label))
		if f.Required {
			validate = append(validate, "min=1")
		}
		validate = append(validate, "max="+strconv.Itoa(MaxListEntries), "dive")
	default:
		panic(fmt.Sprintf("field %s: unknown type %q", f.Name, f.Type))
	}
	key := f.Name
	if omit {
		key += ",omitempty"
	}
	tag := fmt.Sprintf(`json:%q yaml:%q expr:%q`, key, key, f.Name)
	if len(validate) > 0 {
		tag += fmt.Sprintf(` validate:%q`, strings.Join(validate, ","))
	}
	if eligo != "" {
		tag += fmt.Sprintf(` eligo:%q`, eligo)
	}
	return reflect.StructField{Name: exportedName(f.Name), Type: t, Tag: reflect.StructTag(tag)}
}

// exportedName is a key's Go field name: its first letter upper-cased.
func exportedName(key string) string {
	r := []rune(key)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
