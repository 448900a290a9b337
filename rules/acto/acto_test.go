package acto_test

import (
	"io/fs"
	"testing"

	"github.com/eligo-dev/eligo/rules/acto"
)

// TestRules: the embedded files load, each call afresh.
func TestRules(t *testing.T) {
	a, err := acto.Rules()
	if err != nil {
		t.Fatal(err)
	}
	b, err := acto.Rules()
	if err != nil {
		t.Fatal(err)
	}
	if a == b || a.Name != "acto" || len(a.Requirements) == 0 {
		t.Fatalf("rule sets %p %p, name %q, %d requirements", a, b, a.Name, len(a.Requirements))
	}
}

// TestFiles: the rule files stand at the top of Files, and only they.
func TestFiles(t *testing.T) {
	names, err := fs.Glob(acto.Files(), "*")
	if err != nil {
		t.Fatal(err)
	}
	yaml, _ := fs.Glob(acto.Files(), "*.yaml")
	if len(names) == 0 || len(names) != len(yaml) {
		t.Fatalf("files %v", names)
	}
	if _, err := fs.Stat(acto.Files(), "ruleset.yaml"); err != nil {
		t.Fatal(err)
	}
}
