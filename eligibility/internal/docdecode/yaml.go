package docdecode

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"

	"github.com/eligo-dev/eligo/rules/file"
	"go.yaml.in/yaml/v3"
)

// fastYAML builds the node tree the YAML parser would build of a YAML
// document, field for field as far as decoding reads it (kinds, tags,
// styles, values, lines and columns), about ten times as fast and from
// reused memory: decoding a YAML document is otherwise mostly YAML parsing.
// It takes only the common subset it is sure of, the way applicant
// documents are written: one document (an optional "---" first), a block
// mapping or sequence at the root, nested block mappings and sequences
// (indentless sequences and compact "- key: value" entries too), flow
// sequences and mappings that open and close on one line, plain scalars
// on one line, single- and double-quoted scalars on one line (double-quoted
// with the one-character escapes only), comments, and blank lines. It
// gives up, reporting false, on anything else, for the caller to parse
// the document the slow way, which builds the tree or finds and words the
// problem: anchors, aliases, tags, directives, block scalars (| >),
// multi-line scalars and flow collections, "?" keys, complex keys, a
// second document or a "..." marker, tabs, a carriage return but in
// "\r\n", a byte order
// mark, characters the YAML reader refuses or reads as line breaks, empty
// entries, and any indentation it does not expect. TestFastYAML and
// FuzzFastYAML hold it to the YAML parser's trees.
//
// Comments are skipped, not kept: the tree's HeadComment, LineComment and
// FootComment are empty, as decoding never reads them.
//
// Its nodes come from a, which the caller gives back to the pool when the
// tree is done with (Decoder.Release).
func fastYAML(data []byte, a *jsonArena) (*yaml.Node, bool) {
	root, _, ok := fastYAMLText(data, a)
	return root, ok
}

// fastYAMLText is fastYAML, also returning the document as the string its
// tree's values share.
func fastYAMLText(data []byte, a *jsonArena) (root *yaml.Node, src string, ok bool) {
	ascii, ok := yamlReadable(data)
	if !ok {
		return nil, "", false
	}
	// One string of the whole document: values are slices of it.
	p := yamlParser{data: data, src: string(data), ascii: ascii, line: 1, arena: a, kids: a.stack[:0]}
	defer func() {
		clear(p.kids[:cap(p.kids)]) // for the collector; empty on success
		a.stack = p.kids[:0]
	}()
	root, ok = p.document()
	if !ok {
		return nil, "", false
	}
	return root, p.src, true
}

// yamlReadable reports whether fastYAML can read data byte by byte: no
// tab or other control character (a carriage return only before a line
// feed: "\r\n" ends a line as "\n" does), and only characters
// the YAML reader takes as they are (not a byte order mark, nor a line
// break of its own: NEL, LS, PS). ascii says data is all ASCII, so that a
// column is a byte count.
func yamlReadable(data []byte) (ascii, ok bool) {
	ascii = true
	for i := 0; i < len(data); {
		if i+8 <= len(data) && readableWord(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
			continue
		}
		c := data[i]
		if yamlASCII[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && (c != '\r' || i+1 == len(data) || data[i+1] != '\n') || c == 0x7f {
				return false, false
			}
			i++
			continue
		}
		ascii = false
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 || !file.YAMLPrintable(r) || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xfeff {
			return false, false
		}
		i += size
	}
	return ascii, true
}

// readableWord reports whether the 8 bytes of w are all characters
// yamlASCII takes: printable ASCII or a line feed. It tests them all at
// once, exactly: with no byte of w above 0x7f, adding a constant to each
// byte carries into none of the others.
func readableWord(w uint64) bool {
	const lo, hi, low7 uint64 = 0x0101010101010101, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f
	if w&hi != 0 {
		return false
	}
	// A byte plus 0x60 reaches 0x80 from 0x20 on; plus 1, from 0x7f on.
	printable := (w + 0x60*lo) &^ (w + lo) & hi
	t := w ^ '\n'*lo
	lf := ^((t&low7 + low7) | t) & hi // a zero byte of t: a line feed of w
	return printable|lf == hi
}

