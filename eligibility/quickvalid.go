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
// Built from the Applicant type when the engine is built: a tag it does
// not know disables it (newQuickValidator returns nil and every applicant
// goes to the validator). The custom tags and struct-level checks of
// validate.go (validateCourseDates, validatePeriodDates) are mirrored in
// quickTags and structLevel; TestQuickValidatorKnowsTheValidator keeps the
// two in step.
type quickValidator quickvalid.Validator

func newQuickValidator(model reflect.Type) *quickValidator {
	var sl map[reflect.Type]quickvalid.Check
	if model == reflect.TypeFor[Applicant]() {
		sl = structLevel // ACTO's own checks, as the validator registers them
	}
	v, err := quickvalid.New(model, sl, quickTags)
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

// structLevel mirrors the struct-level validations validate.go registers.
var structLevel = map[reflect.Type]quickvalid.Check{
	reflect.TypeFor[Course](): func(p unsafe.Pointer, _ *quickvalid.Run) bool {
		c := (*Course)(p)
		return datesInOrder(c.Enrolled, c.Completed)
	},
	reflect.TypeFor[PracticePeriod](): func(p unsafe.Pointer, _ *quickvalid.Run) bool {
		pp := (*PracticePeriod)(p)
		return datesInOrder(pp.From, pp.To)
	},
}

func datesInOrder(earlier, later *time.Time) bool {
	return earlier == nil || later == nil || !dateOf(*later).Before(dateOf(*earlier))
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
