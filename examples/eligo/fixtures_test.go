package main

import (
	"testing"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
)

// TestACTOFixtures decides every applicant of examples/applicants with the
// embedded ACTO rules and checks each against its want file.
func TestACTOFixtures(t *testing.T) {
	engine, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	eligibilitytest.Run(t, engine, "../applicants")
}

// TestInvalidFixtures checks that each document of examples/applicants-invalid
// is rejected with errors at the paths its want file names.
func TestInvalidFixtures(t *testing.T) {
	engine, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	eligibilitytest.Run(t, engine, "../applicants-invalid")
}
