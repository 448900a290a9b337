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
// result, and what happens when ctx is done or the loop stops early.
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
// when a worker waits for applicants (the reader hands over what it has).
const batchChunk = 8

// batchJob is a run of applicants, read one after another, for a worker.
type batchJob[K any] struct {
	i  int // the first applicant's place in the sequence
	ks []K
	as []unsafe.Pointer
}

// batchDone is a job's results, in its order.
type batchDone[K any] struct {
	i   int
	ks  []K
	res []Result
}

// decisions runs KeyedDecisions on cfg.workers goroutines. A reader
// goroutine reads the applicants (an iterator may read and decode files)
// into a short queue; the caller's goroutine takes them from it, hands
// them to the workers in runs (batchJob), and yields the results in
// input order as they come back. One goroutine coordinates, so that no
// worker waits on a hand-over between two others, and reading overlaps
// with the caller's work on the results.
func decisions[K, T any](parent context.Context, e *engine, applicants iter.Seq2[K, *T], cfg *evalConfig, yield func(K, Result) bool) {
	ctx, cancel := context.WithCancel(parent)
	type item struct {
		k K
		a unsafe.Pointer
	}
	// A window of applicants read and not yet yielded keeps memory
	// bounded however fast the applicants come: the reader takes a slot
	// for each applicant it reads, the loop gives it back when it yields
	// the applicant's result.
	window := 2 * batchChunk * cfg.workers
	slots := make(chan struct{}, window)
	items := make(chan item, batchChunk)
	var reader sync.WaitGroup
	reader.Add(1)
	go func() {
		defer reader.Done()
		defer close(items)
		for k, a := range applicants {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			items <- item{k, unsafe.Pointer(a)} // the loop takes what is queued, or drains it when it stops
		}
	}()
	// Unbuffered: a job is handed over only to a worker ready for it, so
	// that a waiting worker gets what has been read (a run shorter than
	// batchChunk) and busy ones leave the reading to go on.
	jobs := make(chan batchJob[K])
	done := make(chan batchDone[K], cfg.workers)
	var workers sync.WaitGroup
	for range cfg.workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for j := range jobs {
				// Every job is answered, so that the loop yields every
				// applicant read, in order.
				res := make([]Result, len(j.as))
				for n, a := range j.as {
					res[n] = e.evaluateOne(parent, a, cfg)
				}
				done <- batchDone[K]{j.i, j.ks, res}
			}
		}()
	}
	defer func() {
		cancel()
		close(jobs)
		for range items { // let the reader finish
		}
		reader.Wait()
		go func() {
			workers.Wait()
			close(done)
		}()
		for range done { // let the workers finish and exit
		}
	}()
	inFlight, next, i := 0, 0, 0 // applicants taken from the queue and not yet yielded
	pending := map[int]batchDone[K]{}
	job := batchJob[K]{}
	read := false // the reader is done
	for !read || inFlight > 0 {
		in := items
		if read || len(job.as) == batchChunk {
			in = nil
		}
		var out chan batchJob[K]
		if len(job.as) > 0 {
			out = jobs
		}
		select {
		case it, ok := <-in:
			if !ok { // every applicant read (or ctx done: the reader stops)
				read = true
				continue
			}
			if job.as == nil {
				job = batchJob[K]{i: i, ks: make([]K, 0, batchChunk), as: make([]unsafe.Pointer, 0, batchChunk)}
			}
			job.ks, job.as = append(job.ks, it.k), append(job.as, it.a)
			i++
			inFlight++
		case out <- job:
			job = batchJob[K]{}
		case d := <-done:
			pending[d.i] = d
			for {
				r, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				for n := range r.res {
					inFlight--
					<-slots
					if !yield(r.ks[n], r.res[n]) {
						return
					}
				}
				next += len(r.res)
			}
		}
	}
}
