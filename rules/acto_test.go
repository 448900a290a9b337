package rules

import "os"

// loadACTO loads the ACTO rule files from their directory, as package
// rules/acto does from its embedded copy: package rules cannot import
// rules/acto without an import cycle.
func loadACTO() (*Set, error) {
	return Load(os.DirFS("acto"))
}
