package server

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"strconv"
	"strings"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// ledgerService serves LedgerService from the peer's query system chaincode
// (blocks, transactions, receipts) and the History contract.
type ledgerService struct {
	apiv1.UnimplementedLedgerServiceServer
	ledger  ledger
	system  systemLedger
	channel string
}

func (l *ledgerService) qscc(ctx context.Context, tx string, args ...string) ([]byte, error) {
	raw, err := l.system.EvaluateSystem(ctx, caller(ctx), "qscc", tx, append([]string{l.channel}, args...)...)
	if err != nil {
		return nil, toStatus(err)
	}
	return raw, nil
}

func (l *ledgerService) GetTransaction(ctx context.Context, req *apiv1.GetTransactionRequest) (*apiv1.Transaction, error) {
	if err := required("transaction_id", req.TransactionId); err != nil {
		return nil, err
	}
	raw, err := l.qscc(ctx, "GetTransactionByID", req.TransactionId)
	if err != nil {
		return nil, notFoundIfMissing(err, "transaction %s", req.TransactionId)
	}
	var ptx peer.ProcessedTransaction
	if err := proto.Unmarshal(raw, &ptx); err != nil {
		return nil, status.Errorf(codes.Internal, "decode transaction: %v", err)
	}
	out, err := describeTransaction(ptx.GetTransactionEnvelope())
	if err != nil {
		return nil, err
	}
	code := peer.TxValidationCode(ptx.GetValidationCode())
	out.ValidationCode, out.Valid = code.String(), code == peer.TxValidationCode_VALID
	if blockRaw, err := l.qscc(ctx, "GetBlockByTxID", req.TransactionId); err == nil {
		var b common.Block
		if proto.Unmarshal(blockRaw, &b) == nil {
			out.BlockNumber = b.GetHeader().GetNumber()
		}
	}
	return out, nil
}

// describeTransaction reads the id, creator, time, function and endorsers of
// an endorser transaction envelope.
func describeTransaction(env *common.Envelope) (*apiv1.Transaction, error) {
	bad := func(what string, err error) error {
		return status.Errorf(codes.Internal, "decode transaction %s: %v", what, err)
	}
	var payload common.Payload
	if err := proto.Unmarshal(env.GetPayload(), &payload); err != nil {
		return nil, bad("payload", err)
	}
	var ch common.ChannelHeader
	if err := proto.Unmarshal(payload.GetHeader().GetChannelHeader(), &ch); err != nil {
		return nil, bad("channel header", err)
	}
	out := &apiv1.Transaction{TransactionId: ch.GetTxId()}
	if ts := ch.GetTimestamp(); ts != nil {
		out.Timestamp = ts.AsTime().UTC().Format(time.RFC3339Nano)
	}
	var sh common.SignatureHeader
	if err := proto.Unmarshal(payload.GetHeader().GetSignatureHeader(), &sh); err == nil {
		var id msp.SerializedIdentity
		if proto.Unmarshal(sh.GetCreator(), &id) == nil {
			out.CreatorMspId = id.GetMspid()
			if b, _ := pem.Decode(id.GetIdBytes()); b != nil {
				if cert, err := x509.ParseCertificate(b.Bytes); err == nil {
					out.CreatorId = cert.Subject.CommonName
				}
			}
		}
	}
	if common.HeaderType(ch.GetType()) != common.HeaderType_ENDORSER_TRANSACTION {
		return out, nil
	}
	var tx peer.Transaction
	if err := proto.Unmarshal(payload.GetData(), &tx); err != nil {
		return nil, bad("body", err)
	}
	for _, action := range tx.GetActions() {
		var cap peer.ChaincodeActionPayload
		if err := proto.Unmarshal(action.GetPayload(), &cap); err != nil {
			return nil, bad("action", err)
		}
		var cpp peer.ChaincodeProposalPayload
		if proto.Unmarshal(cap.GetChaincodeProposalPayload(), &cpp) == nil {
			var spec peer.ChaincodeInvocationSpec
			if proto.Unmarshal(cpp.GetInput(), &spec) == nil && len(spec.GetChaincodeSpec().GetInput().GetArgs()) > 0 {
				out.Function = string(spec.GetChaincodeSpec().GetInput().GetArgs()[0])
			}
		}
		for _, e := range cap.GetAction().GetEndorsements() {
			var id msp.SerializedIdentity
			if proto.Unmarshal(e.GetEndorser(), &id) == nil {
				out.Endorsers = append(out.Endorsers, id.GetMspid())
			}
		}
	}
	return out, nil
}

