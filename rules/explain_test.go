package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// explainSet exercises the explanation features: 'in' as a comparison,
// library calls that show their argument, ?? defaults and daysBetween.
const explainSet = `
ruleset: explain
version: "1"
parameters:
  core_fields: {value: [counselling, psychotherapy], source: test}
  min_words: {value: 2500, source: test}
catalogue:
  providers: [{id: olt, name: Online Training for Counsellors Ltd, aliases: [OLT4C]}]
requirements:
  field:
    title: Field
    source: test
    when: any(qualifications, .field in param.core_fields)
  first-field:
    title: First field
    source: test
    when: qualifications[0].field in param.core_fields
  approved-course:
    title: Approved course
    source: test
    when: any(onlineTraining, approved(.provider) && .hours >= 80)
  approved-first:
    title: Approved first course
    source: test
    when: approved(onlineTraining[0].provider)
  words:
    title: Words
    source: test
    when: portfolio.caseStudyWords >= param.min_words
  cpd-or-none:
    title: CPD hours, absent counting as none
    source: test
    when: sum(cpd ?? [], .hours) + sum(onlineTraining, .hours) >= 10
  long-course:
    title: A course of at least 31 days
    source: test
    when: any(onlineTraining, daysBetween(.completed, .completed) == 1 && .hours > 0)
levels:
  - {id: l, title: L, requires: [field]}
`

func explainRun(t *testing.T, a *testApplicant) (*Program, *Run) {
	t.Helper()
	set, err := Parse("explain.yaml", []byte(explainSet))
	require.NoError(t, err)
	p, err := Compile(set, testApplicant{})
	require.NoError(t, err)
	run, err := p.NewRun(a, *date("2026-11-23"))
	require.NoError(t, err)
	return p, run
}

func requirement(t *testing.T, p *Program, run *Run, id string) Result {
	t.Helper()
	i, ok := p.Requirement(id)
	require.True(t, ok, id)
	res, err := run.Requirement(i)
	require.NoError(t, err)
	return res
}

func TestExplainIn(t *testing.T) {
	a := &testApplicant{Qualifications: []testQual{{Title: "BSc", Field: "other"}}}
	p, run := explainRun(t, a)
	res := requirement(t, p, run, "first-field")
	assert.Equal(t, Unmet, res.Status)
	assert.Equal(t, "in", res.Clauses[0].Op)
	assert.Equal(t, ValueOf("other"), res.Clauses[0].Observed)
	assert.Equal(t, ValueOf([]string{"counselling", "psychotherapy"}), res.Clauses[0].Required)

	res = requirement(t, p, run, "field")
	require.NotNil(t, res.Clauses[0].Closest)
	f := res.Clauses[0].Closest.Failed[0]
	assert.Equal(t, "in", f.Op)
	assert.Equal(t, ValueOf("other"), f.Observed)
}

// DOMAIN §3: a provider not in the catalogue is not approved, and the
// explanation names it.
func TestExplainUnapprovedProviderIsNamed(t *testing.T) {
	a := &testApplicant{OnlineTraining: []testCourse{{Provider: "Acme Skills", Course: "Cert", Hours: 90}}}
	p, run := explainRun(t, a)
	res := requirement(t, p, run, "approved-course")
	assert.Equal(t, Unmet, res.Status)
	g := res.Clauses[0].Closest
	require.NotNil(t, g)
	assert.Equal(t, "Cert", g.Label)
	require.Len(t, g.Failed, 1)
	assert.Equal(t, "approved(.provider)", g.Failed[0].Text)
	assert.Equal(t, ValueOf("Acme Skills"), g.Failed[0].Observed)

	res = requirement(t, p, run, "approved-first")
	assert.Equal(t, ValueOf("Acme Skills"), res.Clauses[0].Observed)
}

func TestExplainUnknownShowsThreshold(t *testing.T) {
	p, run := explainRun(t, &testApplicant{})
	res := requirement(t, p, run, "words")
	assert.Equal(t, Unknown, res.Status)
	assert.Equal(t, []string{"portfolio"}, res.Clauses[0].Missing)
	assert.Equal(t, ValueOf(2500.0), res.Clauses[0].Required)
	assert.True(t, res.Clauses[0].Observed.IsZero())
}

func TestDefaultedSectionIsNotNeeded(t *testing.T) {
	// cpd absent, but the rule says absent counts as none: 12 course hours suffice.
	a := &testApplicant{OnlineTraining: []testCourse{{Provider: "olt", Hours: 12}}}
	p, run := explainRun(t, a)
	res := requirement(t, p, run, "cpd-or-none")
	assert.Equal(t, Met, res.Status)

	// onlineTraining has no default: absent, the clause is unknown.
	a = &testApplicant{CPD: []testCPD{{Hours: 12}}}
	p, run = explainRun(t, a)
	res = requirement(t, p, run, "cpd-or-none")
	assert.Equal(t, Unknown, res.Status)
	assert.Equal(t, []string{"onlineTraining"}, res.Clauses[0].Missing)
}
