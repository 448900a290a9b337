package view

import (
	"fmt"
	"reflect"
	"slices"
	"time"
	"unsafe"
)

// The eligo tags that make a *time.Time field an event date, which the
// as-of view ([Events]) judges against the evaluation date.
const (
	// TagEvent marks an event date: after the evaluation date it is as
	// if absent (nil).
	TagEvent = "event"
	// TagStart marks the date a list entry or a section begins: after the
	// evaluation date the whole entry, or section, is left out.
	TagStart = "start"
)

// Events is the as-of view compiled from one struct type: the value as it
// stood on an evaluation date, leaving out the evidence dated after it.
// An event date is a *time.Time field tagged `eligo:"event"` or
// `eligo:"start"` at the top level, in a list of structs or a section
// behind a pointer at the top level, or in a list of structs within such a
// section. The view is a shallow copy of the value in which
//
//   - a list entry with a start after the date is left out;
//   - a section behind a pointer with a start after the date is nil;
//   - an event date after the date is nil, in a copy of its entry or
//     section;
//   - everything else is shared with the value, lists and sections with
//     nothing dated later included.
//
// It is immutable and safe for concurrent use.
type Events struct {
	t        reflect.Type
	top      []date     // top-level event dates (never starts)
	lists    []dateList // top-level lists whose entries have event dates
	sections []dateSect // top-level pointer sections with event dates, or lists with them
	nbufs    int        // list buffers an EventBuffers needs
	names    []string   // per list buffer: the list's name as rules see it
}

// date is an event date field.
type date struct {
	field int     // in its struct
	off   uintptr // of the *time.Time in its struct
	start bool    // the entry's or section's start
	name  string  // as rules name it
}

// dateList is a list of structs with event dates.
type dateList struct {
	field int          // in its struct
	off   uintptr      // of the slice in its struct
	typ   reflect.Type // the slice type
	size  uintptr      // of an entry
	dates []date
	name  string // as rules name it: "cpd", or "practice.log" one level down
	buf   int    // its buffer in EventBuffers.lists
}

// dateSect is a section behind a pointer with event dates of its own or
// lists with them.
type dateSect struct {
	field int
	off   uintptr
	typ   reflect.Type // the section's struct type
	dates []date
	lists []dateList
	name  string
}

var timePtr = reflect.TypeFor[*time.Time]()

// NewEvents compiles the as-of view of struct type t. It returns nil and
// no error when t has no event dates, and an error for an event tag it
// would not apply: on a field that is not a *time.Time, a start at the top
// level (it starts no entry or section), or one deeper than a list within
// a top-level section.
func NewEvents(t reflect.Type) (*Events, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("view: %s is not a struct", t)
	}
	p := &Events{t: t}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := fieldName(f)
		where := t.String() + "." + f.Name
		if kind, ok := eventTag(f); ok {
			if f.Type != timePtr {
				return nil, fmt.Errorf("view: %s: an eligo:%q date must be a *time.Time, not %s", where, kind, f.Type)
			}
			if kind == TagStart {
				return nil, fmt.Errorf("view: %s: eligo:%q marks the start of a list entry or a section, not of the applicant; use eligo:%q", where, TagStart, TagEvent)
			}
			p.top = append(p.top, date{field: i, off: f.Offset, name: name})
			continue
		}
		switch ft := f.Type; {
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			l, err := p.newList(i, f.Offset, ft, name, where)
			if err != nil {
				return nil, err
			}
			if l != nil {
				p.lists = append(p.lists, *l)
			}
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct && ft != timePtr:
			st := ft.Elem()
			s := dateSect{field: i, off: f.Offset, typ: st, name: name}
			for j := 0; j < st.NumField(); j++ {
				inner := st.Field(j)
				innerWhere := where + "." + inner.Name
				if _, ok := eventTag(inner); ok {
					d, err := eventDate(inner, innerWhere)
					if err != nil {
						return nil, err
					}
					s.dates = append(s.dates, d)
					continue
				}
				if inner.Type.Kind() == reflect.Slice && inner.Type.Elem().Kind() == reflect.Struct {
					l, err := p.newList(j, inner.Offset, inner.Type, name+"."+fieldName(inner), innerWhere)
					if err != nil {
						return nil, err
					}
					if l != nil {
						s.lists = append(s.lists, *l)
					}
					continue
				}
				if hasEvent(inner.Type, map[reflect.Type]bool{}) {
					return nil, errTooDeep(innerWhere)
				}
			}
			if len(s.dates) > 0 || len(s.lists) > 0 {
				p.sections = append(p.sections, s)
			}
		default:
			if hasEvent(f.Type, map[reflect.Type]bool{}) {
				return nil, errTooDeep(where)
			}
		}
	}
	if len(p.top) == 0 && len(p.lists) == 0 && len(p.sections) == 0 {
		return nil, nil
	}
	return p, nil
}

