// Package quickvalid answers, fast and without allocating, whether a value
// of a struct type is certainly valid under the `validate` tags that
// github.com/go-playground/validator/v10 reads.
//
// The validator costs more than deciding an applicant, mostly in reflection
// and error bookkeeping that a valid value never needs. A [Validator] reads
// the same tags and checks them on the value's memory, with checks compiled
// once from the type. Anything it does not model, or any doubt, answers "not
// certain", and the caller then asks the validator, whose answer and error
// messages stand. So it can make a caller faster, never more permissive.
//
// It knows validator's own tags that a model uses (required, omitempty,
// oneof, gte, gt, lte, lt, min, max, dive, iso3166_1_alpha2). The caller's custom tags
// (validator's RegisterValidation) and struct-level checks
// (RegisterStructValidation) are given to [New] as [Tag] and [Check]
// functions that mirror them; a custom tag that compares a field with
// another field of its struct, named by the tag's parameter (as validator's
// gtefield does), as a [SiblingTag].
package quickvalid

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/go-playground/validator/v10"
)

// Validator is the quick check compiled from one struct type. It is
// immutable once built (but for a table it fills in once, under a
// sync.Once) and safe for concurrent use.
type Validator struct {
	root Check

	countriesOnce sync.Once
	countries     [26 * 26]bool // ISO 3166-1 alpha-2 codes, from the validator's own table

	// runs holds *Run values for Valid to reuse: a Run passed to the
	// checks, which are func values, escapes, and would cost an
	// allocation per value checked.
	runs sync.Pool
}

// Check reports whether the value at p is certainly valid in run r. p
// points at a value of the type the check was compiled for.
type Check func(p unsafe.Pointer, r *Run) bool

// Tag compiles the caller's custom tag for a field of type t: the check
// that mirrors the validator's, or nil when the tag is not modelled on t
// (New then fails with ErrUnsupported).
type Tag func(t reflect.Type) Check

// SiblingTag compiles the caller's custom tag that compares a field with
// another field of the same struct: field is the tagged field of struct
// type s and param the tag's parameter. The check it returns is given a
// pointer to the struct, not to the field. It returns nil when the tag is
// not modelled there (New then fails with ErrUnsupported). The tag may
// stand only among a struct field's own tags, not after dive; when the
// field's tags begin with omitempty, an empty field passes it unchecked.
type SiblingTag func(s reflect.Type, field reflect.StructField, param string) Check

// Run is what one question to a Validator carries to its checks.
type Run struct {
	// AsOf is the evaluation date: what the caller's context-aware tags,
	// such as "not after the evaluation date", compare with.
	AsOf time.Time
}

// ErrUnsupported is New's error for a type whose tags the quick check does
// not model.
var ErrUnsupported = errors.New("quick validation does not model this tag")

// nilOr checks a pointer at p: nil passes, else inner checks what it
// points at.
// setAnd is the check of a required pointer: set, and its value valid by
// inner when there is one.
func setAnd(inner Check) Check {
	return func(p unsafe.Pointer, r *Run) bool {
		s := *(*unsafe.Pointer)(p)
		return s != nil && (inner == nil || inner(s, r))
	}
}

func nilOr(inner Check) Check {
	return func(p unsafe.Pointer, r *Run) bool {
		s := *(*unsafe.Pointer)(p)
		return s == nil || inner(s, r)
	}
}

// New compiles the quick check of struct type t. structLevel holds the
// caller's struct-level checks by struct type, tags its custom tags by
// name and siblings its custom tags that compare fields of one struct; a
// custom tag takes precedence over a validator tag of the same
// name, as it does in the validator. A tag New does not model makes it
// fail with an error wrapping ErrUnsupported: the caller then asks the
// validator about every value.
func New(t reflect.Type, structLevel map[reflect.Type]Check, tags map[string]Tag, siblings map[string]SiblingTag) (*Validator, error) {
	v := &Validator{}
	b := builder{v: v, structLevel: structLevel, tags: tags, siblings: siblings}
	root, err := b.structCheck(t)
	if err != nil {
		return nil, fmt.Errorf("quickvalid: %s: %w", t, err)
	}
	if root == nil {
		root = func(unsafe.Pointer, *Run) bool { return true }
	}
	v.root = root
	return v, nil
}

