package fast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"unsafe"
)

// The meter bounds the work of an expression run: the steps it takes and
// the bytes of text it builds, and it notices that the run's context is
// done. Both evaluators count with one: the fast one in its closures (see
// Frame.step), expr's VM through the metering functions that
// rules/internal/compile patches into its programs (meter.go there), which
// reach the run's meter through the environment (MeterAt).

// checkEvery is how many steps pass between two looks at the context.
const checkEvery = 1024

// Meter counts the steps and text bytes of one expression run against
// their budgets, and notices that the run's context is done. Counting a
// step is a decrement of left; the rest happens at checkpoints. The zero
// Meter has no budget; Reset gives it one.
type Meter struct {
	left   int // steps before the next checkpoint
	chunk  int // what left started from after the last checkpoint
	used   int // steps of this expression run before that checkpoint
	budget int // steps per expression run
	bytes  uint
	memory uint // bytes of text per expression run (the memory budget)
	ctx    context.Context
	done   <-chan struct{}
	err    error // ctx's error, once seen: every later step fails with it
}

var (
	// ErrSteps is what an expression run over its step budget fails with.
	ErrSteps = errors.New("step budget exceeded")
	// ErrText is what an expression run over its memory budget for text
	// fails with.
	ErrText = errors.New("memory budget exceeded")
)

// Unbounded returns a meter without budgets.
func Unbounded() *Meter { return &Meter{budget: math.MaxInt, memory: math.MaxUint} }

// Reset prepares the meter for a run of a program with these budgets. The
// context stays bound.
func (m *Meter) Reset(steps, memory uint) {
	m.budget, m.memory = int(steps), memory
	m.left, m.chunk, m.used, m.err = 0, 0, 0, nil
}

// SetContext binds ctx to the meter; nil unbinds it.
func (m *Meter) SetContext(ctx context.Context) {
	m.ctx, m.done, m.err = ctx, nil, nil
	if ctx != nil {
		m.done = ctx.Done()
	}
}

// Err is the error of the bound context once a checkpoint has seen it
// done, else nil.
func (m *Meter) Err() error { return m.err }

// Budget is the step budget of an expression run.
func (m *Meter) Budget() int { return m.budget }

// Memory is the memory budget of an expression run, in bytes of text.
func (m *Meter) Memory() uint { return m.memory }

// Start begins an expression run. The countdown to the next look at the
// context carries over from the previous run, so that runs of a few steps
// each still look now and then.
func (m *Meter) Start() {
	if m.left <= 0 || m.left > m.budget {
		m.left = min(m.budget, checkEvery)
	}
	m.chunk, m.used, m.bytes = m.left, 0, 0
}

// Step counts one step.
func (m *Meter) Step() error {
	m.left--
	if m.left < 0 {
		return m.Checkpoint()
	}
	return nil
}

// Charge counts n steps.
func (m *Meter) Charge(n int) error {
	m.left -= n
	if m.left < 0 {
		return m.Checkpoint()
	}
	return nil
}

// Checkpoint looks at the context and the budget once left has run out.
func (m *Meter) Checkpoint() error {
	if m.err != nil {
		return m.err
	}
	m.used += m.chunk - m.left
	if m.done != nil {
		select {
		case <-m.done:
			m.err = fmt.Errorf("evaluation stopped: %w", m.ctx.Err())
			return m.err
		default:
		}
	}
	rest := m.budget - m.used
	if rest < 0 {
		m.left, m.chunk = 0, 0
		return ErrSteps
	}
	m.left = min(rest, checkEvery)
	m.chunk = m.left
	return nil
}

// Grow counts n bytes of text built.
func (m *Meter) Grow(n int) error {
	m.bytes += uint(n)
	if m.bytes > m.memory {
		return ErrText
	}
	return nil
}

// MeterAt reads the meter from an expression environment: env holds a
// pointer to a struct whose field at offset off is a *Meter.
func MeterAt(env any, off uintptr) *Meter {
	data := (*[2]unsafe.Pointer)(unsafe.Pointer(&env))[1]
	if data == nil {
		return nil
	}
	return *(**Meter)(unsafe.Add(data, off))
}
