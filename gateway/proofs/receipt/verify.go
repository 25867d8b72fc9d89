package receipt

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// Verify checks a receipt offline, using nothing but the receipt and trust
// (the trusted configurations; with nil, the trusted-configuration check
// fails). It runs every check it can and reports each; the receipt is
// proven only when Report.Valid. Checks that need a part that could not be
// decoded are not run, and the report then ends with the failure.
func Verify(rc *Receipt, trust *Trust) *Report {
	rep := &Report{Channel: rc.Channel, TransactionID: rc.TransactionID, BlockNumber: rc.BlockNumber, TransactionIndex: rc.TransactionIndex}
	cfg, err := ParseConfigBlock(rc.ConfigBlock)
	if err != nil {
		rep.fail(CheckConfiguration, "%v", err)
		return rep
	}
	rep.ConfigBlock, rep.ConfigHash = cfg.BlockNumber, hex.EncodeToString(cfg.HeaderHash[:])

	var block common.Block
	if err := proto.Unmarshal(rc.Block, &block); err != nil || block.GetHeader() == nil {
		rep.fail(CheckTransaction, "the block does not decode: %v", err)
		return rep
	}
	env, action, ok := rep.checkTransaction(rc, &block)
	if !ok {
		return rep
	}
	at := env.channel.GetTimestamp().AsTime()
	rep.Timestamp = at

	rep.checkConfiguration(cfg, rc.Channel, at)
	rep.checkTrust(cfg, trust)
	rep.checkCreator(cfg, env, at)
	rep.checkEndorsements(cfg, env, action, at)
	rep.checkInBlock(&block, rc)
	rep.checkBlockSignature(cfg, &block, at)
	rep.checkConfigurationLink(cfg, &block)
	rep.checkValidationCode(&block, rc.TransactionIndex)
	slices.SortStableFunc(rep.Checks, func(a, b Check) int { return slices.Index(checkOrder, a.Name) - slices.Index(checkOrder, b.Name) })
	return rep
}

// checkOrder is the order checks are reported in.
var checkOrder = []string{
	CheckConfiguration, CheckTrustedConfiguration, CheckTransaction, CheckCreator, CheckEndorsements,
	CheckEndorsementPolicy, CheckInBlock, CheckBlockSignature, CheckConfigurationLink, CheckValidationCode,
}

// checkConfiguration runs after the transaction check so that it can use
// the transaction's time; it is reported first.
func (r *Report) checkConfiguration(cfg *Config, channel string, at time.Time) {
	if cfg.Channel != channel {
		r.fail(CheckConfiguration, "configuration block %d is of channel %q, the receipt of %q", cfg.BlockNumber, cfg.Channel, channel)
		return
	}
	if cfg.BlockNumber == 0 {
		r.pass(CheckConfiguration, "genesis block of channel %s (not signed by an orderer: trusted by its hash), members %v", channel, cfg.MemberIDs())
		return
	}
	signers, err := cfg.blockSigners(cfg.block, at)
	if err != nil {
		r.fail(CheckConfiguration, "configuration block %d: %v", cfg.BlockNumber, err)
		return
	}
	r.pass(CheckConfiguration, "configuration block %d of channel %s signed by %s, members %v", cfg.BlockNumber, channel, mspIDs(signers), cfg.MemberIDs())
}

func (r *Report) checkTrust(cfg *Config, trust *Trust) {
	h := hex.EncodeToString(cfg.HeaderHash[:])
	switch {
	case trust == nil:
		r.fail(CheckTrustedConfiguration, "no trust file: compare configuration block %d, hash %s, with the one the administrations publish", cfg.BlockNumber, h)
	case !trust.trusts(cfg):
		r.fail(CheckTrustedConfiguration, "configuration block %d of channel %s, hash %s, is not in the trust file", cfg.BlockNumber, cfg.Channel, h)
	default:
		r.pass(CheckTrustedConfiguration, "configuration block %d, hash %s, is trusted", cfg.BlockNumber, h)
	}
}

