// Package guard carries a panic, or a runtime.Goexit, from a goroutine a
// batch started to the goroutine of the batch's caller: the code a batch
// runs is partly the caller's (an observer, a Validate method, the
// sequence of applicants), and a panic on a goroutine of the batch's own
// would end the process where the caller could not recover it.
package guard

import (
	"sync"
	"sync/atomic"
)

// First records what the first of a batch's goroutines to fail panicked
// with, and stops the batch. Its zero value is ready to use; Exited is the
// value it records for a goroutine that called runtime.Goexit, and
// OnFail, if set, runs once, when the first failure is recorded (to cancel
// a context, say). It is safe for concurrent use.
type First struct {
	Exited any
	OnFail func()

	mu   sync.Mutex
	v    any
	stop atomic.Bool
}

// Run runs f, recording a panic of f's (or its runtime.Goexit, as Exited)
// rather than letting it end the goroutine unseen.
func (p *First) Run(f func()) {
	returned := false
	defer func() {
		if returned {
			return
		}
		v := recover()
		if v == nil {
			v = p.Exited
		}
		p.set(v)
	}()
	f()
	returned = true
}

// RunOwn runs f on the caller's goroutine: a panic or runtime.Goexit of
// f's goes on as it is, the caller's own, and stops the batch.
func (p *First) RunOwn(f func()) {
	returned := false
	defer func() {
		if !returned {
			p.stopBatch()
		}
	}()
	f()
	returned = true
}

// set records v unless a failure was recorded first, and stops the batch.
func (p *First) set(v any) {
	p.mu.Lock()
	if p.v == nil {
		p.v = v
	}
	p.mu.Unlock()
	p.stopBatch()
}

// stopBatch marks the batch stopped, calling OnFail the first time.
func (p *First) stopBatch() {
	if !p.stop.Swap(true) && p.OnFail != nil {
		p.OnFail()
	}
}

// Stopped reports whether a goroutine failed, or the caller's stopped
// deciding (RunOwn).
func (p *First) Stopped() bool { return p.stop.Load() }

// Repanic panics with the value recorded, if any: on the caller's
// goroutine, once the batch's goroutines have stopped.
func (p *First) Repanic() {
	p.mu.Lock()
	v := p.v
	p.mu.Unlock()
	if v != nil {
		panic(v)
	}
}
