package main

import (
	"io"
	"os"
)

// style is how output for people looks: colour and symbols on a terminal,
// plain text elsewhere. Every escape code eligo writes is in this file.
type style struct {
	color   bool // ANSI colours
	symbols bool // ✓, ! and ✗ before summary lines
}

// newStyle chooses the style of output written to w: symbols when w is a
// terminal; colour as flag says, "auto" meaning on a terminal unless the
// NO_COLOR environment variable (noColor) is set to anything but "".
// "always" gives colour and symbols wherever the output goes.
func newStyle(w io.Writer, flag, noColor string) style {
	term := isTerminal(w)
	switch flag {
	case "always":
		return style{color: true, symbols: true}
	case "never":
		return style{symbols: term}
	}
	return style{color: term && noColor == "", symbols: term}
}

// isTerminal reports whether w is a terminal (a character device). A
// character device that is not a terminal, such as /dev/null, counts as
// one: what is written there is not read, so it does no harm.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// SGR codes used.
const (
	sgrBold    = "1"
	sgrDim     = "2"
	sgrRed     = "31"
	sgrGreen   = "32"
	sgrYellow  = "33"
	sgrMagenta = "35"
	sgrCyan    = "36"
)

// paint wraps s in the SGR code when the style has colour.
func (s style) paint(code, text string) string {
	if !s.color || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

// symbol returns sym and a space when the style has symbols, else "".
func (s style) symbol(code, sym string) string {
	if !s.symbols {
		return ""
	}
	return s.paint(code, sym) + " "
}
