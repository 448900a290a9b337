package main

import (
	"os"
	"testing"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
	"github.com/eligo-dev/eligo/rules"
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

// TestBACPFixtures decides the applicants of examples/bacp/applicants with
// the second rule set, loaded from YAML alone.
func TestBACPFixtures(t *testing.T) {
	set, err := rules.Load(os.DirFS("../bacp"))
	if err != nil {
		t.Fatal(err)
	}
	engine, err := eligibility.New(set)
	if err != nil {
		t.Fatal(err)
	}
	eligibilitytest.Run(t, engine, "../bacp/applicants")
}
