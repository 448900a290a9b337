// Package snapshot packs values of one struct type into compact deep
// copies, fast enough for every decision to keep a private copy of its
// applicant, and unpacks them into memory the caller provides: a [Plan] is
// compiled once per type, over field offsets.
//
// A copy shares what cannot change and copies the rest:
//
//   - strings are shared, numbers and booleans copied; a time keeps its
//     instant and location (not a monotonic clock reading);
//   - a pointer is nil in the copy if it is nil in the value, else it
//     points at a new element, a deep copy of the old (two pointers that
//     share a pointee in the value point at two copies of it);
//   - a slice is nil if it is nil, else it has elements of its own, deep
//     copies, with its capacity equal to its length; an empty non-nil
//     slice stays empty and non-nil;
//   - arrays and structs are copied element by element, field by field;
//   - an exported field the plan's keep function rejects is zero in the
//     copy, and not packed; unexported fields are copied as they are,
//     shallow (a pointer in one is shared);
//   - maps and interfaces, rare in models, are deep-copied by a slower,
//     reflection-driven path into ordinary memory: a map's keys as they
//     are, its values deep; an interface's dynamic value deep;
//   - channels, functions and unsafe pointers are shared.
//
// A value nested more than [MaxDepth] pointers and containers deep, as a
// cyclic value is, is not packed: Pack returns an error.
//
// A packed copy ([Packed]) is two arrays sized to the value: its bytes,
// without pointers, and its pointers (the data of its strings, the
// locations of its times...), so that the garbage collector scans only
// those. Unpacked, its new elements come from slabs, arrays of one element
// type each that a [Mem] carves up: slab k of a plan holds elements of
// [Plan.Types]()[k], the pointee types of its pointers and the element
// types of its slices. A Mem goes on in ordinary memory when a slab runs
// short, and learns their sizes ([Mem.Need]).
//
// Pack and Unpack write every pointer so that the garbage collector sees
// it, with the write barrier of a typed store.
package snapshot

import (
	"encoding/binary"
	"fmt"
	"math"
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
	root   *node
	types  []reflect.Type
	slices []reflect.Type // []types[k]
	keep   func(reflect.StructField) bool
}

// A node is the copy of one type: the steps that pack and unpack a value
// of it.
type node struct {
	typ   reflect.Type
	size  uintptr
	prog  []instr
	slab  int          // the slab of elements of this type, -1 for none
	slice reflect.Type // []typ, for new slab memory
}

// New compiles the deep copy of struct type t. keep says whether an
// exported field of a struct reachable from t is copied; a field it
// rejects is zero in the copy. A nil keep keeps every field. Pack calls
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
// if slab is set and it has none. The node is recorded before its steps
// are compiled, so a recursive type compiles.
func (c *compiler) node(t reflect.Type, slab bool) *node {
	n, ok := c.nodes[t]
	if !ok {
		n = &node{typ: t, size: t.Size(), slab: -1}
		c.nodes[t] = n
	}
	if slab && n.slab < 0 {
		n.slab, n.slice = len(c.p.types), reflect.SliceOf(t)
		c.p.types = append(c.p.types, t)
		c.p.slices = append(c.p.slices, n.slice)
	}
	if !ok {
		n.prog = c.program(t, 0, true, nil)
	}
	return n
}

// A Packed is a compact copy of a value ([Plan.Pack]): its bytes, which
// hold no pointers, and its pointers, each in memory of its own sized to
// the value. The garbage collector scans its pointers alone, and it takes
// a few hundred bytes where a copy laid out in slabs sized for the largest
// value would take thousands. [Plan.Unpack] makes a copy from it. Nothing
// writes a Packed once Pack has returned it, but a later Pack handed it
// back to reuse, which keeps its arrays whole when they have the room,
// clearing what the new value leaves of them.
//
// A Packed is as small as it can be, 24 bytes, for it lives in every
// decision: the two arrays' addresses and lengths, their capacities being
// the lengths.
type Packed struct {
	bytes  *byte           // nbytes bytes
	ptrs   *unsafe.Pointer // nptrs pointers
	nbytes uint32
	nptrs  uint32
}

// data is pk's bytes.
func (pk Packed) data() []byte { return unsafe.Slice(pk.bytes, pk.nbytes) }

// pointers is pk's pointers.
func (pk Packed) pointers() []unsafe.Pointer { return unsafe.Slice(pk.ptrs, pk.nptrs) }

