package rules

import (
	"github.com/eligo-dev/eligo/rules/internal/lib"
)

// The library of functions rules may call is the table of package
// rules/internal/lib; its documentation lists them.

// FunctionNames lists the functions of the library, for tools that offer
// completion or documentation.
func FunctionNames() []string { return lib.Names() }

// catalogueIndex indexes the rule set's catalogues for the library's
// lookups.
func catalogueIndex(cats []*Catalogue) lib.Catalogues {
	idx := lib.Catalogues{}
	for _, c := range cats {
		m := idx.Add(c.Name)
		for _, e := range c.Entries {
			m.Add(e.ID, e.Name, e.Aliases...)
		}
	}
	return idx
}
