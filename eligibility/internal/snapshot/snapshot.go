// Package snapshot deep-copies values of one struct type into memory the
// caller provides, fast enough for every decision to keep a private copy of
// its applicant: a [Plan] is compiled once per type, over field offsets, and
// a copy of a typical value costs no allocation once its memory is sized.
//
// A copy shares what cannot change and copies the rest:
//
//   - strings are shared, numbers and booleans copied;
//   - a pointer is nil in the copy if it is nil in the value, else it
//     points at a new element, a deep copy of the old (two pointers that
//     share a pointee in the value point at two copies of it);
//   - a slice is nil if it is nil, else it has elements of its own, deep
//     copies, with its capacity equal to its length; an empty non-nil
//     slice stays empty and non-nil;
//   - arrays and structs are copied element by element, field by field;
//   - an exported field the plan's keep function rejects is zero in the
//     copy; unexported fields are copied as they are, shallow (time.Time's
//     location, for example, is shared);
//   - maps and interfaces, rare in models, are deep-copied by a slower,
//     reflection-driven path into ordinary memory: a map's keys as they
//     are, its values deep; an interface's dynamic value deep;
//   - channels, functions and unsafe pointers are shared.
//
// A value nested more than [MaxDepth] pointers and containers deep, as a
// cyclic value is, is not copied: Copy returns an error.
//
// New elements come from slabs, arrays of one element type each that a
// [Mem] carves up: slab k of a plan holds elements of [Plan.Types]()[k],
// the pointee types of its pointers and the element types of its slices.
// The caller allocates the slabs, typically as fields of one struct made
// with reflect.StructOf, and learns their sizes from [Mem.Need].
//
// A copy writes every pointer so that the garbage collector sees it, with
// the write barrier of a typed store: it copies values without pointers
// as bytes, strings, times and pointers by typed copies, and any other
// value by reflect's typed copy. It allocates only for maps and
// interfaces and when a slab runs short.
package snapshot

import (
	"fmt"
	"reflect"
	"time"
	"unsafe"
)

// MaxDepth is how many pointers, slices, maps and interfaces deep a copy
// follows a value before giving up on it as cyclic.
const MaxDepth = 10_000

// A Plan is the compiled deep copy of one struct type. It is safe for
// concurrent use.
type Plan struct {
	root  *node
	types []reflect.Type
	keep  func(reflect.StructField) bool
}

// A node is the copy of one type: the whole value moved by mover, then
// the fix-ups of ops applied to the parts that need a deep copy or zeroing.
type node struct {
	mover
	ops   []op
	slab  int          // the slab of elements of this type, -1 for none
	slice reflect.Type // []typ, for new slab memory
}

// An op is the fix-up of one part of a value, at off from its start.
type op struct {
	kind  opKind
	off   uintptr
	elem  *node        // pointee of a pointer; element of a slice or array
	n     int          // array length
	typ   reflect.Type // type of a map or interface
	clear mover        // a dropped field's type
}

type opKind uint8

const (
	opZero    opKind = iota // a field keep rejects: zeroed
	opPointer               // a new pointee
	opSlice                 // new elements
	opArray                 // an array whose elements need fix-ups
	opReflect               // a map or interface, deep-copied by reflection
)

// New compiles the deep copy of struct type t. keep says whether an
// exported field of a struct reachable from t is copied; a field it
// rejects is zero in the copy. A nil keep keeps every field. Copy calls
// keep too, for the structs it meets in maps and interfaces, so keep must
// be safe for concurrent use.
func New(t reflect.Type, keep func(reflect.StructField) bool) (*Plan, error) {
	if t == nil || t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("snapshot: %v is not a struct type", t)
	}
	if keep == nil {
		keep = func(reflect.StructField) bool { return true }
	}
	c := compiler{p: &Plan{keep: keep}, nodes: map[reflect.Type]*node{}}
	c.p.root = c.node(t, false)
	return c.p, nil
}

// Types returns the element types of the slabs a copy takes memory from:
// slab k holds elements of Types()[k]. The slice is the plan's; do not
// modify it.
func (p *Plan) Types() []reflect.Type { return p.types }

type compiler struct {
	p     *Plan
	nodes map[reflect.Type]*node
}

