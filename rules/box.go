package rules

import (
	"reflect"
	"time"
	"unsafe"
)

// Explanation values are put into interfaces without one allocation per
// value: the interface points at an element of a run's boxes arrays (see
// Run.boxVal), the interface the compiler would have made, but with the
// run's copy. Go's own conversion copies a value that is not pointer-shaped
// into a fresh allocation. The element is not written again until the run
// is Reset, which is why Run.Eval lends its results.
//
// eligibility/box.go does the same for the values it keeps in a decision.

// eface is the layout of an empty interface (runtime.eface).
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// typeWord returns the runtime type descriptor of t: the data word of the
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

// iface returns the interface of type typ whose value is at p.
func iface(typ, p unsafe.Pointer) (v any) {
	e := (*eface)(unsafe.Pointer(&v))
	e.typ, e.data = typ, p
	return v
}

func boxFloat(p *float64) any  { return iface(floatWord, unsafe.Pointer(p)) }
func boxInt(p *int) any        { return iface(intWord, unsafe.Pointer(p)) }
func boxString(p *string) any  { return iface(stringWord, unsafe.Pointer(p)) }
func boxTime(p *time.Time) any { return iface(timeWord, unsafe.Pointer(p)) }
