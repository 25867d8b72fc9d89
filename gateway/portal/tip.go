package portal

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// DefaultMaxLag is how old the portal's last proof that its index holds
// every block of the ledger may be for a verification by hash to be
// answered from the index (WithMaxLag).
const DefaultMaxLag = 3 * time.Second

// tip is the last proof that the index was current: at At the ledger's
// height was at most Block+1, and the index held every block up to Block.
type tip struct {
	mu    sync.Mutex
	block uint64
	at    time.Time
}

// WithMaxLag sets how old the proof that the index is current may be for a
// verification by hash to be answered from it (default DefaultMaxLag).
func WithMaxLag(d time.Duration) Option {
	return func(s *Server) error {
		if d <= 0 {
			return fmt.Errorf("max lag must be positive")
		}
		s.maxLag = d
		return nil
	}
}

// CheckTip reads the ledger's height, then the index's checkpoint; when
// the index holds every block the ledger had, it records that the index
// was current at the time the height was asked for. An index behind the
// ledger leaves the last proof as it was, to age.
func (s *Server) CheckTip(ctx context.Context) error {
	asked := s.now()
	height, err := s.ledger.Height(ctx)
	if err != nil {
		return fmt.Errorf("read ledger height: %w", err)
	}
	next, err := s.index.NextBlock(ctx)
	if err != nil {
		return err
	}
	if height == 0 || next < height {
		return nil
	}
	s.tip.mu.Lock()
	defer s.tip.mu.Unlock()
	if asked.After(s.tip.at) {
		s.tip.block, s.tip.at = next-1, asked
	}
	return nil
}

// FollowTip calls CheckTip every interval until ctx ends: one small query
// to the ledger per interval, however many citizens verify. A failure is
// logged when it starts and when it ends, not every interval.
func (s *Server) FollowTip(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	failing := false
	for {
		err := s.CheckTip(ctx)
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			s.log.Warn("cannot check the index against the ledger; verification by hash asks the ledger meanwhile", "err", err)
			failing = true
		case err == nil && failing:
			s.log.Info("index checked against the ledger again")
			failing = false
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// current returns the block the index is current to and when that was
// last proved, and whether that proof is recent enough to answer from.
func (s *Server) current() (uint64, time.Time, bool) {
	s.tip.mu.Lock()
	defer s.tip.mu.Unlock()
	if s.tip.at.IsZero() {
		return 0, time.Time{}, false
	}
	return s.tip.block, s.tip.at, s.now().Sub(s.tip.at) <= s.maxLag
}
