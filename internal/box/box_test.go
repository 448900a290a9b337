package box

import (
	"reflect"
	"runtime"
	"testing"
	"time"
)

type date struct{ time.Time }

func TestBoxedValuesEqualOrdinaryOnes(t *testing.T) {
	f, i, s := 2.5, 42, "counselling"
	tm := time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)
	d := date{tm}
	for _, tc := range []struct{ got, want any }{
		{Float(&f), 2.5}, {Int(&i), 42}, {String(&s), "counselling"}, {Time(&tm), tm}, {Of(&d), d}, {Of(&f), 2.5},
	} {
		if tc.got != tc.want || !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("boxed %#v, want %#v", tc.got, tc.want)
		}
		if reflect.TypeOf(tc.got) != reflect.TypeOf(tc.want) {
			t.Errorf("boxed type %T, want %T", tc.got, tc.want)
		}
	}
	if _, ok := Of(&d).(date); !ok {
		t.Error("Of(&date) does not assert to date")
	}
}

func TestBoxingDoesNotAllocate(t *testing.T) {
	vals := make([]float64, 8)
	var sink any
	n := testing.AllocsPerRun(100, func() {
		for k := range vals {
			sink = Float(&vals[k])
		}
	})
	_ = sink
	if n != 0 {
		t.Errorf("%v allocations per run, want 0", n)
	}
}

// TestBoxedValuesSurviveGC: the interface keeps the array alive.
func TestBoxedValuesSurviveGC(t *testing.T) {
	var kept []any
	for k := range 100 {
		arr := make([]string, 4)
		arr[2] = "entry"
		arr[3] = string(rune('a' + k%26))
		kept = append(kept, String(&arr[3]))
	}
	runtime.GC()
	for k, v := range kept {
		if v != string(rune('a'+k%26)) {
			t.Fatalf("value %d is %v after GC", k, v)
		}
	}
}

func TestIndirect(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want bool
	}{
		{0.0, true}, {"", true}, {time.Time{}, true}, {date{}, true}, {[]int{}, true},
		{new(int), false}, {map[string]int{}, false}, {struct{ p *int }{}, false}, {[1]*int{}, false},
	} {
		if got := Indirect(reflect.TypeOf(tc.v)); got != tc.want {
			t.Errorf("Indirect(%T) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestOfRefusesDirectTypes(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Of(**int) did not panic")
		}
	}()
	p := new(int)
	Of(&p)
}
