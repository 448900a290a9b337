// Package ruleset reads rule files: Parse and Load turn YAML into a Set,
// the parsed rule set (parameters, catalogues, facts, requirements,
// benefits, levels, categories and courses), checked for structure (keys,
// value shapes, duplicate ids, references between sections) with every
// problem reported at once as a positioned *file.ErrorList. Expressions are
// kept as written, with their positions; checking and compiling them is
// package rules' work.
//
// Clients normally use package rules, which re-exports Parse, Load and
// these types (rules.Set is Set); this package documents the rule-file
// model field by field, for tools that read rule sets without evaluating
// them.
package ruleset