// node returns t's node, compiling it the first time, and gives it a slab
// if slab is set and it has none. The node is recorded before its ops are
// compiled, so a recursive type compiles.
func (c *compiler) node(t reflect.Type, slab bool) *node {
	n, ok := c.nodes[t]
	if !ok {
		n = &node{mover: moverOf(t), slab: -1}
		c.nodes[t] = n
	}
	if slab && n.slab < 0 {
		n.slab, n.slice = len(c.p.types), reflect.SliceOf(t)
		c.p.types = append(c.p.types, t)
	}
	if !ok {
		n.ops = c.ops(t, 0, nil)
	}
	return n
}

// ops appends to ops the fix-ups a value of type t at off needs after a
// shallow copy. Structs and arrays held inline cannot be recursive, so
// this recursion ends at pointers, slices, maps and interfaces.
func (c *compiler) ops(t reflect.Type, off uintptr, ops []op) []op {
	switch t.Kind() {
	case reflect.Pointer:
		return append(ops, op{kind: opPointer, off: off, elem: c.node(t.Elem(), true)})
	case reflect.Slice:
		return append(ops, op{kind: opSlice, off: off, elem: c.node(t.Elem(), true)})
	case reflect.Map, reflect.Interface:
		return append(ops, op{kind: opReflect, off: off, typ: t})
	case reflect.Array:
		if e := c.node(t.Elem(), false); t.Len() > 0 && len(e.ops) > 0 {
			ops = append(ops, op{kind: opArray, off: off, elem: e, n: t.Len()})
		}
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			switch {
			case !f.IsExported():
			case !c.p.keep(f):
				ops = append(ops, op{kind: opZero, off: off + f.Offset, clear: moverOf(f.Type)})
			default:
				ops = c.ops(f.Type, off+f.Offset, ops)
			}
		}
	}
	return ops
}

// Copy deep-copies the value at src, a *t, into dst, a *t whose old
// contents are overwritten, taking the memory of new elements from m.
// When a slab runs short, the copy goes on in ordinary memory. Copy
// returns an error, leaving dst partly copied, when the value is nested
// more than [MaxDepth] deep (a cyclic value is). It panics if m has fewer
// slabs than p has types.
func (p *Plan) Copy(dst, src unsafe.Pointer, m *Mem) error {
	if len(m.slabs) < len(p.types) {
		panic(fmt.Sprintf("snapshot: Mem has %d slabs, plan needs %d", len(m.slabs), len(p.types)))
	}
	p.root.move(dst, src, 1)
	return p.fix(dst, src, p.root, m, 0)
}

// sliceHeader is a slice's representation: storing data through it is a
// typed pointer store, with its write barrier.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// zeroSized is where the data of an empty non-nil slice points.
var zeroSized [0]uint64

