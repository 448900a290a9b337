package fast

import (
	"math"
	"reflect"
	"time"
	"unsafe"
)

// Kind is the dynamic type of a Val.
type Kind uint8

// The kinds of values.
const (
	Nil    Kind = iota
	Bool        // b
	Int         // n (a Go int)
	Float       // f
	String      // s
	Time        // p points at a time.Time
	Struct      // p points at a struct described by t
	Slice       // a Go slice in memory: p its data (nil for a nil slice), n its length, t the slice type
	List        // a list built while evaluating: p points at n vals; p is nil for a nil []any
)

// Val is one value in the fast evaluator, four words long. It never owns
// memory: strings and pointers refer to the applicant, the parameters, the
// program's constants or the run's list arena.
type Val struct {
	k Kind
	b bool
	// ptr: expr would see a pointer here, not yet dereferenced; some
	// operations refuse pointers where expr would.
	ptr bool
	// short: an optional chain (a?.b) met nil; the rest of the chain
	// yields nil.
	short bool
	// n is a Int's value, a Float's bits, a String's or list's length.
	n int
	// p is a String's bytes, or what Time, Struct, Slice and List
	// point at.
	p unsafe.Pointer
	t *Type
}

func floatVal(f float64) Val { return Val{k: Float, n: int(math.Float64bits(f))} }

func strVal(s string) Val { return Val{k: String, p: unsafe.Pointer(unsafe.StringData(s)), n: len(s)} }

func (v Val) Float() float64 { return math.Float64frombits(uint64(v.n)) }

func (v Val) Str() string { return unsafe.String((*byte)(v.p), v.n) }

var vFalse = Val{k: Bool}

func boolVal(b bool) Val { return Val{k: Bool, b: b} }

// deref is expr's OpDeref: a pointer becomes its value (vals already hold
// the pointee, so only the mark goes).
func deref(v Val) Val {
	v.ptr = false
	return v
}

// isNil is expr's runtime.IsNil.
func (v Val) IsNil() bool {
	switch v.k {
	case Nil:
		return true
	case Slice, List:
		return v.p == nil
	}
	return false
}

// fallbackError is the panic value that sends a requirement back to expr's VM.
type fallbackError struct{ why string }

func (e fallbackError) Error() string { return "rules: fast evaluator: " + e.why }

func fallback(why string) { panic(fallbackError{why}) }

// tkind is the kind of Go type the fast evaluator reads from memory.
type tkind uint8

const (
	tUnsupported tkind = iota
	tBool
	tInt
	tFloat
	tString
	tTime
	tStruct
	tPtr
	tSlice
)

// Type describes a Go type for reading values of it from memory.
type Type struct {
	rt   reflect.Type
	kind tkind
	size uintptr
	elem *Type // tPtr, tSlice
	// tStruct
	fields   []fieldInfo
	static   map[string]int // names as expr's checker resolves them: tag, else Go name
	dynamic  map[string]int // names as runtime.Fetch resolves them: tag or Go name; -1 when ambiguous
	label    int            // the string field tagged `eligo:"label"`, or -1
	embedded bool           // the struct embeds another: dynamic lookups go to the VM
	// Constant is a constant list's value for explanations
	// (Config.ConstantList); strs its elements when all are texts. These
	// are the only fields of a constant list's Type.
	Constant any
	strs     []string
}

// constant is a literal's value in an interface.
func (v Val) constant() any {
	switch v.k {
	case Bool:
		return v.b
	case Int:
		return v.n
	case Float:
		return v.Float()
	case String:
		return v.Str()
	}
	return nil
}

type fieldInfo struct {
	off uintptr
	t   *Type
}

// Types builds typeInfos, once per type.
type Types map[reflect.Type]*Type

var (
	boolRT   = reflect.TypeFor[bool]()
	intRT    = reflect.TypeFor[int]()
	floatRT  = reflect.TypeFor[float64]()
	stringRT = reflect.TypeFor[string]()
	timeRT   = reflect.TypeFor[time.Time]()
	anysRT   = reflect.TypeFor[[]any]()
)

func (tt Types) of(rt reflect.Type) *Type {
	if t, ok := tt[rt]; ok {
		return t
	}
	t := &Type{rt: rt, size: rt.Size(), label: -1}
	tt[rt] = t
	switch {
	case rt == boolRT:
		t.kind = tBool
	case rt == intRT:
		t.kind = tInt
	case rt == floatRT:
		t.kind = tFloat
	case rt == stringRT:
		t.kind = tString
	case rt == timeRT:
		t.kind = tTime
	case rt.Kind() == reflect.Pointer:
		t.kind = tPtr
		t.elem = tt.of(rt.Elem())
	case rt.Kind() == reflect.Slice:
		t.kind = tSlice
		t.elem = tt.of(rt.Elem())
	case rt.Kind() == reflect.Struct:
		t.kind = tStruct
		t.static = map[string]int{}
		t.dynamic = map[string]int{}
		for i := 0; i < rt.NumField(); i++ {
			f := rt.Field(i)
			t.fields = append(t.fields, fieldInfo{off: f.Offset, t: tt.of(f.Type)})
			if f.Anonymous {
				t.embedded = true
			}
			tag := f.Tag.Get("expr")
			if f.IsExported() && tag != "-" {
				name := f.Name
				if tag != "" {
					name = tag
				}
				if _, dup := t.static[name]; !dup {
					t.static[name] = i
				}
			}
			if f.Tag.Get("eligo") == "label" && f.Type.Kind() == reflect.String && t.label < 0 {
				t.label = i
			}
		}
		// runtime.Fetch matches a field whose tag is the name, or whose Go
		// name is the name unless its tag is "-"; two matches fail.
		matches := map[string][]int{} // by name, the fields it matches
		for j := 0; j < rt.NumField(); j++ {
			g := rt.Field(j)
			gt := g.Tag.Get("expr")
			matches[gt] = append(matches[gt], j)
			if gt != "-" && g.Name != gt {
				matches[g.Name] = append(matches[g.Name], j)
			}
		}
		for i := 0; i < rt.NumField(); i++ {
			f := rt.Field(i)
			for _, name := range []string{f.Tag.Get("expr"), f.Name} {
				if name == "" || name == "-" {
					continue
				}
				if _, seen := t.dynamic[name]; seen {
					continue
				}
				match := -1
				if m := matches[name]; len(m) == 1 && rt.Field(m[0]).IsExported() {
					match = m[0]
				}
				t.dynamic[name] = match
			}
		}
	}
	return t
}

