package eligibility

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eligo-dev/eligo/rules"
)

var testDate = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func decode(t testing.TB, doc string) *Applicant {
	t.Helper()
	a, err := decodeApplicant("test.yaml", []byte(doc))
	require.NoError(t, err)
	return a
}

const professionalDoc = `
id: app-0042
name: Jo Bloggs
practising: true
qualifications:
  - {title: Diploma in Counselling, level: diploma, field: counselling, delivery: face-to-face, awarded: 2015-07-01, verified: true}
registrations:
  - {body: BACP, number: "123456", expires: 2027-03-31, verified: true}
insurance: {professionalIndemnity: true, expires: 2027-01-31, verified: true}
onlineTraining:
  - {provider: OLT4C, course: Diploma in Online Therapeutic Counselling, level: diploma, hours: 300,
     formats: [video, audio, email, chat], tutorLed: true, skillsAssessed: true, reflectiveWork: true,
     enrolled: 2024-01-10, completed: 2024-07-01, verified: true}
cpd:
  - {title: Working with text-based clients, hours: 6, date: 2026-03-01, online: true, verified: true}
references: {safeOnlinePractice: true, verified: true}
portfolio: {caseStudyWords: 2000, caseStudyClients: 2, essayWords: 1600, supervisorReport: true, verified: true}
`

func TestEvaluateProfessional(t *testing.T) {
	e := actoEngine(t)
	d, err := e.Evaluate(context.Background(), decode(t, professionalDoc), AsOf(testDate))
	require.NoError(t, err)
	assert.Equal(t, "professional", d.Level)
	assert.Equal(t, "senior", d.Next.Level)
	assert.Equal(t, []RequirementStatus{{ID: "case-study", Status: Unmet}}, d.Next.Unmet)
	cs, ok := d.Requirement("case-study")
	require.True(t, ok)
	require.NotEmpty(t, cs.Clauses)
	c := cs.Clauses[0]
	assert.Equal(t, rules.ValueOf(2000), c.Observed)
	assert.Equal(t, rules.ValueOf(2500.0), c.Required)
	require.NotNil(t, c.Shortfall)
	assert.Equal(t, 500.0, *c.Shortfall)
	assert.Equal(t, 60.0, d.FeeTotal, "professional fee from 2021-06-01")
}

func TestEvaluateUnverifiedIsProvisional(t *testing.T) {
	e := actoEngine(t)
	doc := strings.Replace(professionalDoc, "expires: 2027-01-31, verified: true", "expires: 2027-01-31, verified: false", 1)
	d, err := e.Evaluate(context.Background(), decode(t, doc), AsOf(testDate))
	require.NoError(t, err)
	assert.Equal(t, "member", d.Level, "unverified insurance must not grant Level 2")
	r, _ := d.Requirement("insured")
	assert.Equal(t, Unverified, r.Status)
	assert.Equal(t, []Action{{Kind: Verify, Requirement: "insured", Item: "insurance"}}, r.Unverified)
	for _, l := range d.Levels() {
		if l.ID == "professional" {
			assert.Equal(t, Provisional, l.Outcome)
			assert.Contains(t, l.Settle, Action{Kind: Verify, Requirement: "insured", Item: "insurance"})
		}
	}
}

func TestEvaluateMissingSectionIsUndetermined(t *testing.T) {
	e := actoEngine(t)
	doc := strings.Replace(professionalDoc, "insurance: {professionalIndemnity: true, expires: 2027-01-31, verified: true}\n", "", 1)
	d, err := e.Evaluate(context.Background(), decode(t, doc), AsOf(testDate))
	require.NoError(t, err)
	assert.Equal(t, "member", d.Level)
	r, _ := d.Requirement("insured")
	assert.Equal(t, Unknown, r.Status)
	assert.Equal(t, []string{"insurance"}, r.Missing)
}

