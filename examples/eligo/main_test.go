package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
)

// The tests run in the package's directory, so the fixtures are ../applicants
// and so on. The fixtures' want files all use this evaluation date.
const fixtureAsOf = "2026-11-23"

// runCLI runs the command with args and returns its exit status and output.
func runCLI(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = run(context.Background(), args, &out, &errOut)
	return status, out.String(), errOut.String()
}

// documents lists the applicant documents of dir, as the CLI expands a
// directory: *.yaml, *.yml and *.json, sorted by name.
func documents(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	for _, pattern := range []string{"*.yaml", "*.yml", "*.json"} {
		m, err := filepath.Glob(filepath.Join(dir, pattern))
		require.NoError(t, err)
		out = append(out, m...)
	}
	require.NotEmpty(t, out, "no applicant documents in %s", dir)
	return out
}

// decodeJSON parses the CLI's -format json output: an array of decisions.
func decodeJSON(t *testing.T, stdout string) []map[string]any {
	t.Helper()
	var decisions []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &decisions), "stdout is not a JSON array of objects:\n%s", stdout)
	return decisions
}

// TestRunDefaultDirectory: with no arguments the CLI decides every document
// of examples/applicants with the embedded ACTO rules, which only works from
// the repository root, as the usage line has it.
func TestRunDefaultDirectory(t *testing.T) {
	docs := documents(t, "../applicants")
	t.Chdir("../..")

	status, stdout, stderr := runCLI(t, "-as-of", fixtureAsOf, "-v")

	require.Equal(t, 0, status, "stderr:\n%s", stderr)
	assert.Empty(t, stderr)
	reports := 0
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "Applicant ") {
			reports++
		}
	}
	assert.Equal(t, len(docs), reports, "want one report per applicant document")
	assert.Contains(t, stdout, "as of "+fixtureAsOf)
}

// TestRunReportsEveryApplicant checks, applicant by applicant, that the text
// output has a report for each fixture, headed by its id.
func TestRunReportsEveryApplicant(t *testing.T) {
	status, stdout, stderr := runCLI(t, "-as-of", fixtureAsOf, "-v", "../applicants")
	require.Equal(t, 0, status, "stderr:\n%s", stderr)
	for _, d := range decodeJSON(t, mustRun(t, "-as-of", fixtureAsOf, "-format", "json", "../applicants")) {
		assert.Contains(t, stdout, "Applicant "+d["applicant"].(string)+":")
	}
}

// reports is the -v flag that makes -format text give full reports, for
// tests that run the same arguments in both formats: "-v=true" with text,
// "-v=false" with another format.
func reports(format string) string { return "-v=" + strconv.FormatBool(format == "text") }

// mustRun runs the CLI, requires exit status 0 and returns stdout.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	status, stdout, stderr := runCLI(t, args...)
	require.Equal(t, 0, status, "eligo %s\nstderr:\n%s", strings.Join(args, " "), stderr)
	return stdout
}

// TestRunInvalidAmongValid: an invalid document makes the exit status 1,
// the valid ones are still decided, and every error line names the file and
// the field path.
func TestRunInvalidAmongValid(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			status, stdout, stderr := runCLI(t, "-as-of", fixtureAsOf, "-format", format, reports(format),
				"../applicants-invalid/negative-hours.yaml",
				"../applicants/professional-standard-verified.yaml",
				"../applicants-invalid/unknown-key-typo.yaml",
				"../applicants/associate-trainer.yaml",
			)

			assert.Equal(t, 1, status)
			// Decoding and validation errors (negative hours) alike carry the
			// file, line, column and path.
			for _, want := range []string{
				"../applicants-invalid/negative-hours.yaml:17:12: onlineTraining[1].hours: ",
				"../applicants-invalid/negative-hours.yaml:24:12: cpd[1].hours: ",
				"../applicants-invalid/negative-hours.yaml:27:22: practice.onlineClientHours: ",
				"../applicants-invalid/negative-hours.yaml:29:19: portfolio.caseStudyWords: ",
				"../applicants-invalid/unknown-key-typo.yaml:5:1: qualifcations: ",
				"../applicants-invalid/unknown-key-typo.yaml:18:5: onlineTraining[0].tutorled: ",
			} {
				assert.Contains(t, stderr, want)
			}
			for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
				assert.True(t, strings.HasPrefix(line, "../applicants-invalid/"), "error line without its file: %q", line)
			}
			if format == "json" {
				var ids []string
				for _, d := range decodeJSON(t, stdout) {
					ids = append(ids, d["applicant"].(string))
				}
				assert.Equal(t, []string{"app-1001", "app-1015"}, ids, "the valid documents, still decided, in argument order")
			} else {
				assert.Contains(t, stdout, "Applicant app-1001:")
				assert.Contains(t, stdout, "Applicant app-1015:")
				assert.NotContains(t, stdout, "bad-0005")
			}
		})
	}
}

