package rules

import "time"

// dateLayout is how rule files write dates.
const dateLayout = time.DateOnly

// Param returns the value of parameter name in force on date: a float64,
// bool, string, time.Time or []string.
func (p *Program) Param(name string, date time.Time) (any, error) {
	return p.params.Value(name, date)
}
