package docdecode

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/eligo-dev/eligo/rules/file"
	"go.yaml.in/yaml/v3"
)

// parse reads the YAML stream into document roots. With single, a second document is
// an error. It reports false when the stream is not well-formed.
func (d *Decoder) parse(single bool) (roots []*yaml.Node, ok bool) {
	defer func() {
		// The YAML parser is third-party code; a panic in it must not reach the caller.
		if r := recover(); r != nil {
			d.errorAt(0, 0, "", Syntax, "the YAML parser failed: %v", r)
			ok = false
		}
	}()
	if d.arena == nil {
		d.arena = jsonArenas.Get().(*jsonArena)
	}
	if !d.json {
		// The usual YAML document: its tree without the YAML parser.
		if root, src, ok := fastYAMLText(d.data, d.arena); ok {
			d.text, d.fastTree = src, true
			return []*yaml.Node{root}, true
		}
	}
	if d.json {
		// A file that says it is JSON is read as JSON, never by the YAML
		// parser, which accepts much that JSON does not (trailing commas,
		// single quotes, comments) and reads some JSON otherwise.
		root, src, off, msg, ok := fastJSONText(d.data, d.arena)
		if ok {
			d.text, d.fastTree = src, true
			return []*yaml.Node{root}, true
		}
		if soff, smsg, bad := jsonSyntaxError(d.data, true, d.what.A); bad {
			off, msg = soff, smsg
		} else if msg == "" {
			// fastJSON refuses JSON only with a problem (FuzzFastJSON).
			msg = "not read as JSON"
		}
		line, col := file.Offset(d.data, off)
		d.errorAt(line, col, "", Syntax, "%s", msg)
		return nil, false
	}
	dec := yaml.NewDecoder(bytes.NewReader(d.data))
	anchors := make(map[*yaml.Node]int)
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return roots, true
		}
		if err != nil {
			d.syntaxError(err)
			return roots, false
		}
		if single && len(roots) == 1 {
			d.errorAtNode(&doc, "", Syntax, "a second YAML document starts here: a file holds %s", d.what.One)
			return roots, true
		}
		if len(doc.Content) == 0 {
			// An empty document, such as a bare "---".
			roots = append(roots, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: doc.Line, Column: doc.Column})
			continue
		}
		d.isolate(doc.Content[0], len(roots), anchors)
		roots = append(roots, doc.Content[0])
	}
}

// Release gives back the memory of the documents' trees for the next
// Decoder to use. Call it once done with d and everything it returned:
// after it, d and its Docs must not be used. The values decoded into, the
// Positions and the Problems stay the caller's. Without Release the
// memory is collected as garbage, as usual.
func (d *Decoder) Release() {
	if a := d.arena; a != nil {
		d.arena = nil
		if a.total <= maxArenaNodes {
			a.reset()
			jsonArenas.Put(a)
		}
	}
}

// isolate cuts off the aliases in the document rooted at root (the stream's
// document number doc) that name an anchor of an earlier document. The YAML
// parser keeps one anchor table for a whole stream, so that in a batch of
// "---" separated applicants one applicant's document could otherwise take
// in another's values (a verified qualification, say). anchors records the
// document of every anchor seen so far. A cut alias is left without a
// target and recorded in d.foreign, so decoding reports it where it stands.
func (d *Decoder) isolate(root *yaml.Node, doc int, anchors map[*yaml.Node]int) {
	// The parser bounds the nesting depth; walk without recursion all the same.
	stack := []*yaml.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Anchor != "" {
			anchors[n] = doc
		}
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			if at, ok := anchors[n.Alias]; !ok || at != doc {
				if d.foreign == nil {
					d.foreign = make(map[*yaml.Node]*yaml.Node)
				}
				d.foreign[n] = n.Alias
				n.Alias = nil
			}
		}
		// Children in reverse, so that nodes are visited in document order
		// and an anchor is recorded before the aliases that follow it.
		for i := len(n.Content) - 1; i >= 0; i-- {
			stack = append(stack, n.Content[i])
		}
	}
}

// syntaxError records a YAML parser error, where it stands: from
// encoding/json for input that looks like JSON, which places it exactly;
// else as file.YAMLErrorAt finds it.
func (d *Decoder) syntaxError(err error) {
	if off, jsonMsg, ok := jsonSyntaxError(d.data, false, d.what.A); ok {
		line, col := file.Offset(d.data, off)
		d.errorAt(line, col, "", Syntax, "%s", jsonMsg)
		return
	}
	line, col := file.YAMLErrorAt(d.data, err)
	d.errorAt(line, col, "", Syntax, "%s", file.YAMLErrorMsg(err))
}

// jsonSyntaxError reports where data stops being one JSON value. Unless
// strict, data that does not look like JSON (starting with '{' or '[') is
// not judged. Strict, empty data is an error: want names what a document
// holds ("an applicant").
func jsonSyntaxError(data []byte, strict bool, want string) (offset int, msg string, ok bool) {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		if strict {
			return 0, "empty document: want " + want, true
		}
		return 0, "", false
	}
	if !strict && trimmed[0] != '{' && trimmed[0] != '[' {
		return 0, "", false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var v json.RawMessage
	err := dec.Decode(&v)
	var serr *json.SyntaxError
	switch {
	case errors.As(err, &serr):
		// The scanner counts the offending byte before it stops.
		return max(int(serr.Offset)-1, 0), serr.Error(), true
	case err != nil:
		// io.ErrUnexpectedEOF: the document ends too soon.
		return len(data), "unexpected end of JSON input", true
	}
	end := int(dec.InputOffset())
	rest := bytes.TrimLeft(data[end:], " \t\r\n")
	if len(rest) > 0 {
		return len(data) - len(rest), "data after the JSON value", true
	}
	return 0, "", false
}

// resolve follows aliases to the node they name.
func (d *Decoder) resolve(n *yaml.Node) *yaml.Node {
	// An alias of an alias is not valid YAML, but bound the walk all the same.
	for hops := 0; n.Kind == yaml.AliasNode && n.Alias != nil && hops < 100; hops++ {
		n = n.Alias
	}
	return n
}
