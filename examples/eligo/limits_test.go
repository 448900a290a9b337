package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The CLI's limits: what it refuses to read, and that a failure in a batch
// loses none of the other decisions.

const (
	goodDoc  = "../applicants/professional-standard-verified.yaml" // app-1001
	otherDoc = "../applicants/associate-trainer.yaml"              // app-1015
)

// runCLIWithin runs the command like runCLI but fails the test, instead of
// hanging, when the command does not finish in time (as reading a named
// pipe with no writer would never finish).
func runCLIWithin(t *testing.T, limit time.Duration, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(context.Background(), args, &out, &errOut) }()
	select {
	case status = <-done:
		return status, out.String(), errOut.String()
	case <-time.After(limit):
		t.Fatalf("eligo %s: still running after %v", strings.Join(args, " "), limit)
		return 0, "", ""
	}
}

// requireDecided checks the JSON output holds exactly the decisions of ids,
// in order.
func requireDecided(t *testing.T, stdout string, ids ...string) {
	t.Helper()
	var got []string
	for _, d := range decodeJSON(t, stdout) {
		got = append(got, d["applicant"].(string))
	}
	require.Equal(t, ids, got, "decisions written")
}

// paddedDocument writes goodDoc into dir as name, padded with a YAML
// comment to exactly size bytes.
func paddedDocument(t *testing.T, dir, name string, size int) string {
	t.Helper()
	data, err := os.ReadFile(goodDoc)
	require.NoError(t, err)
	pad := size - len(data) - len("#\n")
	require.GreaterOrEqual(t, pad, 0)
	data = append(data, "#"+strings.Repeat("x", pad)+"\n"...)
	require.Len(t, data, size)
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

// TestRunSizeLimit: a document over the size limit (1 MiB by default,
// -max-size otherwise) is refused with an error naming the file, its size
// and the limit, exit status 1, while the other documents are decided; a
// document of exactly the limit is read.
func TestRunSizeLimit(t *testing.T) {
	dir := t.TempDir()
	atLimit := paddedDocument(t, dir, "at-limit.yaml", defaultMaxSize)
	over := paddedDocument(t, dir, "over.yaml", defaultMaxSize+1)

	status, stdout, stderr := runCLI(t, "-as-of", fixtureAsOf, "-format", "json", over, otherDoc)
	assert.Equal(t, 1, status)
	requireDecided(t, stdout, "app-1015")
	assert.Equal(t, fmt.Sprintf("%s: 1048577 bytes, more than 1048576, the limit on an applicant document (-max-size)\n", over), stderr)

	status, stdout, stderr = runCLI(t, "-as-of", fixtureAsOf, "-format", "json", atLimit)
	assert.Equal(t, 0, status, stderr)
	requireDecided(t, stdout, "app-1001")

	status, stdout, stderr = runCLI(t, "-as-of", fixtureAsOf, "-format", "json", "-max-size", "100", goodDoc)
	assert.Equal(t, 1, status)
	requireDecided(t, stdout)
	assert.Regexp(t, `^`+goodDoc+`: \d+ bytes, more than 100, the limit on an applicant document \(-max-size\)\n$`, stderr)
}

// TestRunStreamsDecisions: each decision is written as soon as it is made,
// while the documents after it are still to be read: the CLI reads ahead
// only the few documents its workers decide at once. The test's stdout
// deletes the batch's last document at the first write: an eligo that read
// every document before writing would decide it.
func TestRunStreamsDecisions(t *testing.T) {
	data, err := os.ReadFile(goodDoc)
	require.NoError(t, err)
	// More than the library reads ahead: 16 applicants a worker
	// (eligibility.Decisions), a worker a core.
	n := 50 + 16*runtime.GOMAXPROCS(0)
	for _, format := range []string{"text", "text -v", "json", "jsonl", "csv"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			var ids []string
			var last string
			for i := range n {
				id := fmt.Sprintf("s-%03d", i)
				last = filepath.Join(dir, id+".yaml")
				require.NoError(t, os.WriteFile(last, withID(data, id), 0o644))
				ids = append(ids, id)
			}
			out := &onFirstWrite{do: func() { require.NoError(t, os.Remove(last)) }}
			var errOut bytes.Buffer
			args := append(append([]string{"-as-of", fixtureAsOf, "-format"}, strings.Fields(format)...), dir)
			status := run(context.Background(), args, out, &errOut)
			assert.Equal(t, 1, status, "the last document is gone when it is read")
			assert.Contains(t, errOut.String(), last)
			assert.Contains(t, out.String(), ids[0])
			assert.Contains(t, out.String(), ids[n-2])
			assert.NotContains(t, out.String(), ids[n-1])
			if format == "json" {
				requireDecided(t, out.String(), ids[:n-1]...)
			}
		})
	}
}

// onFirstWrite is a writer that calls do before its first write. (It has no
// WriteString, so that every write goes through Write.)
type onFirstWrite struct {
	buf     bytes.Buffer
	do      func()
	written bool
}

func (w *onFirstWrite) Write(p []byte) (int, error) {
	if !w.written {
		w.written = true
		w.do()
	}
	return w.buf.Write(p)
}

func (w *onFirstWrite) String() string { return w.buf.String() }

// TestRunRuleErrorForOneApplicant: a rule that fails while it runs, for one
// applicant only, is that applicant's error (exit status 1, naming its file
// and the rule); the applicants before and after it are decided and
// written, and the JSON output stays one well-formed array.
func TestRunRuleErrorForOneApplicant(t *testing.T) {
	rulesDir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(rulesDir, "rules.yaml"), []byte(`ruleset: fragile
version: "1"
model:
  id: {type: text, id: true, required: true}
  qualifications:
    type: list
    verified: true
    fields:
      level: {type: text}
      field: {type: text}
      delivery: {type: text}
requirements:
  first-qualification:
    title: The first qualification is a diploma
    source: test
    when: qualifications[0].level == "diploma"
levels:
  - {id: member, title: Member, requires: [first-qualification]}
`), 0o644))
	dir := t.TempDir()
	docs := map[string]string{
		"a.yaml": "id: a\nqualifications: [{level: diploma, field: counselling, delivery: blended, verified: true}]\n",
		"b.yaml": "id: b\nqualifications: []\n", // qualifications[0] fails
		"c.yaml": "id: c\nqualifications: [{level: degree, field: counselling, delivery: blended, verified: true}]\n",
	}
	for name, doc := range docs {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644))
	}
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			status, stdout, stderr := runCLI(t, "-rules", rulesDir, "-as-of", fixtureAsOf, "-format", format, reports(format), dir)
			assert.Equal(t, 1, status)
			assert.True(t, strings.HasPrefix(stderr, filepath.Join(dir, "b.yaml")+": "), "the error names the file:\n%s", stderr)
			assert.Contains(t, stderr, "requirement first-qualification")
			assert.NotContains(t, stderr, "a.yaml")
			assert.NotContains(t, stderr, "c.yaml")
			if format == "json" {
				requireDecided(t, stdout, "a", "c")
			} else {
				assert.Contains(t, stdout, "Applicant a:")
				assert.Contains(t, stdout, "Applicant c:")
			}
		})
	}
}
