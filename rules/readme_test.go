package rules

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADMETables keeps the README's tables of the ACTO parameters and
// requirements in step with the embedded rules: every parameter's value and
// source and every requirement's title and source must appear as a row.
func TestREADMETables(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	set, err := loadACTO()
	require.NoError(t, err)
	var rows []string
	for _, p := range set.Parameters {
		source := p.Source
		if p.Assumed {
			source = "**assumed**"
		}
		rows = append(rows, fmt.Sprintf("| `%s` | %s | %s |", p.Name, readmeValue(p), source))
	}
	for _, r := range set.Requirements {
		rows = append(rows, fmt.Sprintf("| `%s`: %s | %s |", r.ID, r.Title, r.Source))
	}
	for _, row := range rows {
		assert.True(t, strings.Contains(string(readme), row+"\n"), "README.md lacks this row of the ACTO tables:\n%s", row)
	}
}

func readmeValue(p *Parameter) string {
	if len(p.Values) == 1 && p.Values[0].From.IsZero() {
		return readmeScalar(p.Values[0].Value)
	}
	var parts []string
	for _, v := range p.Values {
		parts = append(parts, readmeScalar(v.Value)+" from "+v.From.Format(dateLayout))
	}
	return strings.Join(parts, "; ")
}

func readmeScalar(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
