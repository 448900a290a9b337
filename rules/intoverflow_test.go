package rules

import (
	"errors"
	"testing"
)

// Integer arithmetic that overflows fails the requirement (ErrNonFinite),
// on both evaluators, as a float that stops being finite does: wrapped, an
// applicant's huge integer once made a cap hold.
func TestIntegerOverflowFailsClosed(t *testing.T) {
	for _, tc := range []struct {
		when string
		app  *testApplicant
	}{
		// 2^62+100 words, doubled: 2^63+200 wraps to -2^63+200 <= 5000.
		{`portfolio.caseStudyWords * 2 <= 5000`, &testApplicant{Portfolio: &testPortfolio{CaseStudyWords: 1<<62 + 100}}},
		{`portfolio.caseStudyWords + 10 < 100`, &testApplicant{Portfolio: &testPortfolio{CaseStudyWords: 1<<63 - 1}}},
		{`9223372036854775807 + len(cpd) < 0`, cpdEntries(1, 1)},
	} {
		t.Run(tc.when, func(t *testing.T) {
			p, err := compileBudget(t, tc.when)
			if err != nil {
				t.Fatal(err)
			}
			err = evalBoth(t, p, tc.app)
			run, _ := p.NewRun(tc.app, *date("2024-06-01"))
			res, _ := run.Requirement(0)
			if res.Status == Met || !errors.Is(err, ErrNonFinite) {
				t.Errorf("status %v, error %v; want a failure (ErrNonFinite or similar), never met", res.Status, err)
			}
		})
	}
}
