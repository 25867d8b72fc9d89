package server

import (
	"context"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// A replay (start_block in the past, or a checkpoint) holds no peer stream
// of its own: a cancelled chaincode-events stream keeps one of the peer's
// Gateway slots until the next block with events commits, so a caller who
// opened and cancelled replays in a loop could use them all up. Instead it
// joins the hub first (which then buffers the new events for it), reads the
// past blocks one at a time with calls that finish, up to the block of the
// hub's first buffered event or the ledger height, and then continues on the
// hub, skipping what it has replayed already.

// serveReplay streams events from a past block, after checking that the
// block is on the ledger.
func (e *eventService) serveReplay(ctx context.Context, u *fabric.User, req *apiv1.SubscribeRequest, stream apiv1.EventService_SubscribeServer) error {
	height, err := e.checkStart(ctx, u, req)
	if err != nil {
		return err
	}
	r := &replay{e: e, u: u, types: req.Types, hubTypes: req.Types, stream: stream, cur: replayCursor{next: req.StartBlock}}
	if req.After != nil {
		r.cur = replayCursor{next: req.After.BlockNumber, afterBlock: req.After.BlockNumber, afterTx: req.After.TransactionId}
		if req.After.BlockNumber >= height {
			// The checkpoint's block will come from the hub, which must then
			// give every event of it, to find the checkpointed transaction.
			r.hubTypes = nil
		}
	}
	if err := r.join(ctx); err != nil {
		return err
	}
	defer func() { e.hub.unsubscribe(r.sub) }()
	err = r.run(ctx)
	for _, c := range []context.Context{stream.Context(), ctx} {
		if c.Err() != nil {
			return status.FromContextError(c.Err()).Err() // whatever call noticed it first
		}
	}
	return err
}

// replay is one replaying subscription.
type replay struct {
	e        *eventService
	u        *fabric.User
	types    []string // what the subscriber wants
	hubTypes []string // what it asks of the hub
	stream   apiv1.EventService_SubscribeServer
	cur      replayCursor

	sub     *liveSubscription
	height  uint64                 // read after sub joined the hub
	end     uint64                 // replay the blocks before this one
	pending *client.ChaincodeEvent // the hub's first event for sub, held back
}

// join subscribes to the hub and then reads the height: every block from
// there on reaches sub through the hub, so the replay ends there at the
// latest.
func (r *replay) join(ctx context.Context) error {
	sub, err := r.e.hub.subscribe(r.u, r.hubTypes)
	if err != nil {
		return toStatus(err)
	}
	r.sub, r.pending = sub, nil
	if r.height, err = r.e.height(ctx, r.u); err != nil {
		return err
	}
	r.end = r.until(r.height)
	return nil
}

// until is where the replay may end given block: there, unless the
// checkpoint's block is on the ledger and not yet replayed, which the replay
// reads itself since the hub may have filtered the checkpointed event out.
func (r *replay) until(block uint64) uint64 {
	end := min(block, r.height)
	if r.cur.afterTx != "" && r.cur.afterBlock < r.height {
		end = max(end, r.cur.afterBlock+1)
	}
	return end
}

// maxRejoins is how many times in a row the hub may drop a replay, with no
// block replayed in between, before the replay gives up with Unavailable.
const maxRejoins = 5

// run replays the blocks before end, then continues on the hub.
func (r *replay) run(ctx context.Context) error {
	rejoins := 0
	for {
		select {
		case <-ctx.Done():
			return status.FromContextError(ctx.Err()).Err()
		case <-r.sub.done:
			// The hub dropped sub while the past was replayed (its buffer
			// filled, or the peer ended the shared stream): join again, after
			// a pause that grows if it keeps happening, and replay the blocks
			// it would have given.
			r.e.hub.unsubscribe(r.sub)
			if rejoins++; rejoins > maxRejoins {
				return status.Error(codes.Unavailable, "the peer's event stream keeps ending; resume from the last checkpoint in a moment")
			}
			select {
			case <-ctx.Done():
				return status.FromContextError(ctx.Err()).Err()
			case <-time.After(time.Duration(1<<rejoins) * 50 * time.Millisecond):
			}
			if err := r.join(ctx); err != nil {
				return err
			}
			continue
		default:
		}
		if r.cur.next >= r.end {
			return r.live(ctx)
		}
		if r.pending == nil {
			select {
			case ev := <-r.sub.events:
				r.pending, r.end = ev, r.until(ev.BlockNumber)
				continue
			default:
			}
		}
		if err := r.replayBlock(ctx, r.cur.next); err != nil {
			return err
		}
		rejoins = 0
	}
}

// replayBlock gives the events of block n.
func (r *replay) replayBlock(ctx context.Context, n uint64) error {
	events, err := r.e.ledger.BlockEvents(ctx, r.u, n)
	if err != nil {
		return toStatus(err)
	}
	for _, ev := range events {
		if err := r.give(ev); err != nil {
			return err
		}
	}
	return r.cur.replayed(n)
}

// live gives the hub's events, starting with the one held back, skipping the
// blocks replayed.
func (r *replay) live(ctx context.Context) error {
	if r.pending != nil {
		if err := r.fromHub(r.pending); err != nil {
			return err
		}
	}
	for {
		select {
		case <-ctx.Done():
			return status.FromContextError(ctx.Err()).Err()
		case <-r.sub.done:
			return r.sub.err
		case ev := <-r.sub.events:
			if err := r.fromHub(ev); err != nil {
				return err
			}
		}
	}
}

func (r *replay) fromHub(ev *client.ChaincodeEvent) error {
	if ev.BlockNumber < r.cur.next {
		return nil // replayed already
	}
	return r.give(ev)
}

// give sends ev if it comes after the checkpoint and is wanted.
func (r *replay) give(ev *client.ChaincodeEvent) error {
	if ok, err := r.cur.admit(ev); !ok || err != nil {
		return err
	}
	if !wanted(r.types, ev.EventName) {
		return nil
	}
	return r.stream.Send(toEvent(ev))
}

// replayCursor is how far a replay has come: the next block to read, and
// the checkpointed transaction still to pass in its block.
type replayCursor struct {
	next       uint64
	afterBlock uint64
	afterTx    string // "" without a checkpoint, or once passed
}

// admit reports whether ev comes after the checkpoint, passing it when ev is
// the checkpointed transaction's event.
func (c *replayCursor) admit(ev *client.ChaincodeEvent) (bool, error) {
	switch {
	case c.afterTx == "" || ev.BlockNumber < c.afterBlock:
		return c.afterTx == "", nil
	case ev.BlockNumber == c.afterBlock:
		if ev.TransactionID == c.afterTx {
			c.afterTx = ""
		}
		return false, nil
	default:
		return false, c.missing()
	}
}

// replayed records that block n has been given.
func (c *replayCursor) replayed(n uint64) error {
	c.next = n + 1
	if c.afterTx != "" && n >= c.afterBlock {
		return c.missing()
	}
	return nil
}

func (c *replayCursor) missing() error {
	return status.Errorf(codes.InvalidArgument,
		"after: block %d has no event of transaction %s; resume from the checkpoint of an event received, or use start_block",
		c.afterBlock, c.afterTx)
}
