package index

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/state"
)

// Block is what the index keeps of one committed block: its transactions
// and, for the valid ones, the public records they wrote.
type Block struct {
	Number       uint64
	Transactions []Transaction
}

// Transaction is one transaction of a block as the audit page shows it.
type Transaction struct {
	Position int
	TxID     string
	// Kind is "endorser" for a chaincode transaction, "config" for a
	// channel configuration change, or the header type's name otherwise.
	Kind string
	// Function is the chaincode transaction name ("Documents:Register");
	// empty for a config transaction. Its arguments are never kept.
	Function string
	// MSPID is the administration of the submitter.
	MSPID string
	Time  time.Time
	// Code is the peer's validation code (VALID, MVCC_READ_CONFLICT, …).
	Code string
	// The public records a valid transaction wrote.
	Documents    []records.Document
	Profiles     []records.Profile
	Bodies       []records.ConvocationBody
	Meetings     []records.Meeting
	Convocations []records.Convocation
	Programmes   []records.SubsidyProgramme
	Grants       []records.SubsidyGrant
	Permissions  []records.Permission
	Proposals    []records.MembershipProposal
}

// DecodeBlock reads the transactions of a committed block and the document
// and directory records that the valid ones wrote in chaincode's namespace
// (public write set only: private data never reaches a block).
func DecodeBlock(b *common.Block, chaincode string) (Block, error) {
	out := Block{Number: b.GetHeader().GetNumber()}
	md := b.GetMetadata().GetMetadata()
	if len(md) <= int(common.BlockMetadataIndex_TRANSACTIONS_FILTER) {
		return out, fmt.Errorf("block %d has no transaction validation codes", out.Number)
	}
	flags := md[common.BlockMetadataIndex_TRANSACTIONS_FILTER]
	for i, data := range b.GetData().GetData() {
		code := peer.TxValidationCode_NOT_VALIDATED
		if i < len(flags) {
			code = peer.TxValidationCode(flags[i])
		}
		tx, err := decodeTransaction(data, chaincode, code == peer.TxValidationCode_VALID)
		if err != nil {
			return out, fmt.Errorf("block %d transaction %d: %w", out.Number, i, err)
		}
		tx.Position, tx.Code = i, code.String()
		out.Transactions = append(out.Transactions, tx)
	}
	return out, nil
}

// decodeTransaction reads one envelope; with valid, it also collects the
// records written in chaincode's namespace.
func decodeTransaction(data []byte, chaincode string, valid bool) (Transaction, error) {
	var env common.Envelope
	var payload common.Payload
	var ch common.ChannelHeader
	var sh common.SignatureHeader
	var creator mspproto.SerializedIdentity
	if err := unmarshal(data, &env, "envelope"); err != nil {
		return Transaction{}, err
	}
	if err := unmarshal(env.GetPayload(), &payload, "payload"); err != nil {
		return Transaction{}, err
	}
	if err := unmarshal(payload.GetHeader().GetChannelHeader(), &ch, "channel header"); err != nil {
		return Transaction{}, err
	}
	if err := unmarshal(payload.GetHeader().GetSignatureHeader(), &sh, "signature header"); err != nil {
		return Transaction{}, err
	}
	if err := unmarshal(sh.GetCreator(), &creator, "creator"); err != nil {
		return Transaction{}, err
	}
	tx := Transaction{TxID: ch.GetTxId(), MSPID: creator.GetMspid(), Time: ch.GetTimestamp().AsTime().UTC()}
	switch common.HeaderType(ch.GetType()) {
	case common.HeaderType_ENDORSER_TRANSACTION:
		tx.Kind = "endorser"
	case common.HeaderType_CONFIG:
		tx.Kind = "config"
		return tx, nil
	default:
		tx.Kind = strings.ToLower(common.HeaderType(ch.GetType()).String())
		return tx, nil
	}
	var t peer.Transaction
	if err := unmarshal(payload.GetData(), &t, "transaction"); err != nil {
		return tx, err
	}
	for _, action := range t.GetActions() {
		if err := readAction(action, chaincode, valid, &tx); err != nil {
			return tx, err
		}
	}
	return tx, nil
}

