package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTest(t *testing.T) {
	status, stdout, stderr := runCLI(t, "test", "../applicants", "../applicants-invalid")
	require.Equal(t, 0, status, stdout+stderr)
	assert.Regexp(t, `^ok: \d+ fixtures passed\n$`, stdout)

	rulesDir, fixtures := tinyBody(t)
	status, stdout, stderr = runCLI(t, "test", "-rules", rulesDir, "-cover", "-min", "both-ways", fixtures)
	require.Equal(t, 0, status, stdout+stderr)
	assert.Contains(t, stdout, "ok: 3 fixtures passed\n\nCoverage of tiny: 2 fixtures decided, 1 invalid\n")
	assert.Regexp(t, `\nadult +1 +1 +- +- +- *\n`, stdout)
	assert.Regexp(t, `\nmember \(level\) +1 +1 +- +- +- *\n`, stdout)
	assert.Contains(t, stdout, "coverage: reaches -min both-ways\n")

	// ACTO's organisational level is only ever referred.
	status, stdout, _ = runCLI(t, "test", "-min", "both-ways", "../applicants")
	assert.Equal(t, 1, status)
	assert.Contains(t, stdout, "FAIL: coverage under -min both-ways:\n    award organisational: no fixture granted\n")
	assert.NotContains(t, stdout, "Coverage of", "the table only with -cover")
	status, stdout, _ = runCLI(t, "test", "-min", "both-ways", "-allow", "organisational=granted: referred at best", "../applicants")
	assert.Equal(t, 0, status, stdout)

	writeFiles(t, fixtures, map[string]string{"want/minor.yaml": "asOf: 2026-11-23\nlevel: member\n"})
	status, stdout, _ = runCLI(t, "test", "-rules", rulesDir, fixtures)
	assert.Equal(t, 1, status)
	assert.Equal(t, "FAIL minor ("+filepath.Join(fixtures, "minor.yaml")+`)
    level: got "", want "member"
FAIL: 1 of 3 fixtures failed
`, stdout)

	status, stdout, _ = runCLI(t, "test", "-rules", rulesDir, "-cover", "-min", "both-ways", "-format", "json", fixtures)
	assert.Equal(t, 1, status)
	var rep struct {
		Fixtures, Failed int
		Failures         []testFailure
		Coverage         struct{ Fixtures, Invalid int }
		Uncovered        []string
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	assert.Equal(t, 3, rep.Fixtures)
	assert.Equal(t, 1, rep.Failed)
	assert.Equal(t, "minor", rep.Failures[0].Fixture)
	assert.Equal(t, 2, rep.Coverage.Fixtures)
	assert.Empty(t, rep.Uncovered)

	// A fixture directory that does not load fails; the others still run.
	require.NoError(t, os.Remove(filepath.Join(fixtures, "want", "minor.yaml")))
	status, stdout, stderr = runCLI(t, "test", "-rules", rulesDir, fixtures)
	assert.Equal(t, 1, status)
	assert.Contains(t, stderr, "minor")
	assert.Equal(t, "FAIL: 0 fixtures passed, 1 directory did not load\n", stdout)
}
