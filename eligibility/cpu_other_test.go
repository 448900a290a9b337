//go:build !(linux || darwin)

package eligibility

import "time"

// processCPU is zero where the tests do not read the process's CPU time:
// BenchmarkBatchScaling then leaves its CPU figures out.
func processCPU() time.Duration { return 0 }
