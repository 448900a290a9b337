package rules

import (
	"slices"
	"testing"
)

// TestReadPaths: a requirement reads the longest member chains at each
// place, through facts too, and the whole of what it names alone.
func TestReadPaths(t *testing.T) {
	const src = `ruleset: paths
version: "1"
facts:
  insured: insurance.professionalIndemnity && insurance.expires != nil
requirements:
  covered:
    title: Covered
    source: test
    when: insured && practising == true
  courses:
    title: Courses
    source: test
    when: any(onlineTraining, .hours > 1) && portfolio?.caseStudyWords > 0
  whole:
    title: Whole section
    source: test
    when: portfolio != nil
    review: len(cpd) > 0
levels:
  - id: member
    title: Member
    requires: [covered]
`
	p := compileEval(t, src, testApplicant{})
	for id, want := range map[string][]string{
		"covered": {"insurance.expires", "insurance.professionalIndemnity", "practising"},
		"courses": {"onlineTraining", "portfolio.caseStudyWords"},
		"whole":   {"cpd", "portfolio"},
	} {
		i, _ := p.Requirement(id)
		if got := p.ReadPaths(i); !slices.Equal(got, want) {
			t.Errorf("ReadPaths(%s) = %q, want %q", id, got, want)
		}
	}
}
