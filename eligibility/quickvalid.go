package eligibility

import (
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/go-playground/validator/v10"
)

// quickValidator answers, fast and without allocating, whether an applicant
// is certainly valid: the validator (validate.go) costs more than deciding
// the applicant, mostly in reflection and error bookkeeping that a valid
// applicant never needs. It reads the same `validate` tags as the validator
// and checks them on the applicant's memory, with checks compiled once per
// engine. Anything it does not model, or any doubt, answers "not certain",
// and Evaluate then asks the validator, whose answer and error messages
// stand. So it can make Evaluate faster, never more permissive.
//
// Built from the Applicant type when the engine is built: a tag it does
// not know disables it (newQuickValidator returns nil and every applicant
// goes to the validator). The struct-level checks of validate.go
// (validateCourseDates, validatePeriodDates) are mirrored in structLevel;
// TestQuickValidatorKnowsTheValidator keeps the two in step.
type quickValidator struct {
	root check

	countriesOnce sync.Once
	countries     [26 * 26]bool // ISO 3166-1 alpha-2 codes, from the validator's own table
}

// check reports whether the value at p is certainly valid.
type check func(p unsafe.Pointer, q *quickRun) bool

// nilOr checks a pointer at p: nil passes, else inner checks what it
// points at.
func nilOr(inner check) check {
	return func(p unsafe.Pointer, q *quickRun) bool {
		s := *(*unsafe.Pointer)(p)
		return s == nil || inner(s, q)
	}
}

type quickRun struct {
	asOf time.Time
	v    *quickValidator
}

var errQuickUnsupported = errors.New("eligibility: quick validation does not model this tag")

func newQuickValidator() *quickValidator {
	v := &quickValidator{}
	root, err := structCheck(reflect.TypeFor[Applicant]())
	if err != nil {
		return nil
	}
	v.root = root
	return v
}

// valid reports whether a is certainly valid on asOf (a date at midnight
// UTC). A nil quickValidator is never certain.
func (v *quickValidator) valid(a *Applicant, asOf time.Time) bool {
	if v == nil {
		return false
	}
	q := quickRun{asOf: asOf, v: v}
	return v.root(unsafe.Pointer(a), &q)
}

func (v *quickValidator) country(s string) bool {
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return false
	}
	v.countriesOnce.Do(func() {
		val := validator.New()
		for i := range v.countries {
			code := string([]byte{'A' + byte(i/26), 'A' + byte(i%26)})
			v.countries[i] = val.Var(code, "iso3166_1_alpha2") == nil
		}
	})
	return v.countries[int(s[0]-'A')*26+int(s[1]-'A')]
}

// structLevel mirrors the struct-level validations validate.go registers.
var structLevel = map[reflect.Type]check{
	reflect.TypeFor[Course](): func(p unsafe.Pointer, _ *quickRun) bool {
		c := (*Course)(p)
		return datesInOrder(c.Enrolled, c.Completed)
	},
	reflect.TypeFor[PracticePeriod](): func(p unsafe.Pointer, _ *quickRun) bool {
		pp := (*PracticePeriod)(p)
		return datesInOrder(pp.From, pp.To)
	},
}

func datesInOrder(earlier, later *time.Time) bool {
	return earlier == nil || later == nil || !dateOf(*later).Before(dateOf(*earlier))
}

// structCheck checks every validated field of a struct, then its
// struct-level validation.
func structCheck(t reflect.Type) (check, error) {
	var checks []check
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			return nil, errQuickUnsupported
		}
		tag := f.Tag.Get("validate")
		if !f.IsExported() || tag == "-" {
			continue
		}
		var tags []string
		if tag != "" {
			tags = strings.Split(tag, ",")
		}
		c, err := fieldCheck(f.Type, tags)
		if err != nil {
			return nil, err
		}
		if c == nil {
			continue
		}
		off := f.Offset
		checks = append(checks, func(p unsafe.Pointer, q *quickRun) bool { return c(unsafe.Add(p, off), q) })
	}
	if sl := structLevel[t]; sl != nil {
		checks = append(checks, sl)
	}
	if len(checks) == 0 {
		return nil, nil
	}
	return func(p unsafe.Pointer, q *quickRun) bool {
		for _, c := range checks {
			if !c(p, q) {
				return false
			}
		}
		return true
	}, nil
}

// fieldCheck compiles the tags of a field of type t; nil means nothing to
// check.
func fieldCheck(t reflect.Type, tags []string) (check, error) {
	for _, tag := range tags {
		if strings.ContainsAny(tag, "|'") || tag == "" {
			return nil, errQuickUnsupported
		}
	}
	timeType := reflect.TypeFor[time.Time]()
	switch {
	case t.Kind() == reflect.Pointer:
		elem := t.Elem()
		if elem.Kind() == reflect.Pointer {
			return nil, errQuickUnsupported
		}
		if len(tags) == 0 {
			if elem.Kind() != reflect.Struct || elem == timeType {
				return nil, nil
			}
			inner, err := structCheck(elem)
			if inner == nil || err != nil {
				return nil, err
			}
			return nilOr(inner), nil
		}
		// A nil pointer passes only omitempty; a pointer that is set has
		// a value, so its omitempty passes and the rest check the value.
		if tags[0] != "omitempty" || elem.Kind() == reflect.Struct && elem != timeType {
			return nil, errQuickUnsupported
		}
		inner, err := valueCheck(elem, tags[1:])
		if inner == nil || err != nil {
			return nil, err
		}
		return nilOr(inner), nil
	case t.Kind() == reflect.Struct && t != timeType:
		if len(tags) > 0 {
			return nil, errQuickUnsupported
		}
		return structCheck(t)
	case t.Kind() == reflect.Slice:
		var before []string
		dive := -1
		for i, tag := range tags {
			if tag == "dive" {
				dive = i
				break
			}
			before = append(before, tag)
		}
		var checks []check
		for _, tag := range before {
			name, param, _ := strings.Cut(tag, "=")
			switch name {
			case "max":
				n, err := strconv.Atoi(param)
				if err != nil {
					return nil, errQuickUnsupported
				}
				checks = append(checks, func(p unsafe.Pointer, _ *quickRun) bool { return reflect.NewAt(t, p).Elem().Len() <= n })
			default:
				return nil, errQuickUnsupported
			}
		}
		if dive >= 0 {
			elem := t.Elem()
			ec, err := fieldCheck(elem, tags[dive+1:])
			if err != nil {
				return nil, err
			}
			if ec != nil {
				size := elem.Size()
				checks = append(checks, func(p unsafe.Pointer, q *quickRun) bool {
					s := reflect.NewAt(t, p).Elem()
					data, n := s.UnsafePointer(), s.Len()
					for i := 0; i < n; i++ {
						if !ec(unsafe.Add(data, uintptr(i)*size), q) {
							return false
						}
					}
					return true
				})
			}
		}
		return all(checks), nil
	}
	return valueCheck(t, tags)
}

