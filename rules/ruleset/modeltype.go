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
// documents decode by their keys and rules read fields by them. Its
// `validate` tag lists go-playground/validator tags, eligo's own among
// them: finite (a number neither NaN nor infinite), date (a date at
// midnight UTC from 1900-01-01 to 9999-12-31), not_after_as_of (a date on
// or before the evaluation date) and not_before=F (a date on or after its
// sibling F's when both are given), which whoever validates the type must
// register, as package eligibility does. An event date is tagged
// eligo:"event" or eligo:"start" (ModelField.Event), which package
// eligibility reads to judge it against the evaluation date. By type:
//
//   - text: string; "required" if required; an enum is "oneof=..."
//     (after "omitempty" unless required: an empty text is not in the
//     enum); format country is "iso3166_1_alpha2" (after "omitempty"
//     unless required); a personal text is tagged expr:"-", so rules
//     never see it; the applicant's id is tagged eligo:"id", a list's
//     label eligo:"label"
//   - number: float64, "finite"; integer: int; min and max add
//     "gte=...,lte=...", e.g. "finite,gte=0"
//   - boolean: bool
//   - a number, integer or boolean declared nullable is a pointer
//     (*float64, *int, *bool), nil when absent, its tags after
//     "omitempty"; one declared required is tagged eligo:"required",
//     which package eligibility's decoding reads: a document that leaves
//     it out, or gives it null, is invalid at the field (validation
//     cannot tell an absent false or 0 from a given one)
//   - date: *time.Time, nil when absent: "omitempty,date" or
//     "required,date", then "not_after_as_of" if past, then
//     "not_before=F" for notBefore: f, F being f's Go field name; tagged
//     eligo:"event" for event: true, eligo:"start" for event: start
//   - section: a pointer to a struct of its fields, nil when absent
//     ("required" if required)
//   - list: a slice of structs of its fields, "max=1000,dive" (min=1
//     first if required; maxEntries: N gives max=N); a list of text is a
//     []string, "max=1000" or, with an enum, "max=1000,dive,oneof=..."
//
// A verified section or list entry struct gets a last field
// Verified bool `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`;
// a section or list of entries declared verified: false is tagged
// eligo:"unverifiable".
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
		exprName = f.Name
	)
	switch f.Type {
	case TypeText:
		t = reflect.TypeOf("")
		switch {
		case f.Required && len(f.Enum) == 0:
			validate = append(validate, "required")
		case !f.Required && (len(f.Enum) > 0 || f.Format != ""):
			validate = append(validate, "omitempty")
		}
		if len(f.Enum) > 0 {
			validate = append(validate, "oneof="+strings.Join(f.Enum, " "))
		}
		if f.Format == FormatCountry {
			validate = append(validate, "iso3166_1_alpha2")
		}
		if f.ID {
			eligo = "id"
		}
		if f.Personal {
			exprName = "-"
		}
	case TypeNumber, TypeInteger:
		t = reflect.TypeOf(float64(0))
		if f.Type == TypeInteger {
			t = reflect.TypeOf(0)
		} else {
			validate = append(validate, "finite")
		}
		if f.Min != nil {
			validate = append(validate, "gte="+strconv.FormatFloat(*f.Min, 'f', -1, 64))
		}
		if f.Max != nil {
			validate = append(validate, "lte="+strconv.FormatFloat(*f.Max, 'f', -1, 64))
		}
		t, validate, omit = stated(f, t, validate)
		if f.Required {
			eligo = "required"
		}
	case TypeBoolean:
		t, validate, omit = stated(f, reflect.TypeOf(false), validate)
		if f.Required {
			eligo = "required"
		}
	case TypeDate:
		t, omit = timePtr, true
		if f.Required {
			validate = append(validate, "required", "date")
		} else {
			validate = append(validate, "omitempty", "date")
		}
		if f.Past {
			validate = append(validate, "not_after_as_of")
		}
		eligo = string(f.Event)
		if f.NotBefore != "" {
			validate = append(validate, "not_before="+exportedName(f.NotBefore))
		}
	case TypeSection:
		t, omit = reflect.PointerTo(structOf(f.Fields, f.Verified, "")), true
		if f.Unverifiable {
			eligo = "unverifiable"
		}
		if f.Required {
			validate = append(validate, "required")
		}
	case TypeList:
		if f.Required {
			validate = append(validate, "min=1")
		}
		max := f.MaxEntries
		if max == 0 {
			max = MaxListEntries
		}
		validate = append(validate, "max="+strconv.Itoa(max))
		if f.Of == TypeText {
			t = reflect.TypeOf([]string(nil))
			if len(f.Enum) > 0 {
				validate = append(validate, "dive", "oneof="+strings.Join(f.Enum, " "))
			}
		} else {
			t = reflect.SliceOf(structOf(f.Fields, f.Verified, f.Label))
			validate = append(validate, "dive")
			if f.Unverifiable {
				eligo = "unverifiable"
			}
		}
	default:
		panic(fmt.Sprintf("field %s: unknown type %q", f.Name, f.Type))
	}
	key := f.Name
	if omit {
		key += ",omitempty"
	}
	tag := fmt.Sprintf(`json:%q yaml:%q expr:%q`, key, key, exprName)
	if len(validate) > 0 {
		tag += fmt.Sprintf(` validate:%q`, strings.Join(validate, ","))
	}
	if eligo != "" {
		tag += fmt.Sprintf(` eligo:%q`, eligo)
	}
	return reflect.StructField{Name: exportedName(f.Name), Type: t, Tag: reflect.StructTag(tag)}
}

// stated is the type, validate tags and omitempty of a number, integer or
// boolean field of type t with tags validate: t itself unless f is
// nullable; else a pointer to t, nil when a document leaves the field
// out, its tags after "omitempty" (when there are any).
func stated(f *ModelField, t reflect.Type, validate []string) (reflect.Type, []string, bool) {
	switch {
	case f.Nullable && len(validate) > 0:
		return reflect.PointerTo(t), append([]string{"omitempty"}, validate...), true
	case f.Nullable:
		return reflect.PointerTo(t), validate, true
	}
	return t, validate, false
}

// exportedName is a key's Go field name: its first letter upper-cased.
func exportedName(key string) string {
	r := []rune(key)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
