package rules

import (
	"github.com/eligo-dev/eligo/rules/internal/lib"
)

// The library of functions rules may call is the table of package
// rules/internal/lib; its documentation lists them.

// FunctionNames lists the functions of the library, for tools that offer
// completion or documentation.
func FunctionNames() []string { return lib.Names() }
