package testnet

import (
	"fmt"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// CommittedTx is what the ledger holds about one transaction.
type CommittedTx struct {
	Validation peer.TxValidationCode
	Endorsers  []string // MSP IDs of the endorsing peers, in order
	// Creator is who signed the transaction: MSP ID and PEM certificate.
	Creator *msp.SerializedIdentity
}

// Transaction fetches a committed transaction through the system chaincode
// qscc and decodes its validation code and endorsers.
func Transaction(nw *client.Network, channel, txID string) (CommittedTx, error) {
	raw, err := nw.GetContract("qscc").EvaluateTransaction("GetTransactionByID", channel, txID)
	if err != nil {
		return CommittedTx{}, fmt.Errorf("get transaction %s: %w", txID, err)
	}
	var ptx peer.ProcessedTransaction
	if err := proto.Unmarshal(raw, &ptx); err != nil {
		return CommittedTx{}, fmt.Errorf("decode processed transaction: %w", err)
	}
	out := CommittedTx{Validation: peer.TxValidationCode(ptx.GetValidationCode())}
	var payload common.Payload
	if err := proto.Unmarshal(ptx.GetTransactionEnvelope().GetPayload(), &payload); err != nil {
		return out, fmt.Errorf("decode payload: %w", err)
	}
	var sh common.SignatureHeader
	if err := proto.Unmarshal(payload.GetHeader().GetSignatureHeader(), &sh); err != nil {
		return out, fmt.Errorf("decode signature header: %w", err)
	}
	out.Creator = &msp.SerializedIdentity{}
	if err := proto.Unmarshal(sh.GetCreator(), out.Creator); err != nil {
		return out, fmt.Errorf("decode creator: %w", err)
	}
	var tx peer.Transaction
	if err := proto.Unmarshal(payload.GetData(), &tx); err != nil {
		return out, fmt.Errorf("decode transaction: %w", err)
	}
	for _, action := range tx.GetActions() {
		var cap peer.ChaincodeActionPayload
		if err := proto.Unmarshal(action.GetPayload(), &cap); err != nil {
			return out, fmt.Errorf("decode chaincode action: %w", err)
		}
		for _, e := range cap.GetAction().GetEndorsements() {
			var id msp.SerializedIdentity
			if err := proto.Unmarshal(e.GetEndorser(), &id); err != nil {
				return out, fmt.Errorf("decode endorser: %w", err)
			}
			out.Endorsers = append(out.Endorsers, id.GetMspid())
		}
	}
	return out, nil
}
