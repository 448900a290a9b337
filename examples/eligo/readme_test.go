package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// readmeBlock returns the lines of the first fenced block of lang in the
// README after the heading.
func readmeBlock(t *testing.T, heading, lang string) []string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	text := string(data)
	at := strings.Index(text, "\n"+heading+"\n")
	require.GreaterOrEqual(t, at, 0, "README has no %q", heading)
	m := regexp.MustCompile("(?s)\n```" + lang + "\n(.*?)\n```").FindStringSubmatch(text[at:])
	require.NotNil(t, m, "README has no %s block after %q", lang, heading)
	return strings.Split(m[1], "\n")
}

// requireExcerpt checks that excerpt is output with lines left out: each
// line of excerpt other than "..." is a line of output, in order, leading
// spaces aside (the README shows one decision of the JSON array). A line
// ending in `...",` stands for a string the README shortened.
func requireExcerpt(t *testing.T, excerpt []string, output string) {
	t.Helper()
	lines := strings.Split(output, "\n")
	k := 0
	for _, want := range excerpt {
		if strings.TrimSpace(want) == "..." {
			continue
		}
		want = strings.TrimSpace(want)
		prefix, shortened := strings.CutSuffix(want, ` ...",`)
		for ; k < len(lines); k++ {
			if got := strings.TrimSpace(lines[k]); got == want || shortened && strings.HasPrefix(got, prefix) {
				break
			}
		}
		if k == len(lines) {
			t.Fatalf("README excerpt line not in the output (in order):\n%s\n\noutput:\n%s", want, output)
		}
		k++
	}
}

// TestREADMETour: the tour's text and JSON excerpts are what the CLI
// prints for its example.
func TestREADMETour(t *testing.T) {
	const doc = "../applicants/professional-course-79-5-hours.yaml"
	status, stdout, stderr := runCLI(t, "-as-of", fixtureAsOf, doc)
	require.Equal(t, 0, status, stderr)
	requireExcerpt(t, readmeBlock(t, "## A tour", "text"), stdout)

	status, stdout, stderr = runCLI(t, "-as-of", fixtureAsOf, "-format", "json", doc)
	require.Equal(t, 0, status, stderr)
	requireExcerpt(t, readmeBlock(t, "## A tour", "json"), stdout)
}