// fix applies n's fix-ups to the value at dst, a shallow copy of the value
// at src, depth pointers and containers down from the root.
func (p *Plan) fix(dst, src unsafe.Pointer, n *node, m *Mem, depth int) error {
	for i := range n.ops {
		o := &n.ops[i]
		d, s := unsafe.Add(dst, o.off), unsafe.Add(src, o.off)
		switch o.kind {
		case opZero:
			o.clear.zero(d)
		case opPointer:
			sp := *(*unsafe.Pointer)(s)
			if sp == nil {
				continue
			}
			if depth >= MaxDepth {
				return errDepth
			}
			q := m.take(o.elem, 1)
			o.elem.move(q, sp, 1)
			if err := p.fix(q, sp, o.elem, m, depth+1); err != nil {
				return err
			}
			*(*unsafe.Pointer)(d) = q
		case opSlice:
			sh, dh := (*sliceHeader)(s), (*sliceHeader)(d)
			switch {
			case sh.data == nil:
				continue // nil, as copied
			case sh.len == 0:
				dh.data, dh.cap = unsafe.Pointer(&zeroSized), 0
				continue
			case depth >= MaxDepth:
				return errDepth
			}
			e, l := o.elem, sh.len
			dh.data, dh.len, dh.cap = m.take(e, l), l, l
			e.move(dh.data, sh.data, l)
			if len(e.ops) == 0 {
				continue
			}
			for j := range l {
				off := uintptr(j) * e.size
				if err := p.fix(unsafe.Add(dh.data, off), unsafe.Add(sh.data, off), e, m, depth+1); err != nil {
					return err
				}
			}
		case opArray:
			for j := range o.n {
				off := uintptr(j) * o.elem.size
				if err := p.fix(unsafe.Add(d, off), unsafe.Add(s, off), o.elem, m, depth); err != nil {
					return err
				}
			}
		case opReflect:
			if err := p.clone(reflect.NewAt(o.typ, d).Elem(), reflect.NewAt(o.typ, s).Elem(), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

var errDepth = fmt.Errorf("snapshot: value nested more than %d pointers and containers deep (cyclic?)", MaxDepth)

// clone deep-copies src into dst, a settable value of the same type, in
// ordinary memory: the path of maps and interfaces, whose contents a plan
// cannot know in advance.
func (p *Plan) clone(dst, src reflect.Value, depth int) error {
	if depth > MaxDepth {
		return errDepth
	}
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			dst.SetZero()
			return nil
		}
		q := reflect.New(src.Type().Elem())
		if err := p.clone(q.Elem(), src.Elem(), depth+1); err != nil {
			return err
		}
		dst.Set(q)
	case reflect.Slice:
		if src.IsNil() {
			dst.SetZero()
			return nil
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			if err := p.clone(s.Index(i), src.Index(i), depth+1); err != nil {
				return err
			}
		}
		dst.Set(s)
	case reflect.Array:
		for i := range src.Len() {
			if err := p.clone(dst.Index(i), src.Index(i), depth); err != nil {
				return err
			}
		}
	case reflect.Struct:
		dst.Set(src)
		t := src.Type()
		for i := range t.NumField() {
			switch f := t.Field(i); {
			case !f.IsExported():
			case !p.keep(f):
				dst.Field(i).SetZero()
			default:
				if err := p.clone(dst.Field(i), src.Field(i), depth); err != nil {
					return err
				}
			}
		}
	case reflect.Map:
		if src.IsNil() {
			dst.SetZero()
			return nil
		}
		t := src.Type()
		c := reflect.MakeMapWithSize(t, src.Len())
		v := reflect.New(t.Elem()).Elem()
		for it := src.MapRange(); it.Next(); {
			if err := p.clone(v, it.Value(), depth+1); err != nil {
				return err
			}
			c.SetMapIndex(it.Key(), v)
		}
		dst.Set(c)
	case reflect.Interface:
		if src.IsNil() {
			dst.SetZero()
			return nil
		}
		e := src.Elem()
		v := reflect.New(e.Type()).Elem()
		if err := p.clone(v, e, depth+1); err != nil {
			return err
		}
		dst.Set(v)
	default:
		dst.Set(src)
	}
	return nil
}

// A mover copies and zeroes values of one type: memory without pointers
// as bytes; strings, times, pointers and slices by typed copies; a struct
// of those, part by part; any other value by reflect's typed copy, so that
// the garbage collector sees every pointer written (reflect's copies have
// the write barriers a typed assignment has).
type mover struct {
	typ   reflect.Type
	size  uintptr
	how   how
	parts []part // howParts
}

// A part is a run of a struct's fields a mover of the struct copies in one
// go: n values from off, moved by m (a string, time, pointer or slice
// mover; or one howBytes mover for a run of fields without pointers).
type part struct {
	off uintptr
	n   int
	m   mover
}

// how is the way a mover moves values.
type how uint8

const (
	howBytes   how = iota // no pointers
	howTyped              // reflect's typed copy
	howString             // a string
	howTime               // a time.Time
	howPointer            // one pointer
	howSlice              // a slice header
	howParts              // a struct, by its parts
)

var (
	stringType = reflect.TypeFor[string]()
	timeType   = reflect.TypeFor[time.Time]()
)

func moverOf(t reflect.Type) mover {
	m := mover{typ: t, size: t.Size(), how: howTyped}
	switch {
	case !hasPointers(t):
		m.how = howBytes
	case t == stringType:
		m.how = howString
	case t == timeType:
		m.how = howTime
	case t.Kind() == reflect.Pointer || t.Kind() == reflect.UnsafePointer:
		m.how = howPointer
	case t.Kind() == reflect.Slice:
		m.how = howSlice
	case t.Kind() == reflect.Struct:
		if parts, ok := partsOf(t, 0, nil); ok {
			m.how, m.parts = howParts, parts
		}
	}
	return m
}

// partsOf appends the parts of struct t, at off in the value moved, to
// parts, merging neighbours of one kind; ok is false when a field is one
// no part copies (a map, an interface, an array holding pointers...).
// Padding between fields without pointers is copied with them.
func partsOf(t reflect.Type, off uintptr, parts []part) (_ []part, ok bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		at := off + f.Offset
		fm := moverOf(f.Type)
		switch fm.how {
		case howBytes:
			if fm.size == 0 {
				continue
			}
		case howString, howTime, howPointer, howSlice:
		case howParts:
			if parts, ok = partsOf(f.Type, at, parts); !ok {
				return nil, false
			}
			continue
		default:
			return nil, false
		}
		if k := len(parts) - 1; k >= 0 && parts[k].m.how == fm.how {
			last := &parts[k]
			if fm.how == howBytes && last.off+last.m.size <= at {
				last.m.size = at + fm.size - last.off // the padding between goes too
				continue
			}
			if fm.how != howBytes && last.off+uintptr(last.n)*fm.size == at {
				last.n++
				continue
			}
		}
		if fm.how == howBytes {
			fm.typ = nil // a run of fields, not one of this type
		}
		parts = append(parts, part{off: at, n: 1, m: fm})
	}
	return parts, true
}

// hasPointers reports whether a value of type t holds a pointer.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.UnsafePointer, reflect.Map, reflect.Chan, reflect.Func,
		reflect.String, reflect.Slice, reflect.Interface:
		return true
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// move copies the n values at src to dst.
func (m *mover) move(dst, src unsafe.Pointer, n int) {
	switch m.how {
	case howBytes:
		if b := uintptr(n) * m.size; b > 0 {
			copy(unsafe.Slice((*byte)(dst), b), unsafe.Slice((*byte)(src), b))
		}
	case howString:
		moveAs[string](dst, src, n)
	case howTime:
		moveAs[time.Time](dst, src, n)
	case howPointer:
		moveAs[unsafe.Pointer](dst, src, n)
	case howSlice:
		moveAs[[]byte](dst, src, n) // every slice header is laid out alike
	case howParts:
		for i := range uintptr(n) {
			d, s := unsafe.Add(dst, i*m.size), unsafe.Add(src, i*m.size)
			for k := range m.parts {
				p := &m.parts[k]
				p.m.move(unsafe.Add(d, p.off), unsafe.Add(s, p.off), p.n)
			}
		}
	case howTyped:
		for i := range uintptr(n) {
			d, s := unsafe.Add(dst, i*m.size), unsafe.Add(src, i*m.size)
			reflect.NewAt(m.typ, d).Elem().Set(reflect.NewAt(m.typ, s).Elem())
		}
	}
}

// moveAs copies the n values of type T at src to dst.
func moveAs[T any](dst, src unsafe.Pointer, n int) {
	copy(unsafe.Slice((*T)(dst), n), unsafe.Slice((*T)(src), n))
}

// zero sets the value at p to its zero value.
func (m *mover) zero(p unsafe.Pointer) {
	if m.how == howBytes {
		clear(unsafe.Slice((*byte)(p), m.size))
		return
	}
	reflect.NewAt(m.typ, p).Elem().SetZero()
}

// Mem is the memory one copy takes new elements from: one slab per type
// of its plan's [Plan.Types]. Its zero value has no slabs; Init gives it
// some. A Mem may be a field of a larger struct, its slabs too.
type Mem struct {
	slabs []Slab
}

// A Slab is one slab of a [Mem]: the elements of one type it carves new
// elements from, and the count of those asked of it. Its zero value has
// no room.
type Slab struct {
	base      unsafe.Pointer
	cap, used int
	need      int
}

// Init makes m carve from slabs, one per type of its plan, whose memory
// the caller owns and which Init resets to have no room: [Mem.Use] gives
// them some.
func (m *Mem) Init(slabs []Slab) {
	clear(slabs)
	m.slabs = slabs
}

// Use makes slab k carve from the n elements at p, an array of elements of
// the plan's Types()[k] that nothing else uses while the copy lives. A
// copy overwrites every element it takes, so they need not be zeroed. Use
// resets the slab's Need.
func (m *Mem) Use(k int, p unsafe.Pointer, n int) {
	m.slabs[k] = Slab{base: p, cap: n}
}

// Need is how many elements copies asked of slab k since Init or Use,
// beyond its room too: the size the slab needs for copies like them.
func (m *Mem) Need(k int) int { return m.slabs[k].need }

// take returns the memory of l elements of n's slab. When the slab has
// not the room, it goes on in a new array of ordinary memory, at least
// twice as big.
func (m *Mem) take(n *node, l int) unsafe.Pointer {
	s := &m.slabs[n.slab]
	s.need += l
	if n.size == 0 {
		return unsafe.Pointer(&zeroSized)
	}
	if s.used+l > s.cap {
		c := max(l, 2*s.cap)
		*s = Slab{base: reflect.MakeSlice(n.slice, c, c).UnsafePointer(), cap: c, need: s.need}
	}
	p := unsafe.Add(s.base, uintptr(s.used)*n.size)
	s.used += l
	return p
}
