package main

import (
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eligo-dev/eligo/eligibility/impact"
	"github.com/eligo-dev/eligo/rules/acto"
)

// raisedCPD writes ACTO's rule files with member_cpd_hours raised from 20
// to 30 into a directory and returns it.
func raisedCPD(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := acto.Files()
	entries, err := fs.Glob(files, "*.yaml")
	require.NoError(t, err)
	for _, name := range entries {
		data, err := fs.ReadFile(files, name)
		require.NoError(t, err)
		if name == "parameters.yaml" {
			s := string(data)
			at := strings.Index(s, "  member_cpd_hours:\n    value: 20\n")
			require.GreaterOrEqual(t, at, 0, "ACTO's parameters.yaml no longer sets member_cpd_hours as this test expects")
			data = []byte(s[:at] + strings.Replace(s[at:], "value: 20", "value: 30", 1))
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	return dir
}

func TestDiffText(t *testing.T) {
	t.Chdir("../..") // the default documents, examples/applicants
	newRules := raisedCPD(t)
	status, stdout, stderr := runCLI(t, "diff", "-new", newRules, "-as-of", "2026-11-23", "-affected", "1")
	require.Equal(t, 0, status, stderr)
	assert.Empty(t, stderr)
	assert.Regexp(t, `^Old: acto 2020\.10 \(sha256:[0-9a-f]{12}\) as of 2026-11-23\nNew: acto 2020\.10 \(sha256:[0-9a-f]{12}\) as of 2026-11-23\n`, stdout)
	assert.Contains(t, stdout, "Applicants: 65 decided, 14 changed (21.54%), 13 changed level, 0 errors\n")
	assert.Regexp(t, `\n  member +12 +0 +1 +9 +0 +0\n`, stdout) // 12 members fall to none, 1 to student
	assert.Regexp(t, `\n  online-cpd +met → unmet +12\n`, stdout)
	assert.Contains(t, stdout, "\nAffected applicants (the first 1 of 14; -affected N, or -format csv for all):\n\n"+
		"examples/applicants/experienced-29-february-day-after.yaml\napp-1051: level member → none\n")
	assert.NotContains(t, stdout, "\x1b[", "piped output has no escape codes")

	// The same rules on both sides change nothing.
	status, stdout, stderr = runCLI(t, "diff", "-as-of", "2026-11-23")
	require.Equal(t, 0, status, stderr)
	assert.Contains(t, stdout, "Applicants: 65 decided, 0 changed (0.00%), 0 changed level, 0 errors\n")
	assert.NotContains(t, stdout, "Affected applicants")
}

func TestDiffJSONAndCSV(t *testing.T) {
	t.Chdir("../..") // the default documents, examples/applicants
	newRules := raisedCPD(t)
	status, stdout, stderr := runCLI(t, "diff", "-new", newRules, "-as-of", "2026-11-23", "-format", "json")
	require.Equal(t, 0, status, stderr)
	var rep impact.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	assert.Equal(t, 65, rep.Applicants)
	assert.Equal(t, 14, rep.Changed)
	assert.Equal(t, 13, rep.LevelChanged)
	require.Len(t, rep.Affected, 14) // the default -affected 20 keeps all of them
	assert.Equal(t, "online-cpd", rep.Attribution[0].Requirement)

	status, stdout, stderr = runCLI(t, "diff", "-new", newRules, "-as-of", "2026-11-23", "-format", "csv")
	require.Equal(t, 0, status, stderr)
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+14, "a header and every affected applicant, -affected notwithstanding")
	assert.Equal(t, []string{"file", "applicant", "old_level", "new_level", "awards_changed", "requirements_flipped"}, rows[0])
	assert.Equal(t, []string{"examples/applicants/member-cpd-exactly-20.yaml", "app-1010", "member", "none",
		"member: granted -> refused", "online-cpd: met -> unmet"}, findRow(t, rows, "app-1010"))
	assert.Equal(t, []string{"examples/applicants/member-unverified-cpd-provisional.yaml", "app-1031", "none", "none",
		"member: provisional -> refused", "online-cpd: unverified -> unmet"}, findRow(t, rows, "app-1031"))
	for i, r := range rows[1:] {
		assert.Equal(t, rep.Affected[i].Key, r[0], "CSV rows in input order")
	}
}

func findRow(t *testing.T, rows [][]string, applicant string) []string {
	t.Helper()
	for _, r := range rows {
		if r[1] == applicant {
			return r
		}
	}
	t.Fatalf("no row for %s", applicant)
	return nil
}

func TestDiffTwoDates(t *testing.T) {
	t.Chdir("../..") // the default documents, examples/applicants
	status, stdout, stderr := runCLI(t, "diff", "-old-as-of", "2026-11-23", "-new-as-of", "2027-06-01", "-format", "json", "-affected", "0")
	require.Equal(t, 0, status, stderr)
	var rep impact.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	assert.Equal(t, "2026-11-23", rep.Old.AsOf.String())
	assert.Equal(t, "2027-06-01", rep.New.AsOf.String())
	assert.Equal(t, rep.Old.RuleSet, rep.New.RuleSet)
	assert.Positive(t, rep.LevelChanged, "renewals fall due within half a year")
	assert.Empty(t, rep.Affected)
	assert.Positive(t, rep.AffectedOmitted)
}

func TestDiffErrors(t *testing.T) {
	// Invalid documents are counted and named with their file, line and
	// column; the others are still compared.
	status, stdout, stderr := runCLI(t, "diff", "-as-of", "2026-11-23", "../applicants-invalid", "../applicants/member-cpd-exactly-20.yaml")
	assert.Equal(t, 1, status)
	assert.Contains(t, stdout, "Applicants: 1 decided, 0 changed")
	assert.Contains(t, stderr, filepath.Join("..", "applicants-invalid", "completed-before-enrolled.yaml")+":16:16: onlineTraining[0].completed: 2025-01-13 is before enrolled 2025-06-27\n")
	assert.Contains(t, stderr, filepath.Join("..", "applicants-invalid", "duplicate-id.yaml")+":5:1: id: duplicate key (first at 3:1)\n")

	for _, args := range [][]string{
		{"diff", "-format", "yaml"},
		{"diff", "-as-of", "23/11/2026"},
		{"diff", "-new", "no-such-dir"},
		{"diff", "-old-as-of", "2019-01-01"}, // before ACTO's rules are in force
		{"diff", "-"},
	} {
		status, stdout, stderr := runCLI(t, args...)
		assert.Equal(t, 2, status, args)
		assert.Empty(t, stdout, args)
		assert.Contains(t, stderr, "eligo diff", args)
	}
	// A named file that cannot be read is one refused document: the
	// others are still compared, and the status says some input was bad.
	status, stdout, stderr = runCLI(t, "diff", "no-such-file.yaml", "../applicants/professional-standard-verified.yaml")
	assert.Equal(t, 1, status)
	assert.Contains(t, stderr, "no-such-file.yaml")
	assert.Contains(t, stdout, "Applicants: 1 decided")
}

// TestDiffNamesQuoted: an affected document whose name holds a line break
// or a terminal escape is named quoted in the text report, never raw.
func TestDiffNamesQuoted(t *testing.T) {
	newRules := raisedCPD(t)
	data, err := os.ReadFile("../applicants/experienced-29-february-day-after.yaml")
	require.NoError(t, err)
	dir := t.TempDir()
	evil := "a\n\x1b[2Jforged.yaml"
	require.NoError(t, os.WriteFile(filepath.Join(dir, evil), data, 0o644))
	status, stdout, stderr := runCLI(t, "diff", "-new", newRules, "-as-of", "2026-11-23", dir)
	require.Equal(t, 0, status, stderr)
	assert.Contains(t, stdout, strconv.Quote(filepath.Join(dir, evil))+"\n")
	assert.NotContains(t, stdout, "\x1b")
}
