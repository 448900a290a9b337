package eligibility

import (
	"context"
	"errors"
	"iter"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/guard"
)

// Result is one applicant's outcome in a batch: its decision, or the error
// that left it without one (as Evaluate would return it).
type Result struct {
	Decision *Decision // the applicant's decision; nil when Err is set
	Err      error     // why there is no decision, e.g. an *InputError or ctx's error; else nil
}

// Workers sets how many goroutines EvaluateAll, Decisions and
// KeyedDecisions evaluate on: n < 1 means runtime.GOMAXPROCS(0), the
// default; more than [MaxWorkers] means MaxWorkers (EvaluateAll uses no
// more than it has applicants). It is no [EvalOption]: Evaluate decides on
// its caller's goroutine.
func Workers(n int) BatchOption { return workersOption(n) }

type workersOption int

// MaxWorkers bounds Workers: goroutines beyond it would only wait, each
// holding its share of a batch's memory (Decisions reads up to 24
// applicants ahead per worker).
const MaxWorkers = 1024

func (workersOption) batchOption() {}

// batchConfig reads a batch's options: one evaluation date for all (today,
// once, when none is given) and the number of workers. An unusable
// evaluation date is kept in dateErr, every applicant's error.
// A date before the rule set's effective date is unusable too.
func (e *engine) batchConfig(opts []BatchOption) evalConfig {
	var cfg evalConfig
	for _, o := range opts {
		cfg.apply(o)
	}
	cfg.asOf, cfg.dateErr = cfg.date()
	if cfg.dateErr == nil {
		cfg.dateErr = e.inForce(cfg.asOf)
	}
	if cfg.workers < 1 {
		cfg.workers = runtime.GOMAXPROCS(0)
	}
	cfg.workers = min(cfg.workers, MaxWorkers)
	return cfg
}

// evaluateOne is Evaluate with the batch's options, of the applicant at
// a, told to the observer if there is one.
func (e *engine) evaluateOne(ctx context.Context, a unsafe.Pointer, cfg *evalConfig) Result {
	if e.observe == nil {
		return e.decideOne(ctx, a, cfg)
	}
	start := time.Now()
	r := e.decideOne(ctx, a, cfg)
	e.report(ctx, a, start, r.Decision, r.Err, true)
	return r
}

// decideOne is evaluateOne without the observer.
func (e *engine) decideOne(ctx context.Context, a unsafe.Pointer, cfg *evalConfig) Result {
	if a == nil {
		return Result{Err: errNilApplicant()}
	}
	if err := ctx.Err(); err != nil { // first, as Evaluate
		return Result{Err: err}
	}
	if cfg.dateErr != nil {
		return Result{Err: cfg.dateErr}
	}
	a, err := e.at(a)
	if err != nil {
		return Result{Err: err}
	}
	d, err := e.evaluate(ctx, a, cfg.asOf, false, nil, cfg.validity)
	return Result{Decision: d, Err: err}
}

// EvaluateAll decides every applicant, on all cores (see Workers), and
// returns their results in input order: result i is applicants[i]'s. An
// applicant's error (an invalid document, a rule that fails) is its
// result's and does not stop the others. All are decided on the same date:
// AsOf's, else today's when EvaluateAll starts; a date before the rule
// set's effective date gives every applicant a [*NotInForceError]. When ctx is done, the
// applicants not yet decided get ctx's error. Every decision is the
// caller's.
//
// EvaluateAll holds every decision in memory; to decide more applicants
// than memory holds decisions, stream them with Decisions.
//
// The code of the caller's that deciding runs (an observer, an applicant
// type's Validate method) runs on the workers. When it panics on a worker
// goroutine of EvaluateAll's own, the workers stop and EvaluateAll panics
// with the same value on the caller's goroutine, where it can be
// recovered; when it calls runtime.Goexit (as t.Fatal does) there,
// EvaluateAll panics too, rather than return a result with neither a
// decision nor an error.
func (e *EngineOf[T]) EvaluateAll(ctx context.Context, applicants []*T, opts ...BatchOption) []Result {
	cfg := e.batchConfig(opts)
	out := make([]Result, len(applicants))
	var next atomic.Int64
	failed := guard.First{Exited: errWorkerExited} // a worker's panic, or its runtime.Goexit
	work := func() {
		for !failed.Stopped() {
			i := int(next.Add(1) - 1)
			if i >= len(applicants) {
				return
			}
			out[i] = e.evaluateOne(ctx, unsafe.Pointer(applicants[i]), &cfg)
		}
	}
	var wg sync.WaitGroup
	for range min(cfg.workers, len(applicants)) - 1 { // and the caller's goroutine
		wg.Add(1)
		go func() {
			defer wg.Done()
			failed.Run(work)
		}()
	}
	failed.RunOwn(work) // a panic here is the caller's already
	wg.Wait()
	failed.Repanic()
	return out
}

