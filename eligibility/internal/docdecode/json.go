package docdecode

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// fastJSON builds the node tree of a JSON document (RFC 8259), one value,
// by JSON's rules: the tree the YAML parser builds of the JSON it reads
// alike, field for field (kinds, tags, styles, values, lines and columns),
// about ten times as fast, and the tree of what it reads otherwise as JSON
// reads it. A JSON document is never left to the YAML parser, which reads
// some JSON otherwise or not at all: tabs between tokens, a key and its
// ':' on different lines or far apart, a long key, the escapes \/ and
// surrogate pairs (\ud83d\ude00), characters YAML will not read or takes
// for line breaks (U+0085, U+2028). A number is tagged as the YAML parser
// resolves it: an int when it parses as a 64-bit integer, signed or not,
// else a float, out of range too (decoding then refuses it).
//
// It reports false on what is not JSON, a syntax error that
// jsonSyntaxError finds and words, and on JSON that is no document's,
// with the problem in msg and where it lies, offset off: invalid UTF-8, an
// escaped surrogate that is not half of a pair, nesting deeper than
// maxJSONDepth. TestFastJSON and FuzzFastJSON hold it to encoding/json's
// values and to the YAML parser's trees of what it reads alike.
//
// Its nodes come from a, which the caller gives back to the pool when the
// tree is done with (Decoder.Release).
func fastJSON(data []byte, a *jsonArena) (*yaml.Node, bool) {
	root, _, _, _, ok := fastJSONText(data, a)
	return root, ok
}

// fastJSONText is fastJSON, also returning the document as the string its
// tree's values share, and when it refuses JSON, the problem.
func fastJSONText(data []byte, a *jsonArena) (root *yaml.Node, src string, off int, msg string, ok bool) {
	// One string of the whole document: values without escapes are
	// slices of it, not copies (a decoded value's strings keep it).
	p := jsonParser{data: data, src: string(data), line: 1, col: 1, arena: a, kids: a.stack[:0]}
	defer func() {
		clear(p.kids[:cap(p.kids)]) // for the collector; empty on success
		a.stack = p.kids[:0]
	}()
	p.space()
	root, ok = p.value(0)
	if !ok {
		return nil, "", p.problemAt, p.problem, false
	}
	p.space()
	if p.off != len(p.data) {
		return nil, "", 0, "", false
	}
	return root, p.src, 0, "", true
}

type jsonParser struct {
	data      []byte
	src       string // data as a string
	off       int
	line, col int // of data[off], 1-based; col in characters
	arena     *jsonArena
	kids      []*yaml.Node // the children of the containers being parsed
	// What is wrong with the JSON refused, and its offset; "" for a
	// syntax error.
	problem   string
	problemAt int
}

// refuse records what is wrong with the JSON at offset off, and returns
// false.
func (p *jsonParser) refuse(off int, problem string) bool {
	p.problem, p.problemAt = problem, off
	return false
}

// maxJSONDepth bounds nesting: deeper, a document is refused.
const maxJSONDepth = 1000

func (p *jsonParser) node() *yaml.Node {
	n := p.arena.node()
	n.Line, n.Column = p.line, p.col // the rest is zero (jsonArena.node)
	return n
}

// jsonArena holds the nodes of fastJSON's trees, and their children
// lists, in slabs reused from one document to the next: a tree is
// garbage once its document is decoded, and allocating its nodes one by
// one was most of the cost of decoding JSON.
type jsonArena struct {
	nodes [][]yaml.Node // slabs; the last one is being filled
	used  int           // nodes taken from the last slab
	kids  [][]*yaml.Node
	kused int
	total int // nodes in all slabs
	// stack is the parser's list of the children of the containers
	// being parsed, kept for the next document.
	stack []*yaml.Node
}

var jsonArenas = sync.Pool{New: func() any { return new(jsonArena) }}

// maxArenaNodes bounds the arenas kept for reuse: one that a very large
// document grew is left to the garbage collector.
const maxArenaNodes = 1 << 14

// node returns a new node of the arena, zero: reset clears the nodes the
// last document used, and a new slab is zero.
func (a *jsonArena) node() *yaml.Node {
	if len(a.nodes) == 0 || a.used == len(a.nodes[len(a.nodes)-1]) {
		n := max(256, a.total)
		a.nodes = append(a.nodes, make([]yaml.Node, n))
		a.total += n
		a.used = 0
	}
	a.used++
	return &a.nodes[len(a.nodes)-1][a.used-1]
}

