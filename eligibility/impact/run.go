package impact

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/internal/guard"
	"github.com/eligo-dev/eligo/rules"
)

// Option configures a run: [AsOf], [OldAsOf], [NewAsOf], [Workers],
// [Progress], [KeepAffected], [OnAffected].
type Option func(*config)

type config struct {
	oldAsOf, newAsOf time.Time
	workers          int
	progress         func(done int)
	keep             int
	onAffected       func(Affected)
}

// AsOf sets the evaluation date of both sides. Without it (or OldAsOf and
// NewAsOf) both sides decide as of today in UTC, taken once when the run
// starts.
func AsOf(date time.Time) Option {
	return func(c *config) { c.oldAsOf, c.newAsOf = date, date }
}

// OldAsOf sets the old side's evaluation date: with NewAsOf, one rule set
// on two dates (what a dated parameter's change does to the membership).
func OldAsOf(date time.Time) Option { return func(c *config) { c.oldAsOf = date } }

// NewAsOf sets the new side's evaluation date (see OldAsOf).
func NewAsOf(date time.Time) Option { return func(c *config) { c.newAsOf = date } }

// Workers sets how many goroutines decide: n < 1 means
// runtime.GOMAXPROCS(0), the default.
func Workers(n int) Option { return func(c *config) { c.workers = n } }

// Progress has f called with the number of applicants done so far
// (decided on both sides, or failed), in increasing order, from one
// goroutine: every few hundred applicants and once at the end. f should
// return quickly; a command line tool prints from it at most every so
// often.
func Progress(f func(done int)) Option { return func(c *config) { c.progress = f } }

// KeepAffected sets how many affected applicants the report keeps with
// their diffs, the first n in input order: 100 by default, 0 for none.
// Counts cover every applicant whatever n is; the memory a run holds
// grows with n, not with the population. To see every affected
// applicant, stream them with OnAffected.
func KeepAffected(n int) Option { return func(c *config) { c.keep = max(n, 0) } }

// OnAffected has f called with every affected applicant and its diff, in
// input order, from one goroutine, as the run goes. The Affected is the
// caller's.
func OnAffected(f func(Affected)) Option { return func(c *config) { c.onAffected = f } }

// chunkSize is how many applicants go to a worker at a time.
const chunkSize = 128

// Run decides every applicant twice, with old and with new (two rule
// sets, or one on two dates: see OldAsOf), on all cores (see Workers),
// compares the decisions (see [Diff]) and reports the impact: the level
// transition matrix, each award's grants lost and gained, the
// requirements the changes are attributed to, the awards newly
// undetermined for want of data, and the first affected applicants with
// their diffs (see [Report]). Keys name applicants in the report, such as
// file names or database ids (printed with fmt.Sprint unless strings).
//
// Run streams: it reads the sequence as it decides, and holds a few
// hundred applicants per worker in flight and the kept diffs (see
// KeepAffected), whatever the population's size. An applicant's error
// (invalid on either side, a rule failing) is counted in the report, with
// the first few as samples, and does not stop the others. A side whose
// date is unusable or before its rule set's effective date is Run's error,
// before anything is read. When ctx is done Run stops reading and returns
// the report of the applicants done so far with ctx's error.
//
// The sequence, and the caller's code that deciding runs (an observer, a
// Validate method), run on goroutines of Run's own: when one panics, Run
// stops and panics with the same value on the caller's goroutine, where it
// can be recovered; when one calls runtime.Goexit (as t.Fatal does), Run
// panics too, rather than report part of the population as all of it.
func Run[K, T any](ctx context.Context, old, new *eligibility.EngineOf[T], applicants iter.Seq2[K, *T], opts ...Option) (*Report, error) {
	load := func(_ K, a *T) (*T, *T, error) { return a, a, nil }
	return run(ctx, old, new, applicants, load, opts)
}