// Size is the number of bytes pk's memory holds.
func (pk Packed) Size() int {
	return int(pk.nbytes) + int(pk.nptrs)*int(unsafe.Sizeof(unsafe.Pointer(nil)))
}

// A Packer is the scratch memory of packing, reused from one Pack to the
// next. Its zero value is ready to use. It keeps no pointer of a packed
// value once Pack returns.
type Packer struct {
	bytes []byte
	ptrs  []unsafe.Pointer
}

// An instr is one step of packing or unpacking a value: a part of it at
// off from its start.
type instr struct {
	kind instrKind
	off  uintptr
	n    uintptr      // iBytes: how many
	elem *node        // iPointer, iSlice: the pointee's, the elements' node
	typ  reflect.Type // iBoxed
	deep bool         // iBoxed: a deep copy, else the value as it is
}

type instrKind uint8

const (
	iBytes   instrKind = iota // n bytes without pointers
	iString                   // a string: its length; its data, shared
	iTime                     // a time.Time: its instant and location
	iShared                   // a pointer, shared
	iPointer                  // a pointer to a new, deep copy of its pointee
	iSlice                    // a slice of new elements, deep copies
	iBoxed                    // any other value (map, interface, channel, function), in a new value of its own
)

// program appends the steps that pack a value of type t at off to prog;
// deep is false within an unexported field, copied as it is.
func (c *compiler) program(t reflect.Type, off uintptr, deep bool, prog []instr) []instr {
	switch {
	case !hasPointers(t):
		if t.Size() == 0 {
			return prog
		}
		if k := len(prog) - 1; k >= 0 && prog[k].kind == iBytes && prog[k].off+prog[k].n == off {
			prog[k].n += t.Size()
			return prog
		}
		return append(prog, instr{kind: iBytes, off: off, n: t.Size()})
	case t.Kind() == reflect.String: // string or a type of its own
		return append(prog, instr{kind: iString, off: off})
	case t == timeType:
		return append(prog, instr{kind: iTime, off: off})
	}
	switch t.Kind() {
	case reflect.Pointer:
		if deep {
			return append(prog, instr{kind: iPointer, off: off, elem: c.node(t.Elem(), true)})
		}
		return append(prog, instr{kind: iShared, off: off})
	case reflect.UnsafePointer:
		return append(prog, instr{kind: iShared, off: off})
	case reflect.Slice:
		if deep {
			return append(prog, instr{kind: iSlice, off: off, elem: c.node(t.Elem(), true)})
		}
	case reflect.Array:
		for i := range t.Len() {
			prog = c.program(t.Elem(), off+uintptr(i)*t.Elem().Size(), deep, prog)
		}
		return prog
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			switch {
			case !f.IsExported():
				prog = c.program(f.Type, off+f.Offset, false, prog)
			case !deep || c.p.keep(f):
				prog = c.program(f.Type, off+f.Offset, deep, prog)
			}
		}
		return prog
	}
	// A map or an interface, deep or not; a channel, a function or a
	// slice within an unexported field.
	deepBox := deep && (t.Kind() == reflect.Map || t.Kind() == reflect.Interface)
	return append(prog, instr{kind: iBoxed, off: off, typ: t, deep: deepBox})
}

// Pack packs a deep copy of the value at src, a *t for the plan's type t,
// as the package documentation says, into scratch memory of pk's, then
// copies it to memory of its own: reuse's where it has the room (a Packed
// the caller hands back), else new memory of its size. Maps and
// interfaces are deep-copied into new values of their own there. Pack
// returns an error when the value is nested more than [MaxDepth] deep.
func (p *Plan) Pack(src unsafe.Pointer, pk *Packer, reuse Packed) (Packed, error) {
	pk.bytes, pk.ptrs = pk.bytes[:0], pk.ptrs[:0]
	err := p.pack(pk, src, p.root.prog, 0)
	defer clear(pk.ptrs) // the scratch keeps no pointer of the value
	if err != nil {
		return Packed{}, err
	}
	if len(pk.bytes) > math.MaxUint32 || len(pk.ptrs) > math.MaxUint32 {
		return Packed{}, fmt.Errorf("snapshot: a value of %d bytes and %d pointers packed is too big to keep", len(pk.bytes), len(pk.ptrs))
	}
	bytes := fit(reuse.data(), pk.bytes)
	ptrs := fit(reuse.pointers(), pk.ptrs)
	return Packed{
		bytes: unsafe.SliceData(bytes), ptrs: unsafe.SliceData(ptrs),
		nbytes: uint32(len(bytes)), nptrs: uint32(len(ptrs)),
	}, nil
}

