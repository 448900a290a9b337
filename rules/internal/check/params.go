package check

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/rules/ruleset"
)

// dateLayout is how rule files write dates.
const dateLayout = time.DateOnly

// Params holds every parameter's value for each period between the dates
// on which some dated value takes effect, precomputed so that an evaluation
// only picks a period. The environment's param field points at one
// period's Value.
type Params struct {
	Type    reflect.Type // struct with one field per parameter
	Index   map[string]int
	Names   []string
	Params  []*ruleset.Parameter
	Bounds  []time.Time // sorted dates at which some value changes
	Periods []*Period   // len(Bounds)+1: before Bounds[0], from Bounds[0], ...
}

// Period is the parameters' values from one bound to the next.
type Period struct {
	Value   reflect.Value // pointer to a struct of Params.Type
	Missing []string      // parameters with no value in this period
}

func newParams(params []*ruleset.Parameter) *Params {
	t := &Params{Index: map[string]int{}, Params: params}
	var fields []reflect.StructField
	dates := map[time.Time]bool{}
	for i, p := range params {
		var ft reflect.Type = reflect.TypeOf(float64(0))
		if len(p.Values) > 0 {
			ft = reflect.TypeOf(p.Values[0].Value)
		}
		t.Index[p.Name] = i
		t.Names = append(t.Names, p.Name)
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("P%d", i), Type: ft,
			Tag: reflect.StructTag(fmt.Sprintf(`expr:%q`, p.Name))})
		for _, v := range p.Values {
			if !v.From.IsZero() {
				dates[v.From] = true
			}
		}
	}
	t.Type = reflect.StructOf(fields)
	for d := range dates {
		t.Bounds = append(t.Bounds, d)
	}
	sort.Slice(t.Bounds, func(i, j int) bool { return t.Bounds[i].Before(t.Bounds[j]) })
	starts := append([]time.Time{{}}, t.Bounds...)
	for k, start := range starts {
		per := &Period{Value: reflect.New(t.Type)}
		for i, p := range params {
			v, ok := valueAt(p, start, k == 0)
			if !ok {
				per.Missing = append(per.Missing, p.Name)
				continue
			}
			per.Value.Elem().Field(i).Set(reflect.ValueOf(v))
		}
		t.Periods = append(t.Periods, per)
	}
	return t
}

// valueAt returns p's value in force at start (before every date if first).
func valueAt(p *ruleset.Parameter, start time.Time, first bool) (any, bool) {
	var v any
	ok := false
	for _, dv := range p.Values {
		if dv.From.IsZero() || (!first && !dv.From.After(start)) {
			v, ok = dv.Value, true
		}
	}
	return v, ok
}

// Period returns the index of the period in force on date.
func (t *Params) Period(date time.Time) (int, error) {
	k := sort.Search(len(t.Bounds), func(i int) bool { return t.Bounds[i].After(date) })
	per := t.Periods[k]
	if len(per.Missing) > 0 {
		return 0, fmt.Errorf("rules: on %s parameters %s have no value yet (their first date is later)",
			date.Format(dateLayout), strings.Join(per.Missing, ", "))
	}
	return k, nil
}

// Value returns the value of parameter name in force on date: a float64,
// bool, string, time.Time or []string.
func (t *Params) Value(name string, date time.Time) (any, error) {
	i, ok := t.Index[name]
	if !ok {
		return nil, fmt.Errorf("rules: no parameter %q", name)
	}
	v, ok := valueAt(t.Params[i], date, false)
	if !ok {
		return nil, fmt.Errorf("rules: parameter %s has no value on %s", name, date.Format(dateLayout))
	}
	return v, nil
}
