package eligibility

import (
	"math"
	"reflect"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/quickvalid"
)

// quickValidator answers, fast and without allocating, whether an applicant
// is certainly valid: the validator (validate.go) costs more than deciding
// the applicant. It is package quickvalid's check compiled from the
// Applicant type's `validate` tags; when it is not certain, Evaluate asks
// the validator, whose answer and error messages stand. So it can make
// Evaluate faster, never more permissive.
//
// Built from the model type when the engine is built: a tag it does not
// know disables it (newQuickValidator returns nil and every applicant goes
// to the validator). The custom tags of validate.go are mirrored in
// quickTags and siblingTags; TestQuickValidatorKnowsTheValidator keeps the
// two in step.
type quickValidator quickvalid.Validator

func newQuickValidator(model reflect.Type) *quickValidator {
	v, err := quickvalid.New(model, nil, quickTags, siblingTags)
	if err != nil {
		return nil
	}
	return (*quickValidator)(v)
}

// valid reports whether a is certainly valid on asOf (a date at midnight
// UTC). A nil quickValidator is never certain.
func (v *quickValidator) valid(a *Applicant, asOf time.Time) bool {
	return v.validAt(unsafe.Pointer(a), asOf)
}

// validAt is valid for the applicant at p, of the model v was built from.
func (v *quickValidator) validAt(p unsafe.Pointer, asOf time.Time) bool {
	return (*quickvalid.Validator)(v).Valid(p, asOf)
}

// siblingTags mirrors validate.go's not_before, which compares a date
// field with another of its struct.
var siblingTags = map[string]quickvalid.SiblingTag{
	tagNotBefore: func(s reflect.Type, f reflect.StructField, param string) quickvalid.Check {
		o, ok := s.FieldByName(param)
		if !ok || len(o.Index) != 1 || !o.IsExported() || !isDateType(f.Type) || !isDateType(o.Type) {
			return nil
		}
		this, other := dateAt(f), dateAt(o)
		return func(p unsafe.Pointer, _ *quickvalid.Run) bool {
			t, o := this(p), other(p)
			return t == nil || o == nil || !dateOf(*t).Before(dateOf(*o))
		}
	},
}

// dateAt returns the date field f, a time.Time or *time.Time, holds in the
// struct at p; nil when absent.
func dateAt(f reflect.StructField) func(p unsafe.Pointer) *time.Time {
	off := f.Offset
	if f.Type.Kind() == reflect.Pointer {
		return func(p unsafe.Pointer) *time.Time { return *(**time.Time)(unsafe.Add(p, off)) }
	}
	return func(p unsafe.Pointer) *time.Time { return (*time.Time)(unsafe.Add(p, off)) }
}

// quickTags mirrors the custom tags validate.go registers, each on the
// one type it is modelled on.
var quickTags = map[string]quickvalid.Tag{
	tagFinite: func(t reflect.Type) quickvalid.Check {
		if t != reflect.TypeFor[float64]() {
			return nil
		}
		return func(p unsafe.Pointer, _ *quickvalid.Run) bool {
			x := *(*float64)(p)
			return !math.IsNaN(x) && !math.IsInf(x, 0)
		}
	},
	tagDate: func(t reflect.Type) quickvalid.Check {
		if t != reflect.TypeFor[time.Time]() {
			return nil
		}
		return func(p unsafe.Pointer, _ *quickvalid.Run) bool {
			return isDocumentDate(*(*time.Time)(p))
		}
	},
	tagNotAfterAsOf: func(t reflect.Type) quickvalid.Check {
		if t != reflect.TypeFor[time.Time]() {
			return nil
		}
		return func(p unsafe.Pointer, r *quickvalid.Run) bool {
			return !dateOf(*(*time.Time)(p)).After(r.AsOf)
		}
	},
}