// yamlASCII holds the ASCII characters yamlReadable takes as they are: the
// printable ones and the line feed.
var yamlASCII = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	t['\n'] = true
	return t
}()

// maxYAMLDepth bounds the nesting fastYAML reads; deeper documents go the
// slow way.
const maxYAMLDepth = 100

// maxYAMLKey bounds, in bytes, a key and what follows it up to its ':':
// the YAML parser takes a key only when its ':' stands on its line at most
// 1,024 characters from its start.
const maxYAMLKey = 1000

type yamlParser struct {
	data  []byte
	src   string // data as a string
	ascii bool   // data is ASCII: a column is a byte count
	off   int    // the start of the line being read
	line  int    // its number, 1-based
	arena *jsonArena
	kids  []*yaml.Node // the children of the collections being parsed
	depth int
}

// node returns a new node at offset at of the current line.
func (p *yamlParser) node(at int, kind yaml.Kind, tag string) *yaml.Node {
	n := p.arena.node()
	// Field by field: the node is zero (jsonArena.node), and a whole
	// yaml.Node written over it would take a write barrier for each of
	// its pointers.
	n.Kind, n.Tag, n.Line, n.Column = kind, tag, p.line, p.col(at)
	return n
}

// col is the 1-based column of offset at of the current line, counted in
// characters as the YAML parser counts it.
func (p *yamlParser) col(at int) int {
	if p.ascii {
		return at - p.off + 1
	}
	return utf8.RuneCount(p.data[p.off:at]) + 1
}

// collect gives n the children parsed since base.
func (p *yamlParser) collect(n *yaml.Node, base int) {
	n.Content = p.arena.children(len(p.kids) - base)
	copy(n.Content, p.kids[base:])
	clear(p.kids[base:])
	p.kids = p.kids[:base]
}

// eol reports whether offset i ends its line ("\r" stands only before
// "\n": see yamlReadable).
func (p *yamlParser) eol(i int) bool {
	return i >= len(p.data) || p.data[i] == '\n' || p.data[i] == '\r'
}

// blankz reports whether offset i is a space or ends its line: what
// follows a ':' or '-' indicator.
func (p *yamlParser) blankz(i int) bool {
	return i >= len(p.data) || p.data[i] == ' ' || p.data[i] == '\n' || p.data[i] == '\r'
}

func (p *yamlParser) spaces(i int) int {
	for i < len(p.data) && p.data[i] == ' ' {
		i++
	}
	return i
}

// restBlank reports whether the line has nothing but spaces and perhaps a
// comment from offset i, which follows a token: a comment must stand
// after a space.
func (p *yamlParser) restBlank(i int) bool {
	j := p.spaces(i)
	return p.eol(j) || j > i && p.data[j] == '#'
}

// nextLine moves to the line after the one being read.
func (p *yamlParser) nextLine() {
	if k := bytes.IndexByte(p.data[p.off:], '\n'); k >= 0 {
		p.off += k + 1
		p.line++
	} else {
		p.off = len(p.data)
	}
}

// content moves to the next line, from the current one, with anything but
// spaces and a comment, and returns its indentation, or -1 at the end of
// the document. A document marker ("---", "...") is not content: bad
// says so.
func (p *yamlParser) content() (indent int, bad bool) {
	for p.off < len(p.data) {
		j := p.spaces(p.off)
		if p.eol(j) || p.data[j] == '#' {
			p.nextLine()
			continue
		}
		if j == p.off && p.marker(j) {
			return 0, true
		}
		return j - p.off, false
	}
	return -1, false
}

// marker reports whether a document marker starts at i, at a line's start.
func (p *yamlParser) marker(i int) bool {
	if len(p.data)-i < 3 {
		return false
	}
	m := p.src[i : i+3]
	return (m == "---" || m == "...") && p.blankz(i+3)
}

