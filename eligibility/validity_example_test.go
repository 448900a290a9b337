package eligibility_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
)

// Renewals: who lapses in the next 30 days, and why. WithValidity makes
// each decision say the last day it holds on the same evidence; the
// administrator lists those whose ValidUntil falls within 30 days.
func ExampleWithValidity() {
	engine, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	applicants, err := engine.DecodeAll("members.yaml", []byte(`
id: cpd-ageing
qualifications:
  - {title: Diploma in Counselling, level: diploma, field: counselling, delivery: face-to-face, awarded: 2015-07-01, verified: true}
cpd:
  - {title: Working with text, hours: 20, date: 2023-12-01, online: true, verified: true}
---
id: insurance-lapsing
qualifications:
  - {title: Diploma in Counselling, level: diploma, field: counselling, delivery: face-to-face, awarded: 2015-07-01, verified: true}
insurance: {professionalIndemnity: true, expires: 2026-12-15, verified: true}
---
id: registered-until-march
qualifications:
  - {title: Diploma in Counselling, level: diploma, field: counselling, delivery: face-to-face, awarded: 2015-07-01, verified: true}
registrations:
  - {body: BACP, number: "123456", expires: 2027-03-31, verified: true}
---
id: associate
allied: {role: trainer, verified: true}
`))
	if err != nil {
		log.Fatal(err)
	}
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	soon := asOf.AddDate(0, 0, 30)
	for _, r := range engine.EvaluateAll(context.Background(), applicants, eligibility.AsOf(asOf), eligibility.WithValidity()) {
		if r.Err != nil {
			log.Fatal(r.Err)
		}
		d := r.Decision
		switch {
		case d.ValidUntil != nil && d.ValidUntil.Before(soon):
			fmt.Printf("%s lapses after %s: %s\n", d.Applicant, d.ValidUntil, d.Changes)
		case d.ValidUntil != nil:
			fmt.Printf("%s holds until %s\n", d.Applicant, d.ValidUntil)
		default:
			fmt.Printf("%s holds indefinitely\n", d.Applicant)
		}
	}
	// Output:
	// cpd-ageing lapses after 2026-12-01: online-cpd: met -> unknown, date 2023-12-01 leaves its window (member granted -> undetermined)
	// insurance-lapsing lapses after 2026-12-15: insured: met -> unmet, insurance.expires 2026-12-15 passes (professional undetermined -> refused)
	// registered-until-march holds until 2027-03-31
	// associate holds indefinitely
}
