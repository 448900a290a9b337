package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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

// digestRE matches a rule set digest, full or shortened: the README shows
// one, but it changes with every edit of the rule files, so excerpts
// compare any digest with any other.
var digestRE = regexp.MustCompile(`sha256:[0-9a-f]{12,64}`)

// requireExcerpt checks that excerpt is output with lines left out: each
// line of excerpt other than "..." is a line of output, in order, leading
// spaces aside (the README shows one decision of the JSON array). A line
// ending in `...",` stands for a string the README shortened. Rule set
// digests compare equal whatever their value.
func requireExcerpt(t *testing.T, excerpt []string, output string) {
	t.Helper()
	output = digestRE.ReplaceAllString(output, "sha256:…")
	lines := strings.Split(output, "\n")
	k := 0
	for _, want := range excerpt {
		if strings.TrimSpace(want) == "..." {
			continue
		}
		want = digestRE.ReplaceAllString(strings.TrimSpace(want), "sha256:…")
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

// TestREADMEQuickStart: the Quick start's summary is what a newcomer sees:
// its lines before "..." are the first lines the CLI prints with no
// arguments (from the repository root), those after it the last.
func TestREADMEQuickStart(t *testing.T) {
	excerpt := readmeBlock(t, "## Quick start", "text")
	t.Chdir("../..")
	status, stdout, stderr := runCLI(t, "-as-of", fixtureAsOf)
	require.Equal(t, 0, status, stderr)
	out := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	cut := slices.Index(excerpt, "...")
	require.Positive(t, cut, "the Quick start's summary shows its first lines, then ..., then its last")
	head, tail := excerpt[:cut], excerpt[cut+1:]
	require.GreaterOrEqual(t, len(out), len(head)+len(tail))
	require.Equal(t, head, out[:len(head)], "the summary's first lines")
	require.Equal(t, tail, out[len(out)-len(tail):], "the summary's last lines")
}

// TestREADMETour: the tour's text and JSON excerpts are what the CLI
// prints for its example.
func TestREADMETour(t *testing.T) {
	const doc = "../applicants/professional-course-79-5-hours.yaml"
	status, stdout, stderr := runCLI(t, "-as-of", fixtureAsOf, "-v", doc)
	require.Equal(t, 0, status, stderr)
	requireExcerpt(t, readmeBlock(t, "## A tour", "text"), stdout)

	status, stdout, stderr = runCLI(t, "-as-of", fixtureAsOf, "-format", "json", doc)
	require.Equal(t, 0, status, stderr)
	requireExcerpt(t, readmeBlock(t, "## A tour", "json"), stdout)
}

// readmeBlocks returns every fenced block of lang in the README's section
// under heading, up to the next heading of the same level.
func readmeBlocks(t *testing.T, heading, lang string) []string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	text := string(data)
	at := strings.Index(text, "\n"+heading+"\n")
	require.GreaterOrEqual(t, at, 0, "README has no %q", heading)
	section := text[at+1:]
	level := heading[:strings.Index(heading, " ")+1]
	if end := strings.Index(section[len(heading):], "\n"+level); end >= 0 {
		section = section[:len(heading)+end]
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)\n```"+lang+"\n(.*?)\n```").FindAllStringSubmatch(section, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestREADMEOwnBody: the walk-through's model and rules, put in a
// directory as a rule author would, load and decide with the CLI: a
// registered nurse whose mentoring is old, and one with a sanction in
// force that the gate refuses.
func TestREADMEOwnBody(t *testing.T) {
	blocks := readmeBlocks(t, "## Your own body", "yaml")
	require.GreaterOrEqual(t, len(blocks), 3, "the model, the rules and a want file")
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("ruleset.yaml", "ruleset: mybody\nversion: \"1\"\n")
	write("model.yaml", blocks[0])
	write("rules.yaml", blocks[1])
	docs := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(docs, "a.yaml"), []byte(`id: n-1
name: Ann Example
registration: {pin: 04A9911E, field: children, revalidation: 2027-05-31, verified: true}
mentoring:
  - {mentor: M, date: 2025-03-12, hours: 5, verified: true}
sanctions: []
`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(docs, "b.yaml"), []byte(`id: n-2
registration: {pin: 04A9911F, field: adult, revalidation: 2027-05-31, verified: true}
sanctions: [{order: suspension, active: true, verified: true}]
`), 0o644))
	status, stdout, stderr := runCLI(t, "-rules", dir, "-as-of", "2026-11-30", "-v", docs)
	require.Equal(t, 0, status, stderr)
	require.Contains(t, stdout, "Applicant n-1:")
	require.Contains(t, stdout, "Level: Registered Practitioner (registered)")
	require.Contains(t, stdout, "✗ unmet      mentoring")
	require.Contains(t, stdout, "Applicant n-2:")
	require.Contains(t, stdout, "✗ no-active-sanction [unmet]")
	require.NotContains(t, stdout, "Ann Example", "personal data never reaches a decision")
}

// TestREADMERuleAuthorsTools: the commands the README shows a rule author,
// run on the walk-through's own body put in a directory, succeed; the
// coverage table's excerpt is what eligo test -cover prints for the ACTO
// fixtures; the CI steps run as written, mybody standing for the body.
func TestREADMERuleAuthorsTools(t *testing.T) {
	const heading = "### Rule authors' tools"
	status, stdout, stderr := runCLI(t, "test", "-cover", "../applicants")
	require.Equal(t, 0, status, stderr)
	requireExcerpt(t, readmeBlock(t, heading, "text"), stdout)

	blocks := readmeBlocks(t, "## Your own body", "yaml")
	root := t.TempDir()
	body := filepath.Join(root, "mybody")
	writeFiles(t, body, map[string]string{
		"ruleset.yaml": "ruleset: mybody\nversion: \"1\"\n",
		"model.yaml":   blocks[0],
		"rules.yaml":   blocks[1],
		// The registered nurse of TestREADMEOwnBody, with the want file
		// the walk-through shows.
		"applicants/registered-granted.yaml": `id: n-1
registration: {pin: 04A9911E, field: children, revalidation: 2027-05-31, verified: true}
mentoring:
  - {mentor: M, date: 2025-03-12, hours: 5, verified: true}
sanctions: []
`,
		"applicants/want/registered-granted.yaml": blocks[2],
		// Three more, so that the suite reaches -min both-ways.
		"applicants/advanced-granted.yaml": `id: n-2
registration: {pin: 04A9911F, field: adult, revalidation: 2027-05-31, verified: true}
mentoring:
  - {mentor: M, date: 2026-02-12, hours: 4, verified: true}
  - {mentor: M, date: 2026-05-12, hours: 4, verified: true}
  - {mentor: M, date: 2026-09-12, hours: 4, verified: true}
sanctions: []
`,
		"applicants/want/advanced-granted.yaml": "asOf: 2026-11-30\nlevel: advanced\n",
		"applicants/sanctioned.yaml": `id: n-3
registration: {pin: 04A9911G, field: adult, revalidation: 2027-05-31, verified: true}
sanctions: [{order: suspension, active: true, verified: true}]
`,
		"applicants/want/sanctioned.yaml": "asOf: 2026-11-30\nlevel: \"\"\n",
		"applicants/lapsed.yaml": `id: n-4
registration: {pin: 04A9911H, field: adult, revalidation: 2025-05-31, verified: true}
sanctions: []
`,
		"applicants/want/lapsed.yaml": "asOf: 2026-11-30\nlevel: \"\"\n",
	})
	shell, ci := readmeBlock(t, heading, "sh"), readmeBlock(t, heading, "yaml")
	t.Chdir(root)

	var commands [][]string
	for _, line := range shell {
		line, _, _ = strings.Cut(line, "#")
		line, redirect, _ := strings.Cut(line, ">") // the schema's output goes to a file
		args, ok := strings.CutPrefix(strings.TrimSpace(line), "go run ./examples/eligo ")
		require.True(t, ok, "README command %q", line)
		commands = append(commands, strings.Fields(args))
		if redirect != "" {
			status, stdout, stderr := runCLI(t, strings.Fields(args)...)
			require.Equal(t, 0, status, stderr)
			require.True(t, json.Valid([]byte(stdout)), "eligo %s writes JSON to %s", args, redirect)
		}
	}
	for _, line := range ci {
		if _, args, ok := strings.Cut(line, "- run: go run github.com/eligo-dev/eligo/examples/eligo@latest "); ok {
			commands = append(commands, strings.Fields(args))
		}
	}
	require.Len(t, commands, 8, "five commands, three CI steps")
	for _, args := range commands {
		status, stdout, stderr := runCLI(t, args...)
		require.Equal(t, 0, status, "eligo %s:\n%s%s", strings.Join(args, " "), stdout, stderr)
	}
	_, stdout, _ = runCLI(t, commands[3]...)
	require.Contains(t, stdout, "Level advanced: Advanced Practitioner: refused")
}
