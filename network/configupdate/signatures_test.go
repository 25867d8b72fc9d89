package configupdate

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

func TestCheck(t *testing.T) {
	cfg, orgs := threeOrgs(t)
	newcomer := newTestOrg(t, "HealthMSP", 7300)
	update, err := AddAdministration(cfg, testChannel, newcomer.joinRequest(t))
	require.NoError(t, err)
	registry, city, treasury := orgs[0], orgs[1], orgs[2]

	sign := func(t *testing.T, ids ...*configtx.SigningIdentity) []*common.ConfigSignature {
		var out []*common.ConfigSignature
		for _, id := range ids {
			s, err := Sign(update.Bytes, id)
			require.NoError(t, err)
			out = append(out, s)
		}
		return out
	}
	registryAdmin := registry.signer(t, "admin")
	cases := map[string]struct {
		signers []*configtx.SigningIdentity
		want    bool
	}{
		"one admin of three is not enough":                         {[]*configtx.SigningIdentity{registryAdmin}, false},
		"two admins of three satisfy MAJORITY":                     {[]*configtx.SigningIdentity{registryAdmin, city.signer(t, "admin")}, true},
		"all three admins satisfy it too":                          {[]*configtx.SigningIdentity{registryAdmin, city.signer(t, "admin"), treasury.signer(t, "admin")}, true},
		"a client's signature does not count as an admin's":        {[]*configtx.SigningIdentity{registryAdmin, city.signer(t, "client")}, false},
		"a peer's signature does not count as an admin's":          {[]*configtx.SigningIdentity{registryAdmin, city.signer(t, "peer")}, false},
		"two admins of the same administration count once":         {[]*configtx.SigningIdentity{registryAdmin, registry.signer(t, "admin")}, false},
		"the same admin signing twice counts once":                 {[]*configtx.SigningIdentity{registryAdmin, registryAdmin}, false},
		"the newcomer's admin is not yet a member and counts none": {[]*configtx.SigningIdentity{registryAdmin, newcomer.signer(t, "admin")}, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			v, err := Check(cfg, update.Bytes, sign(t, tc.signers...), time.Now())
			require.NoError(t, err)
			require.Equal(t, tc.want, v.Satisfied())
			require.Len(t, v.Policies, 2)
			for _, p := range v.Policies {
				require.Equal(t, tc.want, p.Satisfied, p.Path)
				require.Contains(t, p.Description, "MAJORITY Admins of 3 organizations: 2 needed")
			}
		})
	}

	t.Run("a signature over other bytes is ignored with a reason", func(t *testing.T) {
		sigs := sign(t, registryAdmin)
		other, err := Sign(append([]byte{}, update.Bytes[1:]...), city.signer(t, "admin"))
		require.NoError(t, err)
		v, err := Check(cfg, update.Bytes, append(sigs, other), time.Now())
		require.NoError(t, err)
		require.False(t, v.Satisfied())
		require.Len(t, v.Ignored, 1)
		require.Contains(t, v.Ignored[0], "does not match")
	})

	t.Run("a foreign certificate's signature is ignored as not a member's", func(t *testing.T) {
		v, err := Check(cfg, update.Bytes, sign(t, newcomer.signer(t, "admin")), time.Now())
		require.NoError(t, err)
		require.Len(t, v.Ignored, 1)
		require.Contains(t, v.Ignored[0], "not in the channel configuration")
	})

	t.Run("signatures checked against a configuration the update was not computed for are stale", func(t *testing.T) {
		_, err := Check(update.Next, update.Bytes, sign(t, registryAdmin, city.signer(t, "admin")), time.Now())
		require.ErrorIs(t, err, ErrStaleUpdate)
	})

	t.Run("bytes that are not a config update are invalid", func(t *testing.T) {
		_, err := Check(cfg, []byte("junk"), nil, time.Now())
		require.ErrorIs(t, err, ErrInvalidUpdate)
	})

	t.Run("the envelope carries the update bytes and the signatures, signed by the submitter", func(t *testing.T) {
		sigs := sign(t, registryAdmin, city.signer(t, "admin"))
		env, err := Envelope(update.Bytes, registryAdmin, sigs...)
		require.NoError(t, err)
		require.NotEmpty(t, env.GetSignature())
		var payload common.Payload
		require.NoError(t, proto.Unmarshal(env.GetPayload(), &payload))
		var ch common.ChannelHeader
		require.NoError(t, proto.Unmarshal(payload.GetHeader().GetChannelHeader(), &ch))
		require.Equal(t, int32(common.HeaderType_CONFIG_UPDATE), ch.GetType())
		require.Equal(t, testChannel, ch.GetChannelId())
		var cue common.ConfigUpdateEnvelope
		require.NoError(t, proto.Unmarshal(payload.GetData(), &cue))
		require.Equal(t, update.Bytes, cue.GetConfigUpdate())
		require.Len(t, cue.GetSignatures(), 2)
		v, err := Check(cfg, cue.GetConfigUpdate(), cue.GetSignatures(), time.Now())
		require.NoError(t, err)
		require.True(t, v.Satisfied())
	})
}

func TestCheckRemovalFromFour(t *testing.T) {
	_, orgs := threeOrgs(t)
	health := newTestOrg(t, "HealthMSP", 7300)
	four := channelConfig(t, append(orgs, health)...)
	update, err := RemoveAdministration(four, testChannel, "HealthMSP")
	require.NoError(t, err)

	for name, tc := range map[string]struct {
		signers []*testOrg
		want    bool
	}{
		"two admins of four are not a majority":                    {orgs[:2], false},
		"three admins of four are":                                 {orgs, true},
		"the leaving administration's admin counts like any other": {[]*testOrg{orgs[0], orgs[1], health}, true},
	} {
		t.Run(name, func(t *testing.T) {
			var sigs []*common.ConfigSignature
			for _, o := range tc.signers {
				s, err := Sign(update.Bytes, o.signer(t, "admin"))
				require.NoError(t, err)
				sigs = append(sigs, s)
			}
			v, err := Check(four, update.Bytes, sigs, time.Now())
			require.NoError(t, err)
			require.Equal(t, tc.want, v.Satisfied())
		})
	}
}
