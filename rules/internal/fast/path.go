package fast

import (
	"reflect"
	"unsafe"
)

// Path is the way to optional data in the applicant's memory: a field of
// the applicant, then fields of the structs under it, through pointers.
type Path struct {
	steps []pathStep
	final reflect.Type // the type of the data
	kind  reflect.Kind // final's kind, asked once: Absent runs for every clause
}

// pathStep moves from one struct to a field of it: first through deref
// pointers (nil: absent), then off bytes.
type pathStep struct {
	deref int
	off   uintptr
}

// PathTo lays out the path to field field of the applicant struct model,
// then to the fields index names in turn, dereferencing pointers between.
func PathTo(model reflect.Type, field int, index []int) Path {
	f := model.Field(field)
	steps := []pathStep{{off: f.Offset}}
	t := f.Type
	for _, fi := range index {
		d := 0
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
			d++
		}
		sf := t.Field(fi)
		steps = append(steps, pathStep{deref: d, off: sf.Offset})
		t = sf.Type
	}
	return Path{steps: steps, final: t, kind: t.Kind()}
}

// Absent reports whether the data at the end of path p is absent from the
// frame's applicant: a nil pointer, slice, map or interface on its way.
func (f *Frame) Absent(p *Path) bool {
	a := f.app
	for _, s := range p.steps {
		for range s.deref {
			a = *(*unsafe.Pointer)(a)
			if a == nil {
				return true
			}
		}
		a = unsafe.Add(a, s.off)
	}
	switch p.kind {
	case reflect.Pointer:
		return *(*unsafe.Pointer)(a) == nil
	case reflect.Slice:
		data, _ := sliceAt(a)
		return data == nil
	case reflect.Map, reflect.Interface:
		return reflect.NewAt(p.final, a).Elem().IsNil()
	}
	return false
}