// fit returns a copy of src: in s, whole, when s has the room, its
// elements after src's cleared (so that a Packed handed back keeps its
// memory for the next, however long the values in between, and nothing
// of the value it held); else in new memory of src's length (nil when
// src is empty). Unpack reads what Pack wrote and no further, so a Packed
// may be longer than its value.
func fit[T any](s, src []T) []T {
	if len(s) >= len(src) && len(s) > 0 {
		clear(s[copy(s, src):])
		return s
	}
	if len(src) == 0 {
		return nil
	}
	return append([]T(nil), src...)
}

// pack appends the value at src to pk, following prog.
func (p *Plan) pack(pk *Packer, src unsafe.Pointer, prog []instr, depth int) error {
	for i := range prog {
		in := &prog[i]
		s := unsafe.Add(src, in.off)
		switch in.kind {
		case iBytes:
			pk.bytes = append(pk.bytes, unsafe.Slice((*byte)(s), in.n)...)
		case iString:
			str := *(*string)(s)
			pk.bytes = binary.AppendUvarint(pk.bytes, uint64(len(str)))
			if len(str) > 0 {
				pk.ptrs = append(pk.ptrs, unsafe.Pointer(unsafe.StringData(str)))
			}
		case iTime:
			t := (*time.Time)(s)
			pk.bytes = binary.LittleEndian.AppendUint64(pk.bytes, uint64(t.Unix()))
			pk.bytes = binary.AppendUvarint(pk.bytes, uint64(t.Nanosecond()))
			if loc := t.Location(); loc == time.UTC {
				pk.bytes = append(pk.bytes, 0)
			} else {
				pk.bytes = append(pk.bytes, 1)
				pk.ptrs = append(pk.ptrs, unsafe.Pointer(loc))
			}
		case iShared:
			pk.ptrs = append(pk.ptrs, *(*unsafe.Pointer)(s))
		case iPointer:
			q := *(*unsafe.Pointer)(s)
			if q == nil {
				pk.bytes = append(pk.bytes, 0)
				continue
			}
			if depth >= MaxDepth {
				return errDepth
			}
			pk.bytes = append(pk.bytes, 1)
			if err := p.pack(pk, q, in.elem.prog, depth+1); err != nil {
				return err
			}
		case iSlice:
			sh := (*sliceHeader)(s)
			if sh.data == nil {
				pk.bytes = append(pk.bytes, 0)
				continue
			}
			if depth >= MaxDepth {
				return errDepth
			}
			pk.bytes = binary.AppendUvarint(pk.bytes, uint64(sh.len)+1)
			e := in.elem
			for j := range uintptr(sh.len) {
				if err := p.pack(pk, unsafe.Add(sh.data, j*e.size), e.prog, depth+1); err != nil {
					return err
				}
			}
		case iBoxed:
			v := reflect.NewAt(in.typ, s).Elem()
			box := reflect.New(in.typ)
			if in.deep {
				if err := p.clone(box.Elem(), v, depth+1); err != nil {
					return err
				}
			} else {
				box.Elem().Set(v)
			}
			pk.ptrs = append(pk.ptrs, box.UnsafePointer())
		}
	}
	return nil
}

// Unpack writes the copy pk holds, a value of the plan's type packed by
// Pack, to dst, taking the memory of pointees and slices' elements from m;
// a slab running short goes on in a new array of ordinary memory, at
// least twice as big. The memory at dst and m's slabs must hold zeros
// where the plan's keep function drops a field (as new memory does, or
// memory cleared by [Plan.Clear]): Unpack writes every other part of the
// copy. Copies unpacked from one Packed share its maps' and interfaces'
// values, which nothing may modify. It panics if m has fewer slabs than p
// has types.
func (p *Plan) Unpack(dst unsafe.Pointer, pk Packed, m *Mem) {
	if len(m.slabs) < len(p.types) {
		panic(fmt.Sprintf("snapshot: Mem has %d slabs, plan needs %d", len(m.slabs), len(p.types)))
	}
	u := unpacker{bytes: pk.data(), ptrs: pk.pointers(), m: m}
	u.unpack(dst, p.root.prog)
}

// unpacker reads a Packed, in the order Pack wrote it.
type unpacker struct {
	bytes []byte
	ptrs  []unsafe.Pointer
	b, p  int // the next byte and pointer to read
	m     *Mem
}