// document reads the one document: an optional "---", then a block
// collection at column 1, then nothing but blank lines and comments.
func (p *yamlParser) document() (*yaml.Node, bool) {
	if !p.start() {
		return nil, false
	}
	root, ok := p.block(p.off)
	if !ok || !p.end() {
		return nil, false
	}
	return root, true
}

// start moves to the document's first line of content, past an optional
// "---", and reports whether it is one at column 1.
func (p *yamlParser) start() bool {
	// content refuses markers: find the first by hand.
	for p.off < len(p.data) {
		j := p.spaces(p.off)
		if !p.eol(j) && p.data[j] != '#' {
			break
		}
		p.nextLine()
	}
	if p.marker(p.off) && p.src[p.off:p.off+3] == "---" {
		if !p.restBlank(p.off + 3) {
			return false
		}
		p.nextLine()
	}
	indent, bad := p.content()
	return !bad && indent == 0
}

// end reports whether nothing but blank lines and comments follows the
// root collection.
func (p *yamlParser) end() bool {
	indent, bad := p.content()
	return !bad && indent < 0
}

// next moves to the next line of content after an entry of the block
// collection whose entries stand at indentation col: more says the
// collection goes on there, ok false that the line is indented more (or
// is a document marker), which fastYAML leaves to the YAML parser.
func (p *yamlParser) next(col int) (more, ok bool) {
	indent, bad := p.content()
	if bad || indent > col {
		return false, false
	}
	return indent == col, true
}

// entry reports whether a block sequence entry ("- ") starts at i.
func (p *yamlParser) entry(i int) bool {
	return i < len(p.data) && p.data[i] == '-' && p.blankz(i+1)
}

// block reads the block collection starting at offset i of the current
// line: a sequence or a mapping.
func (p *yamlParser) block(i int) (*yaml.Node, bool) {
	if p.entry(i) {
		return p.sequence(i, false)
	}
	if _, _, ok := p.keyEnd(i); ok {
		return p.mapping(i)
	}
	return nil, false
}

// sequence reads the block sequence whose first entry starts at offset i
// of the current line. An indentless one is a mapping's value at the
// mapping's column: a line at that column that is not an entry ends it.
func (p *yamlParser) sequence(i int, indentless bool) (*yaml.Node, bool) {
	if p.depth++; p.depth > maxYAMLDepth {
		return nil, false
	}
	defer func() { p.depth-- }()
	n := p.node(i, yaml.SequenceNode, "!!seq")
	col := i - p.off // the entries' indentation, in bytes
	base := len(p.kids)
	for {
		v, ok := p.value(i+1, col, false)
		if !ok {
			return nil, false
		}
		p.kids = append(p.kids, v)
		more, ok := p.next(col)
		if !ok {
			return nil, false
		}
		if !more {
			break
		}
		if i = p.off + col; !p.entry(i) {
			if indentless {
				break
			}
			return nil, false
		}
	}
	p.collect(n, base)
	return n, true
}

// mapping reads the block mapping whose first key starts at offset i of
// the current line.
func (p *yamlParser) mapping(i int) (*yaml.Node, bool) {
	if p.depth++; p.depth > maxYAMLDepth {
		return nil, false
	}
	defer func() { p.depth-- }()
	n := p.node(i, yaml.MappingNode, "!!map")
	col := i - p.off
	base := len(p.kids)
	for {
		key, end, ok := p.key(i)
		if !ok {
			return nil, false
		}
		p.kids = append(p.kids, key)
		v, ok := p.value(end, col, true)
		if !ok {
			return nil, false
		}
		p.kids = append(p.kids, v)
		more, ok := p.next(col)
		if !ok {
			return nil, false
		}
		if !more {
			break
		}
		i = p.off + col
	}
	p.collect(n, base)
	return n, true
}

