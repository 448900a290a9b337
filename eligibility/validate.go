package eligibility

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/printable"
	"github.com/eligo-dev/eligo/eligibility/internal/view"
	"github.com/go-playground/validator/v10"
)

// Kinds of input error. Every [FieldError] wraps exactly one of them, so callers can
// tell problems apart with [errors.Is] on a [FieldError] or on the [InputError] holding it.
var (
	// ErrUnknownField marks a key the applicant document does not define.
	ErrUnknownField = errors.New("unknown field")
	// ErrType marks a value of the wrong type, such as text where a number belongs or a
	// date not written YYYY-MM-DD.
	ErrType = errors.New("wrong type")
	// ErrInvalid marks a value of the right type that breaks a validation rule, such as
	// negative hours, a completion date before the enrolment date or a date tagged
	// not_after_as_of after the evaluation date.
	ErrInvalid = errors.New("invalid value")
	// ErrSyntax marks a document that is not well-formed: a YAML or JSON syntax error, a
	// duplicate key, an empty input or a second document where one is expected.
	ErrSyntax = errors.New("syntax error")
)

// ErrEvaluationDate marks an evaluation date given with [AsOf] that is not a
// date of the applicant document's range, 1900-01-01 to 9999-12-31: the zero
// time.Time among them. Evaluate, EvaluateAll and Decisions then decide nothing
// and return (or give every applicant) an error wrapping it; they never fall
// back to today.
var ErrEvaluationDate = errors.New("evaluation date outside 1900-01-01 to 9999-12-31")

// The range of dates in applicant documents and of evaluation dates. A date
// outside it, such as the zero time.Time (0001-01-01), is an error wherever it
// appears, so that no date can stand for "no date": absence is a nil *time.Time.
var (
	minDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
)

// inDateRange reports whether the calendar date of t lies from 1900-01-01 to
// 9999-12-31.
func inDateRange(t time.Time) bool {
	d := dateOf(t)
	return !d.Before(minDate) && !d.After(maxDate)
}

// isDocumentDate reports whether t is a date as DecodeFor makes one:
// midnight UTC, from 1900-01-01 to 9999-12-31. The validator and the quick
// validator both judge the date tag by it.
func isDocumentDate(t time.Time) bool {
	return t.Location() == time.UTC && t.Equal(dateOf(t)) && inDateRange(t)
}

// maxErrors is how many field errors an [InputError] keeps; the rest are counted in
// InputError.Dropped.
const maxErrors = 100

// FieldError is one problem with one field of an applicant document.
type FieldError struct {
	// Path is the field's path in the document's own keys, such as
	// "onlineTraining[1].hours"; empty for the document as a whole.
	Path string
	// Line and Column are the 1-based position of the problem in the file; 0 when
	// unknown, as for validation of a Go value or some YAML syntax errors.
	Line, Column int
	// Err is the kind of problem: ErrUnknownField, ErrType, ErrInvalid or ErrSyntax,
	// or ErrTooLarge for an input ReadFor or ReadAllFor refused unread.
	Err error
	// Msg describes the problem for a person. Its wording may change.
	Msg string
}

// Error formats the problem as "line:col: path: message", omitting what is unknown.
func (e *FieldError) Error() string { return e.format("") }

// Unwrap returns the kind of problem, e.Err.
func (e *FieldError) Unwrap() error { return e.Err }

// format renders e as "source:line:col: path: message", leaving out unknown parts.
func (e *FieldError) format(source string) string {
	var b strings.Builder
	b.WriteString(printable.Shown(source))
	if e.Line > 0 {
		if source != "" {
			b.WriteByte(':')
		}
		b.WriteString(strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Column))
		}
	}
	for _, part := range []string{e.Path, e.Msg} {
		if part == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(part)
	}
	return b.String()
}

// InputError lists every problem found in one applicant document.
type InputError struct {
	// Source names the document: a file name when decoding, the applicant's id when
	// validating.
	Source string
	// Errors holds the problems in document order, at most 100 of them.
	Errors []*FieldError
	// Dropped counts the problems found beyond those in Errors.
	Dropped int
}