func (u *unpacker) uvarint() uint64 {
	v, n := binary.Uvarint(u.bytes[u.b:])
	u.b += n
	return v
}

func (u *unpacker) ptr() unsafe.Pointer {
	q := u.ptrs[u.p]
	u.p++
	return q
}

func (u *unpacker) unpack(dst unsafe.Pointer, prog []instr) {
	for i := range prog {
		in := &prog[i]
		d := unsafe.Add(dst, in.off)
		switch in.kind {
		case iBytes:
			u.b += copy(unsafe.Slice((*byte)(d), in.n), u.bytes[u.b:])
		case iString:
			var str string
			if n := int(u.uvarint()); n > 0 {
				str = unsafe.String((*byte)(u.ptr()), n)
			}
			*(*string)(d) = str
		case iTime:
			sec := int64(binary.LittleEndian.Uint64(u.bytes[u.b:]))
			u.b += 8
			t := time.Unix(sec, int64(u.uvarint()))
			u.b++
			if u.bytes[u.b-1] == 0 {
				t = t.UTC()
			} else {
				t = t.In((*time.Location)(u.ptr()))
			}
			*(*time.Time)(d) = t
		case iShared:
			*(*unsafe.Pointer)(d) = u.ptr()
		case iPointer:
			u.b++
			if u.bytes[u.b-1] == 0 {
				*(*unsafe.Pointer)(d) = nil
				continue
			}
			q := u.m.take(in.elem, 1)
			u.unpack(q, in.elem.prog)
			*(*unsafe.Pointer)(d) = q
		case iSlice:
			n := u.uvarint()
			if n == 0 {
				*(*[]byte)(d) = nil // every slice header is laid out alike
				continue
			}
			l := int(n - 1)
			if l == 0 {
				*(*[]byte)(d) = unsafe.Slice((*byte)(unsafe.Pointer(&zeroSized)), 0)
				continue
			}
			e := in.elem
			q := u.m.take(e, l)
			for j := range uintptr(l) {
				u.unpack(unsafe.Add(q, j*e.size), e.prog)
			}
			*(*[]byte)(d) = unsafe.Slice((*byte)(q), l)
		case iBoxed:
			reflect.NewAt(in.typ, d).Elem().Set(reflect.NewAt(in.typ, u.ptr()).Elem())
		}
	}
}

// Rewind makes m carve its slabs from the start again, keeping their
// memory (grown where a copy ran short), for a copy that replaces the last
// one taken from it; it resets their Need.
func (m *Mem) Rewind() {
	for k := range m.slabs {
		s := &m.slabs[k]
		s.used, s.need = 0, 0
	}
}

// Clear zeroes the copy Unpack wrote to dst and the elements it took from
// m, so that neither keeps anything of the value alive, and leaves them
// ready for the next Unpack (after m.Rewind).
func (p *Plan) Clear(dst unsafe.Pointer, m *Mem) {
	reflect.NewAt(p.root.typ, dst).Elem().SetZero()
	for k := range p.types {
		s := &m.slabs[k]
		if n := min(s.used, s.cap); n > 0 {
			// The elements as a slice, through m's (every slice header
			// is laid out alike): a local's address would escape.
			m.elems = unsafe.Slice((*byte)(s.base), n)
			reflect.NewAt(p.slices[k], unsafe.Pointer(&m.elems)).Elem().Clear()
		}
	}
	m.elems = nil
}

// sliceHeader is a slice's representation, for reading one of any
// element type.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// zeroSized is where the data of an empty non-nil slice points.
var zeroSized [0]uint64

var errDepth = fmt.Errorf("snapshot: value nested more than %d pointers and containers deep (cyclic?)", MaxDepth)

var timeType = reflect.TypeFor[time.Time]()

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

// Mem is the memory an unpacked copy takes new elements from: one slab
// per type of its plan's [Plan.Types], each an array it carves up, grown
// (to a new array at least twice as big) when a copy needs more. Its zero
// value has no slabs; Init gives it some. A Mem may be a field of a
// larger struct, its slabs too.
type Mem struct {
	slabs []Slab
	elems []byte // a slab's elements being cleared (Plan.Clear)
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
// the caller owns and which Init resets to have no room: m takes ordinary
// memory as copies need it, and keeps it (see [Mem.Rewind]).
func (m *Mem) Init(slabs []Slab) {
	clear(slabs)
	m.slabs = slabs
}

// Need is how many elements copies asked of slab k since Init or
// Rewind, beyond its room too: the size the slab needs for copies like
// them.
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
