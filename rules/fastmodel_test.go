package rules

import (
	"reflect"
	"time"
)

// timeRT was the fast evaluator's name for time.Time's type while it lived
// in this package; fast_test.go's generator still uses it.
var timeRT = reflect.TypeFor[time.Time]()
