package server

import (
	"sync"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/gateway/config"
)

// subscriptionLimits counts the event subscriptions being served, per
// gateway, per caller and for replays (each of which reads past blocks from
// the peer, one call at a time), so that no caller can use up the peer's
// Gateway concurrency slots, its disk reads or the gateway's memory.
type subscriptionLimits struct {
	cfg config.Events

	mu        sync.Mutex
	total     int
	replays   int
	perCaller map[string]int
}

func newSubscriptionLimits(cfg config.Events) *subscriptionLimits {
	return &subscriptionLimits{cfg: cfg, perCaller: map[string]int{}}
}

// acquire counts one more subscription of caller, or refuses it with
// ResourceExhausted naming the limit reached. release gives it back; calling
// it again does nothing.
func (l *subscriptionLimits) acquire(caller string, replay bool) (release func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.perCaller[caller] >= l.cfg.MaxPerCaller:
		return nil, status.Errorf(codes.ResourceExhausted,
			"you already hold %d event subscriptions on this gateway (events.maxPerCaller); close one before opening another", l.perCaller[caller])
	case l.total >= l.cfg.MaxSubscriptions:
		return nil, status.Errorf(codes.ResourceExhausted,
			"this gateway already serves %d event subscriptions (events.maxSubscriptions); retry in a moment", l.total)
	case replay && l.replays >= l.cfg.MaxReplays:
		return nil, status.Errorf(codes.ResourceExhausted,
			"this gateway already replays %d subscriptions from past blocks (events.maxReplays); retry in a moment, or subscribe to new events only", l.replays)
	}
	l.total++
	l.perCaller[caller]++
	if replay {
		l.replays++
	}
	var once sync.Once
	return func() { once.Do(func() { l.release(caller, replay) }) }, nil
}

func (l *subscriptionLimits) release(caller string, replay bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if replay {
		l.replays--
	}
	if l.perCaller[caller]--; l.perCaller[caller] == 0 {
		delete(l.perCaller, caller)
	}
}
