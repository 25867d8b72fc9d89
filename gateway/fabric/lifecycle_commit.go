package fabric

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer/lifecycle"
	"google.golang.org/protobuf/proto"
)

// ErrCommitNotFound means no valid lifecycle transaction committing the
// definition was found among the blocks searched.
var ErrCommitNotFound = errors.New("the transaction that committed the chaincode definition was not found")

// FindDefinitionCommit finds the valid lifecycle transaction that
// committed the chaincode's definition at sequence, among the latest
// within blocks of the channel: for an upgrade committed in the lifecycle
// whose record on the ledger failed, so that it can be recorded later.
func (c *Client) FindDefinitionCommit(ctx context.Context, u *User, sequence int64, within uint64) (Result, error) {
	height, err := c.LedgerHeight(ctx, u)
	if err != nil {
		return Result{}, err
	}
	for n := height; n > 0 && height-n < within; n-- {
		raw, err := c.EvaluateSystem(ctx, u, "qscc", "GetBlockByNumber", c.cfg.Channel, strconv.FormatUint(n-1, 10))
		if err != nil {
			return Result{}, fmt.Errorf("read block %d: %w", n-1, err)
		}
		var b common.Block
		if err := proto.Unmarshal(raw, &b); err != nil {
			return Result{}, fmt.Errorf("decode block %d: %w", n-1, err)
		}
		if txID, ok := definitionCommitIn(&b, c.cfg.Chaincode, sequence); ok {
			return Result{TransactionID: txID, BlockNumber: n - 1}, nil
		}
	}
	return Result{}, fmt.Errorf("%w: %s at sequence %d, in the last %d blocks", ErrCommitNotFound, c.cfg.Chaincode, sequence, within)
}

// definitionCommitIn returns the id of the valid transaction of b that
// committed chaincode's definition at sequence, if any.
func definitionCommitIn(b *common.Block, chaincode string, sequence int64) (string, bool) {
	filter := b.GetMetadata().GetMetadata()
	var flags []byte
	if len(filter) > int(common.BlockMetadataIndex_TRANSACTIONS_FILTER) {
		flags = filter[common.BlockMetadataIndex_TRANSACTIONS_FILTER]
	}
	for i, data := range b.GetData().GetData() {
		if i >= len(flags) || peer.TxValidationCode(flags[i]) != peer.TxValidationCode_VALID {
			continue
		}
		if txID, args, ok := lifecycleInvocation(data); ok && args.GetName() == chaincode && args.GetSequence() == sequence {
			return txID, true
		}
	}
	return "", false
}

// lifecycleInvocation decodes an envelope that invokes the lifecycle's
// CommitChaincodeDefinition, returning its transaction id and arguments.
func lifecycleInvocation(data []byte) (string, *lifecycle.CommitChaincodeDefinitionArgs, bool) {
	var env common.Envelope
	var payload common.Payload
	var ch common.ChannelHeader
	var tx peer.Transaction
	var action peer.ChaincodeActionPayload
	var proposal peer.ChaincodeProposalPayload
	var spec peer.ChaincodeInvocationSpec
	var args lifecycle.CommitChaincodeDefinitionArgs
	switch {
	case proto.Unmarshal(data, &env) != nil, proto.Unmarshal(env.GetPayload(), &payload) != nil,
		proto.Unmarshal(payload.GetHeader().GetChannelHeader(), &ch) != nil,
		ch.GetType() != int32(common.HeaderType_ENDORSER_TRANSACTION),
		proto.Unmarshal(payload.GetData(), &tx) != nil, len(tx.GetActions()) == 0,
		proto.Unmarshal(tx.GetActions()[0].GetPayload(), &action) != nil,
		proto.Unmarshal(action.GetChaincodeProposalPayload(), &proposal) != nil,
		proto.Unmarshal(proposal.GetInput(), &spec) != nil:
		return "", nil, false
	}
	in := spec.GetChaincodeSpec()
	a := in.GetInput().GetArgs()
	if in.GetChaincodeId().GetName() != lifecycleChaincode || len(a) < 2 || string(a[0]) != "CommitChaincodeDefinition" || proto.Unmarshal(a[1], &args) != nil {
		return "", nil, false
	}
	return ch.GetTxId(), &args, true
}