// errWorkerExited is what a batch panics with on the caller's goroutine
// when user code called runtime.Goexit (as t.Fatal does) on a worker
// goroutine of the batch's own while deciding.
var errWorkerExited = errors.New("eligibility: runtime.Goexit called while deciding on a batch's worker goroutine (by an observer or a Validate method)")

// Decisions decides the applicants of a sequence as it is read, on all
// cores (see Workers), and yields each one's index in the sequence and its
// result, in input order. It holds only the decisions in flight, at most
// 24 per worker, so it suits batches of any size. As with EvaluateAll, an
// applicant's error is its result's and all are decided on one date.
//
// With more than one worker, the caller's goroutine is one of them,
// between the results it yields, and the sequence is read by one goroutine
// at a time, never two at once: a reader of Decisions' own, or a worker
// with nothing to decide. A panic in the sequence stops the reading, and
// the loop over Decisions then panics with the same value on the caller's
// goroutine, once the workers have stopped.
//
// When ctx is done, Decisions stops reading applicants (it reads none when
// ctx is done before the loop starts; one whose read had begun is still
// read); those already read are still yielded, with ctx's error when they
// were not decided. When the loop over Decisions stops early, Decisions
// stops reading and evaluating and returns once its goroutines have. A
// read under way cannot be interrupted: with more than one worker, when the
// sequence blocks (a channel with nothing to send yet), the loop returns
// once the sequence yields its next applicant or ends; a sequence that may
// block should watch ctx itself and end when it is done. With
// more than one worker, a sequence that calls runtime.Goexit (as t.Fatal
// does) ends the goroutine reading it, and the loop then panics rather
// than end as if the sequence had. A panic or a runtime.Goexit in the
// caller's code that deciding runs (an observer, a Validate method) on a
// worker goroutine of Decisions' own stops the loop, which yields nothing
// more and panics as EvaluateAll does.
func (e *EngineOf[T]) Decisions(ctx context.Context, applicants iter.Seq[*T], opts ...BatchOption) iter.Seq2[int, Result] {
	indexed := func(yield func(int, *T) bool) {
		i := 0
		for a := range applicants {
			if !yield(i, a) {
				return
			}
			i++
		}
	}
	return KeyedDecisions(ctx, e, indexed, opts...)
}

// KeyedDecisions is [EngineOf.Decisions] for applicants that come with keys of
// the caller's, such as file names or database ids: it yields each key with
// its applicant's result, in input order, so that a caller needs no slice
// beside the results to tell whose each one is. Keys are passed through, not
// compared: they need not be unique. Everything else is as in Decisions:
// workers, bounded memory, one evaluation date, an applicant's error in its
// result, how the sequence is read, and what happens when it panics, when
// ctx is done or when the loop stops early.
//
// It is a function, not a method of EngineOf, because methods cannot have
// type parameters of their own.
func KeyedDecisions[K, T any](ctx context.Context, e *EngineOf[T], applicants iter.Seq2[K, *T], opts ...BatchOption) iter.Seq2[K, Result] {
	cfg := e.batchConfig(opts)
	return func(yield func(K, Result) bool) {
		if ctx.Err() != nil {
			return // nothing read
		}
		if cfg.workers <= 1 {
			for k, a := range applicants {
				// Once ctx is done, the applicant read is yielded with
				// its error, and no other is read.
				if !yield(k, e.evaluateOne(ctx, unsafe.Pointer(a), &cfg)) || ctx.Err() != nil {
					return
				}
			}
			return
		}
		decisions(ctx, &e.engine, applicants, &cfg, yield)
	}
}

// batchChunk is how many applicants are read into a run for a worker, at
// most: a handful, so that the reader, the workers and the loop hand over
// few messages; fewer when no run is queued (a worker may be waiting) or
// when a worker reads and the reader waits to.
const batchChunk = 8

// batchRun is a run of applicants read one after another, for a worker,
// and then their results, in its order.
type batchRun[K any] struct {
	i   int // the first applicant's place in the sequence
	ks  []K
	as  []unsafe.Pointer
	res []Result
}

func newRun[K any]() batchRun[K] {
	return batchRun[K]{ks: make([]K, 0, batchChunk), as: make([]unsafe.Pointer, 0, batchChunk)}
}

