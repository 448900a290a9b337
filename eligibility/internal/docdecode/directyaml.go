package docdecode

import (
	"bytes"
	"reflect"
)

// DecodeYAML decodes data, one YAML document, straight into the struct v
// points at, which must hold its zero value, as DecodeJSON decodes JSON:
// without building the document's tree, keeping its positions or naming
// its paths, the fast way for the usual document, well-formed and valid.
// It reads what fastYAML reads, by the same rules and with the same
// refusals, but for flow mappings and nested flow collections, which it
// leaves to the usual way; and it decodes as tryTree decodes fastYAML's
// tree. On anything else it reports false, leaving v part-decoded, and
// the caller decodes a new value the usual way (New, Documents, Decode),
// which finds and words the problems. On success v holds what Decode
// would give it, and text is the document as a string, which v's strings
// share (as Decoder.Text). TestDecodeYAML and FuzzDecodeYAML hold it to
// Decode.
func DecodeYAML(data []byte, v reflect.Value) (text string, ok bool) {
	if _, ok := yamlReadable(data); !ok {
		return "", false
	}
	p := directYAML{yamlParser: yamlParser{data: data, src: string(data), line: 1}}
	if !p.document(planOf(v.Type().Elem()), v.Elem()) {
		return "", false
	}
	return p.src, true
}

// directYAML is DecodeYAML's reader: fastYAML's parser, whose grammar it
// follows through the parser's own helpers, decoding each value into its
// place as it reads it rather than making a node of it.
type directYAML struct {
	yamlParser
	values
	// nullRefused: the next value is a required field's, which a null
	// does not give (value reads and clears it).
	nullRefused bool
}

// document is yamlParser.document, decoding the root collection into v by
// plan pl.
func (p *directYAML) document(pl *plan, v reflect.Value) bool {
	return p.start() && p.block(p.off, pl, v) && p.end()
}

// into returns the value a collection or a scalar other than a null
// decodes into, and its plan: v itself, or the pointee of the pointer v,
// made new (tryTree's kindPointer).
func (p *directYAML) into(pl *plan, v reflect.Value) (*plan, reflect.Value) {
	for pl.kind == kindPointer {
		e := p.newValue(pl.etype)
		v.Set(e)
		pl, v = pl.elem, e.Elem()
	}
	return pl, v
}

// block is yamlParser.block.
func (p *directYAML) block(i int, pl *plan, v reflect.Value) bool {
	if p.entry(i) {
		return p.sequence(i, false, pl, v)
	}
	if _, _, ok := p.keyEnd(i); ok {
		return p.mapping(i, pl, v)
	}
	return false
}

// sequence is yamlParser.sequence, decoding the entries into the slice v
// as tryTree does.
func (p *directYAML) sequence(i int, indentless bool, pl *plan, v reflect.Value) bool {
	if p.depth++; p.depth > maxYAMLDepth {
		return false
	}
	defer func() { p.depth-- }()
	if pl, v = p.into(pl, v); pl.kind != kindSlice {
		return false
	}
	col := i - p.off
	if p.depth <= maxCountDepth {
		v.Grow(p.entries(col))
	}
	for n := 0; ; n++ {
		v.Grow(1) // room already, unless entries miscounted
		v.SetLen(n + 1)
		if !p.value(i+1, col, false, pl.elem, v.Index(n)) {
			return false
		}
		if more, ok := p.next(col); !more {
			return ok
		}
		if i = p.off + col; !p.entry(i) {
			return indentless
		}
	}
}

// maxCountDepth bounds the nesting at which sequence counts its entries
// before reading them (entries), each count reading the lines ahead once:
// the work on a document stays at most its size times this, however deep
// a recursive type lets it nest. Deeper sequences grow as they are read.
const maxCountDepth = 8

// entries counts the entries of the block sequence whose first entry is
// on the current line, its entries at indentation col: that line, and the
// lines after it at indentation col that start an entry, up to a line
// less indented or at col and not an entry, blank lines and comments
// aside. It is the slice's length for sequence to make room for at once.
func (p *directYAML) entries(col int) int {
	n := 1
	for off := p.off; ; {
		k := bytes.IndexByte(p.data[off:], '\n')
		if k < 0 {
			return n
		}
		off += k + 1
		j := p.spaces(off)
		if p.eol(j) || p.data[j] == '#' {
			continue
		}
		switch indent := j - off; {
		case indent < col:
			return n
		case indent == col:
			if !p.entry(j) {
				return n
			}
			n++
		}
	}
}

