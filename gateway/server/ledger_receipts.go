package server

import (
	"context"
	"encoding/json"
	"strconv"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/proofs/receipt"
)

func (l *ledgerService) GetReceipt(ctx context.Context, req *apiv1.GetReceiptRequest) (*apiv1.GetReceiptResponse, error) {
	if err := required("transaction_id", req.TransactionId); err != nil {
		return nil, err
	}
	block, err := l.qscc(ctx, "GetBlockByTxID", req.TransactionId)
	if err != nil {
		return nil, notFoundIfMissing(err, "transaction %s", req.TransactionId)
	}
	last, err := receipt.LastConfigIndex(block)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "read the block of transaction %s: %v", req.TransactionId, err)
	}
	cfgRaw, err := l.qscc(ctx, "GetBlockByNumber", strconv.FormatUint(last, 10))
	if err != nil {
		return nil, err
	}
	cfg, err := receipt.ParseConfigBlock(cfgRaw)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "read configuration block %d: %v", last, err)
	}
	rc, err := receipt.New(l.channel, req.TransactionId, block, cfgRaw)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "export transaction %s: %v", req.TransactionId, err)
	}
	data, err := rc.Marshal()
	if err != nil {
		return nil, status.Errorf(codes.Internal, "encode receipt: %v", err)
	}
	// The configuration block was read from this ledger, so it is trusted
	// here; every other check is the offline verifier's.
	rep := receipt.Verify(rc, receipt.NewTrust(l.channel, cfg))
	resp := &apiv1.GetReceiptResponse{Receipt: data, BlockNumber: rc.BlockNumber, Valid: rep.Valid()}
	for _, c := range rep.Checks {
		resp.Checks = append(resp.Checks, &apiv1.ReceiptCheck{Name: c.Name, Ok: c.OK, Detail: c.Detail})
	}
	return resp, nil
}

func (l *ledgerService) GetTrust(ctx context.Context, _ *apiv1.GetTrustRequest) (*apiv1.GetTrustResponse, error) {
	configs, err := l.configurations(ctx)
	if err != nil {
		return nil, err
	}
	trust := receipt.NewTrust(l.channel, configs...)
	data, err := json.MarshalIndent(trust, "", "  ")
	if err != nil {
		return nil, status.Errorf(codes.Internal, "encode trust file: %v", err)
	}
	resp := &apiv1.GetTrustResponse{Trust: data, Channel: trust.Channel}
	for _, c := range trust.Configurations {
		resp.Configurations = append(resp.Configurations, &apiv1.TrustedConfiguration{BlockNumber: c.BlockNumber, HeaderSha256: c.HeaderSHA256, Members: c.Members})
	}
	return resp, nil
}

// configurations walks the channel's configuration blocks from the newest
// back to the genesis block: the newest is the one the last block names,
// and the one before configuration block n is the one block n-1 names.
func (l *ledgerService) configurations(ctx context.Context) ([]*receipt.Config, error) {
	info, err := l.GetChainInfo(ctx, &apiv1.GetChainInfoRequest{})
	if err != nil {
		return nil, err
	}
	var configs []*receipt.Config
	for next := info.GetHeight() - 1; ; {
		raw, err := l.qscc(ctx, "GetBlockByNumber", strconv.FormatUint(next, 10))
		if err != nil {
			return nil, err
		}
		last, err := receipt.LastConfigIndex(raw)
		if err != nil {
			return nil, status.Errorf(codes.Internal, "read block %d: %v", next, err)
		}
		if last != next {
			if raw, err = l.qscc(ctx, "GetBlockByNumber", strconv.FormatUint(last, 10)); err != nil {
				return nil, err
			}
		}
		cfg, err := receipt.ParseConfigBlock(raw)
		if err != nil {
			return nil, status.Errorf(codes.Internal, "read configuration block %d: %v", last, err)
		}
		configs = append([]*receipt.Config{cfg}, configs...)
		if last == 0 {
			return configs, nil
		}
		next = last - 1
	}
}
