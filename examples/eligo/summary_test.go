package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, rule set digests aside (they
// change with every edit of the rule files); with -update it writes got
// there instead.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./examples/eligo -run Golden -update to write it")
	assert.Equal(t, digestRE.ReplaceAllString(string(want), "sha256:…"), digestRE.ReplaceAllString(got, "sha256:…"),
		"%s differs; go test ./examples/eligo -run Golden -update rewrites it", path)
}

// TestGoldenOutputs: the summary and the CSV of the example applicants,
// and the JSON Lines of three of them (granted, provisional, referred; all
// of them would make 1.3 MB: TestRunJSONLines holds every line to -format
// json), as piped: no colour, no symbols.
func TestGoldenOutputs(t *testing.T) {
	three := []string{
		"../applicants/professional-standard-verified.yaml",
		"../applicants/associate-unverified-role-provisional.yaml",
		"../applicants/organisation-unverified-offer-referred.yaml",
	}
	for _, tc := range []struct {
		file, format string
		docs         []string
	}{
		{"summary.txt", "text", []string{"../applicants"}},
		{"summary.csv", "csv", []string{"../applicants"}},
		{"decisions.jsonl", "jsonl", three},
	} {
		t.Run(tc.file, func(t *testing.T) {
			golden(t, tc.file, mustRun(t, append([]string{"-as-of", fixtureAsOf, "-format", tc.format}, tc.docs...)...))
		})
	}
}

// TestRunPipedOutputIsPlain: output that is not a terminal has no escape
// codes, whatever NO_COLOR says; -color always colours it, and NO_COLOR
// does not stop that.
func TestRunPipedOutputIsPlain(t *testing.T) {
	for _, noColor := range []string{"", "1"} {
		t.Setenv("NO_COLOR", noColor)
		for _, format := range []string{"text", "text -v", "json", "jsonl", "csv"} {
			args := append(append([]string{"-as-of", fixtureAsOf, "-format"}, strings.Fields(format)...), "../applicants", "../applicants-invalid/negative-hours.yaml")
			status, stdout, stderr := runCLI(t, args...)
			assert.Equal(t, 1, status)
			assert.NotContains(t, stdout, "\x1b", "-format %s", format)
			assert.NotContains(t, stderr, "\x1b", "-format %s", format)
			assert.NotContains(t, stderr, "\r", "no progress bar when stderr is no terminal")
		}
		stdout := mustRun(t, "-as-of", fixtureAsOf, "-color", "always", "../applicants")
		assert.Contains(t, stdout, "\x1b[")
		assert.Contains(t, stdout, "✓")
	}
}

func TestNewStyle(t *testing.T) {
	var buf bytes.Buffer
	for _, tc := range []struct {
		flag, noColor string
		want          style
	}{
		{"auto", "", style{}},
		{"auto", "1", style{}},
		{"never", "", style{}},
		{"always", "", style{color: true, symbols: true}},
		{"always", "1", style{color: true, symbols: true}},
	} {
		assert.Equal(t, tc.want, newStyle(&buf, tc.flag, tc.noColor), "not a terminal, -color %s, NO_COLOR=%q", tc.flag, tc.noColor)
	}
	// A terminal, where the test has one.
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no terminal:", err)
	}
	defer tty.Close()
	assert.Equal(t, style{color: true, symbols: true}, newStyle(tty, "auto", ""))
	assert.Equal(t, style{symbols: true}, newStyle(tty, "auto", "1"), "NO_COLOR: symbols, no colour")
	assert.Equal(t, style{symbols: true}, newStyle(tty, "never", ""))
}

// TestRunJSONLines: -format jsonl is -format json's decisions, one per
// line, compact.
func TestRunJSONLines(t *testing.T) {
	var array []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(mustRun(t, "-as-of", fixtureAsOf, "-format", "json", "../applicants")), &array))
	lines := strings.Split(strings.TrimSuffix(mustRun(t, "-as-of", fixtureAsOf, "-format", "jsonl", "../applicants"), "\n"), "\n")
	require.Len(t, lines, len(array))
	for i, line := range lines {
		var want bytes.Buffer
		require.NoError(t, json.Compact(&want, array[i]))
		assert.Equal(t, want.String(), line)
	}
}

