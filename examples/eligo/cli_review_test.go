package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The CLI at the edges of its input, each case a fault once found: -max-size
// takes any int64, the largest too (where limit+1 once overflowed, and
// every document read as empty).
func TestCLIMaxSizeLargestInt64(t *testing.T) {
	max := strconv.FormatInt(math.MaxInt64, 10)
	status, stdout, stderr := runCLI(t, "-as-of", fixtureAsOf, "-format", "json", "-max-size", max, goodDoc)
	if status == 2 {
		return // refusing the flag would be fine
	}
	assert.Equal(t, 0, status, "a valid document under any limit is decided; stderr:\n%s", stderr)
	assert.NotContains(t, stderr, "empty document")
	if status == 0 {
		requireDecided(t, stdout, "app-1001")
	}
}

// The same through diff, which reads with readDocument too.
func TestCLIDiffMaxSizeLargestInt64(t *testing.T) {
	max := strconv.FormatInt(math.MaxInt64, 10)
	status, _, stderr := runCLI(t, "diff", "-as-of", fixtureAsOf, "-max-size", max, goodDoc)
	if status == 2 {
		return
	}
	assert.Equal(t, 0, status, "stderr:\n%s", stderr)
	assert.NotContains(t, stderr, "empty document")
}

// unverifiedModelRules: a model whose list a requirement reads is not
// declared verified, which eligibility.New refuses at the list's position.
const unverifiedModelRules = `ruleset: tiny
version: "1"
effective: 2020-01-01
model:
  id: {type: text, id: true, required: true}
  cpd:
    type: list
    fields:
      hours: {type: number}
requirements:
  enough:
    title: Enough
    source: law
    when: sum(cpd, .hours) >= 10
levels:
  - {id: member, title: Member, requires: [enough]}
`

// Errors in rule files are shown with the -rules directory, so that the
// position can be opened as printed, the model's faults eligibility.New
// reports too (their text is written when the error is, after
// prefixPaths), as in the JSON output.
func TestCLIModelErrorNamesRulesDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mybody")
	writeFiles(t, dir, map[string]string{"rules.yaml": unverifiedModelRules})
	want := filepath.Join(dir, "rules.yaml") + ":6:3: "

	status, stdout, _ := runCLI(t, "check", "-rules", dir, "-format", "json")
	require.Equal(t, 2, status)
	require.Contains(t, stdout, `"file": "`+filepath.Join(dir, "rules.yaml")+`"`, "the JSON output names the directory")

	for _, args := range [][]string{
		{"check", "-rules", dir},
		{"lint", "-rules", dir},
		{"-rules", dir, "-as-of", fixtureAsOf, goodDoc},
		{"schema", "-rules", dir, "document"},
	} {
		status, stdout, stderr := runCLI(t, args...)
		assert.Equal(t, 2, status, "%v", args)
		assert.Contains(t, stdout+stderr, want, "%v: the error should name %s", args, want)
	}
}

// Invalid UTF-8 (or a control character) in a rule file is reported where
// it stands, as in an applicant document (go-yaml gives no line).
func TestCLIRuleFileInvalidUTF8Positioned(t *testing.T) {
	for name, junk := range map[string]string{"invalid UTF-8": "\xff", "a control character": "\x01"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			text := strings.Replace(tinyRules, "spare: {value: 1, source: law}", "spare: {value: 1, source: \"l"+junk+"w\"}", 1)
			require.NotEqual(t, tinyRules, text)
			writeFiles(t, dir, map[string]string{"rules.yaml": text})
			status, stdout, _ := runCLI(t, "check", "-rules", dir)
			assert.Equal(t, 2, status)
			assert.Contains(t, stdout, filepath.Join(dir, "rules.yaml")+":9:", "the fault is on line 9:\n%s", stdout)
		})
	}
}

