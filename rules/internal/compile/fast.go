package compile

import (
	"reflect"

	"github.com/eligo-dev/eligo/rules/internal/check"
	"github.com/eligo-dev/eligo/rules/internal/fast"
	"github.com/expr-lang/expr/ast"
)

// This file compiles the plan's parts for the fast evaluator
// (rules/internal/fast) and lays out what its runs need.

// fastCompiler returns the fast evaluator's compiler for the environment
// laid out so far.
func (cp *compiler) fastCompiler() *fast.Compiler {
	return fast.NewCompiler(fast.Config{
		Model:        cp.env.Model(),
		Fields:       cp.env.AppFieldNames(),
		Params:       cp.env.Params().Type,
		Catalogues:   cp.env.Catalogues(),
		ConstantList: cp.opts.ConstantList,
	})
}

// fast compiles node for the fast evaluator, or returns nil when it cannot.
func (cp *compiler) fast(node ast.Node, depth int, scopes []*fast.Type) fast.Fn {
	fn, _, err := cp.fc.Compile(node, depth, scopes)
	if err != nil {
		return nil
	}
	return fn
}

// fastBool compiles node as a condition, or returns nil when it cannot.
func (cp *compiler) fastBool(node ast.Node, depth int, scopes []*fast.Type) fast.BoolFn {
	fn, err := cp.fc.CompileBool(node, depth, scopes)
	if err != nil {
		return nil
	}
	return fn
}

// finishFast resolves what the fast evaluator needs once everything is
// compiled: fact positions, explanation names, the layout of optional data,
// the parameter lists of each period, and which requirements it can run.
func (cp *compiler) finishFast(plan *Plan) {
	plan.Layout = fast.Layout{Steps: cp.opts.Steps, Memory: cp.opts.Memory, Vars: cp.fc.Vars()}
	pos := map[int]int{}
	for _, fp := range plan.Facts {
		pos[fp.Field] = fp.Pos
		fp.Zero = cp.fc.Zero(fp.Type)
		fp.Kind = fast.FactKindOf(fp.Type)
		plan.Layout.Facts = append(plan.Layout.Facts, fp.Zero)
		for k := range fp.Needs {
			cp.needSteps(plan, &fp.Needs[k])
		}
	}
	cp.periodLists(plan)
	const paramPrefix = check.ParamName + "."
	for _, rp := range plan.Reqs {
		rp.Fast = true
		all := append([]*Clause{rp.Review, rp.Unknown}, rp.Clauses...)
		for _, cl := range all {
			if cl == nil {
				continue
			}
			for k := range cl.Needs {
				cp.needSteps(plan, &cl.Needs[k])
			}
			for k := range cl.RightNeeds {
				cp.needSteps(plan, &cl.RightNeeds[k])
			}
			for _, fi := range cl.Facts {
				p := pos[fi]
				cl.FactPos = append(cl.FactPos, p)
				if plan.Facts[p].Fast == nil {
					rp.Fast = false
				}
			}
			for _, name := range cl.Names {
				ref := ValueRef{Name: name, Param: -1}
				if len(name) > len(paramPrefix) && name[:len(paramPrefix)] == paramPrefix {
					i, ok := plan.Params.Index[name[len(paramPrefix):]]
					if !ok {
						continue
					}
					ref.Param = i
				} else {
					found := false
					for _, fp := range plan.Facts {
						if fp.Fact.Name == name {
							ref.Fact, found = fp.Pos, true
							break
						}
					}
					if !found {
						continue
					}
				}
				cl.Refs = append(cl.Refs, ref)
			}
			if !cl.Fast.OK {
				rp.Fast = false
			}
		}
	}
}

// periodLists lists each period's parameter lists (Plan.PeriodLists).
// Each value of a list parameter is loaded once, and every period it is
// in force in shares it: a period's parameter struct holds the same
// slice, which the fast evaluator loads as the same list (fast.Val.Same).
func (cp *compiler) periodLists(plan *Plan) {
	params := plan.Params
	type listParam struct {
		field int
		vals  []fast.Val // by value index; a nil or empty list is not listed
		ok    []bool
	}
	var lps []listParam
	for i, p := range params.Params {
		if params.Type.Field(i).Type.Kind() != reflect.Slice {
			continue
		}
		lp := listParam{field: i, vals: make([]fast.Val, len(p.Values)), ok: make([]bool, len(p.Values))}
		for j, dv := range p.Values {
			v := reflect.New(params.Type.Field(i).Type).Elem()
			v.Set(reflect.ValueOf(dv.Value))
			if v.Len() > 0 {
				lp.vals[j], lp.ok[j] = cp.fc.Load(v), true
			}
		}
		lps = append(lps, lp)
	}
	plan.PeriodLists = make([][]ParamList, params.NumPeriods())
	if len(lps) == 0 {
		return
	}
	for k := range plan.PeriodLists {
		var lists []ParamList
		for _, lp := range lps {
			if j := params.ValueIndex(k, lp.field); j >= 0 && lp.ok[j] {
				lists = append(lists, ParamList{Field: lp.field, List: lp.vals[j]})
			}
		}
		plan.PeriodLists[k] = lists
	}
}

// needSteps lays out the path to optional data in the applicant's memory.
func (cp *compiler) needSteps(plan *Plan, n *Need) {
	n.At = fast.PathTo(cp.env.Model(), plan.AppFields[n.Index[0]], n.Index[1:])
}
