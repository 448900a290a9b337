package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLint(t *testing.T) {
	for _, dir := range []string{"", "../bacp", "../nursing"} {
		status, stdout, stderr := runCLI(t, "lint", "-rules", dir)
		assert.Equal(t, 0, status, "%s: %s%s", dir, stdout, stderr)
		assert.Equal(t, "no findings\n", stdout)
	}
	status, stdout, _ := runCLI(t, "lint", "-format", "json")
	assert.Equal(t, 0, status)
	assert.Equal(t, "[]\n", stdout)

	rulesDir, _ := tinyBody(t)
	status, stdout, stderr := runCLI(t, "lint", "-rules", rulesDir)
	assert.Equal(t, 1, status, stderr)
	assert.Equal(t, filepath.Join(rulesDir, "rules.yaml")+`:9:3: unused-parameter: parameter spare: no expression reads param.spare and no award or benefit charges it as a fee
      spare: {value: 1, source: law}
      ^
1 finding
`, stdout)

	status, stdout, _ = runCLI(t, "lint", "-rules", rulesDir, "-format", "json")
	assert.Equal(t, 1, status)
	var findings []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &findings), stdout)
	require.Len(t, findings, 1)
	assert.Equal(t, "unused-parameter", findings[0]["code"])
	assert.Equal(t, float64(9), findings[0]["line"])

	bad := t.TempDir()
	writeFiles(t, bad, map[string]string{"rules.yaml": "ruleset: x\nlevels: 3\n"})
	status, stdout, stderr = runCLI(t, "lint", "-rules", bad)
	assert.Equal(t, 2, status, "rules that do not load cannot be linted")
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, filepath.Join(bad, "rules.yaml")+":2:")
}
