package rules

import (
	"reflect"
	"unsafe"

	"github.com/expr-lang/expr/ast"
)

// maxListPaths is how many entry paths ("onlineTraining[3]") a list clause
// formats when it compiles, so that explaining one costs no formatting.
const maxListPaths = 32

// fast compiles node for the fast evaluator, or returns nil when it cannot.
func (cp *compiler) fast(node ast.Node, depth int, scopes []*typeInfo) evalFn {
	fn, _, err := cp.fc.compile(node, depth, scopes)
	if err != nil {
		return nil
	}
	return fn
}

// fastBool compiles node as a condition, or returns nil when it cannot.
func (cp *compiler) fastBool(node ast.Node, depth int, scopes []*typeInfo) boolFn {
	fn, err := cp.fc.compileBool(node, depth, scopes)
	if err != nil {
		return nil
	}
	return fn
}

// fastFactType reports whether the fast evaluator can hold a fact of
// environment type t as the VM's environment would.
func fastFactType(t reflect.Type) bool {
	switch t {
	case boolRT, intRT, floatRT, stringRT, timeRT, anysRT:
		return true
	}
	return t.Kind() == reflect.Interface && t.NumMethod() == 0
}

// finishFast resolves what the fast evaluator needs once everything is
// compiled: fact positions, explanation names, the layout of optional data,
// the parameters of each period, and which requirements it can run.
func (cp *compiler) finishFast(prog *Program) {
	prog.nvars = cp.fc.nvars
	pos := map[int]int{}
	for _, fp := range prog.facts {
		pos[fp.field] = fp.pos
		fp.zero = zeroVal(fp.typ, cp.fc.types)
		for k := range fp.needs {
			cp.needSteps(prog, &fp.needs[k])
		}
	}
	for _, per := range prog.params.periods {
		prog.periodPtr = append(prog.periodPtr, per.value.UnsafePointer())
		e := per.value.Elem()
		values := make([]Value, e.NumField())
		var lists []paramList
		for i := range values {
			f := e.Field(i)
			values[i] = ValueOf(f.Interface())
			if f.Kind() == reflect.Slice && f.Len() > 0 {
				lists = append(lists, paramList{data: f.UnsafePointer(), n: f.Len(), t: cp.fc.types.of(f.Type()), value: values[i]})
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
					i, ok := prog.params.index[name[len(paramName)+1:]]
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
	data  unsafe.Pointer
	n     int
	t     *typeInfo
	value Value
}

// needSteps lays out the path to optional data in the applicant's memory.
func (cp *compiler) needSteps(prog *Program, n *need) {
	f := cp.model.Field(prog.appFields[n.index[0]])
	steps := []needStep{{off: f.Offset}}
	t := f.Type
	for _, fi := range n.index[1:] {
		d := 0
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
			d++
		}
		sf := t.Field(fi)
		steps = append(steps, needStep{deref: d, off: sf.Offset})
		t = sf.Type
	}
	n.steps, n.final = steps, t
}

// absentAt reports whether the optional data n is absent from the
// applicant at app: a nil pointer, slice, map or interface on its path.
func absentAt(app unsafe.Pointer, n *need) bool {
	p := app
	for _, s := range n.steps {
		for range s.deref {
			p = *(*unsafe.Pointer)(p)
			if p == nil {
				return true
			}
		}
		p = unsafe.Add(p, s.off)
	}
	switch n.final.Kind() {
	case reflect.Pointer:
		return *(*unsafe.Pointer)(p) == nil
	case reflect.Map, reflect.Slice, reflect.Interface:
		return reflect.NewAt(n.final, p).Elem().IsNil()
	}
	return false
}
