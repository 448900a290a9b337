package rules

import "time"

// The test model: a small applicant type shaped like acto.Applicant,
// so that rules tests do not depend on the eligibility package.
type testApplicant struct {
	ID             string         `expr:"id"`
	Name           string         `expr:"-"`
	Qualifications []testQual     `expr:"qualifications"`
	Insurance      *testInsurance `expr:"insurance"`
	OnlineTraining []testCourse   `expr:"onlineTraining"`
	CPD            []testCPD      `expr:"cpd"`
	Practising     *bool          `expr:"practising"`
	Portfolio      *testPortfolio `expr:"portfolio"`
}

type testQual struct {
	Title   string     `expr:"title" eligo:"label"`
	Level   string     `expr:"level"`
	Field   string     `expr:"field"`
	Awarded *time.Time `expr:"awarded"`
}

type testInsurance struct {
	ProfessionalIndemnity bool       `expr:"professionalIndemnity"`
	Expires               *time.Time `expr:"expires"`
}

type testCourse struct {
	Provider  string     `expr:"provider"`
	Course    string     `expr:"course" eligo:"label"`
	Hours     float64    `expr:"hours"`
	Formats   []string   `expr:"formats"`
	Completed *time.Time `expr:"completed"`
}

type testCPD struct {
	Hours  float64    `expr:"hours"`
	Date   *time.Time `expr:"date"`
	Online bool       `expr:"online"`
}

type testPortfolio struct {
	CaseStudyWords int `expr:"caseStudyWords"`
}

func date(s string) *time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return &t
}
