package main

import (
	"context"
	"io"
	"testing"
)

// BenchmarkCommands times check and lint on the embedded ACTO rules, and
// on the BACP-style rules from a directory, as the command runs them (the
// budget: under 50 ms each), output discarded.
func BenchmarkCommands(b *testing.B) {
	for _, cmd := range []string{"check", "lint"} {
		for _, rules := range []string{"", "../bacp"} {
			name := cmd + "/acto"
			if rules != "" {
				name = cmd + "/bacp"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if status := run(context.Background(), []string{cmd, "-rules", rules}, io.Discard, io.Discard); status != 0 {
						b.Fatalf("%s: exit %d", name, status)
					}
				}
			})
		}
	}
}