// Valid reports whether the value at p, of the type v was compiled from,
// is certainly valid on asOf (a date at midnight UTC). A nil Validator is
// never certain.
func (v *Validator) Valid(p unsafe.Pointer, asOf time.Time) bool {
	if v == nil {
		return false
	}
	r, _ := v.runs.Get().(*Run)
	if r == nil {
		r = new(Run)
	}
	r.AsOf = asOf
	ok := v.root(p, r)
	*r = Run{}
	v.runs.Put(r)
	return ok
}

func (v *Validator) country(s string) bool {
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

// builder compiles the checks of one Validator.
type builder struct {
	v           *Validator
	structLevel map[reflect.Type]Check
	tags        map[string]Tag
	siblings    map[string]SiblingTag
}

// unsupported is the error for a tag (or field) the quick check does not
// model.
func unsupported(what string) error { return fmt.Errorf("%w: %s", ErrUnsupported, what) }

var timeType = reflect.TypeFor[time.Time]()

// structCheck checks every validated field of a struct, then its
// struct-level validation.
func (b *builder) structCheck(t reflect.Type) (Check, error) {
	if t.Kind() != reflect.Struct {
		return nil, unsupported("not a struct: " + t.String())
	}
	// Each check is run on its field, at off in the struct: one closure
	// call per field, not a closure adding the offset around another.
	type at struct {
		off uintptr
		c   Check
	}
	var checks []at
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			return nil, unsupported("embedded field " + t.String() + "." + f.Name)
		}
		tag := f.Tag.Get("validate")
		if !f.IsExported() || tag == "-" {
			continue
		}
		var tags []string
		if tag != "" {
			tags = strings.Split(tag, ",")
		}
		tags, sc, err := b.siblingChecks(t, f, tags)
		if err != nil {
			return nil, err
		}
		for _, c := range sc {
			checks = append(checks, at{0, c})
		}
		c, err := b.fieldCheck(f.Type, tags)
		if err != nil {
			return nil, err
		}
		if c != nil {
			checks = append(checks, at{f.Offset, c})
		}
	}
	if sl := b.structLevel[t]; sl != nil {
		checks = append(checks, at{0, sl})
	}
	if len(checks) == 0 {
		return nil, nil
	}
	return func(p unsafe.Pointer, r *Run) bool {
		for _, c := range checks {
			if !c.c(unsafe.Add(p, c.off), r) {
				return false
			}
		}
		return true
	}, nil
}

// siblingChecks takes out of tags, the tags of field f of struct type s,
// the sibling tags that precede any dive, and compiles them as checks of
// the struct. It returns the tags left for fieldCheck.
func (b *builder) siblingChecks(s reflect.Type, f reflect.StructField, tags []string) (rest []string, checks []Check, err error) {
	var empty func(unsafe.Pointer) bool // nil unless tags begin with omitempty
	for i, tag := range tags {
		name, param, _ := strings.Cut(tag, "=")
		sibling, ok := b.siblings[name]
		if name == "dive" {
			return append(rest, tags[i:]...), checks, nil
		}
		if !ok {
			rest = append(rest, tag)
			continue
		}
		c := sibling(s, f, param)
		if c == nil {
			return nil, nil, unsupported(tag + " on " + s.String() + "." + f.Name)
		}
		if tags[0] == "omitempty" && empty == nil {
			if empty, err = isEmpty(f.Type); err != nil {
				return nil, nil, err
			}
		}
		if empty != nil {
			off, isEmpty, check := f.Offset, empty, c
			c = func(p unsafe.Pointer, r *Run) bool { return isEmpty(unsafe.Add(p, off)) || check(p, r) }
		}
		checks = append(checks, c)
	}
	return rest, checks, nil
}

