package printable

import "testing"

// TestShown: printable text, spaces and any script included, is shown as
// it is; a line break, a tab, an escape, a format character or invalid
// UTF-8 makes it quoted.
func TestShown(t *testing.T) {
	for s, want := range map[string]string{
		"A-1":            "A-1",
		"Zoë Ó Briain 7": "Zoë Ó Briain 7",
		"申请人 🙂":          "申请人 🙂",
		"":               "",
		"a\nb":           `"a\nb"`,
		"tab\there":      `"tab\there"`,
		"x\x1b[2J":       `"x\x1b[2J"`,
		"evil\u202etxt":  `"evil\u202etxt"`,
		"bad\xff":        `"bad\xff"`,
	} {
		if got := Shown(s); got != want {
			t.Errorf("Shown(%q) = %s, want %s", s, got, want)
		}
		if got := string(Append([]byte("<"), s)); got != "<"+want {
			t.Errorf("Append(%q) = %s", s, got)
		}
	}
}
