package eligibilitytest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
)

const applicant = "professional-unverified-course-provisional"

// fixture writes the ACTO example applicant with want as its want file
// and loads it.
func fixture(t *testing.T, want string) eligibilitytest.Fixture {
	t.Helper()
	return fixtureOf(t, applicant, want)
}

// fixtureOf writes the ACTO example applicant named applicant with want
// as its want file and loads it.
func fixtureOf(t *testing.T, applicant, want string) eligibilitytest.Fixture {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "applicants", applicant+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, applicant+".yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "want"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "want", applicant+".yaml"), []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
	fs, err := eligibilitytest.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return fs[0]
}

func TestCheckReportsEachDifference(t *testing.T) {
	e, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	const right = `asOf: 2026-11-23
level: member
courses: [academy-general-certificate, academy-diploma, relate-online, oti-online-therapy, ocst-certificated, olt-general-certificate, olt-diploma-counselling]
categories: []
outcomes: {professional: provisional}
statuses: {qualifying-course: unverified}
next: {level: professional, unmet: [qualifying-course]}
settle: {professional: ["verify onlineTraining[0] (General Certificate in Online Counselling Skills)"]}
`
	if problems := eligibilitytest.Check(e, fixture(t, right)); len(problems) != 0 {
		t.Fatalf("the right want file fails: %q", problems)
	}
	for _, tc := range []struct{ from, to, report string }{
		{"level: member", "level: professional", `level: got "member", want "professional"`},
		{"relate-online, ", "", "courses: got"},
		{"categories: []", "categories: [retired]", "categories: got"},
		{"{professional: provisional}", "{professional: granted}", "outcome of professional: got provisional, want granted"},
		{"{professional: provisional}", "{nosuch: granted}", `outcomes: no level, category or course "nosuch"`},
		{"{qualifying-course: unverified}", "{qualifying-course: met}", "status of qualifying-course: got unverified, want met"},
		{"{qualifying-course: unverified}", "{nosuch: met}", `statuses: no requirement "nosuch"`},
		{"next: {level: professional", "next: {level: senior", `next level: got "professional", want "senior"`},
		{"unmet: [qualifying-course]", "unmet: [insured]", "next unmet: got [qualifying-course], want [insured]"},
		{"verify onlineTraining[0]", "verify onlineTraining[1]", "settle professional: got"},
		{"settle: {professional:", "settle: {senior:", `settle senior: got [], want ["verify`},
	} {
		want := strings.Replace(right, tc.from, tc.to, 1)
		problems := eligibilitytest.Check(e, fixture(t, want))
		if len(problems) != 1 || !strings.Contains(problems[0], tc.report) {
			t.Errorf("%s → %s: problems %q, want one containing %q", tc.from, tc.to, problems, tc.report)
		}
	}
}

func TestCheckInvalid(t *testing.T) {
	e, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	problems := eligibilitytest.Check(e, fixture(t, "asOf: 2026-11-23\ninvalid: [\"qualifications[0].level\"]\n"))
	if len(problems) != 1 || !strings.Contains(problems[0], "want an *InputError") {
		t.Errorf("a valid document expected invalid: problems %q", problems)
	}
}

func TestLoadRejectsBadWantFiles(t *testing.T) {
	for _, want := range []string{
		"level: member\n",                    // no asOf
		"asOf: 2026-11-23\nlevell: member\n", // unknown key
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, applicant+".yaml"), []byte("id: x\nkind: individual\n"), 0o644)
		os.Mkdir(filepath.Join(dir, "want"), 0o755)
		os.WriteFile(filepath.Join(dir, "want", applicant+".yaml"), []byte(want), 0o644)
		if _, err := eligibilitytest.Load(dir); err == nil {
			t.Errorf("want file %q loaded without error", want)
		}
	}
}
