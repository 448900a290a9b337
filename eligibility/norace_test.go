//go:build !race

package eligibility

const raceEnabled = false
