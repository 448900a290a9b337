package main

import (
	"os"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
	"github.com/eligo-dev/eligo/rules"
)

// Counsellor mirrors, field for field and tag for tag, the applicant
// document examples/bacp/model.yaml declares for the BACP-style rules:
// what they read and nothing more. TestCounsellorMirrorsModel holds it to
// the type rules.ModelType builds.
type Counsellor struct {
	ID             string               `json:"id" yaml:"id" expr:"id" validate:"required" eligo:"id"`
	Kind           string               `json:"kind" yaml:"kind" expr:"kind" validate:"omitempty,oneof=individual organisation"`
	Qualifications []CoreQualification  `json:"qualifications" yaml:"qualifications" expr:"qualifications" validate:"max=1000,dive"`
	Registrations  []BodyRegistration   `json:"registrations" yaml:"registrations" expr:"registrations" validate:"max=1000,dive"`
	Insurance      *IndemnityInsurance  `json:"insurance,omitempty" yaml:"insurance,omitempty" expr:"insurance"`
	Practice       *CounsellingPractice `json:"practice,omitempty" yaml:"practice,omitempty" expr:"practice"`
}

// CoreQualification is one qualification: a claim.
type CoreQualification struct {
	Title    string     `json:"title" yaml:"title" expr:"title" eligo:"label"`
	Level    string     `json:"level" yaml:"level" expr:"level" validate:"oneof=certificate diploma post-diploma degree masters doctorate"`
	Field    string     `json:"field" yaml:"field" expr:"field" validate:"oneof=counselling psychotherapy psychology other"`
	Delivery string     `json:"delivery" yaml:"delivery" expr:"delivery" validate:"oneof=face-to-face blended online distance"`
	Awarded  *time.Time `json:"awarded,omitempty" yaml:"awarded,omitempty" expr:"awarded" validate:"omitempty,date,not_after_as_of"`
	Verified bool       `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`
}

// BodyRegistration is one register the counsellor is on: a claim.
type BodyRegistration struct {
	Body     string     `json:"body" yaml:"body" expr:"body" validate:"oneof=BACP UKCP BPC BPS BABCP NCS other" eligo:"label"`
	Number   string     `json:"number" yaml:"number" expr:"number"`
	Expires  *time.Time `json:"expires,omitempty" yaml:"expires,omitempty" expr:"expires" validate:"omitempty,date"`
	Verified bool       `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`
}

// IndemnityInsurance is professional indemnity cover: a claim.
type IndemnityInsurance struct {
	ProfessionalIndemnity bool       `json:"professionalIndemnity" yaml:"professionalIndemnity" expr:"professionalIndemnity" eligo:"required"`
	Expires               *time.Time `json:"expires,omitempty" yaml:"expires,omitempty" expr:"expires" validate:"omitempty,date"`
	Verified              bool       `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`
}

// CounsellingPractice is the practice record, a claim, whose periods are
// claims of their own.
type CounsellingPractice struct {
	Log      []PracticePeriod `json:"log" yaml:"log" expr:"log" validate:"max=1000,dive"`
	Verified bool             `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`
}

// PracticePeriod is one period of practice: a claim.
type PracticePeriod struct {
	From             *time.Time `json:"from,omitempty" yaml:"from,omitempty" expr:"from" validate:"omitempty,date,not_after_as_of"`
	To               *time.Time `json:"to,omitempty" yaml:"to,omitempty" expr:"to" validate:"omitempty,date,not_after_as_of,not_before=From"`
	ClientHours      float64    `json:"clientHours" yaml:"clientHours" expr:"clientHours" validate:"finite,gte=0"`
	SupervisionHours float64    `json:"supervisionHours" yaml:"supervisionHours" expr:"supervisionHours" validate:"finite,gte=0"`
	Supervised       bool       `json:"supervised" yaml:"supervised" expr:"supervised"`
	Verified         bool       `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`
}

const bacpDir = "../bacp"

func bacpSet(t *testing.T) *rules.Set {
	t.Helper()
	set, err := rules.Load(os.DirFS(bacpDir))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestCounsellorMirrorsModel: Counsellor has the fields, types and tags of
// the type rules.ModelType builds from examples/bacp/model.yaml.
func TestCounsellorMirrorsModel(t *testing.T) {
	assertMirrorsModel[Counsellor](t, bacpSet(t))
}

// TestBACPFixturesGoType decides the applicants of examples/bacp/applicants,
// documents of the BACP-style rules' own model, through the Go type
// Counsellor.
func TestBACPFixturesGoType(t *testing.T) {
	engine, err := eligibility.NewFor[Counsellor](bacpSet(t))
	if err != nil {
		t.Fatal(err)
	}
	eligibilitytest.Run(t, engine, bacpDir+"/applicants")
}
