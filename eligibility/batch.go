package eligibility

import (
	"context"
	"iter"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// Result is one applicant's outcome in a batch: its decision, or the error
// that left it without one (as Evaluate would return it).
type Result struct {
	Decision *Decision // the applicant's decision; nil when Err is set
	Err      error     // why there is no decision, e.g. an *InputError or ctx's error; else nil
}

// Workers sets how many goroutines EvaluateAll, Decisions and
// KeyedDecisions evaluate on: n < 1 means runtime.GOMAXPROCS(0), the
// default. It is no [EvalOption]: Evaluate decides on its caller's
// goroutine.
func Workers(n int) BatchOption { return workersOption(n) }

type workersOption int

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
	if cfg.dateErr != nil {
		return Result{Err: cfg.dateErr}
	}
	if err := ctx.Err(); err != nil {
		return Result{Err: err}
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
func (e *EngineOf[T]) EvaluateAll(ctx context.Context, applicants []*T, opts ...BatchOption) []Result {
	cfg := e.batchConfig(opts)
	out := make([]Result, len(applicants))
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(applicants) {
				return
			}
			out[i] = e.evaluateOne(ctx, unsafe.Pointer(applicants[i]), &cfg)
		}
	}
	workers := min(cfg.workers, len(applicants))
	if workers <= 1 {
		work()
		return out
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	wg.Wait()
	return out
}

// Decisions decides the applicants of a sequence as it is read, on all
// cores (see Workers), and yields each one's index in the sequence and its
// result, in input order. It holds only the decisions in flight, at most
// 16 per worker, so it suits batches of any size. As with EvaluateAll, an
// applicant's error is its result's and all are decided on one date.
//
// With more than one worker, the workers read the sequence themselves, one
// at a time and never two at once, each a run of up to 8 applicants. A
// panic in the sequence stops the workers, and the loop over Decisions
// then panics with the same value on the caller's goroutine.
//
// When ctx is done, Decisions stops reading applicants; those already read
// are still yielded, with ctx's error when they were not decided. When the
// loop over Decisions stops early, Decisions stops reading and evaluating
// and returns once its goroutines have.
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
		if cfg.workers <= 1 {
			for k, a := range applicants {
				if ctx.Err() != nil {
					return
				}
				if !yield(k, e.evaluateOne(ctx, unsafe.Pointer(a), &cfg)) {
					return
				}
			}
			return
		}
		decisions(ctx, &e.engine, applicants, &cfg, yield)
	}
}

// batchChunk is how many applicants a worker takes at once, at most: a
// handful, so that workers and the loop hand over few messages; fewer
// when another worker waits to read (the reader then lets it read).
const batchChunk = 8

// batchDone is a run of applicants a worker read one after another, and
// their results, in its order.
type batchDone[K any] struct {
	i   int // the first applicant's place in the sequence
	ks  []K
	as  []unsafe.Pointer
	res []Result
}

// stream is the state the workers of decisions share: the sequence, read
// by one worker at a time, and the window of applicants read and not yet
// yielded.
type stream[K any] struct {
	next func() (K, unsafe.Pointer, bool) // the sequence, pulled
	ctx  context.Context

	mu   sync.Mutex
	room sync.Cond // signalled when the window has room, or over is set
	// inFlight counts the applicants read and not yet yielded: a window
	// of them, at most, keeps memory bounded however fast they come.
	inFlight, window int
	read             int  // applicants read so far: the next one's place
	over             bool // no more reading: the sequence ended, ctx is done, or the loop stopped
	panicked         any  // what the sequence panicked with, if it did
	// waiting counts the workers waiting to read, so that a worker reading
	// a run stops at what it has when another is idle: with a slow
	// sequence, workers then share what is read rather than one of them
	// waiting for a whole run.
	waiting atomic.Int32
}

// take reads the next run of applicants into d, up to batchChunk of them
// and as many as the window has room for, waiting for room if it has
// none; it returns false, having read nothing, once reading is over.
func (s *stream[K]) take(d *batchDone[K]) (ok bool) {
	s.waiting.Add(1)
	s.mu.Lock()
	s.waiting.Add(-1)
	defer s.mu.Unlock()
	defer func() {
		if p := recover(); p != nil { // the sequence panicked: the loop panics with it
			s.panicked, s.over, ok = p, true, false
			s.room.Broadcast()
		}
	}()
	for !s.over && s.inFlight == s.window {
		s.room.Wait()
	}
	d.i = s.read
	for !s.over && s.inFlight < s.window && len(d.as) < batchChunk {
		if s.ctx.Err() != nil {
			s.over = true
			break
		}
		k, a, more := s.next()
		if !more {
			s.over = true
			break
		}
		d.ks, d.as = append(d.ks, k), append(d.as, a)
		s.read++
		s.inFlight++
		if s.waiting.Load() > 0 {
			break
		}
	}
	if s.over {
		s.room.Broadcast() // the workers waiting for room stop
	}
	return len(d.as) > 0
}

// yielded gives the window back the room of n applicants yielded.
func (s *stream[K]) yielded(n int) {
	s.mu.Lock()
	s.inFlight -= n
	s.mu.Unlock()
	s.room.Broadcast()
}

// stop ends the reading.
func (s *stream[K]) stop() {
	s.mu.Lock()
	s.over = true
	s.mu.Unlock()
	s.room.Broadcast()
}

// decisions runs KeyedDecisions on cfg.workers goroutines. The workers
// read the applicants themselves, one at a time, a run each (take: an
// iterator may read and decode files, and that reading then overlaps
// with the deciding of the others and with the caller's work on the
// results); each decides its run and hands it back to the caller's
// goroutine, which yields the results in input order. A worker's hand-over
// is one message per run, and no goroutine but the workers and the
// caller's takes part.
func decisions[K, T any](ctx context.Context, e *engine, applicants iter.Seq2[K, *T], cfg *evalConfig, yield func(K, Result) bool) {
	pull, stopPull := iter.Pull2(applicants)
	s := &stream[K]{
		next: func() (K, unsafe.Pointer, bool) {
			k, a, ok := pull()
			return k, unsafe.Pointer(a), ok
		},
		ctx:    ctx,
		window: 2 * batchChunk * cfg.workers,
	}
	s.room.L = &s.mu
	done := make(chan batchDone[K], cfg.workers)
	var workers sync.WaitGroup
	for range cfg.workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for {
				d := batchDone[K]{ks: make([]K, 0, batchChunk), as: make([]unsafe.Pointer, 0, batchChunk)}
				if !s.take(&d) {
					return
				}
				// Every run is answered, so that the loop yields every
				// applicant read, in order.
				d.res = make([]Result, len(d.as))
				for n, a := range d.as {
					d.res[n] = e.evaluateOne(ctx, a, cfg)
				}
				done <- d
			}
		}()
	}
	go func() {
		workers.Wait()
		close(done)
	}()
	defer func() {
		s.stop()
		for range done { // let the workers finish and exit
		}
		stopPull() // no worker reads any more
		if s.panicked != nil {
			panic(s.panicked)
		}
	}()
	pending := map[int]batchDone[K]{}
	next := 0 // the place of the next applicant to yield
	for d := range done {
		pending[d.i] = d
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
			s.yielded(len(r.res))
		}
	}
}
