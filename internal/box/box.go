// Package box puts values into interfaces without allocating one object per
// value: the interface points at memory the caller owns, typically an array
// allocated once for many values. Go's own conversion to an interface copies
// a value that is not pointer-shaped into a fresh allocation; these
// functions make the interface the compiler would have made, but with the
// caller's copy.
//
// The contract that makes this sound: memory handed to an interface here is
// never written again. Interfaces holding values are immutable by
// construction in Go, and code receiving them relies on it.
package box

import (
	"reflect"
	"time"
	"unsafe"
)

// eface is the layout of an empty interface (runtime.eface).
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// typeWord returns the runtime type descriptor of T: the data word of the
// reflect.Type interface, which is a *abi.Type.
func typeWord(t reflect.Type) unsafe.Pointer {
	return (*eface)(unsafe.Pointer(&t)).data
}

var (
	floatWord  = typeWord(reflect.TypeFor[float64]())
	intWord    = typeWord(reflect.TypeFor[int]())
	stringWord = typeWord(reflect.TypeFor[string]())
	timeWord   = typeWord(reflect.TypeFor[time.Time]())
)

// Indirect reports whether an interface holding a value of type t points at
// the value rather than holding it in its data word: only such types can be
// boxed by this package.
func Indirect(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return false
	case reflect.Struct:
		if t.NumField() == 1 {
			return Indirect(t.Field(0).Type)
		}
		if t.Size() == 0 {
			return true
		}
	case reflect.Array:
		if t.Len() == 1 {
			return Indirect(t.Elem())
		}
	}
	return true
}

func make1(typ, p unsafe.Pointer) (v any) {
	e := (*eface)(unsafe.Pointer(&v))
	e.typ = typ
	e.data = p
	return v
}

// Float returns *p as an interface that shares p's memory.
func Float(p *float64) any { return make1(floatWord, unsafe.Pointer(p)) }

// Int returns *p as an interface that shares p's memory.
func Int(p *int) any { return make1(intWord, unsafe.Pointer(p)) }

// String returns *p as an interface that shares p's memory.
func String(p *string) any { return make1(stringWord, unsafe.Pointer(p)) }

// Time returns *p as an interface that shares p's memory.
func Time(p *time.Time) any { return make1(timeWord, unsafe.Pointer(p)) }

// Of returns *p as an interface that shares p's memory. T must be
// [Indirect]; Of panics otherwise. It costs a type lookup per call, so the
// typed functions above are for hot paths.
func Of[T any](p *T) any {
	t := reflect.TypeFor[T]()
	if !Indirect(t) {
		panic("box.Of: " + t.String() + " is held in an interface's data word")
	}
	return make1(typeWord(t), unsafe.Pointer(p))
}
