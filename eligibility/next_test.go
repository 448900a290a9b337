package eligibility

import (
	"context"
	"fmt"
	"testing"

	"github.com/eligo-dev/eligo/rules"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNext: to an ACTO applicant granted no level, Next offers Level 1
// (member), the first professional rung, unless the applicant's own
// evidence, verified or claimed, points to a side entry: associate for an
// allied role, student for an enrolment on an approved provider's course
// or a core-field qualification in progress. Above a granted level alike:
// an associate's next is member unless the associate is enrolled.
func TestNext(t *testing.T) {
	e := actoEngine(t)
	const enrolled = "onlineTraining:\n  - {provider: Relate, course: C, level: cpd, hours: 48, formats: [video], enrolled: 2026-10-05%s}\n"
	tests := []struct {
		why, doc    string
		level, next string
	}{
		{"no evidence at all", "id: a\n", "", "member"},
		{"a verified allied role, but not an individual: associate refused, the claim points there",
			"id: a\nkind: organisation\nallied: {role: trainer, verified: true}\n", "", "associate"},
		{"a claimed allied role", "id: a\nallied: {role: trainer}\n", "", "associate"},
		{"a claimed enrolment on an approved course", "id: a\n" + fmt.Sprintf(enrolled, ""), "", "student"},
		{"a claimed core-field qualification in progress",
			"id: a\nqualifications:\n  - {title: D, level: diploma, field: psychotherapy, delivery: blended}\n", "", "student"},
		{"a claimed allied role and enrolment: the lower side entry", "id: a\nallied: {role: trainer}\n" + fmt.Sprintf(enrolled, ""), "", "associate"},
		{"a completed course is no enrolment", "id: a\n" + fmt.Sprintf(enrolled, ", completed: 2026-11-01"), "", "member"},
		{"associate granted: student skipped, no evidence points there",
			"id: a\nallied: {role: trainer, verified: true}\n", "associate", "member"},
		{"associate granted and enrolled: student", "id: a\nallied: {role: trainer, verified: true}\n" + fmt.Sprintf(enrolled, ""), "associate", "student"},
		{"student granted: the level above", "id: a\n" + fmt.Sprintf(enrolled, ", verified: true"), "student", "member"},
	}
	for _, tc := range tests {
		t.Run(tc.why, func(t *testing.T) {
			d, err := e.Evaluate(context.Background(), decode(t, tc.doc), AsOf(testDate))
			require.NoError(t, err)
			assert.Equal(t, tc.level, d.Level)
			require.NotNil(t, d.Next)
			assert.Equal(t, tc.next, d.Next.Level)
		})
	}
}

// sideEntryRules has a side entry, side, whose entry requirement e takes
// a status by the case study's words (1 met, 2 review, 3 unknown, else
// unmet), below an open level, main, and a side entry above that, top.
const sideEntryRules = `ruleset: side
version: "1"
requirements:
  e:
    title: E
    source: test
    when: (portfolio?.caseStudyWords ?? 0) == 1
    review: (portfolio?.caseStudyWords ?? 0) == 2
    unknown: (portfolio?.caseStudyWords ?? 0) == 3
  never: {title: N, source: test, when: "false"}
levels:
  - {id: side, title: Side, requires: [never], entry: [e]}
  - {id: main, title: Main, requires: [never]}
  - {id: top, title: Top, requires: [never], entry: [e]}
`

// TestNextEntryStatuses: a side entry is offered as next to an applicant
// with no level when an entry requirement is met or unverified, and
// skipped when it is unmet, unknown or needs review; a side entry above
// the first open level is never reached from no level.
func TestNextEntryStatuses(t *testing.T) {
	set, err := rules.Parse("side.yaml", []byte(sideEntryRules))
	require.NoError(t, err)
	e, err := newACTO(set)
	require.NoError(t, err)
	for _, tc := range []struct {
		doc, status, next string
	}{
		{"id: a\nportfolio: {caseStudyWords: 1, verified: true}\n", "met", "side"},
		{"id: a\nportfolio: {caseStudyWords: 1}\n", "unverified", "side"},
		{"id: a\nportfolio: {caseStudyWords: 2, verified: true}\n", "review", "main"},
		{"id: a\nportfolio: {caseStudyWords: 3, verified: true}\n", "unknown", "main"},
		{"id: a\n", "unmet", "main"},
	} {
		d, err := e.Evaluate(context.Background(), decode(t, tc.doc), AsOf(testDate))
		require.NoError(t, err)
		require.Equal(t, tc.status, string(d.Requirements()[0].Status), "the test's premise: e is %s", tc.status)
		require.NotNil(t, d.Next, tc.status)
		assert.Equal(t, tc.next, d.Next.Level, "e %s", tc.status)
	}
}