// TestRunCSV: the CSV reads back with encoding/csv as a header and a record
// per applicant, each of the summary's columns.
func TestRunCSV(t *testing.T) {
	records, err := csv.NewReader(strings.NewReader(mustRun(t, "-as-of", fixtureAsOf, "-format", "csv", "../applicants"))).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, len(documents(t, "../applicants"))+1)
	var header []string
	for _, c := range summaryColumns {
		header = append(header, c.name)
	}
	assert.Equal(t, header, records[0])
	// No document, no record: the header alone.
	status, stdout, _ := runCLI(t, "-as-of", fixtureAsOf, "-format", "csv", "../applicants-invalid/negative-hours.yaml")
	assert.Equal(t, 1, status)
	assert.Equal(t, strings.Join(header, ",")+"\n", stdout)
}

// TestRunStdin: "-" reads one document, or a stream of them, from standard
// input, with errors at their lines in the stream.
func TestRunStdin(t *testing.T) {
	good, err := os.ReadFile(goodDoc)
	require.NoError(t, err)
	other, err := os.ReadFile(otherDoc)
	require.NoError(t, err)
	bad, err := os.ReadFile("../applicants-invalid/negative-hours.yaml")
	require.NoError(t, err)
	stdin := func(t *testing.T, data string) {
		f, err := os.CreateTemp(t.TempDir(), "stdin")
		require.NoError(t, err)
		_, err = f.WriteString(data)
		require.NoError(t, err)
		_, err = f.Seek(0, 0)
		require.NoError(t, err)
		old := os.Stdin
		os.Stdin = f
		t.Cleanup(func() { os.Stdin = old; f.Close() })
	}

	t.Run("one document", func(t *testing.T) {
		stdin(t, string(good))
		requireDecided(t, mustRun(t, "-as-of", fixtureAsOf, "-format", "json", "-"), "app-1001")
	})
	t.Run("a stream, after a file", func(t *testing.T) {
		// Each document's errors are at its lines in the stream.
		before := "---\n" + string(good) + "--- # the next\n"
		stdin(t, before+string(bad)+"---\n"+string(other))
		status, stdout, stderr := runCLI(t, "-as-of", fixtureAsOf, "-format", "json", otherDoc, "-")
		assert.Equal(t, 1, status)
		requireDecided(t, stdout, "app-1015", "app-1001")
		offset := strings.Count(before, "\n")
		assert.Contains(t, stderr, "<stdin>:"+strconv.Itoa(17+offset)+":12: onlineTraining[1].hours: ")
		assert.Contains(t, stderr, "<stdin>:"+strconv.Itoa(strings.Count(before+string(bad), "\n")+1)+
			": id: \"app-1015\" is also the id of "+otherDoc+": ids must be unique in a batch\n")
	})
	t.Run("a document over -max-size", func(t *testing.T) {
		stdin(t, string(good)+"---\n"+string(other))
		status, stdout, stderr := runCLI(t, "-as-of", fixtureAsOf, "-format", "json", "-max-size", strconv.Itoa(len(other)+10), "-")
		assert.Equal(t, 1, status)
		requireDecided(t, stdout, "app-1015")
		assert.Equal(t, "<stdin>: more than "+strconv.Itoa(len(other)+10)+" bytes, the limit on an applicant document (-max-size)\n", stderr)
	})
}

// TestProgress: the bar is drawn in place and erased; none is drawn when
// stderr is no terminal, or for a small batch.
func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	assert.Nil(t, newProgress(&buf, 100000), "not a terminal")
	p := &progress{w: &buf, total: 1000}
	for range 1000 {
		p.add()
	}
	assert.Contains(t, buf.String(), "\rdeciding [==============================] 1000/1000")
	p.clear()
	assert.True(t, strings.HasSuffix(buf.String(), " \r"), "erased: %q", buf.String())
	var nilBar *progress
	nilBar.add()
	nilBar.set(10)
	nilBar.clear()

	// set, for runs that count for themselves (eligo diff), never goes back.
	buf.Reset()
	p = &progress{w: &buf, total: 1000}
	p.set(500)
	assert.Contains(t, buf.String(), "\rdeciding [===============               ] 500/1000")
	p.set(400)
	assert.Equal(t, 500, p.done)
	p.set(1000)
	assert.Contains(t, buf.String(), "] 1000/1000")
}