// checkTransaction finds the transaction at the receipt's index and checks
// that it is the receipt's; without it nothing else can be checked.
func (r *Report) checkTransaction(rc *Receipt, b *common.Block) (*envelope, *endorsedAction, bool) {
	data := b.GetData().GetData()
	if b.GetHeader().GetNumber() != rc.BlockNumber {
		r.fail(CheckTransaction, "the block is number %d, the receipt says %d", b.GetHeader().GetNumber(), rc.BlockNumber)
		return nil, nil, false
	}
	if rc.TransactionIndex >= len(data) {
		r.fail(CheckTransaction, "block %d holds %d transactions, the receipt points at index %d", rc.BlockNumber, len(data), rc.TransactionIndex)
		return nil, nil, false
	}
	env, err := decodeEnvelope(data[rc.TransactionIndex])
	if err != nil {
		r.fail(CheckTransaction, "transaction %d of block %d: %v", rc.TransactionIndex, rc.BlockNumber, err)
		return nil, nil, false
	}
	switch ch := env.channel; {
	case ch.GetTxId() != rc.TransactionID:
		r.fail(CheckTransaction, "transaction %d of block %d is %s, the receipt is for %s", rc.TransactionIndex, rc.BlockNumber, ch.GetTxId(), rc.TransactionID)
		return nil, nil, false
	case ch.GetChannelId() != rc.Channel:
		r.fail(CheckTransaction, "transaction is on channel %q, the receipt says %q", ch.GetChannelId(), rc.Channel)
		return nil, nil, false
	case common.HeaderType(ch.GetType()) != common.HeaderType_ENDORSER_TRANSACTION:
		r.fail(CheckTransaction, "transaction is of type %s, not an endorser transaction", common.HeaderType(ch.GetType()))
		return nil, nil, false
	case ch.GetTimestamp() == nil:
		r.fail(CheckTransaction, "transaction has no timestamp")
		return nil, nil, false
	}
	action, err := decodeAction(env)
	if err != nil {
		r.fail(CheckTransaction, "%v", err)
		return nil, nil, false
	}
	if cc := action.action.GetChaincodeId(); cc != nil {
		r.Chaincode = cc.GetName()
	}
	r.Function = action.function()
	if r.Writes, r.PrivateWrites, err = action.writes(); err != nil {
		r.fail(CheckTransaction, "%v", err)
		return nil, nil, false
	}
	r.pass(CheckTransaction, "transaction %s is transaction %d of block %d on channel %s", rc.TransactionID, rc.TransactionIndex, rc.BlockNumber, rc.Channel)
	return env, action, true
}

func (r *Report) checkCreator(cfg *Config, env *envelope, at time.Time) {
	creator, err := cfg.identityOf(env.signature.GetCreator(), at)
	if err != nil {
		r.fail(CheckCreator, "submitter: %v", err)
		return
	}
	r.Creator = creator
	if !cfg.MSPs[creator.MSPID].Application {
		r.fail(CheckCreator, "submitter's MSP %s is not an application organization", creator.MSPID)
		return
	}
	if err := verifySignature(creator, env.raw.GetPayload(), env.raw.GetSignature()); err != nil {
		r.fail(CheckCreator, "submitter's signature of the transaction: %v", err)
		return
	}
	if want := computeTxID(env.signature.GetNonce(), env.signature.GetCreator()); want != env.channel.GetTxId() {
		r.fail(CheckCreator, "transaction id %s is not SHA-256(nonce || creator) = %s", env.channel.GetTxId(), want)
		return
	}
	r.pass(CheckCreator, "submitted and signed by %s of %s", creator.Subject, creator.MSPID)
}

func (r *Report) checkEndorsements(cfg *Config, env *envelope, a *endorsedAction, at time.Time) {
	if want := proposalHash(env, a); !bytes.Equal(a.response.GetProposalHash(), want) {
		r.fail(CheckEndorsements, "the endorsed response is for proposal %x, this transaction's proposal hashes to %x", a.response.GetProposalHash(), want)
	} else if err := r.collectEndorsers(cfg, a, at); err != nil {
		r.fail(CheckEndorsements, "%v", err)
	} else {
		r.pass(CheckEndorsements, "%d valid endorsements, by %s", len(r.Endorsers), mspIDs(r.Endorsers))
	}
	r.checkEndorsementPolicy(cfg, a)
}