// sliceAt returns the data and length of the slice at p, whatever its
// element type: data is nil for a nil slice. A slice of any element type
// has the same header as a []byte (the language gives every slice type
// the same representation: data, length, capacity), so p is read as one.
// Through reflect (reflect.NewAt(t, p).Elem()) the same costs a lookup in
// reflect's cache of pointer types per list read, 4% of evaluating ACTO's
// rules; TestSliceAt holds the two to the same answers, and fails loudly
// should the assumption ever break.
func sliceAt(p unsafe.Pointer) (unsafe.Pointer, int) {
	s := *(*[]byte)(p)
	return unsafe.Pointer(unsafe.SliceData(s)), len(s)
}

// load reads a value of type t at p.
func load(p unsafe.Pointer, t *Type) Val {
	switch t.kind {
	case tBool:
		return Val{k: Bool, b: *(*bool)(p)}
	case tInt:
		return Val{k: Int, n: *(*int)(p)}
	case tFloat:
		return floatVal(*(*float64)(p))
	case tString:
		return strVal(*(*string)(p))
	case tTime:
		return Val{k: Time, p: p}
	case tStruct:
		return Val{k: Struct, p: p, t: t}
	case tPtr:
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			return Val{k: Nil, ptr: true}
		}
		v := load(q, t.elem)
		v.ptr = true
		return v
	case tSlice:
		data, n := sliceAt(p)
		return Val{k: Slice, p: data, n: n, t: t}
	}
	fallback("a value of type " + t.rt.String())
	return Val{}
}

// field reads field i of the struct v.
func (v Val) field(i int) Val {
	fi := &v.t.fields[i]
	return load(unsafe.Add(v.p, fi.off), fi.t)
}

// fetch is runtime.Fetch of a named field, for a struct whose type the
// compiler did not know.
func (v Val) fetch(name string) Val {
	if v.k != Struct || v.t.embedded {
		fallback("fetch " + name)
	}
	i, ok := v.t.dynamic[name]
	if !ok || i < 0 {
		fallback("fetch " + name)
	}
	return v.field(i)
}

// iterLen is the length of a list for expr's OpBegin.
func (v Val) IterLen() int {
	switch v.k {
	case Slice, List:
		return v.n
	}
	fallback("iterate over a non-list")
	return 0
}

var valSize = unsafe.Sizeof(Val{})

// at returns element i of a list (0 <= i < n).
func (v Val) At(i int) Val {
	if v.k == List {
		return *(*Val)(unsafe.Add(v.p, uintptr(i)*valSize))
	}
	e := v.t.elem
	p := unsafe.Add(v.p, uintptr(i)*e.size)
	if e.kind == tStruct {
		// The commonest list, of records (qualifications, courses): as load
		// reads one, without its switch.
		return Val{k: Struct, p: p, t: e}
	}
	return load(p, e)
}

func (v Val) Time() time.Time { return *(*time.Time)(v.p) }

// NoNumbers reports whether v is a list whose elements cannot be numbers
// that are not finite: a Go slice of booleans, integers, texts or times,
// or a constant list of texts.
func (v Val) NoNumbers() bool {
	switch v.k {
	case Slice:
		switch v.t.elem.kind {
		case tBool, tInt, tString, tTime:
			return true
		}
	case List:
		return v.t != nil && v.t.strs != nil
	}
	return false
}

// Kind is v's dynamic type.
func (v Val) Kind() Kind { return v.k }

// Bool is a Bool's value.
func (v Val) Bool() bool { return v.b }

// Int is an Int's value.
func (v Val) Int() int { return v.n }

// Len is the length of a String (in bytes), a Slice or a List.
func (v Val) Len() int { return v.n }

// Type is what v points at: a Struct's or a Slice's Go type, a constant
// List's (see Type.Constant); nil otherwise.
func (v Val) Type() *Type { return v.t }

// Deref is v dereferenced (expr's OpDeref).
func (v Val) Deref() Val { return deref(v) }

// Same reports whether v and w are the same value in the same memory: the
// same list, not merely an equal one.
func (v Val) Same(w Val) bool { return v.k == w.k && v.p == w.p && v.n == w.n && v.t == w.t }

// Reflect is a Struct as a reflect.Value (addressable, in the memory v
// points at).
func (v Val) Reflect() reflect.Value { return reflect.NewAt(v.t.rt, v.p).Elem() }

// Label is a Struct's field tagged `eligo:"label"`, or "".
func (v Val) Label() string {
	if v.k != Struct || v.t.label < 0 {
		return ""
	}
	return *(*string)(unsafe.Add(v.p, v.t.fields[v.t.label].off))
}

// Fallback ends the evaluation in progress and hands it back to the VM
// (see Frame.Try): for callers that find, while using a value, that the
// VM would treat it otherwise.
func Fallback(why string) { fallback(why) }