func all(checks []check) check {
	switch len(checks) {
	case 0:
		return nil
	case 1:
		return checks[0]
	}
	return func(p unsafe.Pointer, q *quickRun) bool {
		for _, c := range checks {
			if !c(p, q) {
				return false
			}
		}
		return true
	}
}

// valueCheck compiles tags on a string, number, bool or date value.
func valueCheck(t reflect.Type, tags []string) (check, error) {
	timeType := reflect.TypeFor[time.Time]()
	if t.Kind() == reflect.Interface {
		// The validator validates whatever an interface holds.
		return nil, errQuickUnsupported
	}
	var checks []check
	for i, tag := range tags {
		name, param, _ := strings.Cut(tag, "=")
		switch {
		case name == "omitempty":
			if i != 0 {
				return nil, errQuickUnsupported
			}
			// Empty: the rest is skipped. A zero value is valid.
			rest, err := valueCheck(t, tags[1:])
			if rest == nil || err != nil {
				return nil, err
			}
			zero, err := isZero(t)
			if err != nil {
				return nil, err
			}
			return func(p unsafe.Pointer, q *quickRun) bool { return zero(p) || rest(p, q) }, nil
		case name == "required":
			zero, err := isZero(t)
			if err != nil {
				return nil, err
			}
			checks = append(checks, func(p unsafe.Pointer, _ *quickRun) bool { return !zero(p) })
		case name == "oneof" && t == reflect.TypeFor[string]():
			allowed := strings.Fields(param)
			checks = append(checks, func(p unsafe.Pointer, _ *quickRun) bool {
				s := *(*string)(p)
				for _, a := range allowed {
					if s == a {
						return true
					}
				}
				return false
			})
		case (name == "gte" || name == "max") && (t == reflect.TypeFor[float64]() || t == reflect.TypeFor[int]()):
			bound, err := strconv.ParseFloat(param, 64)
			if err != nil || t == reflect.TypeFor[int]() && bound != math.Trunc(bound) {
				return nil, errQuickUnsupported
			}
			isFloat, atLeast := t == reflect.TypeFor[float64](), name == "gte"
			checks = append(checks, func(p unsafe.Pointer, _ *quickRun) bool {
				var x float64
				if isFloat {
					x = *(*float64)(p)
				} else {
					x = float64(*(*int)(p))
				}
				if atLeast {
					return x >= bound
				}
				return x <= bound
			})
		case name == tagFinite && t == reflect.TypeFor[float64]():
			checks = append(checks, func(p unsafe.Pointer, _ *quickRun) bool {
				x := *(*float64)(p)
				return !math.IsNaN(x) && !math.IsInf(x, 0)
			})
		case name == tagDate && t == timeType:
			checks = append(checks, func(p unsafe.Pointer, _ *quickRun) bool {
				return isDocumentDate(*(*time.Time)(p))
			})
		case name == tagNotAfterAsOf && t == timeType:
			checks = append(checks, func(p unsafe.Pointer, q *quickRun) bool {
				return !dateOf(*(*time.Time)(p)).After(q.asOf)
			})
		case name == "iso3166_1_alpha2" && t == reflect.TypeFor[string]():
			checks = append(checks, func(p unsafe.Pointer, q *quickRun) bool { return q.v.country(*(*string)(p)) })
		default:
			return nil, errQuickUnsupported
		}
	}
	return all(checks), nil
}

// isZero reports whether a value of type t is the zero value, as the
// validator's hasValue sees it.
func isZero(t reflect.Type) (func(unsafe.Pointer) bool, error) {
	switch t {
	case reflect.TypeFor[string]():
		return func(p unsafe.Pointer) bool { return *(*string)(p) == "" }, nil
	case reflect.TypeFor[float64]():
		// reflect's IsZero: +0 only, not -0.
		return func(p unsafe.Pointer) bool { return math.Float64bits(*(*float64)(p)) == 0 }, nil
	case reflect.TypeFor[int]():
		return func(p unsafe.Pointer) bool { return *(*int)(p) == 0 }, nil
	case reflect.TypeFor[bool]():
		return func(p unsafe.Pointer) bool { return !*(*bool)(p) }, nil
	case reflect.TypeFor[time.Time]():
		return func(p unsafe.Pointer) bool { return *(*time.Time)(p) == time.Time{} }, nil
	}
	return nil, errQuickUnsupported
}
