package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tinyRules is a rule set small enough to reason about: one level, one
// requirement, and a parameter nothing reads (a lint finding).
const tinyRules = `ruleset: tiny
version: "1"
effective: 2020-01-01
model:
  id: {type: text, id: true, required: true}
  age: {type: number}
parameters:
  min_age: {value: 18, source: law}
  spare: {value: 1, source: law}
requirements:
  adult: {title: Of age, source: law, when: age >= param.min_age}
levels:
  - {id: member, title: Member, requires: [adult]}
`

// writeFiles writes files (name -> content) under dir, making directories.

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
}

// tinyBody writes the tiny rules and two fixtures, one granted, one

// refused, and returns the rules directory and the fixture directory.

func tinyBody(t *testing.T) (rulesDir, fixtures string) {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"rules/rules.yaml":             tinyRules,
		"applicants/adult.yaml":        "id: a-1\nage: 30\n",
		"applicants/want/adult.yaml":   "asOf: 2026-11-23\nlevel: member\n",
		"applicants/minor.yaml":        "id: a-2\nage: 12\n",
		"applicants/want/minor.yaml":   "asOf: 2026-11-23\nlevel: \"\"\nnext: {level: member, unmet: [adult]}\n",
		"applicants/invalid.yaml":      "id: a-3\nage: twelve\n",
		"applicants/want/invalid.yaml": "asOf: 2026-11-23\ninvalid: [age]\n",
	})
	return filepath.Join(dir, "rules"), filepath.Join(dir, "applicants")
}

func TestUsageListsCommands(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"decide", "-h"}, {"help"}, {"help", "decide"}} {
		status, stdout, stderr := runCLI(t, args...)
		assert.Equal(t, 0, status, "%v", args)
		assert.Empty(t, stdout)
		for _, c := range commands {
			assert.Contains(t, stderr, "  "+c.name+" ", "%v", args)
		}
		assert.Contains(t, stderr, "usage: eligo [decide] [flags] [FILE|DIR ...]")
		assert.Contains(t, stderr, "-as-of")
	}
}

func TestCommandHelp(t *testing.T) {
	for _, c := range commands[1:] {
		t.Run(c.name, func(t *testing.T) {
			status, stdout, stderr := runCLI(t, c.name, "-h")
			assert.Equal(t, 0, status)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, "usage: eligo "+c.name+" "+c.args)
			_, _, help := runCLI(t, "help", c.name)
			assert.Equal(t, stderr, help, "eligo help %s", c.name)
			if c.name == "diff" {
				assert.Contains(t, stderr, "-old DIR")
				assert.Contains(t, stderr, "-new DIR")
			} else {
				assert.Contains(t, stderr, "-rules DIR")
			}
			assert.Contains(t, stderr, "Exit status")
		})
	}
}

func TestBadFlagsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"check", "-nosuch"}, {"check", "-format", "xml"}, {"check", "extra"}, {"check", "-rules", "/nonexistent"},
		{"lint", "-format", "xml"}, {"lint", "-rules", "/nonexistent"},
		{"test"}, {"test", "-min", "all"}, {"test", "/nonexistent"}, {"test", "-rules", "/nonexistent", "../applicants"},
		{"explain"}, {"explain", "-as-of", "2026-13-01", "../applicants/professional-course-79-5-hours.yaml"},
		{"explain", "-as-of", "2020-01-01", "../applicants/professional-course-79-5-hours.yaml"},
		{"explain", "a.yaml", "b", "c"},
	} {
		status, stdout, stderr := runCLI(t, args...)
		assert.Equal(t, 2, status, "%v: %s", args, stderr)
		assert.Empty(t, stdout, "%v", args)
		assert.NotEmpty(t, stderr, "%v", args)
	}
}

// TestDecideByDefault: decide runs with no command, with "decide", and for
// a first argument that names no command; a command's name wins over a
// directory of that name, which ./NAME or "decide NAME" decides.
func TestDecideByDefault(t *testing.T) {
	doc, err := os.ReadFile("../applicants/professional-course-79-5-hours.yaml")
	require.NoError(t, err)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"lint/a.yaml": string(doc)})
	t.Chdir(dir)

	_, want, _ := runCLI(t, "-as-of", fixtureAsOf, "lint/a.yaml")
	require.Contains(t, want, "app-1007    member")
	for _, args := range [][]string{
		{"decide", "-as-of", fixtureAsOf, "lint/a.yaml"},
		{"decide", "-as-of", fixtureAsOf, "lint"},
		{"-as-of", fixtureAsOf, "./lint"},
	} {
		status, stdout, stderr := runCLI(t, args...)
		require.Equal(t, 0, status, "%v: %s", args, stderr)
		assert.Equal(t, want, stdout, "%v", args)
	}
	status, stdout, stderr := runCLI(t, "lint")
	assert.Equal(t, 0, status)
	assert.Equal(t, "no findings\n", stdout, "lint names the command, not the directory")
	assert.Equal(t, "eligo: running the lint command; to decide the file or directory lint, write eligo decide lint, or ./lint\n", stderr)
}

// TestNoArgumentsUnchanged: no arguments and "decide" alone give the same

// output, the README's main job, from the repository root.

func TestNoArgumentsUnchanged(t *testing.T) {
	t.Chdir("../..")
	status, plain, stderr := runCLI(t, "-as-of", fixtureAsOf)
	require.Equal(t, 0, status, stderr)
	status, explicit, stderr := runCLI(t, "decide", "-as-of", fixtureAsOf)
	require.Equal(t, 0, status, stderr)
	assert.Equal(t, plain, explicit)
	assert.Contains(t, plain, "app-1007", "every example applicant decided")
}

// firstDoc names the first applicant document of dir.
