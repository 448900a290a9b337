package quickvalid

import (
	"reflect"
	"testing"
	"time"
)

// TestSliceAt: sliceAt reads the slice at a pointer as reflect does, for
// slices of every kind of element (structs with pointers, texts, times,
// pointers, numbers, a struct type built by reflect), nil, empty and
// resliced ones: the check that a slice's header is a []byte's.
func TestSliceAt(t *testing.T) {
	type entry struct {
		Name string
		At   *time.Time
		N    float64
	}
	built := reflect.SliceOf(reflect.StructOf([]reflect.StructField{
		{Name: "A", Type: reflect.TypeFor[string]()}, {Name: "B", Type: reflect.TypeFor[[]int]()},
	}))
	full := []int{1, 2, 3, 4, 5}
	resliced := full[1:3:4]
	made := reflect.New(built)
	made.Elem().Set(reflect.MakeSlice(built, 3, 7))
	for _, v := range []any{
		new([]entry), &[]entry{}, &[]entry{{Name: "a"}, {N: 2}}, new([]string), &[]string{"x", "y", "z"},
		&[]time.Time{{}}, &[]*entry{nil, {}}, &[]int{1, 2, 3, 4}, &[]bool{true}, &[]byte{},
		reflect.New(built).Interface(), &resliced, made.Interface(),
	} {
		rv := reflect.ValueOf(v)
		data, n := sliceAt(rv.UnsafePointer())
		s := rv.Elem()
		if data != s.UnsafePointer() || n != s.Len() || (data == nil) != s.IsNil() {
			t.Fatalf("%s: sliceAt gives data %p, length %d; reflect %p, %d (nil %v): a slice's header is no longer a []byte's",
				s.Type(), data, n, s.UnsafePointer(), s.Len(), s.IsNil())
		}
	}
}
