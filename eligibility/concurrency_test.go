package eligibility

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentEvaluate shares one Engine between many goroutines, each
// deciding the same generated applicants (on several dates, some of them
// invalid) in its own order, and requires every decision and error to equal
// the one made sequentially. Run it under -race: it also shows that
// Evaluate neither writes to the Engine nor to the applicant.
func TestConcurrentEvaluate(t *testing.T) {
	e := actoEngine(t)
	ctx := context.Background()
	const n, workers = 199, 8 // n prime: every worker order is a permutation
	type job struct {
		a    *Applicant
		opts []EvalOption
		want []byte // the decision as JSON, or the error's text
	}
	jobs := make([]job, n)
	for i := range jobs {
		a, asOf := oracleApplicantNoLater(propSeed+2, i)
		if i%25 == 0 {
			a.CPD = append(a.CPD, CPD{Hours: -1}) // invalid: an error, also under load
		}
		jobs[i] = job{a: a, opts: []EvalOption{AsOf(asOf)}}
	}
	outcome := func(j *job) []byte {
		d, err := e.Evaluate(ctx, j.a, j.opts...)
		if err != nil {
			return []byte("error: " + err.Error())
		}
		_ = d.Text()
		out, err := json.Marshal(d)
		if err != nil {
			return []byte("marshal: " + err.Error())
		}
		return out
	}
	for i := range jobs {
		jobs[i].want = outcome(&jobs[i])
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range n {
				i := (k*(2*w+1) + w) % n // each worker its own order
				if got := outcome(&jobs[i]); !bytes.Equal(got, jobs[i].want) {
					errs <- fmt.Errorf("worker %d, applicant %d: concurrent decision differs\nwant %s\n got %s", w, i, jobs[i].want, got)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
