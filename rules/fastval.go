package rules

import (
	"cmp"
	"math"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

// The fast evaluator runs compiled rules as Go closures over typed values
// (val) instead of expr's virtual machine, which boxes every intermediate
// value in an interface and reads fields by reflection. It covers the part
// of the language rule files use (field access, comparisons, arithmetic,
// list predicates, the library functions); anything else compiles to
// expr's VM as before. Its semantics are expr's: where the two could differ
// (an error, a type expr would treat otherwise) it panics with
// errFallback, and the run redoes the requirement on the VM.

// vkind is the dynamic type of a val.
type vkind uint8

const (
	kNil    vkind = iota
	kBool         // b
	kInt          // n (a Go int)
	kFloat        // f
	kString       // s
	kTime         // p points at a time.Time
	kStruct       // p points at a struct described by t
	kSlice        // a Go slice in memory: p its data (nil for a nil slice), n its length, t the slice type
	kList         // a list built while evaluating: p points at n vals; p is nil for a nil []any
)

// val is one value in the fast evaluator, four words long. It never owns
// memory: strings and pointers refer to the applicant, the parameters, the
// program's constants or the run's list arena.
type val struct {
	k vkind
	b bool
	// ptr: expr would see a pointer here, not yet dereferenced; some
	// operations refuse pointers where expr would.
	ptr bool
	// short: an optional chain (a?.b) met nil; the rest of the chain
	// yields nil.
	short bool
	// n is a kInt's value, a kFloat's bits, a kString's or list's length.
	n int
	// p is a kString's bytes, or what kTime, kStruct, kSlice and kList
	// point at.
	p unsafe.Pointer
	t *typeInfo
}

func floatVal(f float64) val { return val{k: kFloat, n: int(math.Float64bits(f))} }

func strVal(s string) val { return val{k: kString, p: unsafe.Pointer(unsafe.StringData(s)), n: len(s)} }

func (v val) float() float64 { return math.Float64frombits(uint64(v.n)) }

func (v val) str() string { return unsafe.String((*byte)(v.p), v.n) }

var (
	vTrue  = val{k: kBool, b: true}
	vFalse = val{k: kBool}
)

func boolVal(b bool) val { return val{k: kBool, b: b} }

// deref is expr's OpDeref: a pointer becomes its value (vals already hold
// the pointee, so only the mark goes).
func deref(v val) val {
	v.ptr = false
	return v
}

// isNil is expr's runtime.IsNil.
func (v val) isNil() bool {
	switch v.k {
	case kNil:
		return true
	case kSlice, kList:
		return v.p == nil
	}
	return false
}

// errFallback is the panic value that sends a requirement back to expr's VM.
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

// typeInfo describes a Go type for reading values of it from memory.
type typeInfo struct {
	rt   reflect.Type
	kind tkind
	size uintptr
	elem *typeInfo // tPtr, tSlice
	// tStruct
	fields   []fieldInfo
	static   map[string]int // names as expr's checker resolves them: tag, else Go name
	dynamic  map[string]int // names as runtime.Fetch resolves them: tag or Go name; -1 when ambiguous
	label    int            // the string field tagged `eligo:"label"`, or -1
	embedded bool           // the struct embeds another: dynamic lookups go to the VM
	// A constant list, as a Value for explanations, and its elements when
	// all are texts (its only fields).
	constant Value
	strs     []string
}

// constant is a literal's value in an interface.
func (v val) constant() any {
	switch v.k {
	case kBool:
		return v.b
	case kInt:
		return v.n
	case kFloat:
		return v.float()
	case kString:
		return v.str()
	}
	return nil
}

type fieldInfo struct {
	off uintptr
	t   *typeInfo
}

// typeTable builds typeInfos, once per type.
type typeTable map[reflect.Type]*typeInfo

var (
	boolRT   = reflect.TypeFor[bool]()
	intRT    = reflect.TypeFor[int]()
	floatRT  = reflect.TypeFor[float64]()
	stringRT = reflect.TypeFor[string]()
	timeRT   = reflect.TypeFor[time.Time]()
	anyRT    = reflect.TypeFor[any]()
	anysRT   = reflect.TypeFor[[]any]()
)

func (tt typeTable) of(rt reflect.Type) *typeInfo {
	if t, ok := tt[rt]; ok {
		return t
	}
	t := &typeInfo{rt: rt, size: rt.Size(), label: -1}
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
				count := 0
				for j := 0; j < rt.NumField(); j++ {
					g := rt.Field(j)
					gt := g.Tag.Get("expr")
					if gt == name || (gt != "-" && g.Name == name) {
						match = j
						count++
					}
				}
				if count != 1 || !rt.Field(match).IsExported() {
					match = -1
				}
				t.dynamic[name] = match
			}
		}
	}
	return t
}