// TestRunEveryInvalidFixture: each invalid fixture on its own gives exit
// status 1, no decision, and its want file's paths on stderr.
func TestRunEveryInvalidFixture(t *testing.T) {
	fixtures, err := eligibilitytest.Load("../applicants-invalid")
	require.NoError(t, err)
	for _, f := range fixtures {
		t.Run(f.Name, func(t *testing.T) {
			status, stdout, stderr := runCLI(t, "-as-of", f.Want.AsOf, "-format", "json", f.Path)
			assert.Equal(t, 1, status)
			assert.Empty(t, decodeJSON(t, stdout))
			for _, p := range f.Want.Invalid {
				if p == "" {
					assert.Contains(t, stderr, f.Path+":", "a syntax error names the file")
					continue
				}
				assert.Regexp(t, `(?m)^`+regexp.QuoteMeta(f.Path)+`(:\d+:\d+)?: `+regexp.QuoteMeta(p)+`: `, stderr)
			}
		})
	}
}

// TestRunDuplicateIDs: ids are unique in a batch (DOMAIN.md §2); a second
// document with an id already seen is an input error naming both files,
// while the first is decided. The same file named twice is decided once.
func TestRunDuplicateIDs(t *testing.T) {
	data, err := os.ReadFile("../applicants/professional-standard-verified.yaml")
	require.NoError(t, err)
	dir := t.TempDir()
	first, second := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	require.NoError(t, os.WriteFile(first, data, 0o644))
	require.NoError(t, os.WriteFile(second, data, 0o644))

	status, stdout, stderr := runCLI(t, "-as-of", fixtureAsOf, "-format", "json", dir)
	assert.Equal(t, 1, status)
	assert.Len(t, decodeJSON(t, stdout), 1)
	assert.Contains(t, stderr, second+": id: ")
	assert.Contains(t, stderr, first)

	status, stdout, stderr = runCLI(t, "-as-of", fixtureAsOf, "-format", "json", first, dir+"/./a.yaml")
	assert.Equal(t, 0, status, "stderr:\n%s", stderr)
	assert.Len(t, decodeJSON(t, stdout), 1)
}

// brokenRules writes a copy of the BACP rule set into a temporary directory
// with a requirement that compares hours to a string, and returns the
// directory.
func brokenRules(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ruleset, err := os.ReadFile("../bacp/ruleset.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ruleset.yaml"), ruleset, 0o644))
	model, err := os.ReadFile("../bacp/model.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "model.yaml"), model, 0o644))
	rulesFile, err := os.ReadFile("../bacp/rules.yaml")
	require.NoError(t, err)
	const good = "when: supervisedPracticeHours >= param.supervised_practice_hours"
	require.Contains(t, string(rulesFile), good)
	broken := strings.Replace(string(rulesFile), good, `when: supervisedPracticeHours >= "many"`, 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "rules.yaml"), []byte(broken), 0o644))
	return dir
}