func TestDecisionJSONIsStableAndHasNoName(t *testing.T) {
	e := actoEngine(t)
	a := decode(t, professionalDoc)
	d1, err := e.Evaluate(context.Background(), a, AsOf(testDate))
	require.NoError(t, err)
	d2, err := e.Evaluate(context.Background(), a, AsOf(testDate))
	require.NoError(t, err)
	j1, err := json.Marshal(d1)
	require.NoError(t, err)
	j2, err := json.Marshal(d2)
	require.NoError(t, err)
	assert.Equal(t, string(j1), string(j2))
	assert.NotContains(t, string(j1), "Bloggs", "personal data must never reach a decision")
	assert.NotContains(t, d1.Text(), "Bloggs")
	var m map[string]any
	require.NoError(t, json.Unmarshal(j1, &m))
	for _, key := range []string{"applicant", "level", "levels", "courses", "categories", "next", "ruleset", "asOf"} {
		assert.Contains(t, m, key)
	}
	assert.Equal(t, "2026-11-23", m["asOf"])
}

func TestEvaluateInvalidApplicantFailsClosed(t *testing.T) {
	e := actoEngine(t)
	a := decode(t, professionalDoc)
	a.OnlineTraining[0].Hours = -5
	d, err := e.Evaluate(context.Background(), a, AsOf(testDate))
	assert.Nil(t, d)
	var in *InputError
	require.ErrorAs(t, err, &in)
	assert.Equal(t, "onlineTraining[0].hours", in.Errors[0].Path)
}

func TestEvaluateCancelledContext(t *testing.T) {
	e := actoEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d, err := e.Evaluate(ctx, decode(t, professionalDoc), AsOf(testDate))
	assert.Nil(t, d)
	assert.ErrorIs(t, err, context.Canceled)
}

// A rule that fails at run time for one applicant gives an error and no
// decision for that applicant, and does not affect others.
func TestEvaluateRuntimeErrorFailsClosed(t *testing.T) {
	set, err := rules.Parse("fragile.yaml", []byte(`
ruleset: fragile
version: "1"
requirements:
  first-qualification:
    title: The first qualification is a diploma
    source: test
    when: qualifications[0].level == "diploma"
levels:
  - {id: member, title: Member, requires: [first-qualification]}
`))
	require.NoError(t, err)
	e, err := newACTO(set)
	require.NoError(t, err)
	empty := decode(t, "id: a1\nqualifications: []\n")
	d, err := e.Evaluate(context.Background(), empty, AsOf(testDate))
	assert.Nil(t, d)
	var ee *rules.EvalError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "requirement first-qualification", ee.Rule)

	ok := decode(t, "id: a2\nqualifications: [{title: D, level: diploma, field: counselling, delivery: blended, awarded: 2020-01-01, verified: true}]\n")
	d, err = e.Evaluate(context.Background(), ok, AsOf(testDate))
	require.NoError(t, err)
	assert.Equal(t, "member", d.Level)
}

func TestEvaluateConcurrentMatchesSequential(t *testing.T) {
	e := actoEngine(t)
	docs := []string{professionalDoc,
		strings.Replace(professionalDoc, "verified: true", "verified: false", -1),
		strings.Replace(professionalDoc, "caseStudyWords: 2000", "caseStudyWords: 2600", 1)}
	want := make([]string, len(docs))
	apps := make([]*Applicant, len(docs))
	for i, doc := range docs {
		apps[i] = decode(t, doc)
		d, err := e.Evaluate(context.Background(), apps[i], AsOf(testDate))
		require.NoError(t, err)
		j, _ := json.Marshal(d)
		want[i] = string(j)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				i := (g + k) % len(docs)
				d, err := e.Evaluate(context.Background(), apps[i], AsOf(testDate))
				if err != nil {
					errs <- err
					return
				}
				j, _ := json.Marshal(d)
				if string(j) != want[i] {
					errs <- errors.New("concurrent decision differs from sequential")
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// A rule within its step budget can still take a while (here about 49
// million steps on expr's VM); a context that is done mid-rule stops it
// with the context's error. Before the run honoured the context, Evaluate
// only looked at it between requirements and returned a decision.
func TestEvaluateStopsMidRule(t *testing.T) {
	set, err := rules.Parse("slow.yaml", []byte(`
ruleset: slow
version: "1"
requirements:
  slow:
    title: A slow rule
    source: test
    when: "let r = 1..7000; any(r, any(r, # < 0))"
levels:
  - {id: member, title: Member, requires: [slow]}
`))
	require.NoError(t, err)
	e, err := newACTO(set)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	d, err := e.Evaluate(ctx, decode(t, professionalDoc), AsOf(testDate))
	assert.Nil(t, d)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var ee *rules.EvalError
	assert.ErrorAs(t, err, &ee)
}