// newList returns the list field of slice type st, named name, when its
// entries have event dates; nil when they have none.
func (p *Events) newList(field int, off uintptr, st reflect.Type, name, where string) (*dateList, error) {
	et := st.Elem()
	l := &dateList{field: field, off: off, typ: st, size: et.Size(), name: name}
	for k := 0; k < et.NumField(); k++ {
		f := et.Field(k)
		if _, ok := eventTag(f); ok {
			d, err := eventDate(f, where+"[]."+f.Name)
			if err != nil {
				return nil, err
			}
			l.dates = append(l.dates, d)
		} else if hasEvent(f.Type, map[reflect.Type]bool{}) {
			return nil, errTooDeep(where + "[]." + f.Name)
		}
	}
	if len(l.dates) == 0 {
		return nil, nil
	}
	l.buf = p.nbufs
	p.nbufs++
	p.names = append(p.names, name)
	return l, nil
}

func errTooDeep(where string) error {
	return fmt.Errorf("view: %s: an event date is judged only at the top level, in a top-level list or section, or in a list within a top-level section", where)
}

// eventTag returns the field's event tag, if it has one.
func eventTag(f reflect.StructField) (string, bool) {
	switch tag := f.Tag.Get("eligo"); tag {
	case TagEvent, TagStart:
		return tag, true
	}
	return "", false
}

func eventDate(f reflect.StructField, where string) (date, error) {
	kind, _ := eventTag(f)
	if f.Type != timePtr {
		return date{}, fmt.Errorf("view: %s: an eligo:%q date must be a *time.Time, not %s", where, kind, f.Type)
	}
	return date{field: f.Index[0], off: f.Offset, start: kind == TagStart, name: fieldName(f)}, nil
}

// fieldName is the name rules see f by, else its Go name.
func fieldName(f reflect.StructField) string {
	if name, ok := Name(f); ok {
		return name
	}
	return f.Name
}

