package eligibility

import (
	"io"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/acto"
)

// The internal tests decide ACTO's Go applicants, package acto's types,
// under the names they had when the types lived here.
type (
	Applicant      = acto.Applicant
	Allied         = acto.Allied
	Organisation   = acto.Organisation
	Qualification  = acto.Qualification
	Registration   = acto.Registration
	Insurance      = acto.Insurance
	Course         = acto.Course
	CPD            = acto.CPD
	Practice       = acto.Practice
	PracticePeriod = acto.PracticePeriod
	Supervision    = acto.Supervision
	References     = acto.References
	Portfolio      = acto.Portfolio
	CoreNet        = acto.CoreNet
	ACTOMembership = acto.ACTOMembership
)

const (
	KindIndividual       = acto.KindIndividual
	KindOrganisation     = acto.KindOrganisation
	KindTrainingProvider = acto.KindTrainingProvider
)

// effectiveKind returns a.Kind, or KindIndividual when it is empty.
func effectiveKind(a *Applicant) string {
	if a.Kind == "" {
		return KindIndividual
	}
	return a.Kind
}

// newACTO builds the engine deciding ACTO's Go applicants over set: every
// test of such an engine builds it here.
func newACTO(set *rules.Set, opts ...Option) (*EngineOf[Applicant], error) {
	return NewFor[Applicant](set, opts...)
}

// actoDefault builds the engine of ACTO's own rule set.
func actoDefault() (*EngineOf[Applicant], error) {
	set, err := acto.Rules()
	if err != nil {
		return nil, err
	}
	return newACTO(set)
}

// actoEngine is actoDefault's engine, or the test's end.
func actoEngine(t testing.TB) *EngineOf[Applicant] {
	t.Helper()
	e, err := actoDefault()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// The decoders of ACTO's Go applicants.

func decodeApplicant(name string, data []byte) (*Applicant, error) {
	return DecodeFor[Applicant](name, data)
}

func decodeApplicants(name string, data []byte) ([]*Applicant, error) {
	return DecodeAllFor[Applicant](name, data)
}

func readApplicant(name string, r io.Reader, f Format) (*Applicant, error) {
	return ReadFor[Applicant](name, r, f)
}

func readApplicants(name string, r io.Reader, f Format) ([]*Applicant, error) {
	return ReadAllFor[Applicant](name, r, f)
}

// newApplicantValidator builds the validator of ACTO's Applicant.
func newApplicantValidator() (*modelValidator, error) {
	return newModelValidator(reflect.TypeFor[Applicant]())
}

// validate checks a, an ACTO applicant, as check does.
func (av *modelValidator) validate(a *Applicant, asOf time.Time) error {
	if a == nil {
		return errNilApplicant()
	}
	return av.check(a, unsafe.Pointer(a), asOf, false)
}

// valid reports whether a is certainly valid on asOf.
func (v *quickValidator) valid(a *Applicant, asOf time.Time) bool {
	return v.validAt(unsafe.Pointer(a), asOf)
}