// isEmpty is omitempty's test of a field of type t: a nil pointer, or a
// zero value.
func isEmpty(t reflect.Type) (func(unsafe.Pointer) bool, error) {
	if t.Kind() == reflect.Pointer {
		return func(p unsafe.Pointer) bool { return *(*unsafe.Pointer)(p) == nil }, nil
	}
	return isZero(t)
}

// fieldCheck compiles the tags of a field of type t; nil means nothing to
// check.
func (b *builder) fieldCheck(t reflect.Type, tags []string) (Check, error) {
	for _, tag := range tags {
		if strings.ContainsAny(tag, "|'") || tag == "" {
			return nil, unsupported(strconv.Quote(tag))
		}
	}
	switch {
	case t.Kind() == reflect.Pointer:
		elem := t.Elem()
		if elem.Kind() == reflect.Pointer {
			return nil, unsupported("pointer to pointer " + t.String())
		}
		if len(tags) == 0 {
			if elem.Kind() != reflect.Struct || elem == timeType {
				return nil, nil
			}
			inner, err := b.structCheck(elem)
			if inner == nil || err != nil {
				return nil, err
			}
			return nilOr(inner), nil
		}
		// A nil pointer passes only omitempty and fails required; a
		// pointer that is set has a value, so either passes and the rest
		// check the value (a section's struct: its own fields' tags).
		if tags[0] != "omitempty" && tags[0] != "required" {
			return nil, unsupported(strings.Join(tags, ",") + " on " + t.String())
		}
		var inner Check
		var err error
		if elem.Kind() == reflect.Struct && elem != timeType {
			if len(tags) > 1 {
				return nil, unsupported(strings.Join(tags, ",") + " on " + t.String())
			}
			inner, err = b.structCheck(elem)
		} else {
			inner, err = b.valueCheck(elem, tags[1:])
		}
		if err != nil {
			return nil, err
		}
		if tags[0] == "required" {
			return setAnd(inner), nil
		}
		if inner == nil {
			return nil, nil
		}
		return nilOr(inner), nil
	case t.Kind() == reflect.Struct && t != timeType:
		if len(tags) > 0 {
			return nil, unsupported(strings.Join(tags, ",") + " on " + t.String())
		}
		return b.structCheck(t)
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
		var checks []Check
		for _, tag := range before {
			name, param, _ := strings.Cut(tag, "=")
			switch name {
			case "max", "min":
				n, err := strconv.Atoi(param)
				if err != nil {
					return nil, unsupported(tag)
				}
				atMost := name == "max"
				checks = append(checks, func(p unsafe.Pointer, _ *Run) bool {
					_, l := sliceAt(p)
					return atMost && l <= n || !atMost && l >= n
				})
			default:
				return nil, unsupported(tag + " on " + t.String())
			}
		}
		if dive >= 0 {
			elem := t.Elem()
			ec, err := b.fieldCheck(elem, tags[dive+1:])
			if err != nil {
				return nil, err
			}
			if ec != nil {
				size := elem.Size()
				checks = append(checks, func(p unsafe.Pointer, r *Run) bool {
					data, n := sliceAt(p)
					for i := 0; i < n; i++ {
						if !ec(unsafe.Add(data, uintptr(i)*size), r) {
							return false
						}
					}
					return true
				})
			}
		}
		return all(checks), nil
	}
	return b.valueCheck(t, tags)
}

func all(checks []Check) Check {
	switch len(checks) {
	case 0:
		return nil
	case 1:
		return checks[0]
	}
	return func(p unsafe.Pointer, r *Run) bool {
		for _, c := range checks {
			if !c(p, r) {
				return false
			}
		}
		return true
	}
}

