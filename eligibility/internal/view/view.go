// Package view builds the verified view of a value of any struct type: the
// value as its verified evidence alone shows it.
//
// A claim is an entry of a list, or a section behind a pointer, whose
// struct type has a bool field named Verified. [New] compiles, once per
// struct type, a [Plan] over field offsets; a [Buffers] per goroutine
// builds each view with it. The view is a shallow copy of the value in which
//
//   - every list of flagged entries keeps only its verified entries: the
//     value's own slice when all are verified, nil when the list is nil,
//     and otherwise a slice in the buffers, non-nil even when it keeps
//     nothing (the section was given, so it stays known: none verified);
//   - a pointer section with a flag becomes nil when it is unverified;
//   - a pointer section that holds lists of flagged entries (one level
//     down), with a flag of its own that is set or without one, is copied,
//     into the buffers, with those lists filtered, only when something was
//     dropped;
//   - everything else is shared with the value.
//
// So a fully verified value costs no allocation, and one with unverified
// claims none once the buffers have grown.
package view

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unsafe"
)

// Fields is a set of a model's top-level fields: bit i for field i. The
// fields from 63 on share bit 63, so a set says at worst that more fields
// differ, or are read, than do: a reader of any of them counts as reading
// all of them (fail closed).
type Fields uint64

// bit is the member of a Fields that stands for field i.
func bit(i int) Fields { return 1 << min(i, 63) }

// Name returns the name rules see struct field f by: its `expr` tag (up to
// a comma), else its Go name. ok is false for a field rules do not see: one
// unexported, or tagged `expr:"-"` or `expr:""`.
func Name(f reflect.StructField) (name string, ok bool) {
	if !f.IsExported() {
		return "", false
	}
	name = f.Name
	if tag, tagged := f.Tag.Lookup("expr"); tagged {
		name, _, _ = strings.Cut(tag, ",")
	}
	return name, name != "" && name != "-"
}

// Section is a part of the model that carries claims to verify: a list of
// flagged entries, or a section behind a pointer with a flag of its own.
type Section struct {
	Name     string // as rules name it: "cpd", or "practice.log" for a list one level down
	Field    int    // the model's field
	Inner    int    // the list's field in the section behind Field, or -1
	List     bool   // a list of entries, else a section
	Verified []int  // the index path of the Verified flag in an entry or the section
	Label    int    // the entry's `eligo:"label"` field, or -1
}

// ErrUnsupported is New's error for a model with claims in a shape the
// view does not model (a list of pointers to flagged entries, claims
// within claims): its unverified claims would show in the verified view.
var ErrUnsupported = errors.New("claims in a shape the verified view does not model")

// A ShapeError is New's error for claims in a shape the view does not
// model: at Path, the field's names as rules see them from the top, and,
// in Go, GoPath. It wraps ErrUnsupported.
type ShapeError struct {
	Path   []string
	GoPath string // "Applicant.Sec.Inner"
}

func (e *ShapeError) Error() string {
	return fmt.Sprintf("view: %s (%s): %v", strings.Join(e.Path, "."), e.GoPath, ErrUnsupported)
}

func (e *ShapeError) Unwrap() error { return ErrUnsupported }

// innerClaims returns a ShapeError for the first field of et, the struct
// of a flagged section or entry at path, that holds claims of its own
// (a Verified flag, at any depth): the view checks the outer flag alone,
// so an inner claim would show in it whatever its flag says. flagAt is
// et's own flag's field.
func innerClaims(et reflect.Type, flagAt int, path []string, goPath string) error {
	for j := 0; j < et.NumField(); j++ {
		inner := et.Field(j)
		innerName, ok := Name(inner)
		if !ok || j == flagAt {
			continue
		}
		if hasFlag(inner.Type, map[reflect.Type]bool{}) {
			return &ShapeError{Path: append(slices.Clip(path), innerName), GoPath: goPath + "." + inner.Name}
		}
	}
	return nil
}

