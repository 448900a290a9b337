package eligibility

import (
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"
)

// The quick validator may only ever say "certainly valid" of an applicant
// the validator accepts. These tests hold it to that on valid applicants and
// on thousands of broken ones, and keep it in step with validate.go.

// TestQuickValidatorKnowsTheValidator: the quick validator models every tag
// of the applicant model (else it would be off, and Evaluate slow), and
// every custom tag validate.go registers.
func TestQuickValidatorKnowsTheValidator(t *testing.T) {
	if newQuickValidator(reflect.TypeFor[Applicant]()) == nil {
		t.Fatal("the quick validator does not model some validate tag of the applicant model; extend quickvalid.go")
	}
	src, err := os.ReadFile("validate.go")
	if err != nil {
		t.Fatal(err)
	}
	if regexp.MustCompile(`RegisterStructValidation\(`).Match(src) {
		t.Error("validate.go registers a struct-level check; mirror it in quickvalid.go, given to quickvalid.New")
	}
	known := []string{"tagFinite", "tagDate", "tagNotAfterAsOf", "tagNotBefore"}
	for _, m := range regexp.MustCompile(`RegisterValidation(?:Ctx)?\((\w+),`).FindAllStringSubmatch(string(src), -1) {
		if !slices.Contains(known, m[1]) {
			t.Errorf("validate.go registers the tag %s; model it in quickvalid.go's valueCheck", m[1])
		}
	}
}

// TestQuickValidatorAcceptsValidApplicants: generated applicants are valid,
// and the quick validator knows it (else Evaluate would be slow for them).
func TestQuickValidatorAcceptsValidApplicants(t *testing.T) {
	e := actoEngine(t)
	r := rand.New(rand.NewPCG(5, 5))
	for i := range 2000 {
		asOf := testAsOf.AddDate(0, 0, -r.IntN(4000))
		a := genApplicantNoLater(r, asOf)
		if err := e.validator.validate(a, asOf); err != nil {
			t.Fatalf("applicant %d: generated applicant is invalid: %v", i, err)
		}
		if !e.quick.valid(a, asOf) {
			t.Fatalf("applicant %d: the quick validator is not certain of a valid applicant: %+v", i, a)
		}
	}
}

// TestQuickValidatorNeverAcceptsInvalid breaks generated applicants one
// field at a time, in the ways documents break, and checks that the quick
// validator never calls valid what the validator rejects.
func TestQuickValidatorNeverAcceptsInvalid(t *testing.T) {
	e := actoEngine(t)
	r := rand.New(rand.NewPCG(6, 6))
	n := 6000
	if testing.Short() {
		n = 600
	}
	rejected, caught := 0, 0
	for i := range n {
		asOf := testAsOf.AddDate(0, 0, -r.IntN(4000))
		a := genApplicantNoLater(r, asOf)
		for range 1 + r.IntN(3) {
			breakApplicant(r, reflect.ValueOf(a).Elem(), asOf)
		}
		quick := e.quick.valid(a, asOf)
		err := e.validator.validate(a, asOf)
		if err != nil {
			rejected++
			if !quick {
				caught++
			}
		}
		if quick && err != nil {
			t.Fatalf("applicant %d: quick validator accepts what the validator rejects (%v): %+v", i, err, a)
		}
	}
	if rejected < n/4 || caught != rejected {
		t.Errorf("%d of %d broken applicants rejected, %d of them caught", rejected, n, caught)
	}
}

// breakApplicant changes one value somewhere in v, often to an invalid one.
func breakApplicant(r *rand.Rand, v reflect.Value, asOf time.Time) {
	for {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || r.IntN(8) == 0 {
				if r.IntN(2) == 0 {
					v.Set(reflect.Zero(v.Type()))
				} else {
					v.Set(reflect.New(v.Type().Elem()))
				}
				return
			}
			v = v.Elem()
			continue
		case reflect.Slice:
			switch {
			case v.Len() == 0 || r.IntN(6) == 0:
				v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
				return
			case r.IntN(40) == 0:
				v.Set(reflect.AppendSlice(v, reflect.MakeSlice(v.Type(), 1000, 1000)))
				return
			}
			v = v.Index(r.IntN(v.Len()))
			continue
		case reflect.Struct:
			if v.Type() == reflect.TypeFor[time.Time]() {
				t := v.Interface().(time.Time)
				switch r.IntN(8) {
				case 5:
					t = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC) // before the document range
				case 6:
					t = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) // after it
				case 7:
					t = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC) // its first day: valid
				case 0:
					t = t.Add(time.Hour)
				case 1:
					t = t.In(time.FixedZone("X", 3600))
				case 2:
					t = asOf.AddDate(0, 0, 1+r.IntN(3))
				case 3:
					t = asOf.AddDate(0, 0, -r.IntN(5000))
				default:
					t = time.Time{}
				}
				v.Set(reflect.ValueOf(t))
				return
			}
			var fields []int
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					fields = append(fields, i)
				}
			}
			v = v.Field(fields[r.IntN(len(fields))])
			continue
		case reflect.String:
			v.SetString([]string{"", "bogus", "GB", "gb", "diploma", "video", "BACP", "individual", "X"}[r.IntN(9)])
		case reflect.Float64:
			v.SetFloat([]float64{-1, -0.0, 0, 80, math.NaN(), math.Inf(1), math.Inf(-1)}[r.IntN(7)])
		case reflect.Int:
			v.SetInt([]int64{-1, 0, 1, 2500}[r.IntN(4)])
		case reflect.Bool:
			v.SetBool(!v.Bool())
		}
		return
	}
}
