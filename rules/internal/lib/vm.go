package lib

import (
	"fmt"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
)

// Options returns the expr options declaring the library, each function
// built from its row's kernel, looking names up in cats.
func Options(cats Catalogues) []expr.Option {
	opts := make([]expr.Option, 0, len(functions))
	for _, f := range functions {
		opts = append(opts, expr.Function(f.Name, f.Func(cats), f.Types...))
	}
	return opts
}

// Func returns the function as expr's VM calls it: the row's kernel with
// its arguments converted, and an error for an argument of the wrong type.
func (f *Function) Func(cats Catalogues) func(params ...any) (any, error) {
	name := f.Name
	switch {
	case f.DateTest != nil:
		test := f.DateTest
		return func(params ...any) (any, error) {
			asOf, _ := params[len(params)-1].(time.Time)
			t, set, err := dateArg(params[0])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			return test(t, set, asOf), nil
		}
	case f.DateWithin != nil:
		within := f.DateWithin
		return func(params ...any) (any, error) {
			asOf, _ := params[len(params)-1].(time.Time)
			t, set, err := dateArg(params[0])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			months, err := numArg(params[1])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			return within(t, set, months, asOf), nil
		}
	case f.DateCount != nil:
		count := f.DateCount
		return func(params ...any) (any, error) {
			asOf, _ := params[len(params)-1].(time.Time)
			t, set, err := dateArg(params[0])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			return count(t, set, asOf), nil
		}
	case f.DateSpan != nil:
		span := f.DateSpan
		return func(params ...any) (any, error) {
			asOf, _ := params[len(params)-1].(time.Time)
			t, set, err := dateArg(params[0])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			to, toSet, err := dateArg(params[1])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			return span(t, set, to, toSet, asOf), nil
		}
	case f.Lookup != nil:
		fixed, wantID := f.Lookup.Catalogue, f.Lookup.ID
		return func(params ...any) (any, error) {
			cat := fixed
			if cat == "" {
				cat, params = params[0].(string), params[1:]
			}
			id, err := cats.lookup(cat, params[0])
			if wantID {
				return id, err
			}
			return id != "", err
		}
	}
	panic("lib: function " + name + " has no kernel")
}

// dateArg turns a function argument into a date; set is false when the
// date is absent: nil, or a nil *time.Time. Any other date is present,
// the zero time (1 January of year 1) included: no date value means "none".
func dateArg(v any) (t time.Time, set bool, err error) {
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

// AddAsOf appends the asOf identifier to calls of the functions that take
// it, so that they see the evaluation date without rule authors passing it.
func AddAsOf(node *ast.Node) {
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
	if f := ByName(id.Value); f != nil && f.AsOf && len(call.Arguments) == f.Args {
		asOf := &ast.IdentifierNode{Value: AsOf}
		asOf.SetLocation(call.Location())
		call.Arguments = append(call.Arguments, asOf)
	}
}