// valueCheck compiles tags on a string, number, bool or date value.
func (b *builder) valueCheck(t reflect.Type, tags []string) (Check, error) {
	if t.Kind() == reflect.Interface {
		// The validator validates whatever an interface holds.
		return nil, unsupported("interface " + t.String())
	}
	var checks []Check
	for i, tag := range tags {
		name, param, _ := strings.Cut(tag, "=")
		if name != "omitempty" {
			if custom, ok := b.tags[name]; ok {
				c := custom(t)
				if c == nil {
					return nil, unsupported(tag + " on " + t.String())
				}
				checks = append(checks, c)
				continue
			}
		}
		switch {
		case name == "omitempty":
			if i != 0 {
				return nil, unsupported("omitempty after another tag")
			}
			// Empty: the rest is skipped. A zero value is valid.
			rest, err := b.valueCheck(t, tags[1:])
			if rest == nil || err != nil {
				return nil, err
			}
			zero, err := isZero(t)
			if err != nil {
				return nil, err
			}
			return func(p unsafe.Pointer, r *Run) bool { return zero(p) || rest(p, r) }, nil
		case name == "required":
			zero, err := isZero(t)
			if err != nil {
				return nil, err
			}
			checks = append(checks, func(p unsafe.Pointer, _ *Run) bool { return !zero(p) })
		case name == "oneof" && t == reflect.TypeFor[string]():
			allowed := strings.Fields(param)
			checks = append(checks, func(p unsafe.Pointer, _ *Run) bool {
				s := *(*string)(p)
				for _, a := range allowed {
					if s == a {
						return true
					}
				}
				return false
			})
		case numberBound[name] != nil && (t == reflect.TypeFor[float64]() || t == reflect.TypeFor[int]()):
			bound, err := strconv.ParseFloat(param, 64)
			if err != nil || t == reflect.TypeFor[int]() && bound != math.Trunc(bound) {
				return nil, unsupported(tag + " on " + t.String())
			}
			isFloat, holds := t == reflect.TypeFor[float64](), numberBound[name]
			checks = append(checks, func(p unsafe.Pointer, _ *Run) bool {
				var x float64
				if isFloat {
					x = *(*float64)(p)
				} else {
					x = float64(*(*int)(p))
				}
				return holds(x, bound)
			})
		case name == "iso3166_1_alpha2" && t == reflect.TypeFor[string]():
			v := b.v
			checks = append(checks, func(p unsafe.Pointer, _ *Run) bool { return v.country(*(*string)(p)) })
		default:
			return nil, unsupported(tag + " on " + t.String())
		}
	}
	return all(checks), nil
}

// numberBound holds, by tag, the comparison of a number with the tag's
// parameter, as the validator makes it: on numbers, min and max are gte
// and lte.
var numberBound = map[string]func(x, bound float64) bool{
	"gte": func(x, b float64) bool { return x >= b },
	"min": func(x, b float64) bool { return x >= b },
	"gt":  func(x, b float64) bool { return x > b },
	"lte": func(x, b float64) bool { return x <= b },
	"max": func(x, b float64) bool { return x <= b },
	"lt":  func(x, b float64) bool { return x < b },
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
	return nil, unsupported("required or omitempty on " + t.String())
}

// sliceAt returns the data and length of the slice at p, whatever its
// element type: the language gives every slice type the same
// representation as a []byte (data, length, capacity), so p is read as
// one. Through reflect (reflect.NewAt(t, p).Elem()) the same costs a
// lookup in reflect's cache of pointer types per list checked, about 7%
// of a check; TestSliceAt holds the two to the same answers, and fails
// loudly should the assumption ever break.
func sliceAt(p unsafe.Pointer) (unsafe.Pointer, int) {
	s := *(*[]byte)(p)
	return unsafe.Pointer(unsafe.SliceData(s)), len(s)
}
