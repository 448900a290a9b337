package eligibility

import (
	"reflect"
	"unsafe"
)

// keep copies the applicant at p for the decision being made in b to
// explain from (TEMPORARY: a reflect deep copy until internal/snapshot).
func (e *engine) keep(b *block, p unsafe.Pointer) unsafe.Pointer {
	v := reflect.New(e.model)
	deepCopy(v.Elem(), reflect.NewAt(e.model, p).Elem())
	return v.UnsafePointer()
}

func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		n := reflect.New(src.Type().Elem())
		deepCopy(n.Elem(), src.Elem())
		dst.Set(n)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		n := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			deepCopy(n.Index(i), src.Index(i))
		}
		dst.Set(n)
	case reflect.Struct:
		dst.Set(src)
		for i := range src.NumField() {
			if src.Type().Field(i).IsExported() {
				deepCopy(dst.Field(i), src.Field(i))
			}
		}
	default:
		dst.Set(src)
	}
}
