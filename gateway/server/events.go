package server

import (
	"strings"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// eventService serves EventService from the peer's chaincode event stream.
type eventService struct {
	apiv1.UnimplementedEventServiceServer
	*Server
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
	ctx := stream.Context()
	var opts []client.ChaincodeEventsOption
	switch {
	case req.After != nil:
		if req.After.TransactionId == "" {
			return invalid("after.transaction_id", "is required with a checkpoint")
		}
		cp := new(client.InMemoryCheckpointer)
		cp.CheckpointTransaction(req.After.BlockNumber, req.After.TransactionId)
		opts = append(opts, client.WithCheckpoint(cp))
	case req.StartBlock > 0:
		opts = append(opts, client.WithStartBlock(req.StartBlock))
	}
	events, err := e.fabric.ChaincodeEvents(ctx, caller(ctx), opts...)
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
			err := stream.Send(&apiv1.Event{
				Type: ev.EventName, PayloadJson: string(ev.Payload),
				TransactionId: ev.TransactionID, BlockNumber: ev.BlockNumber,
				Checkpoint: &apiv1.Checkpoint{BlockNumber: ev.BlockNumber, TransactionId: ev.TransactionID},
			})
			if err != nil {
				return err
			}
		}
	}
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
