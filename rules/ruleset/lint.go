package ruleset

import (
	"fmt"
	"strings"

	"github.com/eligo-dev/eligo/rules/file"
	"go.yaml.in/yaml/v3"
)

// LintCodes are the codes of the findings of package rules/lint that a
// rule file may suppress on an item, in the order lint documents them.
// lint's own code for a suppression that suppresses nothing,
// "unused-suppression", is not among them: remove the suppression instead.
var LintCodes = []string{
	"unused-requirement",
	"unused-fact",
	"unused-parameter",
	"unused-benefit",
	"unused-catalogue",
	"grants-everyone",
	"gate-restated",
	"constant-false",
	"never-granted",
	"level-shadowed",
	"level-not-cumulative",
	"assumed-undescribed",
	"absence-grants",
}

// Suppression is one lint finding an item of a rule file says does not
// apply to it: an entry of the item's "lint: {ignore: {CODE: REASON}}" key.
// Parameters, facts (in their mapping form), requirements, benefits (in
// their mapping form), levels, categories, courses, catalogues (in their
// mapping form) and catalogue entries take the key.
type Suppression struct {
	Code   string        // the finding's code, one of LintCodes
	Reason string        // why the finding does not apply here; never empty
	Pos    file.Position // where the code stands
}

// lint reads an item's lint key: {ignore: {CODE: REASON, ...}}. An unknown
// code (with a suggestion), an empty reason and an empty ignore are errors.
func (p *parser) lint(n *yaml.Node, what string) []Suppression {
	what += " lint"
	var out []Suppression
	for _, f := range p.mapping(n, what, []string{"ignore"}, []string{"ignore"}) {
		codes := p.mapping(f.val, what+" ignore", nil, nil)
		if v := resolveAlias(f.val); v.Kind == yaml.MappingNode && len(v.Content) == 0 {
			p.errorf(f.val, file.ErrValue, "%s ignore: name at least one finding code, with the reason it does not apply", what)
		}
		for _, g := range codes {
			code := g.key.Value
			if !contains(LintCodes, code) {
				msg := fmt.Sprintf("%s ignore: unknown finding code %q", what, code)
				if code == "unused-suppression" {
					msg += "; remove the suppression that suppresses nothing instead"
				} else if s := file.Suggest(code, LintCodes); s != "" {
					msg += fmt.Sprintf("; did you mean %q?", s)
				}
				p.errorf(g.key, file.ErrUnknownKey, "%s", msg)
				continue
			}
			if g.val.Kind != yaml.ScalarNode || g.val.Tag != "!!str" || strings.TrimSpace(g.val.Value) == "" {
				p.errorf(g.val, file.ErrValue, "%s ignore %s: give the reason it does not apply, as text", what, code)
				continue
			}
			out = append(out, Suppression{Code: code, Reason: g.val.Value, Pos: p.src.Pos(g.key)})
		}
	}
	return out
}
