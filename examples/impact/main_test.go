package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// digestRE matches a rule set digest: the README shows one, but it changes
// with every edit of the rule files.
var digestRE = regexp.MustCompile(`sha256:[0-9a-f]{12,64}`)

// TestREADME: the README's impact excerpt is what the program prints for
// 100,000 generated applicants, line for line in order ("..." skips).
func TestREADME(t *testing.T) {
	if testing.Short() || raceDetector {
		// CI runs it without the race detector as a step of its own: the
		// run shares nothing between goroutines that the library's own
		// race tests do not cover.
		t.Skip("decides 200,000 times: run without -short and -race")
	}
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	at := strings.Index(text, "\n## What a rule change does\n")
	if at < 0 {
		t.Fatal(`README has no "## What a rule change does"`)
	}
	m := regexp.MustCompile("(?s)\n```text\n(.*?)\n```").FindStringSubmatch(text[at:])
	if m == nil {
		t.Fatal("README has no text block in its impact section")
	}
	var out bytes.Buffer
	if err := run(&out, 100_000, 1, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), 30, 2, "", false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(digestRE.ReplaceAllString(out.String(), "sha256:…"), "\n")
	k := 0
	for _, want := range strings.Split(m[1], "\n") {
		if want == "..." {
			continue
		}
		want = digestRE.ReplaceAllString(want, "sha256:…")
		for k < len(lines) && lines[k] != want {
			k++
		}
		if k == len(lines) {
			t.Fatalf("README line not in the output (in order):\n%s\n\noutput:\n%s", want, out.String())
		}
		k++
	}
}