// RunDocuments is [Run] over applicant documents, each a name and its
// bytes, such as a file's name and contents: the workers decode them
// (old's and new's Decode, which infers the format from the name, see
// [eligibility.EngineOf.Decode]), so decoding too runs on all cores. A
// document is decoded once when both engines decide the same type (for
// [eligibility.Engine], the same declared model), else once for each. A
// document that does not decode is an applicant's error, counted and
// sampled as the others. The names key the report.
func RunDocuments[T any](ctx context.Context, old, new *eligibility.EngineOf[T], documents iter.Seq2[string, []byte], opts ...Option) (*Report, error) {
	same := true
	if old != nil && new != nil && reflect.TypeFor[T]() == reflect.TypeFor[eligibility.Document]() {
		om, err1 := rules.ModelType(old.RuleSet())
		nm, err2 := rules.ModelType(new.RuleSet())
		same = err1 == nil && err2 == nil && om == nm
	}
	load := func(name string, data []byte) (*T, *T, error) {
		a, err := old.Decode(name, data)
		if err != nil {
			return nil, nil, err
		}
		if same {
			return a, a, nil
		}
		b, err := new.Decode(name, data)
		return a, b, err
	}
	return run(ctx, old, new, documents, load, opts)
}

type chunk[K, I any] struct {
	seq   int
	keys  []K
	items []I
}

// chunkResult is one chunk's result: each decided applicant's levels, the
// changed applicants and the errors, in input order.
type chunkResult struct {
	seq     int
	n       int
	cells   [][2]int32 // each decided applicant's old and new level, as indexes into Levels
	changed []changed
	errs    []ApplicantError
}

// changed is one changed applicant, as the consumer aggregates it.
type changed struct {
	key          string
	diff         DecisionDiff
	undetermined []undeterminedBy
	// statuses are the old and new statuses of the requirements added to
	// or removed from a changed award (the diff lists only those whose
	// status or values changed).
	statuses map[string]reqStatus
}

type reqStatus struct {
	title    string
	old, new eligibility.Status
}

type undeterminedBy struct{ award, requirement, path, rule string }

func run[K, I, T any](parent context.Context, old, new *eligibility.EngineOf[T], items iter.Seq2[K, I], load func(K, I) (*T, *T, error), opts []Option) (*Report, error) {
	if old == nil || new == nil {
		return nil, errors.New("impact: a nil engine")
	}
	cfg := config{keep: 100}
	for _, o := range opts {
		o(&cfg)
	}
	today := time.Now().UTC()
	if cfg.oldAsOf.IsZero() {
		cfg.oldAsOf = today
	}
	if cfg.newAsOf.IsZero() {
		cfg.newAsOf = today
	}
	if err := old.InForce(cfg.oldAsOf); err != nil {
		return nil, fmt.Errorf("impact: old side: %w", err)
	}
	if err := new.InForce(cfg.newAsOf); err != nil {
		return nil, fmt.Errorf("impact: new side: %w", err)
	}
	if cfg.workers < 1 {
		cfg.workers = runtime.GOMAXPROCS(0)
	}
	rep := newReport(old.RuleSet(), new.RuleSet(), cfg.oldAsOf, cfg.newAsOf)
	agg := newAggregate(rep)

	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	// A panic, or runtime.Goexit, in the caller's code on a goroutine of
	// the run's own (the sequence, an observer, a Validate method) stops
	// the run, which then panics with it on the caller's goroutine.
	failed := guard.First{Exited: errExited, OnFail: cancel}
	window := make(chan struct{}, 2*cfg.workers+2)
	jobs := make(chan chunk[K, I], cfg.workers)
	results := make(chan chunkResult, cfg.workers)
	var reader sync.WaitGroup
	reader.Add(1)
	go func() {
		defer reader.Done()
		defer close(jobs)
		c := chunk[K, I]{}
		send := func() bool {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			select {
			case jobs <- c:
			case <-ctx.Done():
				return false
			}
			c = chunk[K, I]{seq: c.seq + 1}
			return true
		}
		failed.Run(func() {
			for k, it := range items {
				if ctx.Err() != nil {
					return
				}
				if c.keys == nil {
					c.keys, c.items = make([]K, 0, chunkSize), make([]I, 0, chunkSize)
				}
				c.keys, c.items = append(c.keys, k), append(c.items, it)
				if len(c.keys) == chunkSize && !send() {
					return
				}
			}
			if len(c.keys) > 0 {
				send()
			}
		})
	}()
	var workers sync.WaitGroup
	for range cfg.workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			wk := newWorker(old, new, load, &cfg, rep.Levels)
			failed.Run(func() {
				for c := range jobs {
					res := chunkResult{seq: c.seq, n: len(c.keys)}
					for i := range c.keys {
						wk.one(ctx, &res, c.keys[i], c.items[i])
					}
					results <- res
				}
			})
			for range jobs { // after a failure: let the reader finish
			}
		}()
	}
	go func() {
		workers.Wait()
		close(results)
	}()

	pending := map[int]chunkResult{}
	next, done := 0, 0
	for res := range results {
		pending[res.seq] = res
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if ctx.Err() == nil {
				agg.add(&r, &cfg)
				done += r.n
				if cfg.progress != nil {
					cfg.progress(done)
				}
			}
			<-window
		}
	}
	reader.Wait()
	failed.Repanic()
	agg.finish()
	if err := parent.Err(); err != nil {
		return rep, err
	}
	return rep, nil
}

