package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/eligibility"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExplain(t *testing.T) {
	const doc = "../applicants/professional-course-79-5-hours.yaml"
	status, stdout, stderr := runCLI(t, "explain", "-as-of", fixtureAsOf, doc, "qualifying-course")
	require.Equal(t, 0, status, stderr)
	assert.Contains(t, stdout, "Requirement qualifying-course: Completed a qualifying online-therapy course [unmet]\n")
	assert.Contains(t, stdout, "(79.5, needs >= 80; 0.5 short)")
	assert.NotContains(t, stdout, "Levels:")

	status, stdout, stderr = runCLI(t, "explain", "-as-of", fixtureAsOf, doc, "professional")
	require.Equal(t, 0, status, stderr)
	assert.Contains(t, stdout, "Level professional: Level 2 Professional Member: refused (route standard)\n  Routes:\n")
	assert.Contains(t, stdout, "    unmet      qualifying-course: Completed a qualifying online-therapy course\n")
	assert.Contains(t, stdout, "0.5 short")

	status, stdout, stderr = runCLI(t, "explain", "-as-of", fixtureAsOf, "../applicants/professional-unverified-course-provisional.yaml", "professional")
	require.Equal(t, 0, status, stderr)
	assert.Contains(t, stdout, ": provisional")
	assert.Contains(t, stdout, "  To settle:\n    verify onlineTraining[")

	status, stdout, stderr = runCLI(t, "explain", "-as-of", fixtureAsOf, "-format", "json", doc, "professional")
	require.Equal(t, 0, status, stderr)
	var x map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &x), stdout)
	assert.Equal(t, "level", x["kind"])
	assert.Equal(t, "refused", x["award"].(map[string]any)["outcome"])

	engine, err := eligibility.Default()
	require.NoError(t, err)
	data, err := os.ReadFile(doc)
	require.NoError(t, err)
	a, err := engine.Decode(doc, data)
	require.NoError(t, err)
	asOf, _ := time.Parse(time.DateOnly, fixtureAsOf)
	whole, err := engine.Evaluate(context.Background(), a, eligibility.AsOf(asOf))
	require.NoError(t, err)
	status, stdout, _ = runCLI(t, "explain", "-as-of", fixtureAsOf, doc)
	assert.Equal(t, 0, status)
	assert.Equal(t, whole.Text(), stdout, "with no id, the whole decision, as Decision.Text has it")

	status, stdout, stderr = runCLI(t, "explain", "-as-of", fixtureAsOf, doc, "nosuch")
	assert.Equal(t, 2, status)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, `no requirement, level, category or course "nosuch"`)

	status, stdout, stderr = runCLI(t, "explain", "-as-of", fixtureAsOf, "../applicants-invalid/"+firstDoc(t, "../applicants-invalid"), "professional")
	assert.Equal(t, 1, status)
	assert.Empty(t, stdout)
	assert.NotEmpty(t, stderr)
}

func firstDoc(t *testing.T, dir string) string {
	t.Helper()
	return filepath.Base(documents(t, dir)[0])
}
