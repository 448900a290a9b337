package eligibility

import (
	"context"
	"testing"

	"github.com/eligo-dev/eligo/rules"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
		require.Equal(t, tc.status, string(d.Requirements[0].Status), "the test's premise: e is %s", tc.status)
		require.NotNil(t, d.Next, tc.status)
		assert.Equal(t, tc.next, d.Next.Level, "e %s", tc.status)
	}
}