// TestRunUnusable: bad flags and unusable rules give exit status 2 and
// decide nothing.
func TestRunUnusable(t *testing.T) {
	broken := brokenRules(t)
	missing := filepath.Join(t.TempDir(), "no-such-dir")
	modelless := t.TempDir()
	if err := os.WriteFile(filepath.Join(modelless, "rules.yaml"), []byte("ruleset: bare\nversion: \"1\"\n"+
		"requirements:\n  r: {title: R, source: S, when: \"true\"}\nlevels:\n  - {id: l, title: L, requires: [r]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		why    string
		args   []string
		stderr string // a part of the message
	}{
		{"an unknown flag", []string{"-bogus", "../applicants"}, "flag provided but not defined: -bogus"},
		{"a flag missing its value", []string{"-as-of"}, "flag needs an argument"},
		{"an unknown format", []string{"-format", "xml", "../applicants"}, `-format must be text, json, jsonl or csv, not "xml"`},
		{"an impossible date", []string{"-as-of", "2026-02-30", "../applicants"}, "-as-of must be a date YYYY-MM-DD"},
		{"a date in another format", []string{"-as-of", "23/11/2026", "../applicants"}, "-as-of must be a date YYYY-MM-DD"},
		{"a date before 1900, which the library refuses", []string{"-as-of", "1899-12-31", "../applicants"}, "-as-of must be a date from 1900-01-01 to 9999-12-31"},
		{"the zero date, never taken for today", []string{"-as-of", "0001-01-01", "../applicants"}, "-as-of must be a date from 1900-01-01 to 9999-12-31"},
		{"a date before ACTO's rules are in force", []string{"-as-of", "2020-10-05", "../applicants"},
			"eligo: -as-of 2020-10-05: rule set acto 2020.10 is in force from 2020-10-06; evaluation date 2020-10-05\n"},
		{"a date before the nursing rules are in force", []string{"-rules", "../nursing", "-as-of", "2025-12-31", "../nursing/applicants"},
			"rule set community-nurses 2026.1 is in force from 2026-01-01; evaluation date 2025-12-31"},
		{"an unknown colour mode", []string{"-color", "sometimes", "../applicants"}, `-color must be auto, always or never, not "sometimes"`},
		{"full reports in a format that has no summary", []string{"-v", "-format", "jsonl", "../applicants"}, "-v is for -format text"},
		{"a size limit of nothing", []string{"-max-size", "0", "../applicants"}, "-max-size must be a number of bytes above 0"},
		{"a negative size limit", []string{"-max-size", "-1", "../applicants"}, "-max-size must be a number of bytes above 0"},
		{"a rules directory that does not exist", []string{"-rules", missing, "../applicants"}, "-rules: stat " + missing + ": no such file or directory"},
		{"a rules path that is a file", []string{"-rules", "../bacp/rules.yaml", "../applicants"}, "-rules: ../bacp/rules.yaml is not a directory"},
		{"a rules directory with no rule files", []string{"-rules", t.TempDir(), "../applicants"}, "no rule files"},
		{"rules that declare no applicant model", []string{"-rules", modelless, "../applicants"}, "declares no applicant model"},
		{"a rule that does not type-check", []string{"-rules", broken, "../applicants"}, filepath.Join(broken, "rules.yaml") + ":"},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			for _, format := range []string{"text", "json"} {
				args := append([]string{"-format", format}, tt.args...)
				if tt.why == "an unknown format" {
					args = tt.args
				}
				status, stdout, stderr := runCLI(t, args...)
				assert.Equal(t, 2, status, "stderr:\n%s", stderr)
				assert.Empty(t, stdout, "nothing is decided with unusable flags or rules")
				assert.Contains(t, stderr, tt.stderr)
			}
		})
	}
}

// TestRunOnEffectiveDate: on the rule set's effective date itself the
// rules decide.
func TestRunOnEffectiveDate(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("id: a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	decisions := decodeJSON(t, mustRun(t, "-as-of", "2020-10-06", "-format", "json", dir))
	require.Len(t, decisions, 1)
	assert.Equal(t, "2020-10-06", decisions[0]["asOf"])
}

// TestRunBrokenRulesPositioned: a rule-file error is reported at its line
// and column in the file as loaded from -rules, with the source line.
func TestRunBrokenRulesPositioned(t *testing.T) {
	dir := brokenRules(t)
	status, _, stderr := runCLI(t, "-rules", dir, "../bacp/applicants")
	require.Equal(t, 2, status)
	assert.Regexp(t, regexp.QuoteMeta(filepath.Join(dir, "rules.yaml"))+`:\d+:\d+: `, stderr)
	assert.Contains(t, stderr, `supervisedPracticeHours >= "many"`)
}

// TestRunJSONContract checks -format json against DESIGN.md's decision JSON
// contract: one object per applicant, as an array, with at least applicant,
// level (the granted level id or ""), levels, courses and categories (each
// an array of {id, outcome, requirements}) and next. The levels decided
// must match the fixtures' want files (a fixture of another evaluation date
// than the rest is decided again as of its own).
func TestRunJSONContract(t *testing.T) {
	for _, tc := range []struct {
		dir   string
		rules []string
	}{
		{"../applicants", nil},
		{"../bacp/applicants", []string{"-rules", "../bacp"}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			args := append(append([]string{}, tc.rules...), "-as-of", fixtureAsOf, "-format", "json", tc.dir)
			decisions := decodeJSON(t, mustRun(t, args...))
			fixtures, err := eligibilitytest.Load(tc.dir)
			require.NoError(t, err)
			require.Len(t, decisions, len(fixtures), "one decision per applicant document")
			for i, d := range decisions {
				f := fixtures[i] // the CLI and Load both take a directory's documents in name order
				for _, key := range []string{"applicant", "level", "levels", "courses", "categories", "next"} {
					assert.Contains(t, d, key, "%s: decision JSON lacks %q", f.Name, key)
				}
				assert.IsType(t, "", d["applicant"])
				assert.NotEmpty(t, d["applicant"])
				if f.Want.AsOf != fixtureAsOf {
					// A fixture on a date boundary of its own (29 February, say)
					// is decided again as of its date.
					own := append(append([]string{}, tc.rules...), "-as-of", f.Want.AsOf, "-format", "json", f.Path)
					d = decodeJSON(t, mustRun(t, own...))[0]
				}
				assert.Equal(t, f.Want.Level, d["level"], "%s: level", f.Name)
				for _, group := range []string{"levels", "courses", "categories"} {
					list, ok := d[group].([]any)
					require.True(t, ok, "%s: %s is %T, want an array", f.Name, group, d[group])
					for _, entry := range list {
						award, ok := entry.(map[string]any)
						require.True(t, ok, "%s: an entry of %s is %T, want an object", f.Name, group, entry)
						for _, key := range []string{"id", "outcome", "requirements"} {
							assert.Contains(t, award, key, "%s: an entry of %s lacks %q", f.Name, group, key)
						}
						assert.IsType(t, []any{}, award["requirements"])
					}
				}
			}
		})
	}
}

