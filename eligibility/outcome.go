package eligibility

import "github.com/eligo-dev/eligo/rules"

// Status is what one requirement says about one applicant: met on verified
// evidence, met only with unverified claims (unverified), not met (unmet),
// unknown for want of data, or for a person to judge (review).
type Status string

// Requirement statuses.
const (
	// Met: the requirement holds on verified evidence.
	Met Status = "met"
	// Unmet: the data is there and the requirement does not hold.
	Unmet Status = "unmet"
	// Unknown: data the requirement needs is absent.
	Unknown Status = "unknown"
	// Unverified: not met on verified evidence alone, but met when the
	// applicant's unverified claims count too.
	Unverified Status = "unverified"
	// Review: the requirement needs a person's judgement.
	Review Status = "review"
)

// Outcome is the result for a level, category or course: the first that
// applies of refused (a requirement unmet), undetermined (data missing),
// referred (a judgement needed), provisional (unverified claims), else
// granted; with several routes, the best route's.
type Outcome string

// Outcomes, from worst to best. Only Granted grants anything.
const (
	// Refused: some requirement is unmet.
	Refused Outcome = "refused"
	// Undetermined: no requirement is unmet, but data is missing.
	Undetermined Outcome = "undetermined"
	// Referred: the rest holds but a person must judge (a review
	// requirement, or a route a panel assesses).
	Referred Outcome = "referred"
	// Provisional: everything holds, some of it only on unverified claims.
	Provisional Outcome = "provisional"
	// Granted: everything holds on verified evidence.
	Granted Outcome = "granted"
)

// rank orders outcomes from worst (0) to best, for choosing the best route.
func (o Outcome) rank() int {
	switch o {
	case Undetermined:
		return 1
	case Referred:
		return 2
	case Provisional:
		return 3
	case Granted:
		return 4
	}
	return 0
}

// combineCodes applies the first-match rule of Outcome to the statuses,
// a byte each (statusByte), of a route's requirements, given by index
// into those of all requirements: refused if any is unmet (or not a
// status at all: fail closed), then undetermined, referred, provisional;
// otherwise granted. A review route is referred at best. rank is the
// outcome's rank.
func combineCodes(all []statusByte, reqs []int, reviewRoute bool) (_ Outcome, rank int) {
	var o routeOutcome
	for _, ri := range reqs {
		switch all[ri] {
		case codeMet:
		case codeUnknown:
			o.unknown = true
		case codeReview:
			o.review = true
		case codeUnverified:
			o.unverified = true
		default: // unmet, or anything unexpected: fail closed
			return Refused, 0
		}
	}
	return o.ranked(reviewRoute)
}

// routeOutcome accumulates a route's statuses for combineCodes.
type routeOutcome struct{ unknown, review, unverified bool }

// ranked is the route's outcome and its rank (Outcome.rank).
func (o *routeOutcome) ranked(reviewRoute bool) (Outcome, int) {
	switch {
	case o.unknown:
		return Undetermined, 1
	case o.review || reviewRoute:
		return Referred, 2
	case o.unverified:
		return Provisional, 3
	}
	return Granted, 4
}

// statusOf turns the two views' results into a requirement status: met on
// verified evidence is met; met only when unverified claims count is
// unverified; otherwise the full view's status stands. A requirement met on
// verified evidence but not once the applicant's unverified claims are added
// (a rule that a claim can defeat) takes the full view's status: the
// applicant's own word against them is not ignored.
func statusOf(verified, full rules.Status) Status { return statusOfByte[codeOf(verified, full)] }

// codeOf is statusOf as a status byte.
func codeOf(verified, full rules.Status) statusByte {
	switch {
	case verified == rules.Met && full == rules.Met:
		return codeMet
	case full == rules.Met:
		return codeUnverified
	case full == rules.Review:
		return codeReview
	case full == rules.Unknown:
		return codeUnknown
	}
	return codeUnmet
}