// stream is what the goroutines of decisions share: the sequence, read by
// one of them at a time (mu), and the window of applicants read and not
// yet yielded.
type stream[K any] struct {
	next func() (K, unsafe.Pointer, bool) // the sequence, pulled
	ctx  context.Context                  // done: no more reading

	mu      sync.Mutex   // held to read
	read    int          // applicants read so far: the next one's place
	ended   bool         // no more reading: the sequence ended, panicked, or the window is over
	waiting atomic.Int32 // the reader waits to read
	// parked is true while the reader waits for room or for a worker to
	// take a run, and from then until it runs again: only then do the
	// workers read (help), so that a reader at work is not made to wait
	// for the lock, and one woken but not yet run does not leave the
	// workers idle.
	parked atomic.Bool

	// The window: the room of at most size applicants read and not yet
	// yielded, taken by the reading, given back by the loop, keeps memory
	// bounded however fast the applicants come.
	wmu      sync.Mutex
	room     sync.Cond // signalled when there is room, or over is set
	inFlight int
	size     int
	over     bool // ctx is done or the loop stopped

	panicked any // what the sequence panicked with, if it did
}

// readOne reads the next applicant into run, holding mu and the room
// for one applicant (take): it returns false, reading nothing and giving
// the room back, once reading is over, or when run is not empty and does
// not end at the next applicant's place (someone else read meanwhile: a
// run is not continued).
func (s *stream[K]) readOne(run *batchRun[K]) (ok bool) {
	if s.ended || s.ctx.Err() != nil || len(run.as) > 0 && run.i+len(run.as) != s.read {
		s.give(1)
		return false
	}
	returned := false
	defer func() {
		p := recover()
		if p == nil && !returned {
			// The sequence called runtime.Goexit (t.Fatal does), which
			// ends this goroutine: the loop must not end as if the
			// sequence had.
			p = errSequenceExited
		}
		if p != nil { // the loop panics with it
			s.panicked, s.ended, ok = p, true, false
			s.stop()
		}
	}()
	k, a, more := s.next()
	returned = true
	if !more {
		s.ended = true
		s.give(1)
		return false
	}
	if len(run.as) == 0 {
		run.i = s.read
	}
	run.ks, run.as = append(run.ks, k), append(run.as, a)
	s.read++
	return true
}

// errSequenceExited is what the loop over Decisions or KeyedDecisions
// panics with when, with more than one worker, the sequence called
// runtime.Goexit on the goroutine reading it.
var errSequenceExited = errors.New("eligibility: the applicant sequence called runtime.Goexit while a batch read it on a goroutine of its own")

// take takes room for one applicant, waiting for it with wait; false,
// taking none, once the window is over or, without wait, when it is full.
func (s *stream[K]) take(wait bool) bool {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	for wait && !s.over && s.inFlight == s.size {
		s.room.Wait()
	}
	if s.ctx.Err() != nil { // at once, not when context.AfterFunc runs stop
		s.over = true
	}
	if s.over || s.inFlight == s.size {
		return false
	}
	s.inFlight++
	return true
}

// give gives back the room of n applicants.
func (s *stream[K]) give(n int) {
	s.wmu.Lock()
	s.inFlight -= n
	s.wmu.Unlock()
	s.room.Broadcast()
}

// stop ends the window: no more reading.
func (s *stream[K]) stop() {
	s.wmu.Lock()
	s.over = true
	s.wmu.Unlock()
	s.room.Broadcast()
}

// help is a worker's reading when no run is queued: if the reader is
// parked and no one reads, it reads a run of its own, up to batchChunk and
// as many as the window has room for without waiting, stopping early when
// the reader waits to read. It returns the run, empty when it read none.
func (s *stream[K]) help() batchRun[K] {
	if !s.parked.Load() || !s.mu.TryLock() {
		return batchRun[K]{}
	}
	defer s.mu.Unlock()
	run := newRun[K]()
	for len(run.as) < batchChunk && s.waiting.Load() == 0 && s.take(false) && s.readOne(&run) {
	}
	return run
}

