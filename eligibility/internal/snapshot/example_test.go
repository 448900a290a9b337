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

// A copy packed once, then unpacked when needed: changing the value after
// it was packed changes nothing in the copy, and the field the plan drops
// is not in it.
func Example() {
	plan, err := snapshot.New(reflect.TypeFor[Person](), func(f reflect.StructField) bool {
		return f.Tag.Get("expr") != "-"
	})
	if err != nil {
		panic(err)
	}
	done := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	p := Person{Name: "Ann", Courses: []Course{{"Online work", &done}, {"Ethics", nil}}}

	var scratch snapshot.Packer
	packed, err := plan.Pack(unsafe.Pointer(&p), &scratch, snapshot.Packed{})
	if err != nil {
		panic(err)
	}
	done = done.AddDate(1, 0, 0)
	p.Courses[0].Title = "changed"

	// Unpacked into memory with no room in its slabs: ordinary memory,
	// whose size the slabs learn.
	var m snapshot.Mem
	m.Init(make([]snapshot.Slab, len(plan.Types())))
	var cp Person
	plan.Unpack(unsafe.Pointer(&cp), packed, &m)
	fmt.Printf("%q %q %v\n", cp.Name, cp.Courses[0].Title, cp.Courses[0].Completed.Format(time.DateOnly))
	for k, t := range plan.Types() {
		fmt.Println(t, m.Need(k))
	}
	// Output:
	// "" "Online work" 2025-06-30
	// snapshot_test.Course 2
	// time.Time 1
}
