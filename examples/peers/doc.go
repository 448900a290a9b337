// Package peers is a peer benchmark: one small eligibility policy,
// acto-bench-v1, decided by four engines over the same seeded population,
// so that their costs are compared on the same work in one run.
//
// The engines are [DecidePlain] (plain Go, the baseline), [ExprPolicy]
// (expr-lang/expr), [CELPolicy] (cel-go) and [EligoPolicy] (an eligo rule
// set, policy.yaml, over the Go type [Applicant], decided with the full
// engine). Each returns an [Outcome]: the level, the granted courses and
// the requirements missing for the next level. The tests hold the four to
// the same outcomes for every applicant of [Population] and for hand-made
// edge cases; the benchmarks measure each per applicant.
//
// This is its own module so that the library's go.mod gains no engine
// dependencies; see README.md for the figures and the command.
package peers