// A named pipe among the rule files is refused at once, naming it (not
// read: it would block every command that loads -rules).
func TestCLIRulesDirWithNamedPipe(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"rules.yaml": tinyRules})
	pipe := filepath.Join(dir, "extra.yaml")
	require.NoError(t, syscall.Mkfifo(pipe, 0o600))
	t.Cleanup(func() {
		// Unblock a reader left waiting, so that the test binary ends.
		if f, err := os.OpenFile(pipe, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	status, stdout, _ := runCLIWithin(t, 10*time.Second, "check", "-rules", dir)
	assert.Equal(t, 2, status)
	assert.Contains(t, stdout, filepath.Join(dir, "extra.yaml")+": not a regular file")
}

// The same for eligo test: a fixture document that is a named pipe is
// refused, not read.
func TestCLITestFixtureNamedPipe(t *testing.T) {
	rulesDir, _ := tinyBody(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"want/a.yaml": "asOf: 2026-11-23\nlevel: member\n"})
	pipe := filepath.Join(dir, "a.yaml")
	require.NoError(t, syscall.Mkfifo(pipe, 0o600))
	t.Cleanup(func() {
		if f, err := os.OpenFile(pipe, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	status, _, _ := runCLIWithin(t, 10*time.Second, "test", "-rules", rulesDir, dir)
	assert.Equal(t, 1, status)
}

// A rule file over the 1 MiB limit is reported alone: the set lacks it,
// so whole-set checks (no levels, a missing header key) are not run on
// the rest, as for a file that is not YAML.
func TestCLIOversizeRuleFileNoSpuriousErrors(t *testing.T) {
	dir := t.TempDir()
	head, tail, ok := strings.Cut(tinyRules, "requirements:\n")
	require.True(t, ok)
	writeFiles(t, dir, map[string]string{
		"a.yaml": head,
		"b.yaml": "requirements:\n" + tail + "#" + strings.Repeat("x", 1<<20) + "\n",
	})
	status, stdout, _ := runCLI(t, "check", "-rules", dir)
	assert.Equal(t, 2, status)
	assert.Contains(t, stdout, "b.yaml: file is")
	assert.NotContains(t, stdout, "no levels", "a.yaml is not at fault:\n%s", stdout)
	assert.Contains(t, stdout, "1 error: the rules are unusable")
}

// A subdirectory named like a rule file is reported, by its path, as not
// a rule file.
func TestCLIRulesSubdirNamedYAML(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"rules.yaml": tinyRules, "x.yaml/keep": ""})
	status, stdout, _ := runCLI(t, "check", "-rules", dir)
	assert.Equal(t, 2, status)
	assert.Contains(t, stdout, filepath.Join(dir, "x.yaml")+": a directory, not a rule file")
}

// Empty standard input is an empty document, exit 1, as an empty file is:
// a producer that wrote nothing does not pass silently.
func TestCLIEmptyStdin(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stdin")
	require.NoError(t, err)
	old := os.Stdin
	os.Stdin = f
	t.Cleanup(func() { os.Stdin = old; f.Close() })

	empty := filepath.Join(t.TempDir(), "empty.yaml")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	fileStatus, _, fileErr := runCLI(t, "-as-of", fixtureAsOf, empty)
	require.Equal(t, 1, fileStatus)
	require.Contains(t, fileErr, "empty document")

	status, stdout, stderr := runCLI(t, "-as-of", fixtureAsOf, "-")
	assert.Equal(t, fileStatus, status, "empty stdin, as an empty file; stdout:\n%s\nstderr:\n%s", stdout, stderr)
}

// eligo help NAME for a name that is no command says so (exit 2) rather
// than deciding a file of that name.
func TestCLIHelpUnknownCommand(t *testing.T) {
	status, _, stderr := runCLI(t, "help", "nosuch")
	assert.NotContains(t, stderr, "stat nosuch", "help of an unknown command should say there is no such command")
	_ = status
}

// test -allow ID (a requirement or award excused entirely) is reported as
// no longer needed when the fixtures reach all it excuses, as ID=STATUS
// is, so the list stays true.
func TestCLIAllowWholeIDNoLongerNeeded(t *testing.T) {
	rulesDir, fixtures := tinyBody(t)
	status, stdout, stderr := runCLI(t, "test", "-rules", rulesDir, "-min", "both-ways", fixtures)
	require.Equal(t, 0, status, "the tiny fixtures reach both ways: %s%s", stdout, stderr)

	status, stdout, _ = runCLI(t, "test", "-rules", rulesDir, "-min", "both-ways", "-allow", "adult=met: not needed", fixtures)
	require.Equal(t, 1, status)
	require.Contains(t, stdout, "allowance adult=met: no longer needed")

	status, stdout, _ = runCLI(t, "test", "-rules", rulesDir, "-min", "both-ways", "-allow", "adult: not needed", fixtures)
	assert.Equal(t, 1, status, "an allowance for a requirement met and unmet is no longer needed:\n%s", stdout)
	assert.Contains(t, stdout, "allowance adult: no longer needed")
}

// A named applicant file that does not exist is one refused document
// (exit 1, naming it): the others are still decided and written, as for a
// broken symlink inside a directory.
func TestCLIMissingApplicantFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	status, stdout, stderr := runCLI(t, "-as-of", fixtureAsOf, "-format", "json", goodDoc, missing)
	assert.Equal(t, 1, status, "stderr:\n%s", stderr)
	assert.Contains(t, stderr, missing)
	if status != 2 {
		requireDecided(t, stdout, "app-1001")
	}

	// The same file as a broken symlink in a directory: status 1, the
	// other document decided.
	dir := t.TempDir()
	data, err := os.ReadFile(goodDoc)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.yaml"), data, 0o644))
	require.NoError(t, os.Symlink(missing, filepath.Join(dir, "b.yaml")))
	status, stdout, _ = runCLI(t, "-as-of", fixtureAsOf, "-format", "json", dir)
	require.Equal(t, 1, status)
	requireDecided(t, stdout, "app-1001")
}

// An applicant document's YAML errors are reported on the file's line,
// with a column: an alias to an unknown anchor where it stands (go-yaml
// gives no line), a flow sequence left open where it was opened (go-yaml
// prints its parser's line 0-based).
func TestCLIDocumentYAMLErrorLine(t *testing.T) {
	data, err := os.ReadFile(otherDoc)
	require.NoError(t, err)
	for _, line9 := range []string{"  verified: *nope", "  verified: [true"} {
		lines := strings.Split(string(data), "\n")
		require.Equal(t, "  verified: true", lines[8])
		lines[8] = line9
		path := filepath.Join(t.TempDir(), "doc.yaml")
		require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644))

		status, _, stderr := runCLI(t, "-as-of", fixtureAsOf, path)
		assert.Equal(t, 1, status, line9)
		assert.Contains(t, stderr, path+":9:", "%q on line 9: %s", line9, stderr)
	}
}

