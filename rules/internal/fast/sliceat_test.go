package fast

import (
	"reflect"
	"testing"
	"time"
)

// TestSliceAt: sliceAt reads any slice's header as a []byte's; it must
// give what reflect gives, for slices of every kind of element the models
// have (structs, strings, times, pointers, numbers) and of a type built at
// run time, nil, empty, full and resliced.
func TestSliceAt(t *testing.T) {
	type entry struct {
		Name string
		At   *time.Time
		N    float64
	}
	built := reflect.SliceOf(reflect.StructOf([]reflect.StructField{
		{Name: "A", Type: reflect.TypeFor[string]()}, {Name: "B", Type: reflect.TypeFor[[]int]()},
	}))
	values := []any{
		new([]entry), &[]entry{}, &[]entry{{Name: "a"}, {N: 2}}, new([]string), &[]string{"x", "y", "z"},
		&[]time.Time{{}}, &[]*entry{nil, {}}, &[]int{1, 2, 3, 4}, &[]bool{true},
		&[]byte{}, reflect.New(built).Interface(),
	}
	full := []int{1, 2, 3, 4, 5}
	resliced := full[1:3:4]
	values = append(values, &resliced)
	mk := reflect.MakeSlice(built, 3, 7)
	ptr := reflect.New(built)
	ptr.Elem().Set(mk)
	values = append(values, ptr.Interface())
	for _, v := range values {
		rv := reflect.ValueOf(v)
		p := rv.UnsafePointer()
		data, n := sliceAt(p)
		s := reflect.NewAt(rv.Type().Elem(), p).Elem()
		if data != s.UnsafePointer() || n != s.Len() {
			t.Fatalf("%s: sliceAt gives data %p, length %d; reflect %p, %d: a slice's header is no longer a []byte's", rv.Type().Elem(), data, n, s.UnsafePointer(), s.Len())
		}
		if (data == nil) != s.IsNil() {
			t.Fatalf("%s: nil %v, reflect says %v", rv.Type().Elem(), data == nil, s.IsNil())
		}
	}
}
