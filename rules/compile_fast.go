package rules

import (
	"reflect"

	"github.com/eligo-dev/eligo/rules/internal/fast"
	"github.com/expr-lang/expr/ast"
)

// This file compiles the plan's parts for the fast evaluator
// (rules/internal/fast) and lays out what its runs need.

// maxListPaths is how many entry paths ("onlineTraining[3]") a list clause
// formats when it compiles, so that explaining one costs no formatting.
const maxListPaths = 32

// fastCompiler returns the fast evaluator's compiler for the environment
// laid out so far (envBase).
func (cp *compiler) fastCompiler() *fast.Compiler {
	return fast.NewCompiler(fast.Config{
		Model:      cp.env.Model(),
		Fields:     cp.env.AppFieldNames(),
		Params:     cp.env.Params().Type,
		Catalogues: cp.env.Catalogues(),
		ConstantList: func(items []any) any {
			values := make([]Value, len(items))
			for i, x := range items {
				values[i] = ValueOf(x)
			}
			return listValue(values)
		},
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
// the parameters of each period, and which requirements it can run.
func (cp *compiler) finishFast(prog *Program) {
	prog.layout = fast.Layout{Steps: prog.steps, Memory: prog.budget, Vars: cp.fc.Vars()}
	pos := map[int]int{}
	for _, fp := range prog.facts {
		pos[fp.field] = fp.pos
		fp.zero = cp.fc.Zero(fp.typ)
		prog.layout.Facts = append(prog.layout.Facts, fp.zero)
		for k := range fp.needs {
			cp.needSteps(prog, &fp.needs[k])
		}
	}
	for _, per := range prog.params.Periods {
		e := per.Value.Elem()
		values := make([]Value, e.NumField())
		var lists []paramList
		for i := range values {
			f := e.Field(i)
			values[i] = ValueOf(f.Interface())
			if f.Kind() == reflect.Slice && f.Len() > 0 {
				lists = append(lists, paramList{list: cp.fc.Load(f), value: values[i]})
			}
		}
		prog.periodValues = append(prog.periodValues, values)
		prog.periodLists = append(prog.periodLists, lists)
	}
	for _, rp := range prog.reqs {
		rp.fast = true
		all := append([]*clause{rp.review, rp.unknown}, rp.clauses...)
		for _, cl := range all {
			if cl == nil {
				continue
			}
			for k := range cl.needs {
				cp.needSteps(prog, &cl.needs[k])
			}
			for k := range cl.rightNeeds {
				cp.needSteps(prog, &cl.rightNeeds[k])
			}
			for _, fi := range cl.facts {
				p := pos[fi]
				cl.factPos = append(cl.factPos, p)
				if prog.facts[p].fast == nil {
					rp.fast = false
				}
			}
			for _, name := range cl.names {
				ref := valueRef{name: name, param: -1}
				if len(name) > len(paramName)+1 && name[:len(paramName)+1] == paramName+"." {
					i, ok := prog.params.Index[name[len(paramName)+1:]]
					if !ok {
						continue
					}
					ref.param = i
				} else {
					found := false
					for _, fp := range prog.facts {
						if fp.fact.Name == name {
							ref.fact, found = fp.pos, true
							break
						}
					}
					if !found {
						continue
					}
				}
				cl.refs = append(cl.refs, ref)
			}
			if !cl.fastOK {
				rp.fast = false
			}
		}
	}
}

// paramList is a parameter's list and its Value, made once: explanations
// that show the list share the Value.
type paramList struct {
	list  fast.Val
	value Value
}

// needSteps lays out the path to optional data in the applicant's memory.
func (cp *compiler) needSteps(prog *Program, n *need) {
	n.at = fast.PathTo(cp.env.Model(), prog.appFields[n.index[0]], n.index[1:])
}