func (l *ledgerService) GetBlock(ctx context.Context, req *apiv1.GetBlockRequest) (*apiv1.Block, error) {
	raw, err := l.qscc(ctx, "GetBlockByNumber", strconv.FormatUint(req.Number, 10))
	if err != nil {
		return nil, notFoundIfMissing(err, "block %d", req.Number)
	}
	var b common.Block
	if err := proto.Unmarshal(raw, &b); err != nil {
		return nil, status.Errorf(codes.Internal, "decode block: %v", err)
	}
	out := &apiv1.Block{Number: b.GetHeader().GetNumber(), PreviousHash: b.GetHeader().GetPreviousHash(), DataHash: b.GetHeader().GetDataHash()}
	var flags []byte
	if md := b.GetMetadata().GetMetadata(); len(md) > int(common.BlockMetadataIndex_TRANSACTIONS_FILTER) {
		flags = md[common.BlockMetadataIndex_TRANSACTIONS_FILTER]
	}
	for i, data := range b.GetData().GetData() {
		tx, err := describeTransaction(&common.Envelope{Payload: envelopePayload(data)})
		if err != nil {
			return nil, err
		}
		code := peer.TxValidationCode_NOT_VALIDATED
		if i < len(flags) {
			code = peer.TxValidationCode(flags[i])
		}
		out.Transactions = append(out.Transactions, &apiv1.BlockTransaction{TransactionId: tx.TransactionId, ValidationCode: code.String()})
	}
	return out, nil
}

func envelopePayload(data []byte) []byte {
	var env common.Envelope
	if proto.Unmarshal(data, &env) != nil {
		return nil
	}
	return env.GetPayload()
}

func (l *ledgerService) GetChainInfo(ctx context.Context, _ *apiv1.GetChainInfoRequest) (*apiv1.ChainInfo, error) {
	raw, err := l.qscc(ctx, "GetChainInfo")
	if err != nil {
		return nil, err
	}
	var info common.BlockchainInfo
	if err := proto.Unmarshal(raw, &info); err != nil {
		return nil, status.Errorf(codes.Internal, "decode chain info: %v", err)
	}
	return &apiv1.ChainInfo{Height: info.GetHeight(), CurrentBlockHash: info.GetCurrentBlockHash(), PreviousBlockHash: info.GetPreviousBlockHash()}, nil
}

// notFoundIfMissing turns qscc's "not found" failures into NotFound.
func notFoundIfMissing(err error, format string, a ...any) error {
	msg := strings.ToLower(status.Convert(err).Message())
	if strings.Contains(msg, "not found") || strings.Contains(msg, "no such") || strings.Contains(msg, "out of range") || strings.Contains(msg, "larger than") {
		return status.Errorf(codes.NotFound, format+" is not on the ledger", a...)
	}
	return err
}

// recordKinds maps the API's record kinds to the chaincode's
// (spec.RecordKinds): RECORD_KIND_GRANT is "grant".
var recordKinds = func() map[apiv1.RecordKind]string {
	m := map[apiv1.RecordKind]string{}
	for name, k := range enumsByName[apiv1.RecordKind](spec.RecordKinds, "RECORD_KIND_", apiv1.RecordKind_value) {
		m[k] = name
	}
	return m
}()

func (l *ledgerService) GetRecordHistory(ctx context.Context, req *apiv1.GetRecordHistoryRequest) (*apiv1.GetRecordHistoryResponse, error) {
	kind, ok := recordKinds[req.Kind]
	if !ok {
		return nil, invalid("kind", "must be one of PROFILE, DOCUMENT, BODY, MEETING, CONVOCATION, PROGRAMME, GRANT, PERMISSION")
	}
	if len(req.Key) == 0 {
		return nil, invalid("key", "the parts of the record's key are required")
	}
	keyParts, err := jsonArg(req.Key)
	if err != nil {
		return nil, err
	}
	var versions []records.RecordVersion
	if err := evaluateJSON(ctx, l.ledger, &versions, spec.HistoryRecord, kind, keyParts); err != nil {
		return nil, err
	}
	resp := &apiv1.GetRecordHistoryResponse{}
	for _, v := range versions {
		resp.Versions = append(resp.Versions, &apiv1.RecordVersion{TransactionId: v.TxID, Timestamp: v.Timestamp, Deleted: v.IsDelete, ValueJson: v.Value})
	}
	return resp, nil
}
