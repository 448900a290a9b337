package rules

import (
	"embed"
	"io/fs"
)

//go:embed acto/*.yaml
var actoFiles embed.FS

// ACTO returns the default rule set: the membership and course rules of
// ACTO, the UK Association for Counselling and Therapy Online, every
// parameter and requirement with the source it comes from (ACTO's and
// BACP's public pages), or marked assumed or inferred. Each call parses the
// embedded files afresh, so callers may keep or discard the result freely.
func ACTO() (*Set, error) {
	sub, err := fs.Sub(actoFiles, "acto")
	if err != nil {
		return nil, err
	}
	return Load(sub)
}

// ACTOFiles returns the embedded ACTO rule files, for tools that show or
// copy them as a starting point for another body's rules.
func ACTOFiles() fs.FS {
	sub, _ := fs.Sub(actoFiles, "acto")
	return sub
}
