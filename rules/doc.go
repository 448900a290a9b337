// Package rules is eligo's rule language: rule files in YAML that declare
// parameters, catalogues, facts, requirements, benefits, levels, categories
// and courses, with conditions written as expr expressions
// (github.com/expr-lang/expr).
//
// Rule sets are parsed ([Parse], [Load]) into a [Set], then compiled
// against the Go type of the applicant ([Compile]; for a model the rule set
// declares, the type [ModelType] builds) into a [Program]: every
// expression is type-checked and compiled once. A Program is immutable and
// safe for concurrent use; each evaluation keeps its state in a [Run].
// Package rules never imports the engine: it compiles against whatever
// struct type it is given. The default rule set, ACTO's, is one body's
// data among others, in package rules/acto.
//
// # Rule files
//
//	ruleset: acto                    # required, with version
//	version: "2020.10"
//	title: ACTO membership eligibility
//	effective: 2020-10-06            # optional: not in force before it (the engine refuses earlier dates)
//	model:                           # optional: the applicant document, for a body with no Go type
//	  ref: {type: text, id: true, required: true}
//	  body: {type: text, enum: [NMC, NMBI], required: true}
//	  registration:                  # a section: nil when absent
//	    type: section
//	    verified: true               # a claim: entries carry a verified flag
//	    fields:
//	      pin: {type: text, required: true}
//	      revalidation: {type: date}
//	  supervisedHours:
//	    type: list
//	    verified: true
//	    label: quarter               # names an entry in explanations
//	    fields:
//	      quarter: {type: text}
//	      hours: {type: number, min: 0}
//	      from: {type: date, past: true}  # not after the evaluation date
//	      to: {type: date, past: true, notBefore: from}
//	  name: {type: text, personal: true}  # decoded, never seen by rules
//	  practising: {type: boolean, nullable: true}
//	  languages: {type: list, of: text, enum: [en, cy], maxEntries: 8}
//	parameters:                      # named values with a source; optionally dated
//	  qualifying_course_hours: {value: 80, source: "ACTO minimum course criteria"}
//	  member_cpd_hours: {value: 20, source: assumed, description: "ACTO publishes no figure"}
//	  fee_member:
//	    source: "ACTO announcements, 2021"
//	    values:
//	      - {from: 2000-01-01, value: 38.75}
//	      - {from: 2021-06-01, value: 40}
//	catalogue:                       # reference data, matched by id, name or alias
//	  providers: [{id: olt, name: "Online Training for Counsellors Ltd", aliases: [OLT, OLT4C]}]
//	facts:                           # named expressions, computed at most once per evaluation
//	  approvedHours: sum(filter(onlineTraining, approved(.provider) && done(.completed)), .hours)
//	requirements:
//	  qualifying-course:
//	    title: Completed a qualifying online course
//	    source: "ACTO minimum course criteria"
//	    when: any(onlineTraining, approved(.provider) && done(.completed) && .hours >= param.qualifying_course_hours)
//	    review: ...                  # optional: when this holds instead, a person must judge
//	    unknown: ...                 # optional: when this holds instead, data is missing
//	    explain: {unmet: "{observed} of {required} hours"}  # optional wording
//	  no-sanction:
//	    title: No current sanction by another body
//	    source: "ACTO complaints procedure"
//	    when: none(registrations, .body == "other" && current(.expires))
//	gates: [no-sanction]             # requirements every level, category and course needs
//	benefits:
//	  newsletter: Newsletter
//	  core-net: {title: CORE-Net, requires: [core-net-test], fee: fee_core_net}
//	levels:                          # the ladder, lowest first
//	  - id: associate
//	    title: Associate Member
//	    requires: [allied-role]
//	    entry: [allied-role]         # optional: a side entry, offered as next only to those who claim it
//	  - id: professional
//	    title: Level 2 Professional Member
//	    requires: [core-training, registered]
//	    routes:                      # alternatives, on top of requires
//	      standard: [qualifying-course]
//	      grandparenting: {requires: [grandparenting-hours], review: true}
//	    benefits: [newsletter]
//	    fee: fee_member
//	categories: []                   # same shape as levels, outside the ladder
//	courses: []                      # same shape as levels
//
// Parameters, facts and benefits in their mapping form, requirements,
// levels, categories, courses, catalogue entries and catalogues (in the
// form {entries: [...], lint: ...}) take a lint key, which suppresses
// findings of package [github.com/eligo-dev/eligo/rules/lint] on that
// item, each with the reason it does not apply:
//
//	lint: {ignore: {unused-parameter: "charged from 2027, when the new level opens"}}
//
// A code lint does not report (with a suggestion), a missing or empty
// reason and an empty ignore are errors at load ([ruleset.LintCodes]
// lists the codes); a suppression that suppresses nothing is a lint
// finding of its own.
//
// Several files may make one rule set ([Load]); ids must be unique across
// them. Unknown keys, wrong shapes, duplicate ids and references to unknown
// requirements, benefits or parameters are errors. The ladder is listed in
// one file, lowest first: levels in two files would be ordered by the
// files' names, so that is an error (ErrValue, at the first level of the
// second file). A fee names a parameter whose every value is a number
// (else ErrType). Two dated values of a parameter from the same date are an
// error (ErrDuplicate). An explain wording may hold the placeholders
// {observed}, {required}, {shortfall}, {missing} and {title}; any other
// {name} is an error (ErrUnknownReference, at its brace).
//
// A rule set may declare its applicant document under "model" ([Set].Model),
// in any one of its files (a file may hold only the model): fields by
// their document keys (lowerCamelCase), each with a type (text, number,
// integer, boolean, date, section, list) and optionally:
//
//   - description: free text for people (any type);
//   - required: a text must not be empty; a number, integer, boolean, date,
//     section or list must be given (a list with an entry at least), so a
//     document leaving it out is invalid at the field (any type);
//   - enum: the values a text, or each text of a list of text, may take;
//   - min, max: inclusive bounds (number, integer);
//   - id: the applicant's id (one top-level text), of printable characters;
//   - personal: personal data, such as a name, that documents carry and
//     rules never see; it cannot be the id or a label (text);
//   - format: country, an ISO 3166-1 alpha-2 code such as GB (text);
//   - nullable: absent means unknown and rules see nil, not false or 0
//     (boolean, number, integer); within a list's entries, where nil would
//     compare as false, a rule must say what an absent one means (see
//     Expressions). A number, integer or boolean neither required nor
//     nullable reads as 0 or false when a document leaves it out, which a
//     rule cannot tell from the value (package lint reports a clause that
//     holds on such an absence);
//   - event: an event's date, judged against the evaluation date so that a
//     decision rests on the evidence as it stood then (date): event: true,
//     a later date is as if absent (a course completed later is in
//     progress); event: start, in a section or list entry, the date it
//     begins, a later one leaving the whole entry (or section) out. The
//     decision lists what it left out. An event date stands at the top
//     level (event: true only), in a top-level section or list entry, or
//     in an entry of a list within a top-level section; an expiry date,
//     which may lie ahead, has none;
//   - past: an event's date that must not lie after the evaluation date: a
//     later one makes the document invalid, the strict alternative to
//     event, which it excludes (date);
//   - notBefore: a date field beside it (in the same section, list entry
//     or top level) that this date must not precede (date);
//   - fields: a section's or list entry's own fields (section, list);
//   - of: text, for a list of texts rather than of entries with fields (list);
//   - maxEntries: the most entries, 1 to 1000, the default (list);
//   - verified: true: the section, or each entry of the list, is a claim
//     with a verified flag; verified: false, written out: it holds data
//     that can only refuse, not claims (section, list of entries). Left
//     out, it is not a claim, and an engine (eligibility.New) refuses the
//     model, at the field, if a requirement that a level, category, course,
//     benefit or gate needs reads data in it with no verified section or list
//     around it: an unverified claim there would grant;
//   - label: the text field that names an entry in explanations (list of
//     entries).
//
// A key given for a type it does not apply to, a bad value, a reference
// to no such field and a top-level name the rule language reserves (see
// below) are errors, each at its place; nested names are read after a dot,
// where any name may stand, and only "verified" is refused there. Every
// fault in a model is reported at load, with the others. [ModelType]
// builds the Go struct type of the declaration once; rules compile
// against it as against a caller's own type, and a rule set compiled
// against a Go type of the caller's ignores its declared model.
//
// Gates ([Set].Gates) are requirements every award needs: each joins every
// route of every level, category and course, on top of the award's own
// requirements, so that a rule every award must meet cannot be left off
// one. A gate names a defined requirement (else ErrUnknownReference) and
// is listed once (else ErrDuplicate); the engine combines it with each
// award's requirements exactly as one the award lists.
//
// A level's entry key ([Award].Entry) makes it a side entry to the
// ladder, for people outside the main track: to an applicant granted no
// level, the engine offers as the next level the first level in ladder
// order that has no entry, or one of whose entry requirements is met or
// unverified (the applicant's own evidence, verified or claimed, points
// there); unmet, unknown or review does not. Above a granted level the
// next level is the one above it, entry or not. entry is a non-empty list
// of defined requirement ids (else ErrUnknownReference, with a
// suggestion), each listed once (else ErrDuplicate), on levels only, and
// at least one level must have none (else ErrValue).
//
// A rule set is not in force before its effective date: the engine
// refuses to decide as of an earlier date. Without effective there is no
// limit.
//
// # Expressions
//
// Conditions and facts see the applicant's fields by their `expr` tags (in
// eligo, the document's keys), asOf (the evaluation date), param.NAME (each
// parameter's value on asOf), facts by name, expr's pure builtins (any,
// all, filter, map, sum, count, len, ...) and the library functions done,
// current, within, yearsSince, monthsSince, daysBetween, approved, listed and
// canonical (see [FunctionNames]). Date functions take asOf implicitly. Rules cannot
// call methods, read the clock (now() is removed), or reach anything outside
// the environment. Nor can they read the fields they do not see (personal
// data, fields with no name for rules) through a section or a list entry
// that holds them: string() or toJSON() of one, whose text would show
// every field, and ==, != or in between one and another (but for nil and
// literals, as in sec != nil or cpd != []), which would compare every
// field, are refused when the rules load (ErrForbidden); string() or
// toJSON() of a value only the value tells about (an entry inside a list
// literal) fails while rules run, with an [*EvalError] wrapping
// ErrForbidden. A condition must be boolean.
//
// Rules decide the same way on every host: the only time zone a rule may
// name, in date(s, layout, tz) or timezone(tz), is the literal "UTC";
// "Local", any other zone and a zone computed from data are refused when
// the rules load (ErrForbidden). date() without a zone parses in UTC.
//
// A date is absent only when it is nil (a nil *time.Time); every other
// date, the zero time.Time included, is present. Model optional dates as
// *time.Time.
//
// The date functions, with asOf the evaluation date:
//
//   - done(d): d is present and not after asOf (an award, a completion).
//   - current(d): d is present and not before asOf (an expiry: current on
//     its last day).
//   - within(d, months): d is present, not after asOf, and on or after the
//     window's first day, the day months calendar months before asOf. The
//     first day counts: on 2026-11-23, within(d, 36) holds for 2023-11-23
//     and not for 2023-11-22. The first day has asOf's day number, or is
//     the month's last day when that month is shorter: on 2026-03-31,
//     within(d, 1) starts on 2026-02-28; on 2024-02-29, within(d, 12)
//     starts on 2023-02-28. months counts whole months (a fraction is
//     dropped); a negative or NaN months holds for no date, 0 for asOf's
//     day alone.
//   - yearsSince(d), monthsSince(d): the whole calendar years or months
//     from d to asOf, counted forward from d; -1 when d is absent or after
//     asOf. The n-th month or year is complete on d's day number that many
//     months on, or on that month's last day when it is shorter: 3 years
//     from 2020-02-29 are complete on 2023-02-28, 1 year from 2024-02-29 on
//     2025-02-28 (the 365 days to 2025-02-27 are not a year), a month from
//     2024-01-31 on 2024-02-29.
//   - daysBetween(from, to): the days from one date to another, both
//     counted (1 to 31 January is 31 days); an absent to means asOf; -1
//     when from is absent or to is before from.
//
// Every date function compares calendar days: a time of day never moves a
// date out of its day.
//
// What can be known without an applicant is checked when the rules
// compile, each fault at its place in the expression: a misspelt field,
// of the applicant, a section or a list entry (ErrUnknownReference, with
// a suggestion among the fields there); listed(cat, ...) and
// canonical(cat, ...) naming a catalogue the rule set does not define, or
// naming it otherwise than by text written in the rule or a text
// parameter; approved() without a "providers" catalogue; a regular
// expression, literal or parameter, that matches cannot compile
// (ErrValue); a parameter that is not a number in arithmetic (ErrType).
// Parameters are numbers (float64), never integers: where expr wants an
// integer (an index, %), write int(param.NAME); a range's bounds must be
// integer literals.
//
// Facts, parameters and catalogues may not be named like anything
// expressions already use: expr's builtins, the library's functions,
// keywords (true, nil, in, not, and, or, matches, contains, let, ...),
// asOf or param (ErrReserved, at the name).
//
// Each condition is split at its top-level && into clauses, and each clause
// is explained on its own: the two sides of a comparison are kept as the
// observed and required values, and a failed any() or all() over a list
// reports the entry that came closest (for all(), the first that failed)
// and which of its conditions failed; a met any(), the entry that meets
// it; a failed none(), the first entry that meets its condition, the one
// that makes it fail (see [Clause].Closest). Write conditions as conjunctions
// of comparisons to get the best explanations. Guards keep the meaning of
// &&: in len(x) > 1 && x[1].level == "masters", a clause after one that did
// not hold is left out rather than failing, and an explanation that would
// fail where the condition does not is left out.
//
// The values an explanation shows are [Value]s: numbers, texts, dates,
// truth values, lists and records (structs), each immutable and owning what
// it holds. A list or struct observed in the applicant, or built while a
// rule runs, is copied into the Value, so results outlive the [Run] and the
// applicant they came from. A number that is not finite (an overflow to
// ±Inf, a NaN from 0/0) never becomes a Value, nor does integer
// arithmetic (+, -, *) that overflows, where Go's would wrap: the
// requirement fails with an [*EvalError] wrapping [ErrNonFinite].
//
// A clause that reads an optional part of the applicant (a nil pointer,
// slice or map reached from a top-level field, through sections) that is
// absent is unknown, not false. Within a condition on a list's entries
// (any, none, all, count, filter, ...), an entry's optional truth value,
// number or text (a nullable field, a pointer in Go) would compare as nil,
// which == true and the like take for false, so that none(sanctions,
// .active == true) would hold for a sanction of unknown state: the rule
// must say what absence means, with a default (.active ?? true, .hours ??
// 0) or a test (.active != nil && .active == true), else it is refused
// when the rules load (ErrType, at the field). So must a rule or fact
// that reads one of an entry reached otherwise: by index
// (sanctions[0].active), through a function (first(sanctions).active) or
// a let. Absent dates are the date functions' to judge
// (done(.completed) does not hold for a course not completed).
//
// A condition holds, is unknown, or fails, in that order of precedence:
// any failed clause fails it, else any unknown clause makes it unknown.
//
// # Errors
//
// Loading and compiling report every problem at once as an [*ErrorList]
// of [*Error], sorted by file, line and column and capped at [MaxErrors].
// Every fault that can be found without an applicant is found then, never
// while rules run. One pass reports them all: a rule set that loads has
// every expression checked by [Compile]; one with faults in its structure
// that declares a model (itself without faults) has its expressions
// checked against it by [Load] and [Parse], and their faults reported with
// the structure's. (Against a Go type of the caller's, which Load does not
// know, a set with faults in its structure reports those alone.) expr
// stops at the first fault of an expression; every expression is checked.
// Positions are in the rule file's coordinates, also for a fault inside an
// expression, whatever the scalar's style (plain, quoted, | or >). Each
// Error wraps a kind (ErrSyntax, ErrUnknownKey, ErrValue, ErrType,
// ErrUnknownReference, ErrDuplicate, ErrCycle, ErrLimit, ErrForbidden,
// ErrReserved) for errors.Is. A rule that fails while it runs gives an [*EvalError].
//
// # Limits
//
// On by default: rule files of at most [MaxFileSize] bytes, nested at most
// 10,000 levels deep as YAML; expressions nested at most [MaxNesting] (100)
// levels deep, counting each open bracket and each prefix operator (!, not,
// unary - and +); expressions of at most [TokensPerNode] (8) tokens per
// node of the node limit, so 16,000 by default; expressions of at most
// [DefaultMaxNodes] syntax-tree nodes ([MaxNodes] changes it, and with it
// the token limit). Nesting and length are checked by a scan of the
// expression before expr parses it, so an expression over them costs no
// more than reading it; a file or expression over any load-time limit is
// an [*Error] of kind ErrLimit.
//
// While rules run: a memory budget of [DefaultMemoryBudget] per expression
// run ([MemoryBudget] changes it): list elements built, as expr counts
// them, and, apart, bytes of text built (+, repeat, replace, join, upper,
// ...); and a step budget of [DefaultStepBudget] per expression run
// ([StepBudget] changes it). A step is one evaluation of a predicate (an
// entry of any, all, filter, map, sum, reduce, ...) or one element of a
// list that in, uniq, count or sum of a list, join, sort and the like
// walk; flatten, toJSON and string walk lists within lists too, and are
// charged every element at every depth before they run (a list holding the
// same list twice, level after level, would otherwise expand
// exponentially), more than the memory budget failing at once. An
// expression over a budget fails with an [*EvalError] wrapping ErrLimit,
// identically on both of the package's evaluators.
//
// The worst case of every expression is also estimated when it compiles,
// from the lengths of the lists it walks: an applicant list holds at most
// the N of its field's validate:"max=N" tag, else [DefaultMaxListLen]
// entries ([MaxListLen] changes it); parameter and literal lists have
// their length; a range a..b of constants has b-a+1 elements. A rule whose
// worst case is over the step budget, or that walks a range whose bounds
// are not constants, is rejected with a positioned [*Error] of kind
// ErrLimit; so is a rule set whose expressions' worst cases, together,
// are over ten times the step budget (at the expression that passes it):
// deciding an applicant runs them all, and facts that each split a
// computation within the budget would otherwise add up without bound. With eligo's applicant model the ACTO rules' worst case is
// about 99,000 steps per expression, the BACP example's 11 million.
//
// Arithmetic (+, -, *, /, %, **, sum, mean, ...) whose result is infinite
// or not a number, or integer arithmetic that overflows, fails the
// applicant with an [*EvalError]; a parameter
// that is not a finite number is rejected when the rules load.
//
// [Run.SetContext] binds a context to a run: within about a thousand steps
// of the context being done, the requirement being evaluated fails with an
// [*EvalError] wrapping the context's error.
//
// # Packages
//
// Package rules is the facade of a pipeline whose stages have packages of
// their own: [github.com/eligo-dev/eligo/rules/file] (positions and
// positioned errors, which rules re-exports) and
// [github.com/eligo-dev/eligo/rules/ruleset] (the parsed rule set and its
// parser, whose types rules aliases) are public for tools that work on rule
// files themselves, as is [github.com/eligo-dev/eligo/rules/lint] (findings
// in a rule set that loads: unused items, awards no one or everyone gets,
// gaps in the ladder); checking in rule-file coordinates, compiling to a plan,
// the closure evaluator and the function library are internal. Most
// programs need only this package.
package rules