// sliceAt returns the data and length of the slice of type t at p, through
// reflect (not the runtime's slice layout): data is nil for a nil slice.
func sliceAt(t reflect.Type, p unsafe.Pointer) (unsafe.Pointer, int) {
	s := reflect.NewAt(t, p).Elem()
	return s.UnsafePointer(), s.Len()
}

// load reads a value of type t at p.
func load(p unsafe.Pointer, t *typeInfo) val {
	switch t.kind {
	case tBool:
		return val{k: kBool, b: *(*bool)(p)}
	case tInt:
		return val{k: kInt, n: *(*int)(p)}
	case tFloat:
		return floatVal(*(*float64)(p))
	case tString:
		return strVal(*(*string)(p))
	case tTime:
		return val{k: kTime, p: p}
	case tStruct:
		return val{k: kStruct, p: p, t: t}
	case tPtr:
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			return val{k: kNil, ptr: true}
		}
		v := load(q, t.elem)
		v.ptr = true
		return v
	case tSlice:
		data, n := sliceAt(t.rt, p)
		return val{k: kSlice, p: data, n: n, t: t}
	}
	fallback("a value of type " + t.rt.String())
	return val{}
}

// field reads field i of the struct v.
func (v val) field(i int) val {
	fi := &v.t.fields[i]
	return load(unsafe.Add(v.p, fi.off), fi.t)
}

// fetch is runtime.Fetch of a named field, for a struct whose type the
// compiler did not know.
func (v val) fetch(name string) val {
	if v.k != kStruct || v.t.embedded {
		fallback("fetch " + name)
	}
	i, ok := v.t.dynamic[name]
	if !ok || i < 0 {
		fallback("fetch " + name)
	}
	return v.field(i)
}

// iterLen is the length of a list for expr's OpBegin.
func (v val) iterLen() int {
	switch v.k {
	case kSlice, kList:
		return v.n
	}
	fallback("iterate over a non-list")
	return 0
}

var valSize = unsafe.Sizeof(val{})

// at returns element i of a list (0 <= i < n).
func (v val) at(i int) val {
	if v.k == kList {
		return *(*val)(unsafe.Add(v.p, uintptr(i)*valSize))
	}
	e := v.t.elem
	return load(unsafe.Add(v.p, uintptr(i)*e.size), e)
}

func (v val) time() time.Time { return *(*time.Time)(v.p) }

// valEqual is runtime.Equal.
func valEqual(a, b val) bool {
	switch a.k {
	case kInt:
		switch b.k {
		case kInt:
			return a.n == b.n
		case kFloat:
			return float64(a.n) == b.float()
		}
	case kFloat:
		switch b.k {
		case kInt:
			return a.float() == float64(b.n)
		case kFloat:
			return a.float() == b.float()
		}
	case kString:
		if b.k == kString {
			return a.str() == b.str()
		}
	case kBool:
		if b.k == kBool {
			return a.b == b.b
		}
	case kTime:
		if b.k == kTime {
			return a.time().Equal(b.time())
		}
	}
	if a.isNil() && b.isNil() {
		return true
	}
	// reflect.DeepEqual of two values: nil and a value that is not nil, or
	// two scalars of different types, are never equal; lists and structs go
	// to the VM.
	if a.k == kNil || b.k == kNil || isScalar(a.k) && isScalar(b.k) {
		return false
	}
	fallback("compare lists or structs")
	return false
}

func isScalar(k vkind) bool {
	switch k {
	case kBool, kInt, kFloat, kString, kTime:
		return true
	}
	return false
}