// value reads a mapping's value (inMapping) or a sequence's entry, which
// starts after its indicator at offset i of the current line, in the
// collection whose entries stand at indentation col; the line after it
// is the next one read.
func (p *yamlParser) value(i, col int, inMapping bool) (*yaml.Node, bool) {
	j := p.spaces(i)
	if p.eol(j) || j > i && p.data[j] == '#' {
		// On the lines that follow, or none: an empty value, a null
		// where ':' ends.
		var null *yaml.Node
		if inMapping {
			null = p.node(i, yaml.ScalarNode, "!!null")
		}
		p.nextLine()
		indent, bad := p.content()
		switch {
		case bad:
			return nil, false
		case indent > col:
			return p.block(p.off + indent)
		case inMapping && indent == col && p.entry(p.off+indent):
			return p.sequence(p.off+indent, true)
		case inMapping:
			return null, true
		}
		return nil, false // an empty entry
	}
	if j == i {
		return nil, false // no space after the indicator
	}
	if p.entry(j) {
		if inMapping {
			return nil, false
		}
		return p.sequence(j, false) // "- - x"
	}
	var n *yaml.Node
	var end int
	var ok bool
	if c := p.data[j]; c == '[' || c == '{' {
		n, end, ok = p.flow(j)
	} else {
		if end, ok = p.scalarEnd(j); !ok {
			return nil, false
		}
		if _, key := p.colon(end); key {
			if inMapping {
				return nil, false // "a: b: c"
			}
			return p.mapping(j) // "- key: value"
		}
		n, ok = p.scalar(j, end)
	}
	if !ok || !p.restBlank(end) {
		return nil, false
	}
	p.nextLine()
	return n, true
}

// scalarEnd returns the offset after the scalar, quoted or plain, that
// starts at offset i of a line in block context.
func (p *yamlParser) scalarEnd(i int) (int, bool) {
	if c := p.data[i]; c == '"' || c == '\'' {
		return p.quotedEnd(i)
	}
	return p.plainEnd(i, false)
}

// colon returns the offset after the ':' of a mapping's entry that
// follows a scalar ending at offset end, if one does.
func (p *yamlParser) colon(end int) (after int, ok bool) {
	k := p.spaces(end)
	if p.eol(k) || p.data[k] != ':' || !p.blankz(k+1) {
		return 0, false
	}
	return k + 1, true
}

// keyEnd returns the end of the key starting at offset i of a line, and
// the offset after its ':', if a key does (within maxYAMLKey of i).
func (p *yamlParser) keyEnd(i int) (end, after int, ok bool) {
	end, ok = p.scalarEnd(i)
	if !ok || end-i > maxYAMLKey {
		return 0, 0, false
	}
	if after, ok = p.colon(end); !ok || after-i > maxYAMLKey {
		return 0, 0, false
	}
	return end, after, true
}

// key reads the key starting at offset i, and returns the offset after
// its ':'.
func (p *yamlParser) key(i int) (*yaml.Node, int, bool) {
	end, after, ok := p.keyEnd(i)
	if !ok {
		return nil, 0, false
	}
	n, ok := p.scalar(i, end)
	return n, after, ok
}

// scalar returns the node of the scalar, quoted or plain, from offset i
// to end.
func (p *yamlParser) scalar(i, end int) (*yaml.Node, bool) {
	tag, value, ok := p.scalarText(i, end)
	if !ok {
		return nil, false
	}
	n := p.node(i, yaml.ScalarNode, tag)
	n.Value = value
	switch p.data[i] {
	case '\'':
		n.Style = yaml.SingleQuotedStyle
	case '"':
		n.Style = yaml.DoubleQuotedStyle
	}
	return n, true
}

