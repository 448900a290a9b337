// Package acto is eligo's default body: ACTO, the UK Association for
// Counselling and Therapy Online. Its rule files, embedded in the package,
// hold ACTO's membership and course rules, every parameter and requirement
// with the source it comes from (ACTO's and BACP's public pages) or marked
// assumed or inferred. ACTO's applicant document and its rules ship
// together, and are what eligo decides when it is given no other rule set.
package acto

import (
	"embed"
	"io/fs"

	"github.com/eligo-dev/eligo/rules"
)

//go:embed *.yaml
var files embed.FS

// Rules returns ACTO's rule set, loaded with [rules.Load] from the
// embedded files. Each call parses the files afresh, so callers may keep,
// change or discard the result freely. An error means the embedded files
// are faulty, which the package's tests rule out.
func Rules() (*rules.Set, error) {
	return rules.Load(files)
}

// Files returns the embedded ACTO rule files, read-only, each at the top
// of the file system (e.g. "ruleset.yaml"), for tools that show them or
// copy them as a starting point for another body's rules.
func Files() fs.FS {
	return files
}
