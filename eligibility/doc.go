// Package eligibility decides membership eligibility from declarative
// rules and explains every decision.
//
// An [Engine] is built once from a rule set (see package rules) — [Default]
// uses the embedded ACTO rules — and then decides applicants concurrently:
//
//	engine, err := eligibility.Default()
//	...
//	a, err := eligibility.DecodeApplicant("jo.yaml", data)
//	...
//	d, err := engine.Evaluate(ctx, a, eligibility.AsOf(date))
//	fmt.Println(d.Level)        // the highest granted level, e.g. "professional"
//	fmt.Print(d.Text())         // the decision and its explanation, for people
//	json.Marshal(d)             // the decision as stable JSON, for storage and audit
//
// # The applicant
//
// [Applicant] is the typed document of DOMAIN.md §2, read from JSON or YAML
// by [DecodeApplicant]. A section left out of the document is unknown, not
// false: rules that need it come out unknown and the outcome undetermined.
// Evaluate validates the applicant first (go-playground/validator); every
// problem is reported at once by its document path in an [*InputError].
//
// # Statuses and outcomes
//
// Each requirement is evaluated twice: on the verified view of the applicant
// (only entries with verified: true) and on the full view. It is [Met] when
// it holds on verified evidence, [Unverified] when it holds only once the
// unverified claims count, and otherwise [Unmet], [Unknown] (data absent)
// or [Review] (a person must judge).
//
// A level, category or course is, first match wins: [Refused] if any of its
// requirements is unmet, [Undetermined] if any is unknown, [Referred] if any
// needs review (or its route is assessed by a panel), [Provisional] if any
// is unverified, and otherwise [Granted]. With alternative routes the best
// route's outcome stands. Only Granted counts toward the decided level,
// courses, benefits and fees; the other outcomes carry the actions that
// would settle them (claims to verify, data to supply, judgements to make).
//
// # Fail closed
//
// An invalid applicant, a rule that fails while it runs, or a cancelled
// context gives an error and no decision: nothing is ever granted on an
// error, on missing data or on an unverified claim. A requirement met on
// verified evidence but defeated once the applicant's unverified claims are
// added is not met.
//
// # Explanations
//
// Every [RequirementResult] lists the parts of its condition with the
// values observed and required (e.g. 48 hours against 80, 32 short), the
// list entry that came closest to a failed list condition and why it
// failed, the facts and parameters used, and the rule's source citation.
// [Decision.Next] is the gap to the next level up. The text rendering
// ([Decision.Text], [RequirementResult.Explain]) may change between
// versions; the Decision's fields and JSON are the stable contract.
//
// # Concurrency
//
// An Engine is immutable and safe for concurrent use; each Evaluate keeps
// its state to itself. A Decision belongs to its caller.
package eligibility
