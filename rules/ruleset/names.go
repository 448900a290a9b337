package ruleset

import (
	"fmt"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/expr-lang/expr/builtin"
	"go.yaml.in/yaml/v3"
)

// exprKeywords are the words of expr's expression language that are not
// names: operators, literals and the let and if forms.
var exprKeywords = []string{"true", "false", "nil", "in", "not", "and", "or", "matches", "contains",
	"startsWith", "endsWith", "let", "if", "else"}

// reservedName says what name already is in expressions, or "" when a
// fact, parameter or catalogue may take it. A fact of a builtin's name
// would shadow it, or be shadowed, depending on where it is used; a
// keyword cannot be written as a name at all.
func reservedName(name string) string {
	switch {
	case name == lib.AsOf:
		return "the evaluation date, asOf"
	case name == lib.Param:
		return "the parameters' namespace, param"
	case contains(exprKeywords, name):
		return "a keyword of the expression language"
	case contains(lib.Names(), name):
		return fmt.Sprintf("the library function %s()", name)
	case contains(builtin.Names, name):
		return fmt.Sprintf("expr's builtin %s()", name)
	}
	return ""
}

// unreserved reports a section's name at key that rules reserve, with
// ErrReserved, and returns whether the name is free.
func (p *parser) unreserved(section string, key *yaml.Node, name string) bool {
	what := reservedName(name)
	if what == "" {
		return true
	}
	p.errorf(key, file.ErrReserved, "%s %q: the name is %s; choose another", section, name, what)
	return false
}
