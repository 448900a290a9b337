//go:build race

package eligibility

// raceDetector reports whether the tests run under the race detector, which
// slows evaluation about tenfold: the property tests then visit fewer
// applicants (the concurrency test is what needs -race).
const raceDetector = true