// readAction fills tx's function name and, when valid, its records.
func readAction(action *peer.TransactionAction, chaincode string, valid bool, tx *Transaction) error {
	var cap peer.ChaincodeActionPayload
	var prp peer.ProposalResponsePayload
	var cca peer.ChaincodeAction
	var cpp peer.ChaincodeProposalPayload
	var spec peer.ChaincodeInvocationSpec
	if err := unmarshal(action.GetPayload(), &cap, "action payload"); err != nil {
		return err
	}
	if err := unmarshal(cap.GetChaincodeProposalPayload(), &cpp, "proposal payload"); err != nil {
		return err
	}
	if err := unmarshal(cpp.GetInput(), &spec, "invocation spec"); err != nil {
		return err
	}
	if args := spec.GetChaincodeSpec().GetInput().GetArgs(); len(args) > 0 && tx.Function == "" {
		tx.Function = string(args[0])
	}
	if err := unmarshal(cap.GetAction().GetProposalResponsePayload(), &prp, "proposal response"); err != nil {
		return err
	}
	if err := unmarshal(prp.GetExtension(), &cca, "chaincode action"); err != nil {
		return err
	}
	if !valid || cca.GetChaincodeId().GetName() != chaincode {
		return nil
	}
	var set rwset.TxReadWriteSet
	if err := unmarshal(cca.GetResults(), &set, "read-write set"); err != nil {
		return err
	}
	for _, ns := range set.GetNsRwset() {
		if ns.GetNamespace() != chaincode {
			continue
		}
		var kv kvrwset.KVRWSet
		if err := unmarshal(ns.GetRwset(), &kv, "key-value set"); err != nil {
			return err
		}
		for _, w := range kv.GetWrites() {
			if err := readWrite(w, tx); err != nil {
				return err
			}
		}
	}
	return nil
}

// readWrite keeps a write of a public record the portal shows.
func readWrite(w *kvrwset.KVWrite, tx *Transaction) error {
	if w.GetIsDelete() {
		return nil
	}
	objectType, _ := splitKey(w.GetKey())
	var err error
	switch objectType {
	case state.TypeDocument:
		tx.Documents, err = appendRecord(tx.Documents, w, "document")
	case state.TypeProfile:
		tx.Profiles, err = appendRecord(tx.Profiles, w, "profile")
	case state.TypeConvocationBody:
		tx.Bodies, err = appendRecord(tx.Bodies, w, "convocation body")
	case state.TypeMeeting:
		tx.Meetings, err = appendRecord(tx.Meetings, w, "meeting")
	case state.TypeConvocation:
		tx.Convocations, err = appendRecord(tx.Convocations, w, "convocation")
	case state.TypeSubsidyProgramme:
		tx.Programmes, err = appendRecord(tx.Programmes, w, "subsidy programme")
	case state.TypeSubsidyGrant:
		tx.Grants, err = appendRecord(tx.Grants, w, "subsidy grant")
	case state.TypePermission:
		tx.Permissions, err = appendRecord(tx.Permissions, w, "permission")
	case state.TypeMembershipProposal:
		tx.Proposals, err = appendRecord(tx.Proposals, w, "membership proposal")
	}
	return err
}

// appendRecord decodes a written value as a T and appends it.
func appendRecord[T any](list []T, w *kvrwset.KVWrite, what string) ([]T, error) {
	var v T
	if err := json.Unmarshal(w.GetValue(), &v); err != nil {
		return list, fmt.Errorf("decode %s record: %w", what, err)
	}
	return append(list, v), nil
}

// splitKey splits a composite key ("\x00type\x00a\x00b\x00") into its
// object type and attributes; a simple key has no object type.
func splitKey(key string) (string, []string) {
	if !strings.HasPrefix(key, "\x00") {
		return "", nil
	}
	parts := strings.Split(strings.TrimSuffix(key[1:], "\x00"), "\x00")
	return parts[0], parts[1:]
}

func unmarshal(b []byte, m proto.Message, what string) error {
	if err := proto.Unmarshal(b, m); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	return nil
}