// children returns a list of n nodes, holding no others.
func (a *jsonArena) children(n int) []*yaml.Node {
	if len(a.kids) == 0 || a.kused+n > len(a.kids[len(a.kids)-1]) {
		a.kids = append(a.kids, make([]*yaml.Node, max(1024, 2*n)))
		a.kused = 0
	}
	k := a.kids[len(a.kids)-1][a.kused : a.kused+n : a.kused+n]
	a.kused += n
	return k
}

// reset makes the arena's memory free for the next document: one slab of
// each kind, as large as all were, so that a document like the last one
// fits in one. The pointers the slabs hold are cleared, for the collector.
func (a *jsonArena) reset() {
	if len(a.nodes) > 1 {
		a.nodes = [][]yaml.Node{make([]yaml.Node, a.total)}
	} else if len(a.nodes) == 1 {
		clear(a.nodes[0][:a.used])
	}
	if len(a.kids) > 1 {
		n := 0
		for _, k := range a.kids {
			n += len(k)
		}
		a.kids = [][]*yaml.Node{make([]*yaml.Node, n)}
	} else if len(a.kids) == 1 {
		clear(a.kids[0][:a.kused])
	}
	a.used, a.kused = 0, 0
}

// space skips JSON white space, counting lines: "\r\n", "\n" and a lone
// "\r" each end one, as for the YAML reader; a tab is a column, as a space.
func (p *jsonParser) space() {
	for p.off < len(p.data) {
		switch p.data[p.off] {
		case ' ', '\t':
			p.off++
			p.col++
		case '\n':
			p.off++
			p.line, p.col = p.line+1, 1
		case '\r':
			p.off++
			if p.off < len(p.data) && p.data[p.off] == '\n' {
				p.off++
			}
			p.line, p.col = p.line+1, 1
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (*yaml.Node, bool) {
	if p.off >= len(p.data) {
		return nil, false
	}
	if depth > maxJSONDepth {
		return nil, p.refuse(p.off, fmt.Sprintf("nested more than %d deep", maxJSONDepth))
	}
	switch c := p.data[p.off]; {
	case c == '{':
		return p.container(depth, yaml.MappingNode, '}')
	case c == '[':
		return p.container(depth, yaml.SequenceNode, ']')
	case c == '"':
		n := p.node()
		s, ok := p.str()
		if !ok {
			return nil, false
		}
		n.Kind, n.Tag, n.Style, n.Value = yaml.ScalarNode, "!!str", yaml.DoubleQuotedStyle, s
		return n, true
	case c == 't':
		return p.literal("true", "!!bool")
	case c == 'f':
		return p.literal("false", "!!bool")
	case c == 'n':
		return p.literal("null", "!!null")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, false
}

func (p *jsonParser) literal(word, tag string) (*yaml.Node, bool) {
	if len(p.data)-p.off < len(word) || string(p.data[p.off:p.off+len(word)]) != word {
		return nil, false
	}
	n := p.node()
	n.Kind, n.Tag, n.Value = yaml.ScalarNode, tag, word
	p.off += len(word)
	p.col += len(word)
	return n, true
}

// number reads a JSON number, tagged as the YAML parser resolves it: an
// int when it parses as a 64-bit integer, signed or not, else a float,
// out of range too (the YAML parser would take that for a string).
func (p *jsonParser) number() (*yaml.Node, bool) {
	start := p.off
	i := p.off
	if p.data[i] == '-' {
		i++
	}
	digits := func() bool {
		j := i
		for i < len(p.data) && p.data[i] >= '0' && p.data[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(p.data) && p.data[i] == '0' {
		i++
	} else if !digits() {
		return nil, false
	}
	if i < len(p.data) && p.data[i] == '.' {
		i++
		if !digits() {
			return nil, false
		}
	}
	if i < len(p.data) && (p.data[i] == 'e' || p.data[i] == 'E') {
		i++
		if i < len(p.data) && (p.data[i] == '+' || p.data[i] == '-') {
			i++
		}
		if !digits() {
			return nil, false
		}
	}
	text := p.src[start:i]
	tag := "!!int"
	if strings.ContainsAny(text, ".eE") {
		// Not an integer (the parsers below would say so, at the
		// cost of an error value each).
		tag = "!!float"
	} else if _, err := strconv.ParseInt(text, 0, 64); err != nil {
		if _, err := strconv.ParseUint(text, 0, 64); err != nil {
			tag = "!!float"
		}
	}
	n := p.node()
	n.Kind, n.Tag, n.Value = yaml.ScalarNode, tag, text
	p.col += i - start
	p.off = i
	return n, true
}

// str reads a JSON string at p.off.
func (p *jsonParser) str() (string, bool) {
	i := p.off + 1
	start := i
	// The common case: no escapes, ASCII.
	for i < len(p.data) {
		c := p.data[i]
		if c == '"' {
			s := p.src[start:i]
			p.col += i + 1 - p.off
			p.off = i + 1
			return s, true
		}
		if c == '\\' || c < 0x20 || c >= 0x7f {
			break
		}
		i++
	}
	buf := make([]byte, 0, i-start+16)
	buf = append(buf, p.data[start:i]...)
	chars := i - start + 1 // the quote and the characters so far
	for i < len(p.data) {
		c := p.data[i]
		switch {
		case c == '"':
			p.col += chars + 1
			p.off = i + 1
			return string(buf), true
		case c < 0x20:
			return "", false
		case c == '\\':
			if i+1 >= len(p.data) {
				return "", false
			}
			e := p.data[i+1]
			i += 2
			chars += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := hex4(p.data, i)
				if !ok {
					return "", false
				}
				i += 4
				chars += 4
				if utf16.IsSurrogate(r) {
					// Half of a pair, the other half next.
					r2 := rune(0)
					if i+2 <= len(p.data) && p.data[i] == '\\' && p.data[i+1] == 'u' {
						if r2, ok = hex4(p.data, i+2); !ok {
							return "", false // not JSON
						}
					}
					if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
						return "", p.refuse(i-6, "an escaped UTF-16 surrogate (\\"+string(p.data[i-5:i])+") that is not half of a pair, so no character")
					}
					i += 6
					chars += 6
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", false
			}
		case c < 0x7f:
			buf = append(buf, c)
			i++
			chars++
		default:
			r, size := utf8.DecodeRune(p.data[i:])
			if r == utf8.RuneError && size <= 1 {
				return "", p.refuse(i, "invalid UTF-8")
			}
			buf = append(buf, p.data[i:i+size]...)
			i += size
			chars++
		}
	}
	return "", false
}

// hex4 is the UTF-16 code unit of the four hex digits at data[i:].
func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	r, err := strconv.ParseUint(string(data[i:i+4]), 16, 32)
	return rune(r), err == nil
}

// container reads an object (kind MappingNode) or an array.
func (p *jsonParser) container(depth int, kind yaml.Kind, end byte) (*yaml.Node, bool) {
	n := p.node()
	n.Kind, n.Style = kind, yaml.FlowStyle
	n.Tag = "!!seq"
	if kind == yaml.MappingNode {
		n.Tag = "!!map"
	}
	p.off++
	p.col++
	base := len(p.kids)
	p.space()
	if p.off < len(p.data) && p.data[p.off] == end {
		p.off++
		p.col++
		return n, true
	}
	for {
		if kind == yaml.MappingNode {
			if p.off >= len(p.data) || p.data[p.off] != '"' {
				return nil, false
			}
			key, ok := p.value(depth + 1)
			if !ok {
				return nil, false
			}
			p.kids = append(p.kids, key)
			p.space()
			if p.off >= len(p.data) || p.data[p.off] != ':' {
				return nil, false
			}
			p.off++
			p.col++
			p.space()
		}
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		p.kids = append(p.kids, v)
		p.space()
		if p.off >= len(p.data) {
			return nil, false
		}
		switch p.data[p.off] {
		case ',':
			p.off++
			p.col++
			p.space()
			continue
		case end:
			p.off++
			p.col++
		default:
			return nil, false
		}
		break
	}
	n.Content = p.arena.children(len(p.kids) - base)
	copy(n.Content, p.kids[base:])
	clear(p.kids[base:])
	p.kids = p.kids[:base]
	return n, true
}
