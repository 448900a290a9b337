package guard

import (
	"runtime"
	"sync"
	"testing"
)

// TestFirst: the first failure of several goroutines is the one Repanic
// panics with; runtime.Goexit is recorded as Exited; OnFail runs once; a
// batch with no failure neither stops nor panics.
func TestFirst(t *testing.T) {
	calls := 0
	p := First{Exited: "exited", OnFail: func() { calls++ }}
	p.Run(func() {})
	if p.Stopped() {
		t.Fatal("stopped with no failure")
	}
	p.Repanic() // nothing recorded: no panic
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.Run(func() { panic("first") })
	}()
	wg.Wait()
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.Run(func() { runtime.Goexit() })
	}()
	wg.Wait()
	if !p.Stopped() || calls != 1 {
		t.Fatalf("stopped %v, OnFail called %d times", p.Stopped(), calls)
	}
	if got := recovered(p.Repanic); got != "first" {
		t.Errorf("Repanic panicked with %v, want the first failure", got)
	}

	q := First{Exited: "exited"}
	wg.Add(1)
	go func() {
		defer wg.Done()
		q.Run(func() { runtime.Goexit() })
	}()
	wg.Wait()
	if got := recovered(q.Repanic); got != "exited" {
		t.Errorf("after Goexit, Repanic panicked with %v, want Exited", got)
	}

	r := First{}
	if got := recovered(func() { r.RunOwn(func() { panic("own") }) }); got != "own" || !r.Stopped() {
		t.Errorf("RunOwn: %v, stopped %v; want the panic to go on and the batch stopped", got, r.Stopped())
	}
}

func recovered(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}