// valIn is runtime.In.
func valIn(needle, list val) bool {
	switch list.k {
	case kNil:
		return false
	case kSlice, kList:
		if needle.k == kString {
			// Text in a list of texts: runtime.Equal is ==.
			var strs []string
			if list.k == kSlice && list.t.elem.kind == tString {
				strs = unsafe.Slice((*string)(list.p), list.n)
			} else if list.k == kList && list.t != nil && list.t.strs != nil {
				strs = list.t.strs
			}
			if strs != nil {
				s := needle.str()
				for _, x := range strs {
					if x == s {
						return true
					}
				}
				return false
			}
		}
		for i := 0; i < list.n; i++ {
			if valEqual(list.at(i), needle) {
				return true
			}
		}
		return false
	}
	fallback("in over a non-list")
	return false
}

// valOrder compares a and b for <, <=, > and >= as runtime.Less and its
// siblings do; ok is false where they would panic.
func valOrder(op string, a, b val) (result, ok bool) {
	var c int
	switch {
	case a.k == kInt && b.k == kInt:
		c = cmp.Compare(a.n, b.n)
	case (a.k == kInt || a.k == kFloat) && (b.k == kInt || b.k == kFloat):
		x, y := a.float(), b.float()
		if a.k == kInt {
			x = float64(a.n)
		}
		if b.k == kInt {
			y = float64(b.n)
		}
		// NaN compares false every way, as in Go.
		switch op {
		case "<":
			return x < y, true
		case "<=":
			return x <= y, true
		case ">":
			return x > y, true
		case ">=":
			return x >= y, true
		}
		return false, false
	case a.k == kString && b.k == kString:
		c = strings.Compare(a.str(), b.str())
	case a.k == kTime && b.k == kTime:
		x, y := a.time(), b.time()
		switch op {
		case "<":
			return x.Before(y), true
		case "<=":
			return x.Before(y) || x.Equal(y), true
		case ">":
			return x.After(y), true
		case ">=":
			return x.After(y) || x.Equal(y), true
		}
		return false, false
	default:
		return false, false
	}
	switch op {
	case "<":
		return c < 0, true
	case "<=":
		return c <= 0, true
	case ">":
		return c > 0, true
	case ">=":
		return c >= 0, true
	}
	return false, false
}

// valArith is runtime.Add, Subtract, Multiply, Divide and Modulo on numbers.
func valArith(op string, a, b val) val {
	if a.k == kInt && b.k == kInt {
		switch op {
		case "+":
			return val{k: kInt, n: a.n + b.n}
		case "-":
			return val{k: kInt, n: a.n - b.n}
		case "*":
			return val{k: kInt, n: a.n * b.n}
		case "/":
			return floatVal(finite(float64(a.n) / float64(b.n)))
		case "%":
			if b.n == 0 {
				fallback("modulo by zero")
			}
			return val{k: kInt, n: a.n % b.n}
		}
	}
	if (a.k == kInt || a.k == kFloat) && (b.k == kInt || b.k == kFloat) && op != "%" {
		x, y := a.float(), b.float()
		if a.k == kInt {
			x = float64(a.n)
		}
		if b.k == kInt {
			y = float64(b.n)
		}
		switch op {
		case "+":
			return floatVal(finite(x + y))
		case "-":
			return floatVal(finite(x - y))
		case "*":
			return floatVal(finite(x * y))
		case "/":
			return floatVal(finite(x / y))
		}
	}
	fallback("arithmetic on " + op)
	return val{}
}

// valLen is expr's len builtin.
func valLen(v val) val {
	switch v.k {
	case kSlice, kList:
		return val{k: kInt, n: v.n}
	case kString:
		return val{k: kInt, n: utf8.RuneCountInString(v.str())}
	}
	fallback("len of a non-list")
	return val{}
}

// needBool is the bool expr's jumps and loops insist on.
func needBool(v val) bool {
	if v.k != kBool || v.ptr {
		fallback("a condition that is not true or false")
	}
	return v.b
}

// zeroVal is the value of an environment field of type rt that was never
// set: a fact skipped because data it needs is absent.
func zeroVal(rt reflect.Type, tt typeTable) val {
	switch rt {
	case boolRT:
		return vFalse
	case intRT:
		return val{k: kInt}
	case floatRT:
		return floatVal(0)
	case stringRT:
		return strVal("")
	case timeRT:
		return val{k: kTime, p: unsafe.Pointer(&zeroTime)}
	case anysRT:
		return val{k: kList}
	}
	if rt.Kind() == reflect.Interface {
		return val{}
	}
	return val{k: kNil}
}

var zeroTime time.Time