// scalarText returns the tag and the value of the scalar, quoted or plain,
// from offset i to end: what its node holds.
func (p *yamlParser) scalarText(i, end int) (tag, value string, ok bool) {
	q := p.data[i]
	if q != '"' && q != '\'' {
		tag, ok = plainTag(p.src[i:end])
		return tag, p.src[i:end], ok
	}
	value, ok = unquote(p.src[i+1:end-1], q)
	return "!!str", value, ok
}

// plainStart reports whether a plain scalar can start at offset i: not at
// an indicator, but for a '-' that is not one.
func (p *yamlParser) plainStart(i int, flow bool) bool {
	if p.eol(i) {
		return false
	}
	switch p.data[i] {
	case '-':
		if p.blankz(i + 1) {
			return false
		}
		switch p.data[i+1] {
		case ',', '[', ']', '{', '}', '#', ':', '?':
			return false
		}
		return true
	case '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ':
		return false
	}
	return true
}

// plainStops are the characters plainEnd looks at: every other one is part
// of the scalar.
var plainStops = [256]bool{'\n': true, '\r': true, ' ': true, ':': true, ',': true, '[': true, ']': true, '{': true, '}': true, '?': true}

// plainEnd returns the end of the plain scalar starting at offset i, after
// its last character: where a ':' and a space, a comment or the line's
// end follows; in a flow collection, also a flow indicator. ok is false
// where the scalar cannot start, or holds what fastYAML leaves to the YAML
// parser: in a flow collection, '?' or a ':' that is not an indicator, or
// a comment (the collection would go on on the next line).
func (p *yamlParser) plainEnd(i int, flow bool) (end int, ok bool) {
	if !p.plainStart(i, flow) {
		return 0, false
	}
	end = i
	for j := i; ; {
		// The characters that end or stop nothing, in one run.
		k := j
		for k < len(p.data) && !plainStops[p.data[k]] {
			k++
		}
		if k > j {
			j, end = k, k
		}
		if p.eol(j) {
			return end, !flow
		}
		switch c := p.data[j]; c {
		case ' ':
			k := p.spaces(j)
			if !p.eol(k) && p.data[k] == '#' {
				return end, !flow // a comment
			}
			j = k
			continue
		case ':':
			if p.blankz(j + 1) {
				return end, true
			}
			if flow {
				return 0, false
			}
		case ',', '[', ']', '{', '}':
			if flow {
				return end, true
			}
		case '?':
			if flow {
				return 0, false
			}
		}
		j++
		end = j
	}
}

// plain reads the plain scalar starting at offset i, and returns the
// offset after it.
func (p *yamlParser) plain(i int, flow bool) (*yaml.Node, int, bool) {
	end, ok := p.plainEnd(i, flow)
	if !ok {
		return nil, 0, false
	}
	n, ok := p.scalar(i, end)
	return n, end, ok
}

// quotedEnd returns the offset after the quoted scalar starting at offset
// i, which must end on its line.
func (p *yamlParser) quotedEnd(i int) (int, bool) {
	q := p.data[i]
	for j := i + 1; !p.eol(j); j++ {
		switch p.data[j] {
		case q:
			if q == '\'' && j+1 < len(p.data) && p.data[j+1] == '\'' {
				j++ // '' is a quote
				continue
			}
			return j + 1, true
		case '\\':
			if q == '"' {
				j++
			}
		}
	}
	return 0, false
}

// quoted reads the quoted scalar starting at offset i, and returns the
// offset after it.
func (p *yamlParser) quoted(i int) (*yaml.Node, int, bool) {
	end, ok := p.quotedEnd(i)
	if !ok {
		return nil, 0, false
	}
	n, ok := p.scalar(i, end)
	return n, end, ok
}