// Error formats each problem on its own line as "source:line:col: path: message",
// followed by "source: and N more errors" when some were dropped.
func (e *InputError) Error() string {
	lines := make([]string, 0, len(e.Errors)+1)
	for _, fe := range e.Errors {
		lines = append(lines, fe.format(e.Source))
	}
	if e.Dropped > 0 {
		more := (&FieldError{Msg: fmt.Sprintf("and %d more errors", e.Dropped)}).format(e.Source)
		lines = append(lines, more)
	}
	if len(lines) == 0 {
		return (&FieldError{Msg: "invalid input"}).format(e.Source)
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the field errors, so that [errors.Is] finds their kinds.
func (e *InputError) Unwrap() []error {
	errs := make([]error, len(e.Errors))
	for i, fe := range e.Errors {
		errs[i] = fe
	}
	return errs
}

// newInputError sorts errs by position, keeps the first maxErrors and counts the rest,
// whether dropped here or earlier (dropped).
func newInputError(source string, errs []*FieldError, dropped int) *InputError {
	slices.SortStableFunc(errs, func(a, b *FieldError) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	if len(errs) > maxErrors {
		dropped += len(errs) - maxErrors
		errs = errs[:maxErrors:maxErrors]
	}
	return &InputError{Source: source, Errors: errs, Dropped: dropped}
}

// Validation tags of the applicant model beyond validator's own.
const (
	// tagFinite: a float64 that is neither NaN nor infinite.
	tagFinite = "finite"
	// tagDate: a time.Time at midnight UTC from 1900-01-01 to 9999-12-31, as
	// DecodeFor makes it.
	tagDate = "date"
	// tagNotAfterAsOf: an event date on or before the evaluation date in the context.
	tagNotAfterAsOf = "not_after_as_of"
	// tagNotBefore: a date on or after the date of the sibling field its
	// parameter names by Go name; either date absent (a nil *time.Time) passes.
	tagNotBefore = "not_before"
)

// modelValidator checks an applicant of one model type: by the `validate`
// tags of the model (go-playground/validator), and by the model's own
// Validate method when it implements [Validator]. Its errors carry
// positions from the document the applicant was decoded from, as
// DecodeFor and its kin recorded them. It is safe for concurrent use once
// built.
type modelValidator struct {
	v     *validator.Validate
	id    func(unsafe.Pointer) string // the applicant's id, the errors' Source
	idKey string                      // the id's document key; "" for none
	self  bool                        // *T implements Validator
	root  string                      // the model's name: validator's namespaces start with it
	// values are how the applicants validated were decoded, if they
	// were, and where their positions are kept.
	values docValues
}

// Validator is implemented by an applicant type (T or *T) that checks
// itself beyond its `validate` tags. Evaluate and Validate call it with
// the evaluation date on every applicant, after the tags, and report what
// it returns with the tags' problems in one [*InputError]:
//
//   - a [*FieldError] is one problem, at its Path (written in the
//     document's keys); its Err is ErrInvalid when nil;
//   - an [*InputError], or errors.Join of problems, is each of them;
//   - any other error is one ErrInvalid problem of the whole applicant,
//     its message the error's.
//
// Rules never see the method: they see the applicant's fields.
type Validator interface {
	Validate(asOf time.Time) error
}

// asOfKey keys the evaluation date in the context of one validation.
type asOfKey struct{}

// newModelValidator builds the validator of model, a struct type, with
// the custom tags every model may use. It fails with an error wrapping
// ErrModel when model's tags are not all the validator's or these.
func newModelValidator(model reflect.Type) (*modelValidator, error) {
	v := validator.New()
	// Report fields by their document keys: "onlineTraining[1].hours", not
	// "OnlineTraining[1].Hours": the json key, else the name rules see.
	v.RegisterTagNameFunc(documentKey)
	err := errors.Join(
		v.RegisterValidation(tagFinite, func(fl validator.FieldLevel) bool {
			f := fl.Field()
			if f.Kind() != reflect.Float32 && f.Kind() != reflect.Float64 {
				return false
			}
			return !math.IsNaN(f.Float()) && !math.IsInf(f.Float(), 0)
		}),
		v.RegisterValidation(tagDate, func(fl validator.FieldLevel) bool {
			t, ok := fieldTime(fl)
			return ok && isDocumentDate(t)
		}),
		v.RegisterValidationCtx(tagNotAfterAsOf, func(ctx context.Context, fl validator.FieldLevel) bool {
			t, ok := fieldTime(fl)
			asOf, hasAsOf := ctx.Value(asOfKey{}).(time.Time)
			return ok && hasAsOf && !dateOf(t).After(asOf)
		}),
		v.RegisterValidation(tagNotBefore, func(fl validator.FieldLevel) bool {
			t, present, ok := dateIn(fl.Field())
			sibling, _, found := fl.GetStructFieldOK()
			o, oPresent, oOK := dateIn(sibling)
			if !ok || !found || !oOK {
				return false // checkSiblingTags rejects such a model
			}
			return !present || !oPresent || !dateOf(t).Before(dateOf(o))
		}, true), // called on a nil *time.Time too: absent passes
	)
	if err != nil {
		return nil, fmt.Errorf("eligibility: building the applicant validator: %w", err)
	}
	mv := &modelValidator{v: v, id: idOf(model), root: model.Name(), self: reflect.PointerTo(model).Implements(reflect.TypeFor[Validator]())}
	if f, ok := idField(model); ok {
		mv.idKey = documentKey(f)
	}
	if err := checkSiblingTags(model); err != nil {
		return nil, err
	}
	if err := probeTags(v, model); err != nil {
		return nil, err
	}
	return mv, nil
}

// fieldTime returns the time.Time a date field holds.
func fieldTime(fl validator.FieldLevel) (time.Time, bool) {
	f := fl.Field()
	if !f.IsValid() || !f.CanInterface() {
		return time.Time{}, false
	}
	t, ok := f.Interface().(time.Time)
	return t, ok
}

// dateOf returns t's calendar date, in t's own location, as midnight UTC.
func dateOf(t time.Time) time.Time {
	if t.Location() == time.UTC {
		// Midnight UTC already, as every date of a decoded document is:
		// the same time, without working out the calendar date.
		if s := t.Unix(); s%secondsPerDay == 0 && t.Nanosecond() == 0 {
			return time.Unix(s, 0).UTC()
		}
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

const secondsPerDay = 24 * 60 * 60

// dateIn returns the date v holds, a time.Time or a *time.Time: present is
// false for a nil *time.Time, ok false when v holds no date.
func dateIn(v reflect.Value) (t time.Time, present, ok bool) {
	if v.Kind() == reflect.Pointer && v.Type().Elem() == timeType {
		if v.IsNil() {
			return time.Time{}, false, true
		}
		v = v.Elem()
	}
	if !v.IsValid() || v.Type() != timeType || !v.CanInterface() {
		return time.Time{}, false, false
	}
	return v.Interface().(time.Time), true, true
}

var timeType = reflect.TypeFor[time.Time]()

// documentKey is the name of struct field f in documents and in
// validation errors: its json key, else the name rules see; "" when
// hidden.
func documentKey(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		name, _ = view.Name(f)
	}
	if name == "-" {
		return ""
	}
	return name
}

// check checks the applicant a, a pointer to the model at p, with asOf as
// the evaluation date: event dates may not lie after it, while expiry
// dates may. tagsValid says the tags are known to hold (the quick check
// cleared them); the model's Validate method runs regardless. It returns
// nil or an [*InputError], with Source the applicant's id, naming every
// failing field.
func (av *modelValidator) check(a any, p unsafe.Pointer, asOf time.Time, tagsValid bool) error {
	asOf = dateOf(asOf)
	var errs []*FieldError
	dropped := 0
	if !tagsValid {
		errs, dropped = av.tags(a, p, asOf)
		if id := av.id(p); !printable.Is(id) {
			line, col := av.position(p, av.idKey)
			errs = append(errs, &FieldError{Path: av.idKey, Line: line, Column: col, Err: ErrInvalid,
				Msg: "want an id of printable characters (no line break, control or format character), got " + strconv.Quote(id)})
		}
	}
	if av.self {
		errs = av.method(errs, a.(Validator).Validate(asOf), p)
	}
	if len(errs) == 0 && dropped == 0 {
		return nil
	}
	return newInputError(av.id(p), errs, dropped)
}

// tags checks a's validate tags.
func (av *modelValidator) tags(a any, p unsafe.Pointer, asOf time.Time) (errs []*FieldError, dropped int) {
	ctx := context.WithValue(context.Background(), asOfKey{}, asOf)
	err := av.v.StructCtx(ctx, a)
	if err == nil {
		return nil, 0
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return []*FieldError{{Err: ErrInvalid, Msg: err.Error()}}, 0
	}
	errs = make([]*FieldError, 0, min(len(verrs), maxErrors))
	for _, fe := range verrs {
		if len(errs) == maxErrors {
			dropped++
			continue
		}
		path := documentPath(fe.Namespace(), av.root)
		line, col := av.position(p, path)
		msg := validationMessage(fe, asOf)
		if fe.Tag() == tagNotBefore {
			msg = notBeforeMessage(a, fe, av.root)
		}
		errs = append(errs, &FieldError{Path: path, Line: line, Column: col, Err: ErrInvalid, Msg: msg})
	}
	return errs, dropped
}

// position is where path stands in the document the applicant at p was
// decoded from, if DecodeFor or its kin decoded it.
func (av *modelValidator) position(p unsafe.Pointer, path string) (line, col int) {
	line, col, _ = av.values.positions(p).find(path)
	return line, col
}

// method appends to errs the problems err, returned by the model's
// Validate method, reports (see [Validator]).
func (av *modelValidator) method(errs []*FieldError, err error, p unsafe.Pointer) []*FieldError {
	switch x := err.(type) {
	case nil:
	case *FieldError:
		fe := *x // the caller's error stays as it was
		if fe.Err == nil {
			fe.Err = ErrInvalid
		}
		if fe.Line == 0 && fe.Path != "" {
			fe.Line, fe.Column = av.position(p, fe.Path)
		}
		errs = append(errs, &fe)
	case interface{ Unwrap() []error }: // *InputError, errors.Join
		for _, e := range x.Unwrap() {
			errs = av.method(errs, e, p)
		}
	default:
		errs = append(errs, &FieldError{Err: ErrInvalid, Msg: err.Error()})
	}
	return errs
}

// documentPath drops the root struct's name from a validator namespace:
// "Member.sessions[1].hours" becomes "sessions[1].hours". The namespace
// of an unnamed root struct (a declared model's) has no root name to drop.
func documentPath(namespace, root string) string {
	if root == "" {
		return namespace
	}
	return strings.TrimPrefix(namespace, root+".")
}

// validationMessage describes one failed validation for a person.
func validationMessage(fe validator.FieldError, asOf time.Time) string {
	value := fe.Value()
	if t, ok := value.(time.Time); ok {
		value = t.Format(dateLayout)
	} else if t, ok := value.(*time.Time); ok && t != nil {
		value = t.Format(dateLayout)
	}
	switch fe.Tag() {
	case "required":
		return "is required"
	case "oneof":
		return fmt.Sprintf("want one of %s, got %q", strings.Join(strings.Fields(fe.Param()), ", "), value)
	case "iso3166_1_alpha2":
		return fmt.Sprintf("want an ISO 3166-1 alpha-2 country code such as \"GB\", got %q", value)
	case "gte":
		return fmt.Sprintf("must be at least %s, got %v", fe.Param(), value)
	case "lte":
		return fmt.Sprintf("must be at most %s, got %v", fe.Param(), value)
	case "max":
		if v := reflect.ValueOf(fe.Value()); v.Kind() == reflect.Slice {
			return fmt.Sprintf("has %d entries; the limit is %s", v.Len(), fe.Param())
		}
		return fmt.Sprintf("must be at most %s, got %v", fe.Param(), value)
	case tagFinite:
		return fmt.Sprintf("want a finite number, got %v", value)
	case tagDate:
		if t, ok := fe.Value().(time.Time); ok {
			if !inDateRange(t) {
				return fmt.Sprintf("want a date from %s to %s, got %s", minDate.Format(dateLayout), maxDate.Format(dateLayout), t.Format(dateLayout))
			}
			return fmt.Sprintf("want a date (midnight UTC), got %s", t.Format(time.RFC3339Nano))
		}
		return "want a date (midnight UTC)"
	case tagNotAfterAsOf:
		return fmt.Sprintf("%v is after the evaluation date %s", value, asOf.Format(dateLayout))
	default:
		return fmt.Sprintf("fails %s %s", fe.Tag(), fe.Param())
	}
}
