// Package docdecode decodes YAML and JSON documents into values of any
// struct type, strictly, keeping the document path, line and column of
// every value and of every problem.
//
// A struct's fields are the document keys of their yaml tags, or of their
// json tags when they have no yaml tag (see [Key]). Unknown keys,
// values of the wrong type, dates not written YYYY-MM-DD, numbers that are
// not finite or not written in decimal, duplicate keys, YAML merge keys and
// aliases that leave their own document are all problems. Following YAML
// aliases is bounded by the input's size. Problems come back as [Problem]
// values for the caller to turn into its own error type; the caller decides
// what a document must hold, and reports its own problems (such as a
// duplicate id) through the same [Decoder], so that all are counted alike.
package docdecode

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Kind is the kind of a problem.
type Kind uint8

// Kinds of problem.
const (
	// Syntax: the input is not well-formed (YAML or JSON syntax, a
	// duplicate key, an empty input, a second document where one is
	// expected, an alias out of bounds).
	Syntax Kind = iota + 1
	// Type: a value of the wrong type for its field.
	Type
	// UnknownField: a key the struct does not define.
	UnknownField
	// Invalid: a value of the right type that breaks a rule of the
	// caller's; the decoder itself reports one: a required field (see
	// [Required]) left out or given null.
	Invalid
)

// Format is the syntax of an input.
type Format uint8

// Formats of input.
const (
	// YAML: a YAML stream, which takes in JSON too (with JSON's exact
	// positions for its syntax errors).
	YAML Format = iota + 1
	// JSON: strict JSON, one value; what only YAML allows (trailing commas,
	// single quotes, comments, a second value) is a syntax problem.
	JSON
)

// Problem is one problem found in the input.
type Problem struct {
	// Path is the value's path in the document's keys, such as
	// "qualifications[0].level"; empty for the document as a whole.
	Path string
	// Line and Column are 1-based; 0 when unknown.
	Line, Column int
	Kind         Kind
	// Msg describes the problem for a person.
	Msg string
}

// Position is where a decoded value stands in its document.
type Position struct {
	Path         string // in the document's own paths: "qualifications[0].level"
	Line, Column int32
}

// What names, for messages, what one document holds.
type What struct {
	A   string // as in "empty document: want an applicant"
	One string // as in "a file holds one applicant"
}

// Doc is one document of the input, or one entry of a list document.
type Doc struct {
	n *yaml.Node
	// Path prefixes the paths of the document's values: "" for a document,
	// "[2]" for the third entry of a list.
	Path string
}

// aliasAllowance is how many node visits a document gets beyond twice its
// size in bytes, so that YAML aliases cannot make decoding explode.
const aliasAllowance = 10000

// Decoder holds the state of decoding one input: the problems found so
// far and the remaining work budget. It is for one goroutine.
type Decoder struct {
	data     []byte
	what     What
	problems []Problem
	max      int // problems kept; further ones are only counted
	dropped  int
	budget   int
	json     bool       // the input must be strict JSON
	at       []Position // where each value of the document being decoded stands
	// foreign holds the aliases that named an anchor of another document of
	// the stream, with that anchor; parse cut them off from it.
	foreign map[*yaml.Node]*yaml.Node
	// arena holds the nodes of a document's tree (fastJSON, fastYAML) until
	// Release.
	arena *jsonArena
	// quiet: TryDecode is decoding, keeping neither paths nor positions,
	// and failed says it met a problem (which it does not record).
	quiet, failed bool
	// text is the input as a string, once made (Text).
	text string
	// fastTree: the tree was built by fastYAML or fastJSON, whose nodes
	// are no aliases and have short tags (tryTree).
	fastTree bool
	values   // the new values of pointer fields
	// lastType and lastPlan are planOf's last answer (Decoder.planOf).
	lastType reflect.Type
	lastPlan *plan
}

// New returns a Decoder of data in format f, which must be YAML or JSON. It
// keeps at most maxProblems problems and counts the rest.
func New(data []byte, f Format, what What, maxProblems int) *Decoder {
	return &Decoder{
		json:   f == JSON,
		data:   data,
		what:   what,
		max:    maxProblems,
		budget: 2*len(data) + aliasAllowance,
	}
}

// Documents reads the input into its documents. With single, a second
// document is a problem (and the first is still returned). ok is false when
// the input is not well-formed; the documents before the fault are
// returned all the same. An empty document decodes as null.
func (d *Decoder) Documents(single bool) (docs []Doc, ok bool) {
	roots, ok := d.parse(single)
	docs = make([]Doc, len(roots))
	for i, n := range roots {
		docs[i] = Doc{n: n}
	}
	return docs, ok
}