// Plan is the verified view compiled from one struct type. It is immutable
// and safe for concurrent use.
type Plan struct {
	t         reflect.Type
	sections  []Section
	names     map[string]Fields // the rule name of each visible field
	lists     []list            // top-level lists of flagged entries
	flagged   []flagged         // pointer sections with a flag
	nested    []nested          // pointer sections without a flag, holding lists
	nbufs     int               // list buffers a Buffers needs
	listNames []string          // per list buffer: the list's name as rules see it
}

// list is a list of flagged entries, in the model or in a nested section.
type list struct {
	field int          // in its struct
	typ   reflect.Type // the slice type
	size  uintptr      // of an entry
	flag  uintptr      // the Verified flag's offset in an entry
	buf   int          // its buffer in Buffers.lists
	bit   Fields
}

// flagged is a pointer section with a Verified flag.
type flagged struct {
	off  uintptr // the pointer's offset in the model
	flag uintptr // the flag's offset in the section
	bit  Fields
}

// nested is a pointer section, with or without a flag of its own, that
// holds lists of flagged entries.
type nested struct {
	field int
	off   uintptr
	typ   reflect.Type // the section's struct type
	lists []list
	bit   Fields
}

// New compiles the verified view of struct type t. It fails with an error
// wrapping ErrUnsupported when t has claims, visible to rules, that the view
// would not filter.
func New(t reflect.Type) (*Plan, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("view: %s is not a struct", t)
	}
	p := &Plan{t: t, names: map[string]Fields{}}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, ok := Name(f)
		if !ok {
			continue
		}
		p.names[name] |= bit(i)
		switch ft := f.Type; {
		case ft.Kind() == reflect.Slice && flagOf(ft.Elem()) != nil:
			if err := innerClaims(ft.Elem(), flagOf(ft.Elem()).Index[0], []string{name}, t.Name()+"."+f.Name); err != nil {
				return nil, err
			}
			p.sections = append(p.sections, listSection(name, i, -1, ft.Elem()))
			p.lists = append(p.lists, p.newList(i, ft, name))
			continue
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct:
			st := ft.Elem()
			flagAt := -1 // the field holding the section's own flag
			if vf := flagOf(st); vf != nil {
				flagAt = vf.Index[0]
				p.sections = append(p.sections, Section{Name: name, Field: i, Inner: -1, Verified: vf.Index, Label: -1})
				p.flagged = append(p.flagged, flagged{off: f.Offset, flag: vf.Offset, bit: bit(i)})
			}
			n := nested{field: i, off: f.Offset, typ: st, bit: bit(i)}
			for j := 0; j < st.NumField(); j++ {
				inner := st.Field(j)
				innerName, ok := Name(inner)
				if !ok || j == flagAt {
					continue
				}
				if inner.Type.Kind() == reflect.Slice && flagOf(inner.Type.Elem()) != nil {
					if err := innerClaims(inner.Type.Elem(), flagOf(inner.Type.Elem()).Index[0], []string{name, innerName}, t.Name()+"."+f.Name+"."+inner.Name); err != nil {
						return nil, err
					}
					p.sections = append(p.sections, listSection(name+"."+innerName, i, j, inner.Type.Elem()))
					n.lists = append(n.lists, p.newList(j, inner.Type, name+"."+innerName))
				} else if hasFlag(inner.Type, map[reflect.Type]bool{}) {
					return nil, &ShapeError{Path: []string{name, innerName}, GoPath: t.Name() + "." + f.Name + "." + inner.Name}
				}
			}
			if len(n.lists) > 0 {
				p.nested = append(p.nested, n)
			}
			continue
		}
		if hasFlag(f.Type, map[reflect.Type]bool{}) {
			return nil, &ShapeError{Path: []string{name}, GoPath: t.Name() + "." + f.Name}
		}
	}
	return p, nil
}

// flagOf returns the Verified flag of struct type t: a bool field of that
// name, directly in t or in structs embedded by value, or nil.
func flagOf(t reflect.Type) *reflect.StructField {
	if t.Kind() != reflect.Struct {
		return nil
	}
	vf, ok := t.FieldByName("Verified")
	if !ok || vf.Type.Kind() != reflect.Bool {
		return nil
	}
	// FieldByName gives the offset within the innermost struct: add the
	// embedded structs' own, unless one is behind a pointer (not modelled).
	var off uintptr
	for k := range vf.Index[:len(vf.Index)-1] {
		ef := t.FieldByIndex(vf.Index[:k+1])
		if ef.Type.Kind() != reflect.Struct {
			return nil
		}
		off += ef.Offset
	}
	vf.Offset += off
	return &vf
}