// errExited is what a run panics with on the caller's goroutine when the
// caller's code called runtime.Goexit (as t.Fatal does) on a goroutine of
// the run's own: the sequence, or code deciding runs.
var errExited = errors.New("impact: runtime.Goexit called on a goroutine of the run's own (by the sequence of applicants, an observer or a Validate method)")

// worker decides applicants with both engines, reusing its two decisions.
type worker[K, I, T any] struct {
	old, new       *eligibility.EngineOf[T]
	load           func(K, I) (*T, *T, error)
	oldOpt, newOpt []eligibility.EvalOption
	dOld, dNew     *eligibility.Decision
	levels         map[string]int
	unknownRules   map[string]string // the new rules' unknown rules, by requirement
	// sameAwards: both rule sets have the same levels, categories and
	// courses, in the same order; outcomes is outcomesChanged's memory.
	sameAwards bool
	outcomes   []eligibility.Outcome
}

func newWorker[K, I, T any](old, new *eligibility.EngineOf[T], load func(K, I) (*T, *T, error), cfg *config, levels []string) *worker[K, I, T] {
	w := &worker[K, I, T]{old: old, new: new, load: load, levels: map[string]int{}}
	for i, l := range levels {
		w.levels[l] = i
	}
	w.unknownRules = map[string]string{}
	for _, r := range new.RuleSet().Requirements {
		if !r.Unknown.IsZero() {
			w.unknownRules[r.ID] = r.Unknown.Source
		}
	}
	w.sameAwards = sameAwards(old.RuleSet(), new.RuleSet())
	w.oldOpt = []eligibility.EvalOption{eligibility.AsOf(cfg.oldAsOf), nil}
	w.newOpt = []eligibility.EvalOption{eligibility.AsOf(cfg.newAsOf), nil}
	return w
}

// sameAwards reports whether a and b have the same levels, categories and
// courses, by id, in the same order.
func sameAwards(a, b *rules.Set) bool {
	sameID := func(x, y *rules.Award) bool { return x.ID == y.ID }
	return slices.EqualFunc(a.Levels, b.Levels, sameID) && slices.EqualFunc(a.Categories, b.Categories, sameID) &&
		slices.EqualFunc(a.Courses, b.Courses, sameID)
}

// inputError is err's message, naming the applicant by its key when err
// is an invalid applicant (an *eligibility.InputError names it by its id):
// as a document's name names it when it does not decode.
func inputError[K any](k K, err error) string {
	var in *eligibility.InputError
	if errors.As(err, &in) {
		in.Source = keyString(k) // the error is this call's own
	}
	return err.Error()
}

