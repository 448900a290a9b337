//go:build !race

package eligibility

// raceDetector reports whether the tests run under the race detector.
const raceDetector = false
