package receipt

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// Write is one public key written by the transaction.
type Write struct {
	Namespace string `json:"namespace"`
	// Key as stored; composite keys start with U+0000 and separate their
	// parts with U+0000 (see DisplayKey).
	Key     string `json:"key"`
	Value   []byte `json:"value,omitempty"`
	Deleted bool   `json:"deleted,omitempty"`
}

// PrivateWrite is a private-data write, of which the transaction holds only
// hashes.
type PrivateWrite struct {
	Namespace  string `json:"namespace"`
	Collection string `json:"collection"`
	KeyHash    []byte `json:"keyHash"`
	ValueHash  []byte `json:"valueHash,omitempty"`
	Deleted    bool   `json:"deleted,omitempty"`
}

// DisplayKey shows a composite key as "type/part/part"; other keys as they are.
func DisplayKey(key string) string {
	if !strings.HasPrefix(key, "\x00") {
		return key
	}
	return strings.Join(strings.Split(strings.Trim(key, "\x00"), "\x00"), "/")
}

// endorsedAction is the single chaincode action of an endorser transaction.
type endorsedAction struct {
	proposalPayload []byte
	responsePayload []byte
	response        *peer.ProposalResponsePayload
	action          *peer.ChaincodeAction
	endorsements    []*peer.Endorsement
}

// decodeAction reads the endorser transaction in env. Fabric 2 allows
// exactly one action, whose header is the transaction's signature header.
func decodeAction(env *envelope) (*endorsedAction, error) {
	var tx peer.Transaction
	if err := proto.Unmarshal(env.payload.GetData(), &tx); err != nil {
		return nil, fmt.Errorf("decode transaction: %w", err)
	}
	if len(tx.GetActions()) != 1 {
		return nil, fmt.Errorf("transaction has %d actions, want 1", len(tx.GetActions()))
	}
	act := tx.GetActions()[0]
	if !bytes.Equal(act.GetHeader(), env.payload.GetHeader().GetSignatureHeader()) {
		return nil, fmt.Errorf("the action's signature header differs from the transaction's")
	}
	var cap peer.ChaincodeActionPayload
	if err := proto.Unmarshal(act.GetPayload(), &cap); err != nil {
		return nil, fmt.Errorf("decode chaincode action payload: %w", err)
	}
	a := &endorsedAction{
		proposalPayload: cap.GetChaincodeProposalPayload(),
		responsePayload: cap.GetAction().GetProposalResponsePayload(),
		endorsements:    cap.GetAction().GetEndorsements(),
		response:        &peer.ProposalResponsePayload{},
		action:          &peer.ChaincodeAction{},
	}
	if err := proto.Unmarshal(a.responsePayload, a.response); err != nil {
		return nil, fmt.Errorf("decode proposal response payload: %w", err)
	}
	if err := proto.Unmarshal(a.response.GetExtension(), a.action); err != nil {
		return nil, fmt.Errorf("decode chaincode action: %w", err)
	}
	return a, nil
}

// proposalHash is what the endorsers' response names as its proposal:
// SHA-256(channel header || signature header || chaincode proposal payload).
func proposalHash(env *envelope, a *endorsedAction) []byte {
	h := sha256.New()
	h.Write(env.payload.GetHeader().GetChannelHeader())
	h.Write(env.payload.GetHeader().GetSignatureHeader())
	h.Write(a.proposalPayload)
	return h.Sum(nil)
}

// function returns the chaincode function called (the first argument).
func (a *endorsedAction) function() string {
	var cpp peer.ChaincodeProposalPayload
	if proto.Unmarshal(a.proposalPayload, &cpp) != nil {
		return ""
	}
	var spec peer.ChaincodeInvocationSpec
	if proto.Unmarshal(cpp.GetInput(), &spec) != nil || len(spec.GetChaincodeSpec().GetInput().GetArgs()) == 0 {
		return ""
	}
	return string(spec.GetChaincodeSpec().GetInput().GetArgs()[0])
}

// writes lists the public and private writes of the read-write set.
func (a *endorsedAction) writes() ([]Write, []PrivateWrite, error) {
	var set rwset.TxReadWriteSet
	if err := proto.Unmarshal(a.action.GetResults(), &set); err != nil {
		return nil, nil, fmt.Errorf("decode read-write set: %w", err)
	}
	var pub []Write
	var priv []PrivateWrite
	for _, ns := range set.GetNsRwset() {
		var kv kvrwset.KVRWSet
		if err := proto.Unmarshal(ns.GetRwset(), &kv); err != nil {
			return nil, nil, fmt.Errorf("decode writes of %s: %w", ns.GetNamespace(), err)
		}
		for _, w := range kv.GetWrites() {
			pub = append(pub, Write{Namespace: ns.GetNamespace(), Key: w.GetKey(), Value: w.GetValue(), Deleted: w.GetIsDelete()})
		}
		for _, coll := range ns.GetCollectionHashedRwset() {
			var h kvrwset.HashedRWSet
			if err := proto.Unmarshal(coll.GetHashedRwset(), &h); err != nil {
				return nil, nil, fmt.Errorf("decode private writes of %s/%s: %w", ns.GetNamespace(), coll.GetCollectionName(), err)
			}
			for _, w := range h.GetHashedWrites() {
				priv = append(priv, PrivateWrite{Namespace: ns.GetNamespace(), Collection: coll.GetCollectionName(), KeyHash: w.GetKeyHash(), ValueHash: w.GetValueHash(), Deleted: w.GetIsDelete()})
			}
		}
	}
	return pub, priv, nil
}
