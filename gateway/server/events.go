package server

import (
	"context"
	"strings"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// eventLedger is what EventService needs from Fabric. ChaincodeEvents'
// channel must close once ctx ends, so that a subscriber may stop reading at
// any time (*fabric.Client does this).
type eventLedger interface {
	ChaincodeEvents(ctx context.Context, u *fabric.User, opts ...client.ChaincodeEventsOption) (<-chan *client.ChaincodeEvent, error)
	LedgerHeight(ctx context.Context, u *fabric.User) (uint64, error)
}

// eventService serves EventService: live subscriptions share one peer
// stream through the hub; a replay from a past block has a peer stream of
// its own; the limits bound both.
type eventService struct {
	apiv1.UnimplementedEventServiceServer
	ledger        eventLedger
	hub           *eventHub
	limits        *subscriptionLimits
	heightTimeout time.Duration
}

// newEventService serves events from ledger within the limits of cfg; the
// ledger height is read within heightTimeout.
func newEventService(ledger eventLedger, cfg config.Events, heightTimeout time.Duration) *eventService {
	return &eventService{
		ledger: ledger, hub: newEventHub(ledger, cfg.Buffer, hubLinger),
		limits: newSubscriptionLimits(cfg), heightTimeout: heightTimeout,
	}
}

// Subscribe streams chaincode events of valid transactions. A checkpoint
// (block + transaction id of the last event received) resumes the stream right
// after that event: Fabric Gateway replays the checkpoint's block and skips
// the transactions up to and including the checkpointed one.
func (e *eventService) Subscribe(req *apiv1.SubscribeRequest, stream apiv1.EventService_SubscribeServer) error {
	for i, t := range req.Types {
		if strings.TrimSpace(t) == "" {
			return invalid("types", "entry %d is empty", i)
		}
	}
	if req.After != nil && req.After.TransactionId == "" {
		return invalid("after.transaction_id", "is required with a checkpoint")
	}
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel() // ends the peer stream of a replay, whatever the way out
	u := caller(ctx)
	replay := req.After != nil || req.StartBlock > 0
	release, err := e.limits.acquire(callerKey(u), replay)
	if err != nil {
		return err
	}
	defer release()
	if !replay {
		return e.serveLive(ctx, u, req.Types, stream)
	}
	return e.serveReplay(ctx, u, req, stream)
}

// serveLive streams new events from the hub's shared peer stream.
func (e *eventService) serveLive(ctx context.Context, u *fabric.User, types []string, stream apiv1.EventService_SubscribeServer) error {
	sub, err := e.hub.subscribe(u, types)
	if err != nil {
		return toStatus(err)
	}
	defer e.hub.unsubscribe(sub)
	for {
		select {
		case <-ctx.Done():
			return status.FromContextError(ctx.Err()).Err()
		case <-sub.done:
			return sub.err
		case ev := <-sub.events:
			if err := stream.Send(toEvent(ev)); err != nil {
				return err
			}
		}
	}
}

// serveReplay streams events from a past block on a peer stream of its own,
// after checking that the block is on the ledger: a stream that waits for a
// block far ahead would hold a peer slot for ever.
func (e *eventService) serveReplay(ctx context.Context, u *fabric.User, req *apiv1.SubscribeRequest, stream apiv1.EventService_SubscribeServer) error {
	if err := e.checkStart(ctx, u, req); err != nil {
		return err
	}
	var opts []client.ChaincodeEventsOption
	if req.After != nil {
		cp := new(client.InMemoryCheckpointer)
		cp.CheckpointTransaction(req.After.BlockNumber, req.After.TransactionId)
		opts = append(opts, client.WithCheckpoint(cp))
	} else {
		opts = append(opts, client.WithStartBlock(req.StartBlock))
	}
	events, err := e.ledger.ChaincodeEvents(ctx, u, opts...)
	if err != nil {
		return toStatus(err)
	}
	for {
		select {
		case <-ctx.Done():
			return status.FromContextError(ctx.Err()).Err()
		case ev, ok := <-events:
			if !ok {
				if ctx.Err() != nil {
					return status.FromContextError(ctx.Err()).Err()
				}
				return status.Error(codes.Unavailable, "the peer closed the event stream; resume from the last checkpoint")
			}
			if !wanted(req.Types, ev.EventName) {
				continue
			}
			if err := stream.Send(toEvent(ev)); err != nil {
				return err
			}
		}
	}
}

// checkStart refuses a start block or checkpoint beyond the ledger height:
// the next block to commit (number = height) is the furthest a replay may
// start.
func (e *eventService) checkStart(ctx context.Context, u *fabric.User, req *apiv1.SubscribeRequest) error {
	field, block := "start_block", req.StartBlock
	if req.After != nil {
		field, block = "after.block_number", req.After.BlockNumber
	}
	hctx, cancel := context.WithTimeout(ctx, e.heightTimeout)
	defer cancel()
	height, err := e.ledger.LedgerHeight(hctx, u)
	if err != nil {
		return toStatus(err)
	}
	if block > height {
		return status.Errorf(codes.OutOfRange,
			"%s %d is beyond the ledger height %d: a subscription may start at block %d at the latest, or omit start_block for new events only",
			field, block, height, height)
	}
	return nil
}

func toEvent(ev *client.ChaincodeEvent) *apiv1.Event {
	return &apiv1.Event{
		Type: ev.EventName, PayloadJson: string(ev.Payload),
		TransactionId: ev.TransactionID, BlockNumber: ev.BlockNumber,
		Checkpoint: &apiv1.Checkpoint{BlockNumber: ev.BlockNumber, TransactionId: ev.TransactionID},
	}
}

// callerKey names a caller for the per-caller limit.
func callerKey(u *fabric.User) string {
	if u == nil {
		return ""
	}
	return u.MSPID + "/" + u.Name
}

// wanted reports whether an event name matches the filter: an exact name, or
// a prefix ending in ".".
func wanted(types []string, name string) bool {
	if len(types) == 0 {
		return true
	}
	for _, t := range types {
		if t == name || (strings.HasSuffix(t, ".") && strings.HasPrefix(name, t)) {
			return true
		}
	}
	return false
}
