package eligibilitytest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
)

// A want file's YAML syntax error is reported as path:line:column, on the
// file's line (go-yaml prints its parser's 0-based).
func TestWantFileSyntaxErrorLine(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "want"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("id: a-1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "want", "a.yaml")
	if err := os.WriteFile(want, []byte("asOf: 2026-11-23\nlevel: [member\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := eligibilitytest.Load(dir)
	if err == nil {
		t.Fatal("no error")
	}
	if msg := err.Error(); !strings.Contains(msg, want+":2:") && !strings.Contains(msg, "line 2") {
		t.Errorf("the fault is on line 2 of %s; error: %v", want, err)
	}
}