// unquote returns the value of a quoted scalar's text between its quotes
// q: in a single-quoted one, two quotes stand for one; a double-quoted
// one's escapes of one character are read, others refused.
func unquote(raw string, q byte) (string, bool) {
	k := 0
	for k < len(raw) && raw[k] != '\\' && (q != '\'' || raw[k] != '\'') {
		k++
	}
	if k == len(raw) {
		return raw, true
	}
	buf := make([]byte, 0, len(raw))
	buf = append(buf, raw[:k]...)
	for k < len(raw) {
		c := raw[k]
		k++
		if q == '\'' {
			buf = append(buf, c)
			if c == '\'' {
				k++ // the second of ''
			}
			continue
		}
		if c != '\\' {
			buf = append(buf, c)
			continue
		}
		if k == len(raw) {
			return "", false
		}
		e := raw[k]
		k++
		switch e {
		case '0':
			c = 0
		case 'a':
			c = '\a'
		case 'b':
			c = '\b'
		case 't':
			c = '\t'
		case 'n':
			c = '\n'
		case 'v':
			c = '\v'
		case 'f':
			c = '\f'
		case 'r':
			c = '\r'
		case 'e':
			c = 0x1b
		case ' ', '"', '\'', '\\':
			c = e
		default:
			return "", false // \x, \u, \U, \N, \_, \L, \P, or not an escape
		}
		buf = append(buf, c)
	}
	return string(buf), true
}

// flow reads the flow collection starting at offset i, which must end on
// its line, and returns the offset after it.
func (p *yamlParser) flow(i int) (*yaml.Node, int, bool) {
	if p.depth++; p.depth > maxYAMLDepth {
		return nil, 0, false
	}
	defer func() { p.depth-- }()
	mapping := p.data[i] == '{'
	var n *yaml.Node
	closer := byte(']')
	if mapping {
		n = p.node(i, yaml.MappingNode, "!!map")
		closer = '}'
	} else {
		n = p.node(i, yaml.SequenceNode, "!!seq")
	}
	n.Style = yaml.FlowStyle
	base := len(p.kids)
	j := p.spaces(i + 1)
	if !p.eol(j) && p.data[j] == closer {
		return n, j + 1, true
	}
	for {
		if mapping {
			var key *yaml.Node
			var ok bool
			at := j
			switch c := p.eolByte(j); c {
			case '"', '\'':
				key, j, ok = p.quoted(j)
				j = p.spaces(j)
			default:
				key, j, ok = p.plain(j, true)
				j = p.spaces(j)
			}
			if !ok || p.eolByte(j) != ':' || !p.blankz(j+1) || j+1-at > maxYAMLKey {
				return nil, 0, false
			}
			p.kids = append(p.kids, key)
			j = p.spaces(j + 1)
		}
		var v *yaml.Node
		var ok bool
		switch c := p.eolByte(j); c {
		case '[', '{':
			v, j, ok = p.flow(j)
		case '"', '\'':
			v, j, ok = p.quoted(j)
		default:
			v, j, ok = p.plain(j, true)
		}
		if !ok {
			return nil, 0, false
		}
		p.kids = append(p.kids, v)
		var more bool
		if j, more, ok = p.flowNext(j, closer); !ok {
			return nil, 0, false
		}
		if !more {
			p.collect(n, base)
			return n, j, true
		}
	}
}

// flowNext reads what follows an entry of a flow collection closed by
// closer, from offset j: a ',' and the next entry, which starts at next
// (more), or the closer, next the offset after it. ok is false for
// anything else: an empty entry, a ':' in a sequence, the line's end.
func (p *yamlParser) flowNext(j int, closer byte) (next int, more, ok bool) {
	j = p.spaces(j)
	switch p.eolByte(j) {
	case ',':
		j = p.spaces(j + 1)
		if c := p.eolByte(j); c == closer || c == ',' {
			return 0, false, false // an empty entry
		}
		return j, true, true
	case closer:
		return j + 1, false, true
	}
	return 0, false, false
}

// eolByte is the byte at offset i, or '\n' past the end (a line's end,
// as '\n' and '\r' are).
func (p *yamlParser) eolByte(i int) byte {
	if i >= len(p.data) {
		return '\n'
	}
	return p.data[i]
}
