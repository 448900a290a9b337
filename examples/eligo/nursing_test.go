package main

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
	"github.com/eligo-dev/eligo/rules"
)

// Nurse mirrors, field for field and tag for tag, the applicant document
// examples/nursing/model.yaml declares: the Go type a service deciding the
// Association of Community Nurses' applicants would hold. The rules need
// no such type (rules.ModelType builds one from the YAML);
// TestNurseMirrorsModel holds this one to it.
type Nurse struct {
	ID                 string              `json:"id" yaml:"id" expr:"id" validate:"required" eligo:"id"`
	Name               string              `json:"name" yaml:"name" expr:"-"`
	Registration       *NurseRegistration  `json:"registration,omitempty" yaml:"registration,omitempty" expr:"registration"`
	BackgroundCheck    *BackgroundCheck    `json:"backgroundCheck,omitempty" yaml:"backgroundCheck,omitempty" expr:"backgroundCheck"`
	SupervisedPractice []PracticeQuarter   `json:"supervisedPractice" yaml:"supervisedPractice" expr:"supervisedPractice" validate:"max=12,dive"`
	ReflectiveAccounts []ReflectiveAccount `json:"reflectiveAccounts" yaml:"reflectiveAccounts" expr:"reflectiveAccounts" validate:"max=1000,dive"`
	Mentoring          []MentoringSession  `json:"mentoring" yaml:"mentoring" expr:"mentoring" validate:"max=1000,dive"`
	Sanctions          []Sanction          `json:"sanctions" yaml:"sanctions" expr:"sanctions" validate:"max=1000,dive"`
}

// NurseRegistration is the nurse's entry on the NMC register: a claim.
type NurseRegistration struct {
	Pin          string     `json:"pin" yaml:"pin" expr:"pin" validate:"required"`
	Field        string     `json:"field" yaml:"field" expr:"field" validate:"oneof=adult mental-health learning-disabilities children"`
	Revalidation *time.Time `json:"revalidation,omitempty" yaml:"revalidation,omitempty" expr:"revalidation" validate:"required,date"`
	Verified     bool       `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`
}

// BackgroundCheck is the latest DBS check: a claim.
type BackgroundCheck struct {
	Level    string     `json:"level" yaml:"level" expr:"level" validate:"oneof=basic standard enhanced"`
	Issued   *time.Time `json:"issued,omitempty" yaml:"issued,omitempty" expr:"issued" validate:"required,date,not_after_as_of"`
	Verified bool       `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`
}

// PracticeQuarter is one quarter's practice hours: a claim.
type PracticeQuarter struct {
	Quarter  string  `json:"quarter" yaml:"quarter" expr:"quarter" validate:"required" eligo:"label"`
	Hours    float64 `json:"hours" yaml:"hours" expr:"hours" validate:"finite,gte=0,lte=1000"`
	Verified bool    `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`
}

// ReflectiveAccount is one written reflective account: a claim.
type ReflectiveAccount struct {
	Title    string     `json:"title" yaml:"title" expr:"title" validate:"required" eligo:"label"`
	Written  *time.Time `json:"written,omitempty" yaml:"written,omitempty" expr:"written" validate:"required,date,not_after_as_of"`
	Theme    string     `json:"theme" yaml:"theme" expr:"theme" validate:"omitempty,oneof=prioritise-people practise-effectively preserve-safety promote-professionalism"`
	Verified bool       `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`
}

// MentoringSession is one mentoring session received: a claim.
type MentoringSession struct {
	Mentor   string     `json:"mentor" yaml:"mentor" expr:"mentor" validate:"required" eligo:"label"`
	Date     *time.Time `json:"date,omitempty" yaml:"date,omitempty" expr:"date" validate:"required,date,not_after_as_of"`
	Hours    float64    `json:"hours" yaml:"hours" expr:"hours" validate:"finite,gte=0,lte=24"`
	Verified bool       `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`
}

// Sanction is one fitness-to-practise sanction, past or in force: a claim.
type Sanction struct {
	Order    string     `json:"order" yaml:"order" expr:"order" validate:"oneof=caution conditions-of-practice suspension striking-off" eligo:"label"`
	Imposed  *time.Time `json:"imposed,omitempty" yaml:"imposed,omitempty" expr:"imposed" validate:"required,date,not_after_as_of"`
	Active   *bool      `json:"active,omitempty" yaml:"active,omitempty" expr:"active"`
	Verified bool       `expr:"verified" json:"verified,omitempty" yaml:"verified,omitempty"`
}

const nursingDir = "../nursing"

func nursingSet(t *testing.T) *rules.Set {
	t.Helper()
	set, err := rules.Load(os.DirFS(nursingDir))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestNurseMirrorsModel: Nurse has the fields, types and tags (json, yaml,
// expr, validate, eligo) of the type rules.ModelType builds from
// model.yaml, so that deciding through it is deciding the declared model.
func TestNurseMirrorsModel(t *testing.T) {
	assertMirrorsModel[Nurse](t, nursingSet(t))
}

// TestNursingFixturesGoType decides every fixture of
// examples/nursing/applicants through the Go type Nurse.
func TestNursingFixturesGoType(t *testing.T) {
	engine, err := eligibility.NewFor[Nurse](nursingSet(t))
	if err != nil {
		t.Fatal(err)
	}
	eligibilitytest.Run(t, engine, nursingDir+"/applicants")
}

// TestNursingFeesAndBenefits: the granted level's benefits, and its fee
// as in force on the evaluation date (a dated parameter: 90 from
// 2026-04-01).
func TestNursingFeesAndBenefits(t *testing.T) {
	engine, err := eligibility.NewFor[Nurse](nursingSet(t))
	if err != nil {
		t.Fatal(err)
	}
	path := nursingDir + "/applicants/advanced-standard-granted.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	nurse, err := eligibility.DecodeFor[Nurse](path, data)
	if err != nil {
		t.Fatal(err)
	}
	d, err := engine.Evaluate(context.Background(), nurse, eligibility.AsOf(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	var benefits []string
	for _, b := range d.Benefits {
		benefits = append(benefits, b.ID)
	}
	if d.Level != "advanced" || d.FeeTotal != 90 || !slices.Equal(benefits, []string{"newsletter", "journal", "revalidation-support", "advanced-directory"}) {
		t.Errorf("level %q, fee %v, benefits %v; want advanced, 90 and the advanced level's four", d.Level, d.FeeTotal, benefits)
	}
}
