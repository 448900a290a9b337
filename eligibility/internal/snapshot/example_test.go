package snapshot_test

import (
	"fmt"
	"reflect"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/snapshot"
)

type Course struct {
	Title     string
	Completed *time.Time
}

type Person struct {
	Name    string `expr:"-"`
	Courses []Course
}

// A copy's memory: slabs sized from a first copy's Need, then reused.
func Example() {
	plan, err := snapshot.New(reflect.TypeFor[Person](), func(f reflect.StructField) bool {
		return f.Tag.Get("expr") != "-"
	})
	if err != nil {
		panic(err)
	}
	done := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	p := Person{Name: "Ann", Courses: []Course{{"Online work", &done}, {"Ethics", nil}}}

	// Learn the sizes: with no room, a copy takes ordinary memory.
	var m snapshot.Mem
	m.Init(make([]snapshot.Slab, len(plan.Types())))
	if err := plan.Copy(unsafe.Pointer(new(Person)), unsafe.Pointer(&p), &m); err != nil {
		panic(err)
	}
	for k, t := range plan.Types() {
		n := m.Need(k)
		fmt.Println(t, n)
		m.Use(k, reflect.New(reflect.ArrayOf(n, t)).UnsafePointer(), n)
	}

	var cp Person
	if err := plan.Copy(unsafe.Pointer(&cp), unsafe.Pointer(&p), &m); err != nil {
		panic(err)
	}
	done = done.AddDate(1, 0, 0)
	p.Courses[0].Title = "changed"
	fmt.Printf("%q %q %v\n", cp.Name, cp.Courses[0].Title, cp.Courses[0].Completed.Format(time.DateOnly))
	// Output:
	// snapshot_test.Course 2
	// time.Time 1
	// "" "Online work" 2025-06-30
}
