package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eligo-dev/eligo/eligibility"
)

func TestSchemaJSON(t *testing.T) {
	status, stdout, stderr := runCLI(t, "schema", "decision")
	require.Equal(t, 0, status, stderr)
	assert.Equal(t, string(eligibility.DecisionSchema())+"\n", stdout)

	status, stdout, stderr = runCLI(t, "schema", "document")
	require.Equal(t, 0, status, stderr)
	acto, err := eligibility.Default()
	require.NoError(t, err)
	assert.Equal(t, string(acto.DocumentSchema())+"\n", stdout)

	rulesDir, _ := tinyBody(t)
	status, stdout, stderr = runCLI(t, "schema", "-rules", rulesDir, "document")
	require.Equal(t, 0, status, stderr)
	var s struct {
		Title      string                     `json:"title"`
		Properties map[string]json.RawMessage `json:"properties"`
		Required   []string                   `json:"required"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &s), stdout)
	assert.Equal(t, "applicant document of tiny 1", s.Title)
	assert.Len(t, s.Properties, 2)
	assert.Contains(t, s.Properties, "age")
	assert.Equal(t, []string{"id"}, s.Required)
}

func TestSchemaOutline(t *testing.T) {
	status, stdout, stderr := runCLI(t, "schema", "-format", "text", "document")
	require.Equal(t, 0, status, stderr)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	assert.Equal(t, "applicant document of acto 2020.10", lines[0])
	field := func(path string) string {
		for _, l := range lines[1:] {
			if f := strings.Fields(l); len(f) > 0 && f[0] == path {
				return strings.Join(f[1:], " ")
			}
		}
		t.Errorf("no line for %s in\n%s", path, stdout)
		return ""
	}
	assert.Equal(t, "text required, not empty Names the applicant; unique within a batch.", field("id"))
	assert.True(t, strings.HasPrefix(field("onlineTraining"), "list of object or null at most 1000 entries "), field("onlineTraining"))
	assert.True(t, strings.HasPrefix(field("onlineTraining[].level"), "text required, one of cpd|certificate|diploma"), field("onlineTraining[].level"))
	assert.True(t, strings.HasPrefix(field("onlineTraining[].hours"), "number >= 0 "), field("onlineTraining[].hours"))
	assert.True(t, strings.HasPrefix(field("insurance.expires"), "date or null "), field("insurance.expires"))
	assert.Equal(t, "text Personal data; rules never see it and decisions never copy it.", field("name"))

	// The decision's schema refers to its $defs: the outline follows them.
	status, stdout, stderr = runCLI(t, "schema", "-format", "text", "decision")
	require.Equal(t, 0, status, stderr)
	assert.True(t, strings.HasPrefix(stdout, "eligo decision ("+eligibility.SchemaVersion+")\n"), stdout[:80])
	assert.Regexp(t, `\n  requirements\[\]\.clauses\[\]\.status +text +required, one of met\|unmet\|unknown\|unverified\|review\n`, stdout)
	assert.Regexp(t, `\n  levels\[\]\.outcome +text +required, one of refused\|undetermined\|referred\|provisional\|granted\n`, stdout)
}

func TestSchemaUsage(t *testing.T) {
	for _, args := range [][]string{
		{"schema"},
		{"schema", "applicant"},
		{"schema", "document", "decision"},
		{"schema", "-format", "yaml", "document"},
	} {
		status, stdout, stderr := runCLI(t, args...)
		assert.Equal(t, 2, status, args)
		assert.Empty(t, stdout, args)
		assert.Contains(t, stderr, "eligo schema: ", args)
	}
	status, _, stderr := runCLI(t, "schema", "-h")
	assert.Equal(t, 0, status)
	assert.Contains(t, stderr, "usage: eligo schema [-rules DIR] [-format text] document|decision")

	// Rules that declare no model have no document schema.
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "rules.yaml"),
		[]byte(strings.Replace(tinyRules, "model:\n  id: {type: text, id: true, required: true}\n  age: {type: number}\n", "", 1)), 0o644))
	status, stdout, stderr := runCLI(t, "schema", "-rules", dir, "document")
	assert.Equal(t, 2, status)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "eligo schema: ")
}
