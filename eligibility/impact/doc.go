// Package impact compares decisions: one applicant's two decisions
// ([Diff]), and a whole population's under two rule sets, or one rule set
// on two dates ([Run], [RunDocuments]).
//
// A rule set is data: to see what a change does before it is made, load
// the current rule files and a copy with the change (a parameter edited in
// its YAML, a requirement added), build an engine of each, and run the
// membership through both:
//
//	report, err := impact.RunDocuments(ctx, oldEngine, newEngine, documents,
//		impact.AsOf(date), impact.Progress(func(done int) { ... }))
//	...
//	fmt.Print(report.Text()) // the level transition matrix, top attributions, ...
//	json.Marshal(report)     // the same, and the affected applicants' diffs
//
// The report counts every applicant: the transition matrix of levels, each
// award's grants lost and gained, the requirements whose status flipped on
// the awards that changed (the attribution), the awards newly undetermined
// and the data the new rules find missing; and it keeps the first affected
// applicants with their diffs (all of them stream to [OnAffected]). A run
// reads its applicants as it decides them, on all cores, in bounded
// memory, whatever the population's size.
//
// Diff and the run live here, beside package eligibility rather than in
// it: they read only what a [eligibility.Decision] exports.
package impact
