package lint_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/lint"
)

// FuzzLint: any rule file that parses can be linted without a panic, and
// its findings render and marshal.
func FuzzLint(f *testing.F) {
	for _, pattern := range []string{"testdata/*.yaml", "../testdata/valid/*.yaml", "../acto/*.yaml", "../../examples/bacp/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, p := range files {
			data, err := os.ReadFile(p)
			if err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := rules.Parse("f.yaml", data)
		if err != nil {
			return
		}
		findings := lint.Run(set)
		_ = lint.Format(findings)
		if _, err := json.Marshal(findings); err != nil {
			t.Fatal(err)
		}
		for _, fd := range findings {
			if fd.Pos.Line < 1 || fd.Pos.Column < 1 {
				t.Errorf("finding without line:col: %v", fd)
			}
		}
	})
}