// hasFlag reports whether a value of type t can hold a flagged struct.
func hasFlag(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return hasFlag(t.Elem(), seen)
	case reflect.Map:
		return hasFlag(t.Key(), seen) || hasFlag(t.Elem(), seen)
	case reflect.Struct:
		if flagOf(t) != nil {
			return true
		}
		for i := 0; i < t.NumField(); i++ {
			if hasFlag(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

func listSection(name string, field, inner int, et reflect.Type) Section {
	s := Section{Name: name, Field: field, Inner: inner, List: true, Verified: flagOf(et).Index, Label: -1}
	for j := 0; j < et.NumField(); j++ {
		if et.Field(j).Tag.Get("eligo") == "label" {
			s.Label = j
			break
		}
	}
	return s
}

func (p *Plan) newList(field int, st reflect.Type, name string) list {
	l := list{field: field, typ: st, size: st.Elem().Size(), flag: flagOf(st.Elem()).Offset, buf: p.nbufs, bit: bit(field)}
	p.nbufs++
	p.listNames = append(p.listNames, name)
	return l
}

// Type returns the struct type the plan was compiled from.
func (p *Plan) Type() reflect.Type { return p.t }

// Sections returns the model's sections that carry claims, in field order
// (a nested section's lists in their own field order). The caller must not
// modify them.
func (p *Plan) Sections() []Section { return p.sections }

// Reads returns the set of fields rules see by names; unknown names add
// nothing.
func (p *Plan) Reads(names []string) Fields {
	var s Fields
	for _, n := range names {
		s |= p.names[n]
	}
	return s
}

// Buffers builds verified views with a plan, in memory kept from one view
// to the next. One goroutine uses it at a time.
type Buffers struct {
	plan     *Plan
	view     reflect.Value   // the view: an addressable value of the plan's type
	viewAt   unsafe.Pointer  // its address
	lists    []reflect.Value // per list of the plan: addressable slices, len == cap
	sections []reflect.Value // per nested section: a pointer to its copy, made when first needed
	renum    renumbering
}

// NewBuffers returns buffers for building views with p.
func (p *Plan) NewBuffers() *Buffers {
	vp := reflect.New(p.t)
	b := &Buffers{plan: p, view: vp.Elem(), viewAt: vp.UnsafePointer(), lists: make([]reflect.Value, p.nbufs),
		sections: make([]reflect.Value, len(p.nested))}
	for _, name := range p.listNames {
		b.renum.add(name)
	}
	for _, l := range p.lists {
		b.lists[l.buf] = reflect.New(l.typ).Elem()
	}
	for _, n := range p.nested {
		for _, l := range n.lists {
			b.lists[l.buf] = reflect.New(l.typ).Elem()
		}
	}
	return b
}

// Verified returns the verified view of the value at v, which is of the
// plan's type, built in the buffers and valid until their next use. The
// view shares memory with the value: neither may be modified while the
// other is in use.
//
// It also returns the set of fields in which the view differs from the
// value: a reader of none of them sees the same data in both. When it
// differs in none, as for a value whose every claim is verified, the view
// is the value itself.
func (b *Buffers) Verified(v unsafe.Pointer) (unsafe.Pointer, Fields) {
	p := b.plan
	b.renum.reset()
	if !p.leavesOut(v) {
		return v, 0
	}
	src := reflect.NewAt(p.t, v).Elem()
	b.view.Set(src)
	dst := b.viewAt
	var diff Fields
	for i := range p.lists {
		l := &p.lists[i]
		if b.keepVerified(l, src.Field(l.field), b.view.Field(l.field)) {
			diff |= l.bit
		}
	}
	for _, f := range p.flagged {
		s := *(*unsafe.Pointer)(unsafe.Add(v, f.off))
		if s != nil && !*(*bool)(unsafe.Add(s, f.flag)) {
			*(*unsafe.Pointer)(unsafe.Add(dst, f.off)) = nil
			diff |= f.bit
		}
	}
	for k := range p.nested {
		n := &p.nested[k]
		sp := src.Field(n.field)
		if sp.IsNil() || *(*unsafe.Pointer)(unsafe.Add(dst, n.off)) == nil {
			// Absent, or left out above as an unverified section.
			continue
		}
		sec := sp.Elem()
		dropped := false
		for i := range n.lists {
			if kept, total := verifiedIn(&n.lists[i], sec.Field(n.lists[i].field)); kept != total {
				dropped = true
				break
			}
		}
		if !dropped {
			continue
		}
		cp := b.sections[k]
		if !cp.IsValid() {
			cp = reflect.New(n.typ)
			b.sections[k] = cp
		}
		c := cp.Elem()
		c.Set(sec)
		for i := range n.lists {
			l := &n.lists[i]
			b.keepVerified(l, sec.Field(l.field), c.Field(l.field))
		}
		*(*unsafe.Pointer)(unsafe.Add(dst, n.off)) = cp.UnsafePointer()
		diff |= n.bit
	}
	return dst, diff
}

// leavesOut reports whether the verified view of the value at v leaves
// anything of it out: an unverified entry of a list, an unverified
// section, or an unverified entry of a list in a section.
func (p *Plan) leavesOut(v unsafe.Pointer) bool {
	for _, f := range p.flagged {
		if s := *(*unsafe.Pointer)(unsafe.Add(v, f.off)); s != nil && !*(*bool)(unsafe.Add(s, f.flag)) {
			return true
		}
	}
	if len(p.lists) == 0 && len(p.nested) == 0 {
		return false
	}
	src := reflect.NewAt(p.t, v).Elem()
	for i := range p.lists {
		if kept, total := verifiedIn(&p.lists[i], src.Field(p.lists[i].field)); kept != total {
			return true
		}
	}
	for k := range p.nested {
		n := &p.nested[k]
		sp := src.Field(n.field)
		if sp.IsNil() {
			continue
		}
		sec := sp.Elem()
		for i := range n.lists {
			if kept, total := verifiedIn(&n.lists[i], sec.Field(n.lists[i].field)); kept != total {
				return true
			}
		}
	}
	return false
}

// Renumber returns the path in the value of path, the path rules gave an
// entry of the last view these buffers built, such as "cpd[1]" for the
// second entry the view kept of the list cpd: "cpd[2]" when the view left
// out one before it. Any other path comes back as it is.
func (b *Buffers) Renumber(path string) string { return b.renum.renumber(path) }

// verifiedIn counts the verified entries of list l, the slice s.
func verifiedIn(l *list, s reflect.Value) (kept, total int) {
	total = s.Len()
	data := s.UnsafePointer()
	for i := 0; i < total; i++ {
		if *(*bool)(unsafe.Add(data, uintptr(i)*l.size+l.flag)) {
			kept++
		}
	}
	return kept, total
}

// keepVerified sets dst, which holds s, to the verified entries of s, the
// list l, and reports whether it dropped any. It leaves s in place when
// all are verified (nil included), and otherwise copies the verified
// entries into l's buffer, non-nil even when none are.
func (b *Buffers) keepVerified(l *list, s, dst reflect.Value) bool {
	kept, total := verifiedIn(l, s)
	if kept == total {
		return false
	}
	buf := b.lists[l.buf]
	if buf.Cap() < total {
		buf.Set(reflect.MakeSlice(l.typ, max(total, 2*buf.Cap()), max(total, 2*buf.Cap())))
	}
	data := s.UnsafePointer()
	n := 0
	from := b.renum.start(l.buf, total) // where each entry kept stands in s
	for i := 0; i < total; i++ {
		if *(*bool)(unsafe.Add(data, uintptr(i)*l.size+l.flag)) {
			// A typed copy: entries hold pointers the collector must see.
			buf.Index(n).Set(s.Index(i))
			from = append(from, i)
			n++
		}
	}
	b.renum.kept[l.buf] = from
	dst.Set(buf)
	dst.SetLen(n)
	dst.SetCap(n)
	return true
}
