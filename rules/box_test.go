package rules

import (
	"reflect"
	"runtime"
	"testing"
	"time"
)

func TestBoxedValuesEqualOrdinaryOnes(t *testing.T) {
	f, i, s := 2.5, 42, "counselling"
	tm := time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ got, want any }{
		{boxFloat(&f), 2.5}, {boxInt(&i), 42}, {boxString(&s), "counselling"}, {boxTime(&tm), tm},
	} {
		if tc.got != tc.want || !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("boxed %#v, want %#v", tc.got, tc.want)
		}
		if reflect.TypeOf(tc.got) != reflect.TypeOf(tc.want) {
			t.Errorf("boxed type %T, want %T", tc.got, tc.want)
		}
	}
}

func TestBoxingDoesNotAllocate(t *testing.T) {
	vals := make([]float64, 8)
	var sink any
	n := testing.AllocsPerRun(100, func() {
		for k := range vals {
			sink = boxFloat(&vals[k])
		}
	})
	_ = sink
	if n != 0 {
		t.Errorf("%v allocations per run, want 0", n)
	}
}

// TestBoxedValuesSurviveGC: the interface keeps its array alive.
func TestBoxedValuesSurviveGC(t *testing.T) {
	var kept []any
	for k := range 100 {
		arr := make([]string, 4)
		arr[3] = string(rune('a' + k%26))
		kept = append(kept, boxString(&arr[3]))
	}
	runtime.GC()
	for k, v := range kept {
		if v != string(rune('a'+k%26)) {
			t.Fatalf("value %d is %v after GC", k, v)
		}
	}
}
