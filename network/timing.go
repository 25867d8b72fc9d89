package network

import (
	"slices"
	"sync"
	"time"
)

// Timing is one phase of the last Up (or join): its name, when it began
// after Up began, and how long it took. Phases of different
// administrations, or of independent work, overlap; the critical path is
// what ends last.
type Timing struct {
	Name     string
	Start    time.Duration
	Duration time.Duration
}

// End is when the phase ended, after Up began.
func (t Timing) End() time.Duration { return t.Start + t.Duration }

// timeline records the phases of one Up, from any goroutine.
type timeline struct {
	mu     sync.Mutex
	began  time.Time
	phases []Timing
}

// reset starts a new timeline at now.
func (tl *timeline) reset() {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tl.began, tl.phases = time.Now(), nil
}

func (tl *timeline) record(name string, start time.Time, d time.Duration) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if tl.began.IsZero() {
		tl.began = start
	}
	tl.phases = append(tl.phases, Timing{Name: name, Start: start.Sub(tl.began), Duration: d})
}

// Timings are the phases of the network's last Up, in the order they
// began; steps (the lines Up prints) and their parts (per administration,
// per node) alike.
func (n *Network) Timings() []Timing {
	n.timeline.mu.Lock()
	defer n.timeline.mu.Unlock()
	out := slices.Clone(n.timeline.phases)
	slices.SortStableFunc(out, func(a, b Timing) int { return int(a.Start - b.Start) })
	return out
}

// timed runs f as a part of a step and records how long it took, whether or
// not it succeeded.
func (n *Network) timed(name string, f func() error) error {
	t := time.Now()
	err := f()
	n.timeline.record(name, t, time.Since(t))
	return err
}
