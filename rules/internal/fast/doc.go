// Package fast is eligo's closure evaluator: it runs compiled rules as Go
// closures over typed values (Val) instead of expr's virtual machine, which
// boxes every intermediate value in an interface and reads fields by
// reflection. It covers the part
// of the language rule files use (field access, comparisons, arithmetic,
// list predicates, the library functions); anything else compiles to
// expr's VM as before. Its semantics are expr's: where the two could differ
// (an error, a type expr would treat otherwise) it panics with
// fallbackError, and the run redoes the requirement on the VM.
//
// It is modelled on expr's vm package: a Compiler turns checked trees into
// closures (Fn, BoolFn), immutable once made, as compiler.Compile makes a
// vm.Program; a Frame holds the state of runs, as a vm.VM does, with one
// recover point, Frame.Try; and each operation on values names the
// vm/runtime helper it must agree with (ops.go), which reference_test.go
// checks expression by expression against expr's compiler and VM. All of
// the evaluator's use of package unsafe is in this package.
package fast