// checkEndorsementPolicy evaluates, against the valid endorsers, every
// policy Fabric's validator evaluates for this transaction's writes (see
// endorsement.go); all must hold.
func (r *Report) checkEndorsementPolicy(cfg *Config, a *endorsedAction) {
	reqs, err := cfg.endorsementRequirements(a)
	if err != nil {
		r.fail(CheckEndorsementPolicy, "%v", err)
		return
	}
	var met []string
	for _, req := range reqs {
		ok, err := req.eval(r.Endorsers)
		switch {
		case err != nil:
			r.fail(CheckEndorsementPolicy, "evaluate %s, required for %s: %v", req.policy, req.why, err)
			return
		case !ok:
			r.fail(CheckEndorsementPolicy, "the valid endorsements (%s) do not satisfy %s, required for %s", mspIDs(r.Endorsers), req.policy, req.why)
			return
		}
		met = append(met, req.policy+" for "+req.why)
	}
	r.pass(CheckEndorsementPolicy, "endorsements by %s satisfy %s", mspIDs(r.Endorsers), strings.Join(met, ", and "))
}

// collectEndorsers verifies every endorsement and keeps the distinct
// endorsers; one bad endorsement fails the check.
func (r *Report) collectEndorsers(cfg *Config, a *endorsedAction, at time.Time) error {
	if len(a.endorsements) == 0 {
		return fmt.Errorf("the transaction carries no endorsement")
	}
	seen := map[string]bool{}
	for i, e := range a.endorsements {
		id, err := cfg.identityOf(e.GetEndorser(), at)
		if err != nil {
			return fmt.Errorf("endorsement %d: %w", i+1, err)
		}
		if !cfg.MSPs[id.MSPID].Application {
			return fmt.Errorf("endorsement %d: %s is not an application organization", i+1, id.MSPID)
		}
		if err := verifySignature(id, append(append([]byte{}, a.responsePayload...), e.GetEndorser()...), e.GetSignature()); err != nil {
			return fmt.Errorf("endorsement %d by %s of %s: %w", i+1, id.Subject, id.MSPID, err)
		}
		if !seen[string(id.raw)] {
			seen[string(id.raw)] = true
			r.Endorsers = append(r.Endorsers, id)
		}
	}
	return nil
}

func (r *Report) checkInBlock(b *common.Block, rc *Receipt) {
	if err := checkDataHash(b); err != nil {
		r.fail(CheckInBlock, "block %d: %v", rc.BlockNumber, err)
		return
	}
	r.pass(CheckInBlock, "block %d's data hash covers its transactions (%d)", rc.BlockNumber, len(b.GetData().GetData()))
}

func (r *Report) checkBlockSignature(cfg *Config, b *common.Block, at time.Time) {
	signers, err := cfg.blockSigners(b, at)
	if err != nil {
		r.fail(CheckBlockSignature, "block %d: %v", b.GetHeader().GetNumber(), err)
	} else {
		r.Orderers = signers
		r.pass(CheckBlockSignature, "block %d signed by %s", b.GetHeader().GetNumber(), mspIDs(signers))
	}
}

// checkConfigurationLink compares the configuration block the orderer named
// in its signed metadata with the one the receipt brings.
func (r *Report) checkConfigurationLink(cfg *Config, b *common.Block) {
	_, last, err := blockSignatures(b)
	switch {
	case err != nil:
		r.fail(CheckConfigurationLink, "%v", err)
	case last != cfg.BlockNumber:
		r.fail(CheckConfigurationLink, "block %d names configuration block %d, the receipt brings %d", b.GetHeader().GetNumber(), last, cfg.BlockNumber)
	default:
		r.pass(CheckConfigurationLink, "block %d names configuration block %d", b.GetHeader().GetNumber(), last)
	}
}

func (r *Report) checkValidationCode(b *common.Block, index int) {
	md := b.GetMetadata().GetMetadata()
	if len(md) <= int(common.BlockMetadataIndex_TRANSACTIONS_FILTER) || index >= len(md[common.BlockMetadataIndex_TRANSACTIONS_FILTER]) {
		r.fail(CheckValidationCode, "block has no validation code for transaction %d", index)
		return
	}
	code := peer.TxValidationCode(md[common.BlockMetadataIndex_TRANSACTIONS_FILTER][index])
	r.ValidationCode = code.String()
	if code != peer.TxValidationCode_VALID {
		r.fail(CheckValidationCode, "the peer marked the transaction %s: it did not change the ledger", code)
		return
	}
	r.pass(CheckValidationCode, "the peer marked the transaction VALID (peer-reported, not signed)")
}