// hasEvent reports whether a value of type t can hold an event date.
func hasEvent(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return hasEvent(t.Elem(), seen)
	case reflect.Map:
		return hasEvent(t.Key(), seen) || hasEvent(t.Elem(), seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if _, ok := eventTag(t.Field(i)); ok || hasEvent(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

// Starts returns the offsets of the start dates of the entries of the
// list at field (in the section at field when inner >= 0, then the list
// at inner), or of the section at field when the field is a section; and,
// for a list within a section, the section's own starts. Either may be
// nil.
func (p *Events) Starts(field, inner int) (section, entry []uintptr) {
	if p == nil {
		return nil, nil
	}
	starts := func(ds []date) []uintptr {
		var out []uintptr
		for _, d := range ds {
			if d.start {
				out = append(out, d.off)
			}
		}
		return out
	}
	for _, l := range p.lists {
		if l.field == field && inner < 0 {
			return nil, starts(l.dates)
		}
	}
	for _, s := range p.sections {
		if s.field != field {
			continue
		}
		if inner < 0 {
			return starts(s.dates), nil
		}
		for _, l := range s.lists {
			if l.field == inner {
				return starts(s.dates), starts(l.dates)
			}
		}
		return starts(s.dates), nil
	}
	return nil, nil
}

// StartsAfter reports whether any of the start dates at offsets starts in
// the struct at s lies after asOf.
func StartsAfter(s unsafe.Pointer, starts []uintptr, asOf time.Time) bool {
	for _, off := range starts {
		if after(*(**time.Time)(unsafe.Add(s, off)), asOf) {
			return true
		}
	}
	return false
}

// after reports whether t is present and its calendar date lies after
// asOf, a date at midnight UTC.
func after(t *time.Time, asOf time.Time) bool {
	if t == nil || !t.After(asOf) {
		// An instant on or before asOf's midnight has a calendar date on or
		// before asOf's in any zone (offsets stay within a day).
		return false
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(asOf)
}

// Left is an event date the as-of view left out.
type Left struct {
	Path  string    // the entry or section holding the date, e.g. "cpd[3]"; "" at the top level
	Field string    // the date's name, e.g. "date"
	Date  time.Time // the date
	Start bool      // the entry's or section's start: left out whole; else the date alone
	top   int       // the value's field it is in: Lefts sort by it
}

// EventBuffers builds as-of views with a plan, in memory kept from one
// view to the next. One goroutine uses it at a time.
type EventBuffers struct {
	plan     *Events
	view     reflect.Value   // the view: an addressable value of the plan's type
	viewAt   unsafe.Pointer  // its address
	lists    []reflect.Value // per list of the plan: addressable slices, len == cap
	sections []reflect.Value // per section: a pointer to its copy, made when first needed
	left     []Left
	renum    renumbering
}

// NewBuffers returns buffers for building as-of views with p.
func (p *Events) NewBuffers() *EventBuffers {
	vp := reflect.New(p.t)
	b := &EventBuffers{plan: p, view: vp.Elem(), viewAt: vp.UnsafePointer(), lists: make([]reflect.Value, p.nbufs),
		sections: make([]reflect.Value, len(p.sections))}
	for _, name := range p.names {
		b.renum.add(name)
	}
	for _, l := range p.lists {
		b.lists[l.buf] = reflect.New(l.typ).Elem()
	}
	for _, s := range p.sections {
		for _, l := range s.lists {
			b.lists[l.buf] = reflect.New(l.typ).Elem()
		}
	}
	return b
}

// AsOf returns the value at v, of the plan's type, as it stood on asOf, a
// date at midnight UTC, and what it left out, in document order. When
// nothing is dated after asOf it returns v itself and nothing left out,
// having copied nothing; otherwise the view is built in the buffers and
// it and the list left out are valid until their next use. The view shares
// memory with the value: neither may be modified while the other is in
// use.
func (b *EventBuffers) AsOf(v unsafe.Pointer, asOf time.Time) (unsafe.Pointer, []Left) {
	b.renum.reset()
	if !b.plan.anyAfter(v, asOf) {
		return v, nil
	}
	return b.build(v, asOf)
}

// anyAfter reports whether anything in the value at v is dated after asOf.
func (p *Events) anyAfter(v unsafe.Pointer, asOf time.Time) bool {
	for _, d := range p.top {
		if after(*(**time.Time)(unsafe.Add(v, d.off)), asOf) {
			return true
		}
	}
	for i := range p.lists {
		if p.lists[i].anyAfter(v, asOf) {
			return true
		}
	}
	for i := range p.sections {
		s := &p.sections[i]
		sp := *(*unsafe.Pointer)(unsafe.Add(v, s.off))
		if sp == nil {
			continue
		}
		for _, d := range s.dates {
			if after(*(**time.Time)(unsafe.Add(sp, d.off)), asOf) {
				return true
			}
		}
		for k := range s.lists {
			if s.lists[k].anyAfter(sp, asOf) {
				return true
			}
		}
	}
	return false
}

// sliceHeader is the layout of a slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// anyAfter reports whether an entry of list l, in the struct at in, has a
// date after asOf.
func (l *dateList) anyAfter(in unsafe.Pointer, asOf time.Time) bool {
	h := (*sliceHeader)(unsafe.Add(in, l.off))
	data, n := h.data, h.len
	for i := 0; i < n; i++ {
		e := unsafe.Add(data, uintptr(i)*l.size)
		for _, d := range l.dates {
			if after(*(**time.Time)(unsafe.Add(e, d.off)), asOf) {
				return true
			}
		}
	}
	return false
}

func (b *EventBuffers) build(v unsafe.Pointer, asOf time.Time) (unsafe.Pointer, []Left) {
	p := b.plan
	b.left = b.left[:0]
	src := reflect.NewAt(p.t, v).Elem()
	b.view.Set(src)
	dst := b.viewAt
	for _, d := range p.top {
		if t := *(**time.Time)(unsafe.Add(v, d.off)); after(t, asOf) {
			*(*unsafe.Pointer)(unsafe.Add(dst, d.off)) = nil
			b.left = append(b.left, Left{Field: d.name, Date: *t, top: d.field})
		}
	}
	for i := range p.lists {
		l := &p.lists[i]
		b.filter(l, v, src.Field(l.field), b.view.Field(l.field), asOf, l.field)
	}
	for k := range p.sections {
		s := &p.sections[k]
		sp := *(*unsafe.Pointer)(unsafe.Add(v, s.off))
		if sp == nil {
			continue
		}
		if d, t, ok := firstStartAfter(sp, s.dates, asOf); ok {
			*(*unsafe.Pointer)(unsafe.Add(dst, s.off)) = nil
			b.left = append(b.left, Left{Path: s.name, Field: d.name, Date: *t, Start: true, top: s.field})
			continue
		}
		sec := reflect.NewAt(s.typ, sp).Elem()
		changed := false
		for _, d := range s.dates {
			changed = changed || after(*(**time.Time)(unsafe.Add(sp, d.off)), asOf)
		}
		for j := range s.lists {
			changed = changed || s.lists[j].anyAfter(sp, asOf)
		}
		if !changed {
			continue
		}
		cp := b.sections[k]
		if !cp.IsValid() {
			cp = reflect.New(s.typ)
			b.sections[k] = cp
		}
		c := cp.Elem()
		c.Set(sec)
		at := cp.UnsafePointer()
		for _, d := range s.dates {
			if t := *(**time.Time)(unsafe.Add(sp, d.off)); after(t, asOf) {
				*(*unsafe.Pointer)(unsafe.Add(at, d.off)) = nil
				b.left = append(b.left, Left{Path: s.name, Field: d.name, Date: *t, top: s.field})
			}
		}
		for j := range s.lists {
			l := &s.lists[j]
			b.filter(l, sp, sec.Field(l.field), c.Field(l.field), asOf, s.field)
		}
		*(*unsafe.Pointer)(unsafe.Add(dst, s.off)) = at
	}
	// In document order: by the value's fields, each field's in order.
	slices.SortStableFunc(b.left, func(x, y Left) int { return x.top - y.top })
	return dst, b.left
}

// Renumber returns the path in the value of path, the path rules gave an
// entry of the last view these buffers built, such as "cpd[1]" for the
// second entry the view kept of the list cpd: "cpd[2]" when the view left
// out one before it. Any other path comes back as it is.
func (b *EventBuffers) Renumber(path string) string { return b.renum.renumber(path) }

// firstStartAfter returns the first of the starts among dates of the
// struct at s that lies after asOf.
func firstStartAfter(s unsafe.Pointer, dates []date, asOf time.Time) (date, *time.Time, bool) {
	for _, d := range dates {
		if t := *(**time.Time)(unsafe.Add(s, d.off)); d.start && after(t, asOf) {
			return d, t, true
		}
	}
	return date{}, nil, false
}

// filter sets dst, which holds s, the list l of the struct at in, to the
// entries of s as they stood on asOf: entries starting later left out,
// later dates nil. It leaves s in place when nothing in it is dated later,
// and otherwise copies the entries into l's buffer, non-nil even when none
// are kept. top is the value's field the list is in.
func (b *EventBuffers) filter(l *dateList, in unsafe.Pointer, s, dst reflect.Value, asOf time.Time, top int) {
	if !l.anyAfter(in, asOf) {
		return
	}
	total := s.Len()
	buf := b.lists[l.buf]
	if buf.Cap() < total {
		buf.Set(reflect.MakeSlice(l.typ, max(total, 2*buf.Cap()), max(total, 2*buf.Cap())))
	}
	data, out := s.UnsafePointer(), buf.UnsafePointer()
	n := 0
	from := b.renum.start(l.buf, total) // where each entry kept stands in s
	for i := 0; i < total; i++ {
		e := unsafe.Add(data, uintptr(i)*l.size)
		if d, t, ok := firstStartAfter(e, l.dates, asOf); ok {
			b.left = append(b.left, Left{Path: fmt.Sprintf("%s[%d]", l.name, i), Field: d.name, Date: *t, Start: true, top: top})
			continue
		}
		// A typed copy: entries hold pointers the collector must see.
		buf.Index(n).Set(s.Index(i))
		c := unsafe.Add(out, uintptr(n)*l.size)
		for _, d := range l.dates {
			if t := *(**time.Time)(unsafe.Add(e, d.off)); after(t, asOf) {
				*(*unsafe.Pointer)(unsafe.Add(c, d.off)) = nil
				b.left = append(b.left, Left{Path: fmt.Sprintf("%s[%d]", l.name, i), Field: d.name, Date: *t, top: top})
			}
		}
		from = append(from, i)
		n++
	}
	b.renum.kept[l.buf] = from
	dst.Set(buf)
	dst.SetLen(n)
	dst.SetCap(n)
}
