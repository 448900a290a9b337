package docdecode

import (
	"math"
	"reflect"

	"go.yaml.in/yaml/v3"
)

// tryTree is TryDecode of n, a node of a tree fastYAML or fastJSON built,
// into v, of the type pl is the plan of (direct.go): decodeValue's rules,
// with what decodeValue finds out by reflection at every value worked out
// once per type, and the checks such a tree makes needless left out (its
// nodes are never aliases, and their tags are short: "!!str", never
// "tag:yaml.org,2002:str"). It reports false wherever decodeValue would
// record a problem, and where it is unsure: a boolean or a number written
// other than the usual way (True, 0x1F), a struct of more than 64 fields.
// v is then part-decoded, and the caller decodes a new value the usual
// way, which words the problem. TestTryTree holds it to decodeValue.
func (d *Decoder) tryTree(pl *plan, n *yaml.Node, v reflect.Value) bool {
	if d.budget--; d.budget <= 0 {
		return false
	}
	tag := shortTagOf(n)
	if n.Kind == yaml.ScalarNode && tag == "!!null" {
		return true // absent: the zero value stays
	}
	switch pl.kind {
	case kindString, kindBool, kindFloat, kindInt, kindUint, kindDate:
		return n.Kind == yaml.ScalarNode && scalarInto(pl.kind, v, tag, n.Value)
	case kindPointer:
		e := d.newValue(pl.etype)
		if !d.tryTree(pl.elem, n, e.Elem()) {
			return false
		}
		v.Set(e)
	case kindSlice:
		if n.Kind != yaml.SequenceNode {
			return false
		}
		if len(n.Content) == 0 {
			v.Set(pl.empty)
			return true
		}
		v.Grow(len(n.Content))
		v.SetLen(len(n.Content))
		for i, e := range n.Content {
			if e.Kind == yaml.ScalarNode && shortTagOf(e) == "!!null" {
				return false // a null entry is a problem
			}
			if !d.tryTree(pl.elem, e, v.Index(i)) {
				return false
			}
		}
	case kindStruct:
		return d.tryStruct(pl, n, v)
	default:
		return false
	}
	return true
}

// tryStruct is tryTree of a mapping into a struct: every key known, none
// twice, as decodeStruct requires.
func (d *Decoder) tryStruct(pl *plan, n *yaml.Node, v reflect.Value) bool {
	if n.Kind != yaml.MappingNode || len(pl.fields) > 64 {
		return false
	}
	var seen uint64 // the fields whose keys have come
	next := 0       // where the next key's field is likely (fieldFrom)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i]
		if key.Kind != yaml.ScalarNode || shortTagOf(key) == "!!merge" {
			return false
		}
		j := fieldFrom(pl.fields, key.Value, next)
		if j < 0 || seen&(1<<j) != 0 {
			return false // an unknown key, or one that came before
		}
		seen |= 1 << j
		next = j + 1
		f := &pl.fields[j]
		if val := n.Content[i+1]; f.required && val.Kind == yaml.ScalarNode && shortTagOf(val) == "!!null" {
			return false // a required field given null: decodeStruct words it
		}
		if !d.tryTree(f.plan, n.Content[i+1], v.Field(f.index)) {
			return false
		}
	}
	return seen&pl.required == pl.required
}

// scalarInto sets v, a value of plan kind k (a string, a boolean, a number
// or a date), to the scalar value of tag tag (its short form, "!!str"),
// as decodeValue would, and reports whether it did; false where
// decodeValue would record a problem, and where it is unsure: a boolean
// or a number written other than the usual way (True, 0x1F). A null is
// the caller's to handle.
func scalarInto(k planKind, v reflect.Value, tag, value string) bool {
	switch k {
	case kindString:
		if tag != "!!str" {
			return false
		}
		v.SetString(value)
	case kindBool:
		if tag != "!!bool" {
			return false
		}
		switch value {
		case "true":
			v.SetBool(true)
		case "false":
		default:
			return false // another spelling: YAML's decoder reads it
		}
	case kindFloat, kindInt, kindUint:
		if tag != "!!int" && tag != "!!float" {
			return false
		}
		f, ok := decimalValue(tag, value) // decimal: notDecimal has nothing to say
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) || !setNumber(k, v, f, value) {
			return false
		}
	case kindDate:
		if tag != "!!str" && tag != "!!timestamp" || !setDate(v, value) {
			return false
		}
	default:
		return false
	}
	return true
}

// shortTagOf is n.ShortTag() without its work for the tags fast trees
// hold: one written "!!" already is its own short form.
func shortTagOf(n *yaml.Node) string {
	if t := n.Tag; len(t) > 2 && t[0] == '!' && t[1] == '!' {
		return t
	}
	return n.ShortTag()
}
