package lib

import (
	"fmt"
	"strings"
)

// Catalogues indexes a rule set's catalogues by name.
type Catalogues map[string]Catalogue

// Catalogue maps the normalised id, name and aliases of each entry of one
// catalogue to the entry's id.
type Catalogue map[string]string

// Add starts the index of the catalogue called name, empty, and returns it.
func (c Catalogues) Add(name string) Catalogue {
	m := Catalogue{}
	c[name] = m
	return m
}

// Add indexes an entry under its id, its name and its aliases; a name an
// earlier entry already has stays that entry's (a rule set that loads has
// none: ruleset refuses a name two entries of a catalogue share).
func (m Catalogue) Add(id, name string, aliases ...string) {
	for _, n := range append([]string{id, name}, aliases...) {
		if k := Normalise(n); k != "" {
			if _, dup := m[k]; !dup {
				m[k] = id
			}
		}
	}
}

// Normalise is the form in which catalogue names are matched: lower case,
// runs of white space as one space, none at either end.
func Normalise(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// lookup is what the VM's functions do: the id of v's entry in catalogue
// cat, "" when none, or an error when there is no such catalogue or v is
// not text.
func (c Catalogues) lookup(cat string, v any) (string, error) {
	m, ok := c[cat]
	if !ok {
		return "", fmt.Errorf("no catalogue %q", cat)
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("catalogue %s: want a name, got %T", cat, v)
	}
	return m[Normalise(s)], nil
}

// ID returns the id of the entry s names, or "": the lookup the VM's
// functions make, without allocating for ASCII names (it normalises into a
// buffer on the stack).
func (m Catalogue) ID(s string) string {
	var buf [64]byte
	b := buf[:0]
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return m[Normalise(s)]
		case c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			space = len(b) > 0
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, c)
	}
	return m[string(b)]
}