// one decides one applicant on both sides and adds it to res and the
// worker's matrix.
func (w *worker[K, I, T]) one(ctx context.Context, res *chunkResult, k K, it I) {
	a, b, err := w.load(k, it)
	if err != nil {
		res.errs = append(res.errs, ApplicantError{Key: keyString(k), Side: "decode", Err: err.Error()})
		return
	}
	w.oldOpt[1] = eligibility.Reusing(w.dOld)
	dOld, errOld := w.old.Evaluate(ctx, a, w.oldOpt...)
	if errOld == nil {
		w.dOld = dOld
	}
	w.newOpt[1] = eligibility.Reusing(w.dNew)
	dNew, errNew := w.new.Evaluate(ctx, b, w.newOpt...)
	if errNew == nil {
		w.dNew = dNew
	}
	switch {
	case errOld != nil && errNew != nil:
		res.errs = append(res.errs, ApplicantError{Key: keyString(k), Side: "both", Err: inputError(k, errOld)})
		return
	case errOld != nil:
		res.errs = append(res.errs, ApplicantError{Key: keyString(k), Side: "old", Err: inputError(k, errOld)})
		return
	case errNew != nil:
		res.errs = append(res.errs, ApplicantError{Key: keyString(k), Side: "new", Err: inputError(k, errNew)})
		return
	}
	res.cells = append(res.cells, [2]int32{int32(w.levels[dOld.Level]), int32(w.levels[dNew.Level])})
	if !w.outcomesChanged(dOld, dNew) {
		return
	}
	c := changed{key: keyString(k), diff: Diff(dOld, dNew)}
	for _, a := range c.diff.Awards {
		for _, id := range slices.Concat(a.Added, a.Removed) {
			if c.statuses == nil {
				c.statuses = map[string]reqStatus{}
			}
			var st reqStatus
			if r, ok := dOld.Requirement(id); ok {
				st.title, st.old = r.Title, r.Status
			}
			if r, ok := dNew.Requirement(id); ok {
				st.title, st.new = r.Title, r.Status
			}
			c.statuses[id] = st
		}
	}
	for _, a := range c.diff.Awards {
		if a.New == eligibility.Undetermined && a.Old != eligibility.Undetermined {
			c.undetermined = appendUndetermined(c.undetermined, dNew, a, w.unknownRules)
		}
	}
	res.changed = append(res.changed, c)
}

// outcomesChanged reports, without allocating, whether the level or an
// award's outcome differs between the decisions (Diff's Changed). With the
// same awards on both sides (sameAwards), it reads the outcomes the
// decisions keep (Outcomes), into the worker's scratch memory, without
// making their award lists.
func (w *worker[K, I, T]) outcomesChanged(old, new *eligibility.Decision) bool {
	if old.Level != new.Level {
		return true
	}
	if w.sameAwards {
		w.outcomes = w.outcomes[:0]
		for _, o := range old.Outcomes() {
			w.outcomes = append(w.outcomes, o)
		}
		i := 0
		for _, o := range new.Outcomes() {
			if i == len(w.outcomes) || w.outcomes[i] != o {
				return true
			}
			i++
		}
		return i != len(w.outcomes)
	}
	for _, g := range [...][2][]eligibility.AwardResult{{old.Levels(), new.Levels()}, {old.Categories(), new.Categories()}, {old.Courses(), new.Courses()}} {
		o, n := g[0], g[1]
		if len(o) != len(n) {
			return true
		}
		for i := range o {
			if o[i].ID != n[i].ID || o[i].Outcome != n[i].Outcome {
				return true
			}
		}
	}
	return false
}

// appendUndetermined adds what leaves award a of d undetermined: each
// unknown requirement of its best route and the data it misses.
// unknownRules holds the text of each requirement's own unknown rule, by
// requirement id, for the data a decision does not name.
func appendUndetermined(out []undeterminedBy, d *eligibility.Decision, a AwardChange, unknownRules map[string]string) []undeterminedBy {
	award := awardOf(d, a.Kind, a.ID)
	if award == nil {
		return out
	}
	for _, rs := range award.Requirements {
		if rs.Status != eligibility.Unknown {
			continue
		}
		var missing []string
		if r, ok := d.Requirement(rs.ID); ok {
			missing = r.Missing
		}
		if len(missing) == 0 {
			// A requirement unknown by its own rule (rules.Requirement's
			// unknown) names no data: the award's settle actions do.
			for _, s := range award.Settle {
				if s.Kind == eligibility.Supply && s.Requirement == rs.ID && s.Item != "" {
					missing = append(missing, s.Item)
				}
			}
		}
		if len(missing) == 0 {
			out = append(out, undeterminedBy{string(a.Kind) + " " + a.ID, rs.ID, "", unknownRules[rs.ID]})
		}
		for _, m := range missing {
			out = append(out, undeterminedBy{string(a.Kind) + " " + a.ID, rs.ID, m, ""})
		}
	}
	return out
}

func awardOf(d *eligibility.Decision, kind AwardKind, id string) *eligibility.AwardResult {
	as := d.Levels()
	switch kind {
	case CategoryAward:
		as = d.Categories()
	case CourseAward:
		as = d.Courses()
	}
	for i := range as {
		if as[i].ID == id {
			return &as[i]
		}
	}
	return nil
}

// keyString names an applicant in the report by its key.
func keyString[K any](k K) string {
	if s, ok := any(k).(string); ok {
		return s
	}
	return fmt.Sprint(k)
}
