package eligibility

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/eligo-dev/eligo/rules"
)

// TestCombine checks DOMAIN §8's first-match rule for a route's outcome.
func TestCombine(t *testing.T) {
	tests := []struct {
		why      string
		statuses []Status
		review   bool
		want     Outcome
	}{
		{"all met grants", []Status{Met, Met}, false, Granted},
		{"no requirements grants (an award that needs nothing)", nil, false, Granted},
		{"one unmet refuses whatever else", []Status{Met, Unknown, Review, Unverified, Unmet}, false, Refused},
		{"unknown before review", []Status{Review, Unknown}, false, Undetermined},
		{"review before unverified", []Status{Unverified, Review}, false, Referred},
		{"unverified alone is provisional", []Status{Met, Unverified}, false, Provisional},
		{"a panel route is referred even when all is met", []Status{Met}, true, Referred},
		{"a panel route with unverified claims is still referred", []Status{Unverified}, true, Referred},
		{"a panel route with an unmet requirement is refused", []Status{Unmet}, true, Refused},
		{"an unexpected status fails closed", []Status{"bogus"}, false, Refused},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			assert.Equal(t, tt.want, combine(tt.statuses, tt.review))
		})
	}
}

// TestStatusOf checks how the verified and full views make a status.
func TestStatusOf(t *testing.T) {
	tests := []struct {
		why            string
		verified, full rules.Status
		want           Status
	}{
		{"met on verified evidence", rules.Met, rules.Met, Met},
		{"met only with unverified claims", rules.Unmet, rules.Met, Unverified},
		{"unverified insurance is absent in the verified view", rules.Unknown, rules.Met, Unverified},
		{"unmet in both", rules.Unmet, rules.Unmet, Unmet},
		{"unknown in the full view", rules.Unknown, rules.Unknown, Unknown},
		{"review in the full view", rules.Unmet, rules.Review, Review},
		{"a claim that defeats a verified fact is not ignored (fail closed)", rules.Met, rules.Unmet, Unmet},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			assert.Equal(t, tt.want, statusOf(tt.verified, tt.full))
		})
	}
}

func TestOutcomeRankOrdersBestRoute(t *testing.T) {
	order := []Outcome{Refused, Undetermined, Referred, Provisional, Granted}
	for i := 1; i < len(order); i++ {
		assert.Less(t, order[i-1].rank(), order[i].rank(), "%s < %s", order[i-1], order[i])
	}
}

// TestCombineCodes: combining statuses a byte each gives what combining
// them as Status texts gives, and the outcome's rank, for every mix of up
// to three statuses on ordinary and review routes.
func TestCombineCodes(t *testing.T) {
	all := []Status{Met, Unmet, Unknown, Unverified, Review}
	for n := range 4 {
		for mix := range pow(len(all), n) {
			statuses := make([]Status, n)
			codes := make([]statusByte, n)
			reqs := make([]int, n)
			for i, m := 0, mix; i < n; i, m = i+1, m/len(all) {
				statuses[i], codes[i], reqs[i] = all[m%len(all)], byteOf(all[m%len(all)]), i
			}
			for _, review := range []bool{false, true} {
				want := combine(statuses, review)
				got, rank := combineCodes(codes, reqs, review)
				if got != want || rank != want.rank() {
					t.Errorf("%v (review %v): %s rank %d, want %s rank %d", statuses, review, got, rank, want, want.rank())
				}
			}
		}
	}
}

func pow(b, e int) int {
	r := 1
	for range e {
		r *= b
	}
	return r
}

// byteOf is the status byte of s (statusOfByte's inverse).
func byteOf(s Status) statusByte {
	return statusByte(slices.Index(statusOfByte[:], s))
}

// combine is the first-match rule of Outcome over a route's statuses as
// Status texts: the reference combineCodes is held to.
func combine(statuses []Status, reviewRoute bool) Outcome {
	var o routeOutcome
	for _, s := range statuses {
		if !o.add(s) {
			return Refused
		}
	}
	out, _ := o.ranked(reviewRoute)
	return out
}

// add takes one status; false means the route is refused.
func (o *routeOutcome) add(s Status) bool {
	switch s {
	case Unmet:
		return false
	case Unknown:
		o.unknown = true
	case Review:
		o.review = true
	case Unverified:
		o.unverified = true
	case Met:
	default:
		return false // fail closed on anything unexpected
	}
	return true
}
