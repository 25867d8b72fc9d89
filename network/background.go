package network

import (
	"errors"
	"sync"
)

// task is a part of start-up that runs beside the steps, such as building
// the binaries while the CAs enrol; a later step waits for it.
type task struct {
	done chan struct{}
	err  error
}

// wait returns once the task has ended, with its error.
func (t *task) wait() error {
	<-t.done
	return t.err
}

// tasks are the background parts of one start-up. Start-up waits for all of
// them before it returns, also when a step failed, so none outlives it.
type tasks struct {
	mu  sync.Mutex
	all []*task
}

// start runs f in the background as the part name of n's timeline.
func (ts *tasks) start(n *Network, name string, f func() error) *task {
	t := &task{done: make(chan struct{})}
	ts.mu.Lock()
	ts.all = append(ts.all, t)
	ts.mu.Unlock()
	go func() {
		defer close(t.done)
		t.err = n.timed(name, f)
	}()
	return t
}

// wait waits for every task and joins their errors.
func (ts *tasks) wait() error {
	ts.mu.Lock()
	all := ts.all
	ts.mu.Unlock()
	var errs []error
	for _, t := range all {
		errs = append(errs, t.wait())
	}
	return errors.Join(errs...)
}

// concurrently runs each f at once and joins their errors.
func concurrently(fs ...func() error) error {
	errs := make([]error, len(fs))
	var wg sync.WaitGroup
	for i, f := range fs {
		wg.Go(func() { errs[i] = f() })
	}
	wg.Wait()
	return errors.Join(errs...)
}