// Entries returns the items of a batch: the entries of docs' one document
// when it is a list, their paths "[0]", "[1]", ...; else docs themselves.
func (d *Decoder) Entries(docs []Doc) []Doc {
	if len(docs) != 1 {
		return docs
	}
	list := d.resolve(docs[0].n)
	if list.Kind != yaml.SequenceNode {
		return docs
	}
	entries := make([]Doc, len(list.Content))
	for i, n := range list.Content {
		entries[i] = Doc{n: n, Path: "[" + strconv.Itoa(i) + "]"}
	}
	return entries
}

// Decode decodes doc, a mapping, into the struct v points at, and returns
// where each of its values stands, by the paths of the document's own values
// (without doc.Path), in document order. The positions are the caller's,
// to keep. A null document is a problem.
func (d *Decoder) Decode(doc Doc, v reflect.Value) []Position {
	// The positions of this document alone, in a list of their own: about
	// one for each key and list entry, so make room at once rather than
	// growing by doubling (as many as the last document's, in a stream).
	n := len(d.at)
	if d.arena != nil {
		n = max(n, d.arena.used/2)
	}
	d.at = make([]Position, 0, n+8)
	// Null would decode to a value with nothing in it: say so instead.
	if r := d.resolve(doc.n); r.Kind == yaml.ScalarNode && r.ShortTag() == "!!null" {
		d.typeError(r, doc.Path, d.what.A+" (a mapping)")
		return d.at
	}
	d.decodeValue(doc.n, v.Elem(), doc.Path)
	if doc.Path != "" {
		for i := range d.at {
			d.at[i].Path = strings.TrimPrefix(strings.TrimPrefix(d.at[i].Path, doc.Path), ".")
		}
	}
	return d.at
}

// TryDecode decodes doc, as Decode does, into the struct v points at,
// which must hold its zero value, and reports whether it decoded without
// a problem. It keeps no positions and records no problem: it stops at
// the first, leaving v part-decoded, for the caller to decode a new value
// with Decode, which finds and words every problem. On success v holds
// what Decode would give it, and the document's positions are what Decode
// would return for it.
func (d *Decoder) TryDecode(doc Doc, v reflect.Value) bool {
	if r := d.resolve(doc.n); r.Kind == yaml.ScalarNode && r.ShortTag() == "!!null" {
		return false
	}
	budget := d.budget
	if d.fastTree {
		// By the type's plan first; where that stops, unsure or at a
		// problem, the value is cleared and decoded again as below.
		if d.tryTree(planOf(v.Type().Elem()), doc.n, v.Elem()) {
			return true
		}
		d.budget = budget
		v.Elem().SetZero()
	}
	d.quiet, d.failed = true, false
	d.decodeValue(doc.n, v.Elem(), "")
	failed := d.failed
	d.quiet, d.failed = false, false
	if failed {
		d.budget = budget // Decode's to spend again
		return false
	}
	return true
}

// Text returns the input as a string: a copy of it, the caller's to keep,
// made once (the JSON parser's own, which decoded strings share).
func (d *Decoder) Text() string {
	if d.text == "" {
		d.text = string(d.data)
	}
	return d.text
}

// At returns the position of the value of key in doc, a mapping, or of doc
// itself when it has no such key.
func (d *Decoder) At(doc Doc, key string) (line, col int) {
	n := d.resolve(doc.n)
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1].Line, n.Content[i+1].Column
			}
		}
	}
	return n.Line, n.Column
}

// Errorf records a problem.
func (d *Decoder) Errorf(line, col int, path string, kind Kind, format string, args ...any) {
	d.errorAt(line, col, path, kind, format, args...)
}

// Problems returns the problems found, in the order found, and how many
// more were found beyond those kept.
func (d *Decoder) Problems() (problems []Problem, dropped int) {
	return d.problems, d.dropped
}

// errorAt records one problem.
func (d *Decoder) errorAt(line, col int, path string, kind Kind, format string, args ...any) {
	if d.quiet {
		d.failed = true
		return
	}
	if len(d.problems) >= d.max {
		d.dropped++
		return
	}
	d.problems = append(d.problems, Problem{Path: path, Line: line, Column: col, Kind: kind, Msg: fmt.Sprintf(format, args...)})
}

func (d *Decoder) errorAtNode(n *yaml.Node, path string, kind Kind, format string, args ...any) {
	d.errorAt(n.Line, n.Column, path, kind, format, args...)
}

// typeError records that n is not the wanted kind of value.
func (d *Decoder) typeError(n *yaml.Node, path, want string) {
	d.errorAtNode(n, path, Type, "want %s, got %s", want, describe(n))
}