// decisions runs KeyedDecisions on cfg.workers goroutines, the caller's
// one of them. A reader goroutine reads the applicants (an iterator may
// read and decode files, which then overlaps with the deciding) into runs
// and queues them: a full run while runs are queued, what it has read when
// none is. A worker that finds no run queued while the reader is parked
// (waiting, or woken and not yet run) reads a run itself (help), so that
// no CPU idles while the reader waits to be run. The other workers hand
// their results to the caller's goroutine, which yields them in input
// order and decides runs of its own whenever it has none to yield: it
// waits only when there is nothing to decide, and a run of applicants
// costs two messages at most.
func decisions[K, T any](ctx context.Context, e *engine, applicants iter.Seq2[K, *T], cfg *evalConfig, yield func(K, Result) bool) {
	pull, stopPull := iter.Pull2(applicants)
	s := &stream[K]{
		ctx: ctx,
		next: func() (K, unsafe.Pointer, bool) {
			k, a, ok := pull()
			return k, unsafe.Pointer(a), ok
		},
		// A run per worker being decided, one queued, and one whose
		// results wait for the caller's goroutine, which yields them
		// between runs of its own: with two, the reader waited for room.
		size: 3 * batchChunk * cfg.workers,
	}
	s.room.L = &s.wmu
	s.parked.Store(true)                          // until the reader runs
	stopReading := context.AfterFunc(ctx, s.stop) // ctx done: no more reading
	defer stopReading()
	var quit atomic.Bool // the loop stopped: the workers drop what is queued
	runs := make(chan batchRun[K], cfg.workers)
	// The reader and the workers but one: the caller's goroutine is a
	// worker too, between the results it yields.
	var goroutines sync.WaitGroup
	goroutines.Add(cfg.workers)
	go func() { // the reader
		defer goroutines.Done()
		defer close(runs)
		queue := func(run batchRun[K]) {
			select {
			case runs <- run:
			default:
				s.parked.Store(true)
				runs <- run
				s.parked.Store(false)
			}
		}
		s.parked.Store(false) // running
		run := newRun[K]()
		for {
			// Room first, so that no one waits to read while the
			// reader waits for room; and before it waits, the run it
			// has read is queued: the room may come back only once that
			// run's results are yielded.
			room := s.take(false)
			if !room {
				if len(run.as) > 0 {
					queue(run)
					run = newRun[K]()
				}
				s.parked.Store(true)
				room = s.take(true)
				s.parked.Store(false)
			}
			s.waiting.Add(1)
			s.mu.Lock()
			s.waiting.Add(-1)
			more := room && s.readOne(&run)
			if !room {
				s.ended = true
			}
			ended := s.ended
			s.mu.Unlock()
			if len(run.as) > 0 && (!more || len(run.as) == batchChunk || len(runs) == 0) {
				queue(run) // every applicant read is queued, so that the loop yields it
				run = newRun[K]()
			}
			if !more && ended {
				return
			}
		}
	}()
	decide := func(run batchRun[K]) batchRun[K] {
		run.res = make([]Result, len(run.as))
		for n, a := range run.as {
			run.res[n] = e.evaluateOne(ctx, a, cfg)
		}
		return run
	}
	// own takes a run to decide without waiting: a queued one, else one
	// read (help); ok is false when there is none, and open false once the
	// reader is done and nothing is queued.
	own := func() (run batchRun[K], ok, open bool) {
		select {
		case run, open = <-runs:
			return run, open, open
		default:
			run = s.help()
			return run, len(run.as) > 0, true
		}
	}
	done := make(chan batchRun[K], cfg.workers)
	failed := guard.First{Exited: errWorkerExited} // a worker's panic, or its runtime.Goexit
	for range cfg.workers - 1 {
		go func() {
			defer goroutines.Done()
			failed.Run(func() {
				for {
					run, ok, open := own()
					if !open {
						return
					}
					if !ok {
						if run, open = <-runs; !open {
							return
						}
					}
					if quit.Load() {
						continue
					}
					// Every run is answered, so that the loop yields
					// every applicant read, in order.
					done <- decide(run)
				}
			})
			if failed.Stopped() { // the loop stops, the others drop their runs
				quit.Store(true)
				s.stop()
				for range runs { // and this goroutine lets the reader finish
				}
			}
		}()
	}
	go func() {
		goroutines.Wait()
		close(done)
	}()
	defer func() {
		quit.Store(true)
		s.stop()
		for range runs { // let the reader finish and exit
		}
		for range done { // and the workers
		}
		stopPull() // no one reads any more
		if s.panicked != nil {
			panic(s.panicked)
		}
		failed.Repanic()
	}()
	// The caller's goroutine takes the others' results as they come, yields
	// them in order, and decides a run of its own whenever it has nothing
	// to yield, so that it waits only when there is nothing to decide.
	pending := map[int]batchRun[K]{}
	next := 0                  // the place of the next applicant to yield
	open, others := true, true // runs may come; the others may answer
	for (open || others || len(pending) > 0) && !failed.Stopped() {
		// The others' results, without waiting.
		for others {
			select {
			case run, ok := <-done:
				if !ok {
					others = false
					break
				}
				pending[run.i] = run
				continue
			default:
			}
			break
		}
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			for n := range r.res {
				if !yield(r.ks[n], r.res[n]) {
					return
				}
			}
			next += len(r.res)
			s.give(len(r.res))
		}
		if open {
			run, ok, more := own()
			if ok {
				pending[run.i] = decide(run)
				continue
			}
			open = more
		}
		// Nothing to decide: wait for a run or a result.
		in, out := runs, done
		if !open {
			in = nil
		}
		if !others {
			out = nil
		}
		if in == nil && out == nil {
			break
		}
		select {
		case run, ok := <-in:
			if !ok {
				open = false
				continue
			}
			pending[run.i] = decide(run)
		case run, ok := <-out:
			if !ok {
				others = false
				continue
			}
			pending[run.i] = run
		}
	}
}