// TestCLIFlagAfterFile: a flag written after a file (eligo FILE -format
// json) is a usage error naming it, exit status 2, for deciding, diff and
// test, where Go's flag package took it for a document that does not
// exist; a file whose name starts with a dash, after the first file, is
// still a file.
func TestCLIFlagAfterFile(t *testing.T) {
	for flag, args := range map[string][]string{
		"-format":       {"../applicants", "-format", "json"},
		"--format=json": {"../applicants", "--format=json"},
		"-affected":     {"diff", "../applicants", "-affected", "2"},
		"-rules":        {"test", "../nursing/applicants", "-rules", "../nursing"},
	} {
		status, stdout, stderr := runCLI(t, args...)
		assert.Equal(t, 2, status, "%v: %s", args, stderr)
		assert.Empty(t, stdout, "%v", args)
		assert.Contains(t, stderr, "flag "+flag+" after the file", "%v", args)
	}
	data, err := os.ReadFile(documents(t, "../applicants")[0])
	require.NoError(t, err)
	dir := t.TempDir()
	for _, name := range []string{"a.yaml", "-format"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	t.Chdir(dir)
	_, _, stderr := runCLI(t, "-as-of", fixtureAsOf, "a.yaml", "-format")
	assert.NotContains(t, stderr, "flags go before the files", "a file named -format is a file")
}
