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

// TestClauseTexts: a requirement's clause texts are its results' clauses'
// Text, in order, whichever way its rule is split into clauses.
func TestClauseTexts(t *testing.T) {
	const src = `ruleset: clauses
version: "1"
requirements:
  two:
    title: Two clauses
    source: test
    when: practising == true && len(cpd) > 0
  one:
    title: One clause
    source: test
    when: any(onlineTraining, .hours > 1)
levels:
  - id: member
    title: Member
    requires: [two]
`
	p := compileEval(t, src, testApplicant{})
	for id, want := range map[string][]string{
		"two": {"practising == true", "len(cpd) > 0"},
		"one": {"any(onlineTraining, .hours > 1)"},
	} {
		i, _ := p.Requirement(id)
		got := p.ClauseTexts(i)
		if !slices.Equal(got, want) {
			t.Errorf("ClauseTexts(%s) = %q, want %q", id, got, want)
		}
		res, err := evaluate(t, p, id, testApplicant{}, "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, c := range res.Clauses {
			texts = append(texts, c.Text)
		}
		if !slices.Equal(texts, got) {
			t.Errorf("%s: the result's clauses are %q, ClauseTexts %q", id, texts, got)
		}
	}
}
