package check

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/eligo-dev/eligo/rules/ruleset"
)

// dateLayout is how rule files write dates.
const dateLayout = time.DateOnly

// Params holds the rule set's parameters for each period between the
// dates on which some dated value takes effect, so that an evaluation only
// picks a period. The environment's param field points at one period's
// value, a struct with a field per parameter: it is made when a period is
// first used (PeriodValue), so that compiling costs the parameters and
// their values, not the periods times the parameters; every period holds
// the same value of a parameter (a list's elements, say) where it has not
// changed.
type Params struct {
	Type   reflect.Type // struct with one field per parameter
	Index  map[string]int
	Names  []string
	Params []*ruleset.Parameter
	Bounds []time.Time // sorted dates at which some value changes
	// ready is the first period in which every parameter has a value.
	ready   int
	periods []period // len(Bounds)+1: before Bounds[0], from Bounds[0], ...
}

// period is one period's parameter struct, made once when first used.
type period struct {
	once  sync.Once
	value reflect.Value // pointer to a struct of Params.Type
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
	t.periods = make([]period, len(t.Bounds)+1)
	for _, p := range params {
		// The first period p has a value in: 0 with an undated value, else
		// the one its earliest date starts (never, without a value).
		first := len(t.periods)
		for _, dv := range p.Values {
			if dv.From.IsZero() {
				first = 0
				break
			}
			first = min(first, sort.Search(len(t.Bounds), func(i int) bool { return !t.Bounds[i].Before(dv.From) })+1)
		}
		t.ready = max(t.ready, first)
	}
	return t
}

// NumPeriods is the number of periods: one more than len(Bounds).
func (t *Params) NumPeriods() int { return len(t.periods) }

// PeriodValue is period k's parameter struct (a pointer to a struct of
// Type), made when first asked for; safe for concurrent use. A parameter
// with no value yet in the period is its zero value (Period refuses the
// period).
func (t *Params) PeriodValue(k int) reflect.Value {
	per := &t.periods[k]
	per.once.Do(func() {
		per.value = reflect.New(t.Type)
		for i, p := range t.Params {
			if j := t.ValueIndex(k, i); j >= 0 {
				per.value.Elem().Field(i).Set(reflect.ValueOf(p.Values[j].Value))
			}
		}
	})
	return per.value
}

// ValueIndex is the index in Params[i].Values of the value parameter i has
// in period k, or -1 when it has none yet.
func (t *Params) ValueIndex(k, i int) int {
	var start time.Time
	if k > 0 {
		start = t.Bounds[k-1]
	}
	return valueIndex(t.Params[i], start, k == 0)
}

// valueIndex returns the index of p's value in force at start (before
// every date if first), or -1: the last value undated or from start or
// earlier. A parameter's values are in date order, an undated one first
// (ruleset.Parameter.Values).
func valueIndex(p *ruleset.Parameter, start time.Time, first bool) int {
	return sort.Search(len(p.Values), func(j int) bool {
		from := p.Values[j].From
		return !from.IsZero() && (first || from.After(start))
	}) - 1
}

// valueAt returns p's value in force at start (before every date if first).
func valueAt(p *ruleset.Parameter, start time.Time, first bool) (any, bool) {
	if j := valueIndex(p, start, first); j >= 0 {
		return p.Values[j].Value, true
	}
	return nil, false
}

// Period returns the index of the period in force on date.
func (t *Params) Period(date time.Time) (int, error) {
	k := sort.Search(len(t.Bounds), func(i int) bool { return t.Bounds[i].After(date) })
	if k < t.ready {
		var missing []string
		for i, p := range t.Params {
			if t.ValueIndex(k, i) < 0 {
				missing = append(missing, p.Name)
			}
		}
		return 0, fmt.Errorf("rules: on %s parameters %s have no value yet (their first date is later)",
			date.Format(dateLayout), strings.Join(missing, ", "))
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
