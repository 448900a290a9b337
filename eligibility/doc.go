// Package eligibility decides membership eligibility from declarative
// rules and explains every decision.
//
// An engine is built once from a rule set (see package rules) and then
// decides applicants concurrently. A professional body's applicants come
// in one of two ways, decided alike:
//
//   - As documents of the applicant model the rule set declares under its
//     model key, with no Go code of the body's: [New] builds an [Engine]
//     for the rule set, whose Decode, DecodeAll, Read and ReadAll turn JSON
//     or YAML into [Document] values. [Default] is the Engine of the
//     embedded default rule set, ACTO's (package rules/acto).
//   - As values of the caller's own Go struct type T: [NewFor] builds an
//     [EngineOf] T (see "Your own applicant type").
//
// For example:
//
//	engine, err := eligibility.Default()
//	...
//	a, err := engine.Decode("jo.yaml", data) // a *Document; errors by path, line and column
//	...
//	d, err := engine.Evaluate(ctx, a, eligibility.AsOf(date))
//	fmt.Println(d.Level)        // the highest granted level, e.g. "professional"
//	fmt.Print(d.Text())         // the decision and its explanation, for people
//	json.Marshal(d)             // the decision as stable JSON, for storage and audit
//
// An Engine is an EngineOf[Document]: every method and function below
// serves both.
//
// # The applicant
//
// An applicant holds an id and sections of evidence, each claim with a
// verified flag. It is read from JSON or YAML, strictly, by an engine's
// Read or ReadAll, in the [Format] the caller names, or its Decode or
// DecodeAll, which infer it from a file name ([ReadFor], [DecodeFor] and
// their batch forms do the same for a Go type without an engine). A
// section left out of the document is unknown, not false: rules that need
// it come out unknown and the outcome undetermined. Evaluate validates the
// applicant first (go-playground/validator, by the model's validate tags);
// every problem is reported at once by its document path in an
// [*InputError], with its line and column when the applicant was decoded
// from a document.
//
// A declared model's Go type is built once, when the engine is, by
// [rules.ModelType]: texts, numbers, booleans, dates, sections and lists
// become fields of a struct with the tags this package's conventions
// read, so a declared model keeps the typed fast path of a Go type and is
// validated by the same tags (its enums are data in the model, in oneof
// tags, its event dates in eligo tags). A [Document] is opaque: its values
// are read by rules, never changed.
//
// A date is present or absent, never a magic value: absent is a missing key,
// a nil *time.Time. Dates run from 1900-01-01 to 9999-12-31; any other, such
// as 0001-01-01 in a document or &time.Time{} built in Go, is an input error
// ([ErrInvalid] at its path). Numbers are decimal: 020 (which YAML reads as
// octal), 0x1F, 0o17, 0b11 and 1_000 are an [ErrType] at their path.
// The evaluation date given with [AsOf] has the same range; outside it (the
// zero time.Time included) every evaluation fails with an error wrapping
// [ErrEvaluationDate] rather than falling back to today. A rule set is not
// in force before its effective date: an evaluation date before it (AsOf's,
// or today's) fails with a [*NotInForceError], wrapping [ErrNotInForce],
// never a decision; [EngineOf.InForce] checks a date beforehand.
//
// # Your own applicant type
//
// [NewFor] builds an [EngineOf] over a struct type of the caller's, and
// decides *T values with everything the engine does: routes, gates, the
// verified view,
// settle actions, Next, benefits, fees, batches ([KeyedDecisions] too),
// text and JSON. See the NewFor example. The type follows these
// conventions:
//
//   - Names. Rules see each exported field by its `expr` tag, else its Go
//     name; `expr:"-"` hides it. Validation errors name fields by their
//     `json` key, else the name rules see.
//   - Claims. A list whose entries are structs with a bool field named
//     Verified, or a section behind a pointer with one, holds claims: the
//     verified view leaves out unverified entries and unverified
//     sections, so what rests on them is [Unverified] and its award
//     provisional, with a "verify" action naming the entry (its path,
//     such as "sessions[1]") or the section. A list one level down, in a
//     pointer section with or without a flag of its own, is filtered too.
//   - What grants rests on claims. Every field that a requirement some
//     level, category, course, benefit or gate needs (directly or through a route)
//     reads, and everything under it, must lie inside a claim: a flagged
//     section or list entry at any depth on the way from the applicant, so
//     a flagged section covers the unflagged structs and lists it holds.
//     Top-level texts, numbers, booleans (*bool too), dates and lists of
//     texts cannot carry a flag and need none: by convention they only
//     ever stop a grant (kind, practising). A section or list of entries
//     that holds data that can only refuse, not claims (sanctions, say),
//     is tagged `eligo:"unverifiable"` and may then be read without a
//     flag; one whose data the service itself vouches for (its own
//     records of the member's training, say, not what the applicant
//     states) is tagged `eligo:"trusted"` and then grants as it stands.
//     The engine treats both alike; the tag says which to a reader. A
//     requirement nothing needs, or that only a benefit needs, is
//     not checked.
//   - Labels and id. A string field of an entry tagged `eligo:"label"`
//     names the entry in verify actions and explanations. The top-level
//     string field tagged `eligo:"id"`, else the one rules see as id, is
//     the applicant's id: [Decision].Applicant and the Source of its
//     [InputError]s. An id of characters that are not printable (a line
//     break, a tab, a terminal escape, a format character such as a
//     right-to-left override, invalid UTF-8) is invalid input: it would
//     forge lines in text for people. Text quotes a label that holds one.
//   - Absence. A nil pointer or nil list is unknown to rules, never false
//     or none; dates are time.Time values, absent as a nil *time.Time. A
//     bool or number a document leaves out is false or 0, which no rule
//     can tell from a given one: a *bool or pointer to a number makes its
//     absence unknown, and a bool or number field tagged
//     `eligo:"required"` must be given: decoding reports a document that
//     leaves it out, or gives it null, as invalid at its path ("is
//     required", wrapping [ErrInvalid]).
//   - Event dates. A decision as of a date rests on the evidence as it
//     stood then. A *time.Time field tagged `eligo:"event"` is an event's
//     date: when its date lies after the evaluation date, rules see it as
//     absent (nil), so a course completed later is in progress. One tagged
//     `eligo:"start"`, in a list entry or a section, is the date the entry
//     or section begins: when it lies later, the entry is left out (as if
//     not listed, its list still given) or the section (as if absent).
//     Either stands at the top level (an event only: the applicant begins
//     nothing), in a top-level list entry or section, or in an entry of a
//     list within a top-level section. The engine applies them before the
//     verified view, so that both views see the applicant as of the
//     evaluation date, in a copy made only when something is dated later:
//     the caller's value is never changed. [Decision].LeftOut lists what
//     was left out and why, and left-out evidence never grants. Claims to
//     verify and the entries explanations name keep their places in the
//     applicant ("cpd[2]"), whatever either view left out before them. An expiry date carries no tag: it may lie
//     ahead. A body that would rather refuse a later date as an input
//     error tags it validate:"not_after_as_of" instead (see Validation).
//   - Validation. `validate` tags are go-playground/validator's, with
//     four of this package's: finite (a float neither NaN nor infinite),
//     date (midnight UTC, 1900-01-01 to 9999-12-31), not_after_as_of
//     (an event date on or before the evaluation date) and
//     not_before=Field on a time.Time or *time.Time field (its date on or
//     after that of the struct's date field Field, named by its Go name;
//     either date absent, a nil *time.Time, passes; the problem reads
//     "2024-07-01 is before enrolled 2024-08-01", the other field by its
//     document key). If *T implements
//     [Validator], its Validate(asOf) method runs as well, and what it
//     reports joins the tags' problems in one [*InputError]. Evaluate
//     validates first; [EngineOf.Validate] does that alone.
//
// Documents decode into the type with [DecodeFor] and [ReadFor] (one)
// or [DecodeAllFor] and [ReadAllFor] (a batch), strictly, by the fields'
// yaml tags, else their json tags. The values
// they return remember where each field stands in the document, so that
// the problems Evaluate and Validate find carry a line and column; see
// DecodeFor for how and for how long.
//
// NewFor rejects, with an error wrapping [ErrModel], a type it could not
// decide faithfully: one that is not a struct, claims in a shape the
// verified view does not filter (a list of pointers to flagged entries,
// flagged entries deeper than one section down), a field rules see as
// verified that is not a bool named Verified, a label or id that is not
// a string, an eligo:"required" field that is not a bool or a number, a validate tag the validator does not know, a not_before
// that is not on a date field, names no date field of its struct or
// stands after dive, an eligo:"event" or eligo:"start" tag on a field that
// is not a *time.Time, a start at the top level, or either deeper than a
// list within a top-level section, an `eligo:"unverifiable"` or `eligo:"trusted"` tag on anything but an
// unflagged section or list of entries, and data a needed requirement
// reads outside any claim (see "What grants rests on claims"): such data
// stays in the verified view whatever its state, so an unverified claim
// there would grant. That error names the requirement and the section or
// list in document keys, such as "supervision.sessions[]", and says how
// to fix it: a Verified flag, or one of the two tags. [New] refuses a
// declared model the same way, with a [*rules.ErrorList] error at the
// section's or list's key in the model file: write verified: true on it,
// or verified: false for data that can only refuse. A field of a type
// rules cannot read gives the usual [*rules.ErrorList]. Nothing about the
// type fails at evaluation.
//
// # Statuses and outcomes
//
// Each requirement is evaluated twice: on the verified view of the applicant
// (only entries and sections with verified: true; an unverified section is
// as if absent) and on the full view. It is [Met] when it holds on verified
// evidence, [Unverified] when it holds only once the unverified claims count, and otherwise [Unmet], [Unknown] (data absent)
// or [Review] (a person must judge).
//
// A level, category or course is, first match wins: [Refused] if any of its
// requirements is unmet, [Undetermined] if any is unknown, [Referred] if any
// needs review (or its route is assessed by a panel), [Provisional] if any
// is unverified, and otherwise [Granted]. With alternative routes the best
// route's outcome stands. The rule set's gates (rules.Set.Gates: a rule
// such as "no active sanction" that every award must meet) join every
// route of every award as requirements it lists would, so an unmet gate
// refuses everything and an unknown one leaves everything undetermined.
// [Decision.Gates] gives their statuses, and each award lists them first
// among its requirements. Only Granted counts toward the decided level,
// courses, benefits and fees; the other outcomes carry the actions that
// would settle them (claims to verify, data to supply, judgements to make).
//
// # Promises
//
// Whatever the input, the library promises:
//
//   - Fail closed. Nothing is granted on an error, on missing data or on an
//     unverified claim. An invalid applicant, a rule that fails while it
//     runs or a done context gives an error and no Decision. A requirement
//     met on verified evidence but defeated once the applicant's unverified
//     claims are added is not met. Taking evidence away (unverifying a
//     claim, deleting a section or an entry) never adds a grant; adding
//     verified evidence, hours or a later expiry never takes one away.
//     Evidence dated after the evaluation date, by a date marked as an
//     event's or a start, is left out and never grants.
//   - No panics. Decoding, [New], [NewFor] and [EngineOf.Evaluate] answer bad input of every kind with an error; a
//     panic inside expr while a rule runs becomes an error for that
//     applicant alone.
//   - Typed errors. A bad document or applicant gives an [*InputError]; each
//     of its [FieldError] values carries a kind ([ErrSyntax], [ErrType],
//     [ErrUnknownField] or [ErrInvalid]) and the field's document path, such
//     as "onlineTraining[1].hours". An unusable evaluation date gives an
//     error wrapping [ErrEvaluationDate]. A bad rule file gives a
//     [*rules.ErrorList] of errors positioned in the file; a rule failing at
//     run time gives an error wrapping [*rules.EvalError] that names the
//     rule and the applicant; a done context gives the context's error.
//   - Determinism. The same applicant, rules and evaluation date give the
//     same Decision, byte for byte in JSON, from any Engine; the time of day
//     is ignored.
//
// # Limits
//
// Limits on the work one input can cause are on by default:
//
//   - The model's validate tags bound its lists (a declared model's lists
//     hold at most 1,000 entries, or the fewer its maxEntries says); a
//     larger applicant is invalid ([ErrInvalid] at the list's path) before
//     any rule runs.
//   - An [InputError] keeps the first 100 problems and counts the rest.
//   - Decoding takes time and memory in proportion to the document, YAML
//     aliases included: it visits at most twice the document's bytes plus
//     10,000 values, then stops with an [ErrSyntax] ("document too large
//     after expanding YAML aliases"), so a "billion laughs" document of a
//     few kilobytes costs a few megabytes, not gigabytes. A document of
//     100,000 training entries, 2.9 MB, takes about a second, then fails
//     validation: bound the size of the documents you accept.
//     Read and ReadAll ([ReadFor], [ReadAllFor]) read at most
//     [MaxDocumentSize] bytes, 1 MiB, as does the eligo command by default.
//   - In a stream of "---" separated documents (DecodeAll), a YAML
//     alias reaches only anchors of its own document: one applicant cannot
//     take in another's values.
//   - A rule file holds at most [rules.MaxFileSize] bytes and an
//     expression at most [rules.DefaultMaxNodes] syntax-tree nodes; while it
//     runs an expression may allocate at most [rules.DefaultMemoryBudget]
//     units. [WithCompileOptions] with [rules.MaxNodes] and
//     [rules.MemoryBudget] changes the last two.
//
// # How it is tested
//
// Besides unit tests and the fixtures of examples/applicants (see package
// eligibilitytest):
//
//   - ACTO's model declared in YAML and ACTO's Go type decide the same
//     10,000 generated applicants to the byte, in JSON and text.
//   - A differential test decides 10,000 generated applicants (seeded:
//     thresholds hit exactly and either side, dates around the evaluation
//     date, unverified and absent evidence, every kind of applicant and
//     course) with the engine and with an oracle, the ACTO rules written
//     again by hand in plain Go from the specification rather than from the
//     rule files; they must agree on every requirement's status and every
//     level's, category's and course's outcome.
//   - Property tests check determinism, monotonicity, fail-closed changes
//     and the ladder (a granted Level 3 has every Level 2 requirement met).
//   - Fuzz targets for decoding and validation, for evaluation (checked
//     against the oracle too) and, in package rules, for rule files and
//     expressions; go test runs their seed corpora and past findings.
//   - A catalogue of bad input checks each kind of error above, and a
//     concurrency test shares one Engine between goroutines under -race.
//
// # Explanations
//
// Every [RequirementResult] lists the parts of its condition with the
// values observed and required (e.g. 48 hours against 80, 32 short), the
// list entry that came closest to a failed list condition and why it
// failed (or the entry that meets a met any()), the facts and parameters
// used, and the rule's source citation.
//
// Evaluate decides from the requirements' statuses, which is all that the
// outcomes, routes, Next, benefits and fees need, and leaves the
// explanations, and what would settle each award, for when they are asked
// for:
// [Decision.Requirements] (and [Decision.Requirement], the JSON, the text)
// works them out on its first call, from a copy of the applicant the
// decision keeps, taken when it was decided, in the decision's own memory
// (so a change to the applicant afterwards does not reach it; the copy is
// compact, a few hundred bytes for a typical ACTO applicant, and leaves out
// the fields rules cannot see, such as a person's name), and keeps them
// for later calls. They are what
// Evaluate would have given had it explained every requirement itself: the
// same rules on the same data and date. [Decision.Statuses] and
// [Decision.Status] give the statuses without explaining. For ACTO's rules,
// a decision that is never explained costs about a quarter of the time of
// one that is, and a tenth of the memory.
//
// The award lists work the same way: a decision holds each requirement's
// status, a byte, and [Decision.Levels], [Decision.Categories],
// [Decision.Courses] and [Decision.Gates] make the lists from them on the
// first call of any of them (each award with its outcome, its best route's
// requirements, every route's outcome, and what would settle an award
// neither granted nor refused: its claims to verify and data to supply,
// found from the copy as the explanations are). A decision read for its
// Level, [Decision.GrantedCourses] or its JSON (written from the statuses,
// keeping nothing) never makes them; ACTO's decisions take about 1.3 KB.
// The copy holds the fields rules see, the verification flags and the
// fields eligo's tags mark, never the others (a name hidden from rules
// with expr:"-").
// [Decision.Next] is the gap to the next level up: the first level above the
// applicant's (from the ladder's first, with none) that is not a side entry
// (a level with an entry key) the applicant's evidence does not point to.
// The text rendering
// ([Decision.Text], [RequirementResult.Explain]) may change between
// versions; the Decision's fields, its methods' results and its JSON are
// the stable contract.
//
// # Decisions as JSON
//
// A decision's JSON is a durable record: json.Marshal (or the faster
// [Decision.AppendJSON], the same bytes with <, > and & unescaped, as the
// CLI writes them) gives it, json.Unmarshal into a Decision reads it back
// equal, and marshalling that again gives the same bytes. The contract:
//
//   - The first member, "schema", is [SchemaVersion], "eligo.decision/2".
//     Members may be added under the same major version (older readers
//     ignore them); a member that changes type or meaning, or goes,
//     changes the major version. [Decision.UnmarshalJSON] refuses JSON
//     without "schema" or of another major version with an error wrapping
//     [ErrSchema] that names it.
//   - Members follow the fields' json tags, in field order, with the
//     award lists after "level": "gates" (absent when the rules have
//     none), "levels", "categories" and "courses" ([Decision.Levels]...),
//     then "requirements" ([Decision.Requirements], explained as the JSON
//     is written); lists keep rule-set order.
//   - Observed and required values, and the values of facts and
//     parameters, are typed ([rules.Value.MarshalJSON]): null, or
//     {"type":"number","value":79.5}, with "type" one of boolean, integer,
//     number, text, date, list ("items") and record ("fields").
//   - Each requirement carries "explain", the lines [RequirementResult.Explain]
//     gives, and, when the rule file words its status, "wording", that
//     text as written; each action (under "settle" and "unverified")
//     carries "text", its [Action.String]. The lines and texts are derived:
//     they are written for pages that show them and are not read back
//     (Explain and String give them again from the fields, in this
//     version's wording); "wording" is read back.
//   - Dates are "YYYY-MM-DD".
//
// [DecisionSchema] is the JSON Schema (draft 2020-12) of this JSON,
// generated from the types; [EngineOf.DocumentSchema], that of an
// engine's applicant documents, generated from the applicant type and its
// validate tags. Decisions compare with go-cmp (cmp.Equal) or
// [Decision.Equal]: values by [rules.Value.Equal], requirement results by
// [RequirementResult.Equal], which also compares the rule file's wording
// for the status, the only unexported state a result holds. A decision read back owns its memory
// like any other: nothing of the buffer it was read from is kept.
//
// # Concurrency
//
// An Engine is immutable and safe for concurrent use; each Evaluate keeps
// its state to itself. A Decision belongs to its caller: nothing reachable
// from it (its slices, the [rules.Value]s of its explanations) is ever
// written again by the engine once written, whatever the rules observed,
// so it may be kept, shared between goroutines and read while the engine
// goes on deciding others; its explanations are made once, on first use,
// safely from any number of goroutines. A decision's slices share one
// allocation (about 750 bytes for an ACTO decision; its packed copy of
// the applicant, about 400, and its explanations once made, about 18 KB,
// have memory of their own): holding any of them keeps it all. Only
// [Reusing] hands a decision's memory back, on purpose.
// [EngineOf.EvaluateAll], [EngineOf.Decisions] and [KeyedDecisions]
// (which yields each result with the caller's key for its applicant) decide
// batches on all cores.
//
// # Options
//
// Evaluate takes [EvalOption] values and the batch calls [BatchOption]
// values, so an option that does not apply to a call does not compile:
// [Reusing] is for Evaluate alone, [Workers] for batches alone, and [AsOf],
// a [CallOption], for both. [EngineOf.Validate] checks an applicant without
// deciding it, with the error Evaluate would give. Engine options
// ([Option]) are given once, to New or NewFor: [WithObserver] and
// [WithLogger] see every decision or error with its duration, at no cost
// when absent.
//
// # Decisions as records
//
// [EngineOf.Compact] keeps what a stored decision needs (outcomes,
// statuses, shortfalls, what would settle them, the rule set digest and
// the applicant's input digest, [EngineOf.InputDigest]) in well under
// 2 KB for an ACTO decision; [EngineOf.Expand] rebuilds the full Decision
// from it, the same rule set and the same applicant, and refuses with a
// [*CompactError] when any of them differs.
//
// # Packages
//
// Decoding documents into a struct type with their positions, the quick
// validity check compiled from validate tags, the verified view and the
// memory decisions are carved from are internal packages that name no
// applicant type; this package puts them together with package rules for
// any struct type: a declared model's, built from the rule set, or the
// caller's own.
package eligibility
