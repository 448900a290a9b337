package rules

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"
)

// dateLayout is how rule files write dates.
const dateLayout = time.DateOnly

// paramTable holds every parameter's value for each period between the
// dates on which some dated value takes effect, precomputed so that an
// evaluation only picks a period.
type paramTable struct {
	typ     reflect.Type // struct with one field per parameter
	index   map[string]int
	names   []string
	params  []*Parameter
	bounds  []time.Time    // sorted dates at which some value changes
	periods []*paramPeriod // len(bounds)+1: before bounds[0], from bounds[0], ...
}

type paramPeriod struct {
	value   reflect.Value // pointer to a struct of typ
	missing []string      // parameters with no value in this period
}

func newParamTable(params []*Parameter) *paramTable {
	t := &paramTable{index: map[string]int{}, params: params}
	var fields []reflect.StructField
	dates := map[time.Time]bool{}
	for i, p := range params {
		var ft reflect.Type = reflect.TypeOf(float64(0))
		if len(p.Values) > 0 {
			ft = reflect.TypeOf(p.Values[0].Value)
		}
		t.index[p.Name] = i
		t.names = append(t.names, p.Name)
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("P%d", i), Type: ft,
			Tag: reflect.StructTag(fmt.Sprintf(`expr:%q`, p.Name))})
		for _, v := range p.Values {
			if !v.From.IsZero() {
				dates[v.From] = true
			}
		}
	}
	t.typ = reflect.StructOf(fields)
	for d := range dates {
		t.bounds = append(t.bounds, d)
	}
	sort.Slice(t.bounds, func(i, j int) bool { return t.bounds[i].Before(t.bounds[j]) })
	starts := append([]time.Time{{}}, t.bounds...)
	for k, start := range starts {
		per := &paramPeriod{value: reflect.New(t.typ)}
		for i, p := range params {
			v, ok := valueAt(p, start, k == 0)
			if !ok {
				per.missing = append(per.missing, p.Name)
				continue
			}
			per.value.Elem().Field(i).Set(reflect.ValueOf(v))
		}
		t.periods = append(t.periods, per)
	}
	return t
}

// valueAt returns p's value in force at start (before every date if first).
func valueAt(p *Parameter, start time.Time, first bool) (any, bool) {
	var v any
	ok := false
	for _, dv := range p.Values {
		if dv.From.IsZero() || (!first && !dv.From.After(start)) {
			v, ok = dv.Value, true
		}
	}
	return v, ok
}

// period returns the parameter values in force on date.
func (t *paramTable) period(date time.Time) (*paramPeriod, error) {
	k := sort.Search(len(t.bounds), func(i int) bool { return t.bounds[i].After(date) })
	per := t.periods[k]
	if len(per.missing) > 0 {
		return nil, fmt.Errorf("rules: on %s parameters %s have no value yet (their first date is later)",
			date.Format(dateLayout), strings.Join(per.missing, ", "))
	}
	return per, nil
}

// Param returns the value of parameter name in force on date: a float64,
// bool, string, time.Time or []string.
func (p *Program) Param(name string, date time.Time) (any, error) {
	i, ok := p.params.index[name]
	if !ok {
		return nil, fmt.Errorf("rules: no parameter %q", name)
	}
	v, ok := valueAt(p.params.params[i], date, false)
	if !ok {
		return nil, fmt.Errorf("rules: parameter %s has no value on %s", name, date.Format(dateLayout))
	}
	return v, nil
}
