package rules

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
)

// The library of functions rules may call, besides expr's pure builtins
// (len, sum, filter, any, all, count, map, max, min, ...; now() is removed).
// Date functions take the evaluation date implicitly: the compiler adds
// asOf as their last argument, so rules never read the clock.
//
// A date is set unless it is absent (nil, or a nil *time.Time); every other
// date is set, the zero time.Time included.
//
//	done(date)           the date is set and not after asOf (an award, a completion)
//	current(date)        the date is set and not before asOf (an expiry)
//	within(date, months) the date is set, not after asOf, and less than months before it
//	yearsSince(date)     whole years from date to asOf; -1 when the date is not set
//	monthsSince(date)    whole months from date to asOf; -1 when the date is not set
//	daysBetween(from, to) days from one date to another, counting both (a period
//	                     from 1 to 31 January is 31 days); an unset to means asOf;
//	                     -1 when from is not set or to is before from
//	approved(name)       name is an entry of the "providers" catalogue
//	listed(cat, name)    name is an entry of catalogue cat
//	canonical(cat, name) the id of name's entry in catalogue cat, or ""
//
// Catalogue matching ignores case and runs of white space, and accepts an
// entry's id, name or any alias.
var dateFunctions = map[string]int{"done": 1, "current": 1, "within": 2, "yearsSince": 1, "monthsSince": 1, "daysBetween": 2}

// FunctionNames lists the functions of the library, for tools that offer
// completion or documentation.
func FunctionNames() []string {
	return []string{"approved", "canonical", "current", "daysBetween", "done", "listed", "monthsSince", "within", "yearsSince"}
}

// dateArg turns a function argument into a date; ok is false when the
// date is absent: nil, or a nil *time.Time. Any other date is present,
// the zero time (1 January of year 1) included: no date value means "none".
func dateArg(v any) (time.Time, bool, error) {
	switch t := v.(type) {
	case time.Time:
		return t, true, nil
	case *time.Time:
		if t == nil {
			return time.Time{}, false, nil
		}
		return *t, true, nil
	case nil:
		return time.Time{}, false, nil
	}
	return time.Time{}, false, fmt.Errorf("want a date, got %T", v)
}

func numArg(v any) (float64, error) {
	switch n := v.(type) {
	case float64:
		return n, nil
	case int:
		return float64(n), nil
	case int64:
		return float64(n), nil
	case float32:
		return float64(n), nil
	}
	return 0, fmt.Errorf("want a number, got %T", v)
}

// wholeMonths is the number of whole calendar months from a to b (a <= b).
func wholeMonths(a, b time.Time) int {
	m := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
	if b.Day() < a.Day() {
		m--
	}
	return m
}

// daysFromTo counts the days from one date to a later one, both included.
// Beyond about 292 years time.Time.Sub saturates, so such spans (from the
// zero date, say) are counted in seconds.
func daysFromTo(from, to time.Time) float64 {
	if d := to.Sub(from); d < math.MaxInt64 {
		return math.Floor(d.Hours()/24) + 1
	}
	return math.Floor(float64(to.Unix()-from.Unix())/(24*60*60)) + 1
}

func dateFunc(name string) func(params ...any) (any, error) {
	return func(params ...any) (any, error) {
		asOf, _ := params[len(params)-1].(time.Time)
		t, set, err := dateArg(params[0])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		switch name {
		case "done":
			return set && !t.After(asOf), nil
		case "current":
			return set && !t.Before(asOf), nil
		case "within":
			months, err := numArg(params[1])
			if err != nil {
				return nil, fmt.Errorf("within: %w", err)
			}
			// Whole months, as monthsSince counts them: AddDate would turn
			// "a month before 31 March" into 2 March.
			return set && !t.After(asOf) && wholeMonths(t, asOf) < int(months), nil
		case "daysBetween":
			to, toSet, err := dateArg(params[1])
			if err != nil {
				return nil, fmt.Errorf("daysBetween: %w", err)
			}
			if !toSet {
				to = asOf
			}
			if !set || to.Before(t) {
				return -1.0, nil
			}
			return daysFromTo(t, to), nil
		case "yearsSince", "monthsSince":
			if !set || t.After(asOf) {
				return -1.0, nil
			}
			m := wholeMonths(t, asOf)
			if name == "yearsSince" {
				return float64(m / 12), nil
			}
			return float64(m), nil
		}
		return nil, fmt.Errorf("unknown function %s", name)
	}
}

// catalogueIndex maps normalised names to entry ids, per catalogue.
type catalogueIndex map[string]map[string]string

func normalise(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func newCatalogueIndex(cats []*Catalogue) catalogueIndex {
	idx := catalogueIndex{}
	for _, c := range cats {
		m := map[string]string{}
		for _, e := range c.Entries {
			for _, n := range append([]string{e.ID, e.Name}, e.Aliases...) {
				if k := normalise(n); k != "" {
					if _, dup := m[k]; !dup {
						m[k] = e.ID
					}
				}
			}
		}
		idx[c.Name] = m
	}
	return idx
}

func (idx catalogueIndex) lookup(cat string, v any) (string, error) {
	m, ok := idx[cat]
	if !ok {
		return "", fmt.Errorf("no catalogue %q", cat)
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("catalogue %s: want a name, got %T", cat, v)
	}
	return m[normalise(s)], nil
}

// functionOptions returns the expr options declaring the library.
func functionOptions(idx catalogueIndex) []expr.Option {
	var opts []expr.Option
	for name, arity := range dateFunctions {
		fn := dateFunc(name)
		ret := "bool"
		if strings.HasSuffix(name, "Since") || name == "daysBetween" {
			ret = "float64"
		}
		var types []any
		switch {
		case arity == 1 && ret == "bool":
			types = []any{new(func(*time.Time, time.Time) bool), new(func(time.Time, time.Time) bool)}
		case arity == 1:
			types = []any{new(func(*time.Time, time.Time) float64), new(func(time.Time, time.Time) float64)}
		case name == "daysBetween":
			types = []any{new(func(*time.Time, *time.Time, time.Time) float64), new(func(time.Time, *time.Time, time.Time) float64),
				new(func(*time.Time, time.Time, time.Time) float64), new(func(time.Time, time.Time, time.Time) float64)}
		default:
			types = []any{new(func(*time.Time, float64, time.Time) bool), new(func(time.Time, float64, time.Time) bool),
				new(func(*time.Time, int, time.Time) bool), new(func(time.Time, int, time.Time) bool)}
		}
		opts = append(opts, expr.Function(name, fn, types...))
	}
	opts = append(opts,
		expr.Function("approved", func(params ...any) (any, error) {
			id, err := idx.lookup("providers", params[0])
			return id != "", err
		}, new(func(string) bool)),
		expr.Function("listed", func(params ...any) (any, error) {
			id, err := idx.lookup(params[0].(string), params[1])
			return id != "", err
		}, new(func(string, string) bool)),
		expr.Function("canonical", func(params ...any) (any, error) {
			return idx.lookup(params[0].(string), params[1])
		}, new(func(string, string) string)),
	)
	return opts
}

// addAsOf appends the asOf identifier to calls of the date functions, so
// that they see the evaluation date without rule authors passing it.
func addAsOf(node *ast.Node) {
	ast.Walk(node, asOfPatcher{})
}

type asOfPatcher struct{}

func (asOfPatcher) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok {
		return
	}
	if arity, ok := dateFunctions[id.Value]; ok && len(call.Arguments) == arity {
		asOf := &ast.IdentifierNode{Value: "asOf"}
		asOf.SetLocation(call.Location())
		call.Arguments = append(call.Arguments, asOf)
	}
}
