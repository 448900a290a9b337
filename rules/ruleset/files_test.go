package ruleset

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/eligo-dev/eligo/rules/file"
)

const smallRules = `ruleset: t
version: "1"
parameters:
  p: {value: 1, source: s}
requirements:
  a: {title: A, source: s, when: a}
levels:
  - {id: one, title: One, requires: [a]}
  - {id: two, title: Two, requires: [a], fee: p}
`

// reviewFirstError parses data and returns its first error's position.
func reviewFirstError(t *testing.T, data string) file.Position {
	t.Helper()
	_, err := Parse("r.yaml", []byte(data))
	var list *file.ErrorList
	if !errors.As(err, &list) || len(list.Errors) == 0 {
		t.Fatalf("want an *ErrorList, got %v", err)
	}
	return list.Errors[0].Pos
}

// go-yaml's reader errors (invalid UTF-8, control characters) and an
// alias to an unknown anchor carry no line: each is reported where it
// stands (line 4 here), not at the file's start.
func TestYAMLErrorsWithoutLinePositioned(t *testing.T) {
	for name, line4 := range map[string]string{
		"invalid UTF-8":       "  p: {value: 1, source: \"\xff\"}",
		"a control character": "  p: {value: 1, source: \"\x01\"}",
		"an unknown anchor":   "  p: *nope",
	} {
		t.Run(name, func(t *testing.T) {
			lines := strings.Split(smallRules, "\n")
			lines[3] = line4
			if pos := reviewFirstError(t, strings.Join(lines, "\n")); pos.Line != 4 {
				t.Errorf("error at %s, want line 4", pos)
			}
		})
	}
}

// A rule file over MaxFileSize is reported alone: the set lacks it, so
// the whole-set checks do not run and blame the other files ("no levels",
// "missing required key").
func TestOversizeFileNoCascade(t *testing.T) {
	head, tail, _ := strings.Cut(smallRules, "parameters:\n")
	fsys := fstest.MapFS{
		"a.yaml": {Data: []byte(head)},
		"b.yaml": {Data: []byte("parameters:\n" + tail + "#" + strings.Repeat("x", MaxFileSize) + "\n")},
	}
	_, err := Load(fsys)
	var list *file.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want an *ErrorList, got %v", err)
	}
	for _, e := range list.Errors {
		if e.Pos.File != "b.yaml" {
			t.Errorf("spurious error in %s: %v", e.Pos.File, e)
		}
	}
	// The same file broken by a syntax error instead reports it alone.
	fsys["b.yaml"] = &fstest.MapFile{Data: []byte("parameters:\n" + tail + "x: [\n")}
	_, err = Load(fsys)
	if !errors.As(err, &list) || len(list.Errors) != 1 {
		t.Errorf("a syntax error: %v", err)
	}
}

// A named pipe (or a device) among the rule files is refused, naming it,
// never read: reading would block, or never end.
func TestLoadNamedPipe(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(smallRules), 0o644); err != nil {
		t.Fatal(err)
	}
	pipe := filepath.Join(dir, "b.yaml")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() {
		if f, err := os.OpenFile(pipe, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	done := make(chan error, 1)
	go func() { _, err := Load(os.DirFS(dir)); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "b.yaml") {
			t.Errorf("want an error naming b.yaml, got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Load still reading a named pipe after 5s")
	}
}

// Parse of one file over MaxFileSize gives the limit error alone.
func TestParseOversizeOneError(t *testing.T) {
	data := smallRules + "#" + strings.Repeat("x", MaxFileSize) + "\n"
	_, err := Parse("r.yaml", []byte(data))
	var list *file.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want an *ErrorList, got %v", err)
	}
	if len(list.Errors) != 1 {
		t.Errorf("want the limit error alone, got %d:\n%v", len(list.Errors), err)
	}
}
