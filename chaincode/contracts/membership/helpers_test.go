package membership_test

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/contracts/membership"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// people are the callers of the tests: the admins of the three member
// administrations, a second Treasury admin, a Treasury clerk, and the admin
// of an administration that is not (yet) a member.
type people struct {
	registry, treasury, council, treasury2, clerk, outsider fakestub.Identity
}

func newPeople(t testing.TB) people {
	return people{
		registry:  fakestub.NewIdentity(t, "RegistryMSP", "ra", spec.RoleAdmin),
		treasury:  fakestub.NewIdentity(t, "TreasuryMSP", "ta", spec.RoleAdmin),
		council:   fakestub.NewIdentity(t, "CouncilMSP", "ca", spec.RoleAdmin),
		treasury2: fakestub.NewIdentity(t, "TreasuryMSP", "tb", spec.RoleAdmin),
		clerk:     fakestub.NewIdentity(t, "TreasuryMSP", "tc", spec.RoleClerk),
		outsider:  fakestub.NewIdentity(t, "HarbourMSP", "ha", spec.RoleAdmin),
	}
}

// world is a member ledger, its people and the contract.
type world struct {
	people
	stub *fakestub.Stub
	c    *membership.Contract
}

func newWorld(t *testing.T) *world {
	p := newPeople(t)
	return &world{people: p, stub: contracttest.MemberLedger(t, p.registry, p.treasury, p.council), c: membership.New()}
}

// newWorldOn is the contract on stub, for tests that bring their people.
func newWorldOn(stub *fakestub.Stub) *world {
	return &world{stub: stub, c: membership.New()}
}

// members are the organizations of the test channel's Application group.
var members = []string{"CouncilMSP", "RegistryMSP", "TreasuryMSP"}

// configUpdate builds a config update of channel as Fabric (fabric-config's
// ComputeUpdate) computes one: the Application group at version 1 in the
// read set with the members that stay, and at version 2 in the write set
// with add written in full; remove is in neither (network/configupdate's
// tests pin that shape).
func configUpdate(t testing.TB, channel, add, remove string) []byte {
	t.Helper()
	read := &common.ConfigGroup{Version: 1, Groups: map[string]*common.ConfigGroup{}}
	write := &common.ConfigGroup{Version: 2, Groups: map[string]*common.ConfigGroup{}, ModPolicy: "Admins"}
	for _, m := range members {
		if m != remove {
			read.Groups[m] = &common.ConfigGroup{}
			write.Groups[m] = &common.ConfigGroup{}
		}
	}
	if add != "" {
		write.Groups[add] = &common.ConfigGroup{
			Values:    map[string]*common.ConfigValue{"MSP": {Value: []byte("msp of " + add), ModPolicy: "Admins"}},
			ModPolicy: "Admins",
		}
	}
	u := &common.ConfigUpdate{
		ChannelId: channel,
		ReadSet:   &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{"Application": read}},
		WriteSet:  &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{"Application": write}},
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(u)
	require.NoError(t, err)
	return b
}

// expiry is a week after the fake stub's transaction time.
var expiry = fakestub.DefaultTxTime.Add(7 * 24 * time.Hour).Format(time.RFC3339)

// proposal is the JSON input of Propose.
func proposal(t testing.TB, kind, subject string, update []byte, changes map[string]any) string {
	t.Helper()
	return contracttest.JSONWith(t, map[string]any{
		"kind": kind, "subjectMspId": subject, "update": base64.StdEncoding.EncodeToString(update),
		"sequence": 7, "expiresAt": expiry,
	}, changes)
}

// addHarbour is the proposal to add HarbourMSP on channel civic.
func addHarbour(t testing.TB) (input string, update []byte) {
	update = configUpdate(t, "civic", "HarbourMSP", "")
	return proposal(t, spec.MembershipAdd, "HarbourMSP", update, nil), update
}

// idOf is the proposal id of update.
func idOf(update []byte) string {
	sum := sha256.Sum256(update)
	return hex.EncodeToString(sum[:])
}

// configSignature returns the base64 of by's ConfigSignature over update
// as Fabric makes one (low-S ECDSA over SHA-256 of header || update), with
// creator as the header's creator.
func configSignature(t testing.TB, signer *ecdsa.PrivateKey, creator, update []byte) string {
	t.Helper()
	nonce := make([]byte, 24)
	_, err := rand.Read(nonce)
	require.NoError(t, err)
	header, err := proto.Marshal(&common.SignatureHeader{Creator: creator, Nonce: nonce})
	require.NoError(t, err)
	digest := sha256.Sum256(append(append([]byte{}, header...), update...))
	r, s, err := ecdsa.Sign(rand.Reader, signer, digest[:])
	require.NoError(t, err)
	if half := new(big.Int).Rsh(signer.Curve.Params().N, 1); s.Cmp(half) > 0 {
		s.Sub(signer.Curve.Params().N, s)
	}
	return encodeSignature(t, header, r, s)
}

// encodeSignature marshals a ConfigSignature of header and (r, s).
func encodeSignature(t testing.TB, header []byte, r, s *big.Int) string {
	t.Helper()
	sig, err := marshalECDSA(r, s)
	require.NoError(t, err)
	raw, err := proto.Marshal(&common.ConfigSignature{SignatureHeader: header, Signature: sig})
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(raw)
}

// signAs returns id's own ConfigSignature over update.
func signAs(t testing.TB, id fakestub.Identity, update []byte) string {
	return configSignature(t, id.Key, id.Creator, update)
}

// propose runs Propose as id and requires success.
func (w *world) propose(t *testing.T, id fakestub.Identity, input string) *records.MembershipProposal {
	t.Helper()
	p, err := w.c.Propose(contracttest.TxAs(w.stub, id), input)
	require.NoError(t, err)
	return p
}

// sign runs Sign as id with id's own signature and requires success.
func (w *world) sign(t *testing.T, id fakestub.Identity, proposalID string, update []byte) *records.MembershipProposal {
	t.Helper()
	p, err := w.c.Sign(contracttest.TxAs(w.stub, id), proposalID, signAs(t, id, update))
	require.NoError(t, err)
	return p
}

// refused requires err to be code, mentioning want, and the ledger to be
// as before.
func (w *world) refused(t *testing.T, before contracttest.LedgerState, code base.Code, want string, err error) {
	t.Helper()
	contracttest.RequireCode(t, code, err)
	require.ErrorContains(t, err, want)
	contracttest.RequireUnchanged(t, w.stub, before)
}

// marshalECDSA encodes (r, s) as the ASN.1 ECDSA signature Fabric carries.
func marshalECDSA(r, s *big.Int) ([]byte, error) {
	return asn1.Marshal(struct{ R, S *big.Int }{r, s})
}
