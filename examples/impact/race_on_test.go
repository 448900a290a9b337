//go:build race

package main

// raceDetector reports whether the tests run under the race detector, which
// slows deciding about tenfold.
const raceDetector = true
