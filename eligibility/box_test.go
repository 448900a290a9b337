package eligibility

import (
	"reflect"
	"runtime"
	"testing"
	"time"
)

func TestBoxedValuesEqualOrdinaryOnes(t *testing.T) {
	f, i, s := 2.5, 42, "counselling"
	d := Date{time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)}
	for _, tc := range []struct{ got, want any }{
		{boxFloat(&f), 2.5}, {boxInt(&i), 42}, {boxString(&s), "counselling"}, {boxDate(&d), d},
	} {
		if tc.got != tc.want || !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("boxed %#v, want %#v", tc.got, tc.want)
		}
		if reflect.TypeOf(tc.got) != reflect.TypeOf(tc.want) {
			t.Errorf("boxed type %T, want %T", tc.got, tc.want)
		}
	}
	if _, ok := boxDate(&d).(interface{ MarshalJSON() ([]byte, error) }); !ok {
		t.Error("a boxed Date does not keep Date's methods")
	}
}

// TestBoxedValuesSurviveGC: the interface keeps its block alive.
func TestBoxedValuesSurviveGC(t *testing.T) {
	var kept []any
	for k := range 100 {
		arr := make([]float64, 4)
		arr[3] = float64(k)
		kept = append(kept, boxFloat(&arr[3]))
	}
	runtime.GC()
	for k, v := range kept {
		if v != float64(k) {
			t.Fatalf("value %d is %v after GC", k, v)
		}
	}
}