// mapping is yamlParser.mapping, decoding the entries into the struct v
// as tryStruct does.
func (p *directYAML) mapping(i int, pl *plan, v reflect.Value) bool {
	if p.depth++; p.depth > maxYAMLDepth {
		return false
	}
	defer func() { p.depth-- }()
	if pl, v = p.into(pl, v); pl.kind != kindStruct || len(pl.fields) > 64 {
		return false
	}
	col := i - p.off
	var seen uint64 // the fields whose keys have come
	next := 0       // where the next key's field is likely (fieldFrom)
	for {
		end, after, ok := p.keyEnd(i)
		if !ok {
			return false
		}
		tag, key, ok := p.scalarText(i, end)
		if !ok || tag == "!!merge" {
			return false
		}
		j := fieldFrom(pl.fields, key, next)
		if j < 0 || seen&(1<<j) != 0 {
			return false // an unknown key, or one that came before
		}
		seen |= 1 << j
		next = j + 1
		f := &pl.fields[j]
		p.nullRefused = f.required
		if !p.value(after, col, true, f.plan, v.Field(f.index)) {
			return false
		}
		if more, ok := p.next(col); !more {
			return ok && seen&pl.required == pl.required
		}
		i = p.off + col
	}
}

// value is yamlParser.value, decoding the value into v by plan pl: a null
// leaves a mapping's value as it is (but for a required field's:
// nullRefused), and is a problem as a sequence's entry.
func (p *directYAML) value(i, col int, inMapping bool, pl *plan, v reflect.Value) bool {
	nullOK := inMapping && !p.nullRefused
	p.nullRefused = false
	j := p.spaces(i)
	if p.eol(j) || j > i && p.data[j] == '#' {
		p.nextLine()
		indent, bad := p.content()
		switch {
		case bad:
			return false
		case indent > col:
			return p.block(p.off+indent, pl, v)
		case inMapping && indent == col && p.entry(p.off+indent):
			return p.sequence(p.off+indent, true, pl, v)
		}
		return nullOK // a null, or an empty entry
	}
	if j == i {
		return false // no space after the indicator
	}
	if p.entry(j) {
		return !inMapping && p.sequence(j, false, pl, v) // "- - x"
	}
	var end int
	var ok bool
	if c := p.data[j]; c == '[' {
		end, ok = p.flow(j, pl, v)
	} else if c == '{' {
		return false // the usual way
	} else {
		if end, ok = p.scalarEnd(j); !ok {
			return false
		}
		if _, key := p.colon(end); key {
			return !inMapping && p.mapping(j, pl, v) // "- key: value", not "a: b: c"
		}
		ok = p.scalarValue(j, end, nullOK, pl, v)
	}
	if !ok || !p.restBlank(end) {
		return false
	}
	p.nextLine()
	return true
}

// scalarValue decodes the scalar from offset i to end into v by plan pl,
// as tryTree does; a null only where nullOK.
func (p *directYAML) scalarValue(i, end int, nullOK bool, pl *plan, v reflect.Value) bool {
	tag, value, ok := p.scalarText(i, end)
	if !ok {
		return false
	}
	if tag == "!!null" {
		return nullOK // absent, the zero value staying; or a null entry
	}
	pl, v = p.into(pl, v)
	return scalarInto(pl.kind, v, tag, value)
}

// flow reads the flow sequence of scalars starting at offset i, which must
// end on its line, as yamlParser.flow does, decoding its entries into the
// slice v; it returns the offset after it. A flow mapping or a nested
// flow collection it leaves to the usual way.
func (p *directYAML) flow(i int, pl *plan, v reflect.Value) (int, bool) {
	if p.depth+1 > maxYAMLDepth {
		return 0, false
	}
	if pl, v = p.into(pl, v); pl.kind != kindSlice {
		return 0, false
	}
	j := p.spaces(i + 1)
	if p.eolByte(j) == ']' {
		v.Set(pl.empty)
		return j + 1, true
	}
	for n := 0; ; n++ {
		var end int
		var ok bool
		switch p.eolByte(j) {
		case '[', '{':
			return 0, false
		case '"', '\'':
			end, ok = p.quotedEnd(j)
		default:
			end, ok = p.plainEnd(j, true)
		}
		if !ok {
			return 0, false
		}
		v.Grow(1)
		v.SetLen(n + 1)
		if !p.scalarValue(j, end, false, pl.elem, v.Index(n)) {
			return 0, false
		}
		next, more, ok := p.flowNext(end, ']')
		if !ok || !more {
			return next, ok
		}
		j = next
	}
}
