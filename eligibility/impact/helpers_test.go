package impact_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/acto"
)

var testDate = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// cpdEngines builds an Engine of ACTO's rules and one of a copy with
// member_cpd_hours set to hours.
func cpdEngines(tb testing.TB, hours string) (old, new *eligibility.Engine) {
	tb.Helper()
	old = engineOf(tb, acto.Files())
	new = engineOf(tb, edited(tb, acto.Files(), "parameters.yaml", "  member_cpd_hours:\n    value: 20\n", "  member_cpd_hours:\n    value: "+hours+"\n"))
	return old, new
}

func engineOf(tb testing.TB, files fs.FS) *eligibility.Engine {
	tb.Helper()
	set, err := rules.Load(files)
	if err != nil {
		tb.Fatal(err)
	}
	e, err := eligibility.New(set)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// edited copies fsys with the text from replaced by to in file.
func edited(tb testing.TB, fsys fs.FS, file, from, to string) fs.FS {
	tb.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		if path == file {
			if !strings.Contains(string(data), from) {
				tb.Fatalf("%s holds no %q", file, from)
			}
			data = []byte(strings.Replace(string(data), from, to, 1))
		}
		out[path] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
