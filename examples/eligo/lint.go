package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/eligo-dev/eligo/rules/lint"
)

const lintAbout = `Lints the rule files of DIR, or the embedded ACTO rules: requirements, facts,
parameters, benefits and catalogues nothing uses, routes that need nothing,
gates restated, conditions false for every applicant, levels that can never
be decided or skip a lower level's requirements, assumed parameters without a
description (go doc ./rules/lint lists the codes). Each finding is written as
file:line:col: code: message, with the source line and a caret; a finding that
does not apply is suppressed in the rule file, with the reason.
Exit status 0 when there are no findings, 1 when there are, 2 when the rules
do not load (eligo check says why).`

func runLint(_ context.Context, args []string, stdout, stderr io.Writer) int {
	rulesDir, format, status, ok := parseRulesCommand("lint", lintAbout, "lint rule files from `DIR` instead of the embedded ACTO set", args, stderr)
	if !ok {
		return status
	}
	set, err := checkRules(rulesDir)
	if err != nil {
		fmt.Fprintf(stderr, "eligo lint: %v\n", err)
		return 2
	}
	findings := lint.Run(set)
	if rulesDir != "" {
		for i := range findings {
			if findings[i].Pos.File != "" {
				findings[i].Pos.File = filepath.Join(rulesDir, findings[i].Pos.File)
			}
		}
	}
	if format == "json" {
		if findings == nil {
			findings = []lint.Finding{} // [], not null
		}
		err = writeJSON(stdout, findings)
	} else {
		_, err = io.WriteString(stdout, lint.Format(findings))
	}
	if err != nil {
		fmt.Fprintf(stderr, "eligo lint: %v\n", err)
		return 2
	}
	if len(findings) > 0 {
		return 1
	}
	return 0
}
