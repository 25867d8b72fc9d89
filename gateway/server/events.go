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
// any time (*fabric.Client does this). BlockEvents reads one committed
// block's events of valid transactions of the chaincode with a call that
// finishes.
type eventLedger interface {
	ChaincodeEvents(ctx context.Context, u *fabric.User, opts ...client.ChaincodeEventsOption) (<-chan *client.ChaincodeEvent, error)
	LedgerHeight(ctx context.Context, u *fabric.User) (uint64, error)
	BlockEvents(ctx context.Context, u *fabric.User, number uint64) ([]*client.ChaincodeEvent, error)
}

// eventService serves EventService: live subscriptions share one peer
// stream through the hub; a replay from a past block reads the past blocks
// one by one with calls that finish, then continues on the hub
// (events_replay.go); the limits bound both.
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
		ledger: ledger, hub: newEventHub(ledger, cfg.Buffer, hubLinger, heightTimeout),
		limits: newSubscriptionLimits(cfg), heightTimeout: heightTimeout,
	}
}

// Subscribe streams chaincode events of valid transactions. A checkpoint
// (block + transaction id of the last event received) resumes the stream right
// after that event: the checkpoint's block is replayed from the transaction
// after the checkpointed one.
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
	defer cancel() // ends a replay's block reads, whatever the way out
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

// checkStart refuses a start block or checkpoint beyond the ledger height,
// which it returns: the next block to commit (number = height) is the
// furthest a replay may start.
func (e *eventService) checkStart(ctx context.Context, u *fabric.User, req *apiv1.SubscribeRequest) (uint64, error) {
	field, block := "start_block", req.StartBlock
	if req.After != nil {
		field, block = "after.block_number", req.After.BlockNumber
	}
	height, err := e.height(ctx, u)
	if err != nil {
		return 0, err
	}
	if block > height {
		return 0, status.Errorf(codes.OutOfRange,
			"%s %d is beyond the ledger height %d: a subscription may start at block %d at the latest, or omit start_block for new events only",
			field, block, height, height)
	}
	return height, nil
}

// height reads the ledger height within heightTimeout.
func (e *eventService) height(ctx context.Context, u *fabric.User) (uint64, error) {
	hctx, cancel := context.WithTimeout(ctx, e.heightTimeout)
	defer cancel()
	height, err := e.ledger.LedgerHeight(hctx, u)
	if err != nil {
		return 0, toStatus(err)
	}
	return height, nil
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