// TestRunNextIsNullAtTheTop: next is present, and null, when the granted
// level is the top of the ladder.
func TestRunNextIsNullAtTheTop(t *testing.T) {
	decisions := decodeJSON(t, mustRun(t, "-rules", "../bacp", "-as-of", fixtureAsOf, "-format", "json",
		"../bacp/applicants/accredited-granted.yaml", "../bacp/applicants/registered-granted.yaml"))
	require.Len(t, decisions, 2)
	assert.Equal(t, "accredited", decisions[0]["level"])
	assert.Contains(t, decisions[0], "next")
	assert.Nil(t, decisions[0]["next"])
	next, ok := decisions[1]["next"].(map[string]any)
	require.True(t, ok, "next is %T", decisions[1]["next"])
	assert.Equal(t, "accredited", next["level"])
}

// nameField finds the name key of an applicant document, in YAML or JSON.
var nameField = regexp.MustCompile(`(?m)^\s*"?name"?\s*:\s*"?([^"\n]*?)"?\s*,?\s*$`)

// TestRunNeverPrintsName: the applicant's name is personal data and appears
// in no output, text or JSON, stdout or stderr, valid document or not.
func TestRunNeverPrintsName(t *testing.T) {
	for _, tc := range []struct {
		dir    string
		rules  []string
		status int
	}{
		// The BACP example's documents carry no name: its model declares
		// only what its rules read. The nursing model declares the name
		// personal; its invalid fixtures make the status 1.
		{"../applicants", nil, 0},
		{"../applicants-invalid", nil, 1},
		{"../nursing/applicants", []string{"-rules", "../nursing"}, 1},
	} {
		var names []string
		for _, doc := range documents(t, tc.dir) {
			data, err := os.ReadFile(doc)
			require.NoError(t, err)
			m := nameField.FindSubmatch(data)
			require.NotNil(t, m, "%s has no name", doc)
			require.GreaterOrEqual(t, len(m[1]), 8, "%s: a name this short could match by chance: %q", doc, m[1])
			names = append(names, string(m[1]))
		}
		for _, format := range []string{"text", "text -v", "json", "jsonl", "csv"} {
			t.Run(tc.dir+"/"+format, func(t *testing.T) {
				args := append(append([]string{}, tc.rules...), "-as-of", fixtureAsOf, "-format")
				args = append(append(args, strings.Fields(format)...), tc.dir)
				status, stdout, stderr := runCLI(t, args...)
				require.Equal(t, tc.status, status, "stderr:\n%s", stderr)
				if tc.status == 0 {
					require.NotEmpty(t, stdout)
				} else {
					require.NotEmpty(t, stderr)
				}
				for _, name := range names {
					assert.NotContains(t, stdout, name)
					assert.NotContains(t, stderr, name)
				}
			})
		}
	}
}

// TestRunBACPRules: -rules loads the BACP-style rule set from YAML alone and
// decides its fixtures with it.
func TestRunBACPRules(t *testing.T) {
	stdout := mustRun(t, "-rules", "../bacp", "-as-of", fixtureAsOf, "-v", "../bacp/applicants")
	assert.Contains(t, stdout, "rules bacp-style 0.1")
	assert.Contains(t, stdout, "Accredited Member")
	assert.NotContains(t, stdout, "rules acto")

	decisions := decodeJSON(t, mustRun(t, "-rules", "../bacp", "-as-of", fixtureAsOf, "-format", "json", "../bacp/applicants/accredited-granted.yaml"))
	require.Len(t, decisions, 1)
	assert.Equal(t, "bacp-0002", decisions[0]["applicant"])
	assert.Equal(t, "accredited", decisions[0]["level"])
	ruleset, ok := decisions[0]["ruleset"].(map[string]any)
	require.True(t, ok)
	assert.Equal(t, "bacp-style", ruleset["name"])
}

// idLine is the id key of an applicant document, YAML or JSON, at the top
// level.
var idLine = regexp.MustCompile(`(?m)^(id:\s*|\s*"id"\s*:\s*")[^"\n]*`)

// withID gives the document data the id id.
func withID(data []byte, id string) []byte {
	loc := idLine.FindSubmatchIndex(data)
	if loc == nil {
		return data
	}
	return append(append(append([]byte{}, data[:loc[3]]...), id...), data[loc[1]:]...)
}
