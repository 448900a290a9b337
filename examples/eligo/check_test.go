package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheck(t *testing.T) {
	status, stdout, stderr := runCLI(t, "check")
	require.Equal(t, 0, status, stderr)
	assert.Regexp(t, `^rules acto 2020\.10 \(sha256:[0-9a-f]{12}, embedded\): ok\n`, stdout)
	assert.Contains(t, stdout, "5 levels")

	rulesDir, _ := tinyBody(t)
	status, stdout, stderr = runCLI(t, "check", "-rules", rulesDir, "-format", "json")
	require.Equal(t, 0, status, stderr)
	var rep checkReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	assert.True(t, rep.OK)
	assert.Equal(t, "tiny", rep.RuleSet)
	assert.Equal(t, 1, rep.Counts["levels"])
	assert.True(t, rep.Model)

	bad := t.TempDir()
	writeFiles(t, bad, map[string]string{"rules.yaml": strings.Replace(tinyRules, "requires: [adult]", "requires: [adlt]", 1) +
		"  - {id: senior, title: Senior, requires: [adult, agé]}\n"})
	status, stdout, _ = runCLI(t, "check", "-rules", bad)
	assert.Equal(t, 2, status)
	assert.Contains(t, stdout, filepath.Join(bad, "rules.yaml")+`:13:44: level member requires: unknown requirement "adlt"; did you mean "adult"?`)
	assert.Contains(t, stdout, "\n"+strings.Repeat(" ", 4+43)+"^\n")
	assert.Contains(t, stdout, "2 errors: the rules are unusable\n")

	status, stdout, _ = runCLI(t, "check", "-rules", bad, "-format", "json")
	assert.Equal(t, 2, status)
	rep = checkReport{}
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	assert.False(t, rep.OK)
	require.Len(t, rep.Errors, 2)
	assert.Equal(t, ruleError{filepath.Join(bad, "rules.yaml"), 13, 44, `level member requires: unknown requirement "adlt"; did you mean "adult"?`,
		"  - {id: member, title: Member, requires: [adlt]}"}, rep.Errors[0])
}
