package configupdate

import (
	"testing"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// threeOrgs is the network's usual start: three administrations.
func threeOrgs(t *testing.T) (*common.Config, []*testOrg) {
	orgs := []*testOrg{newTestOrg(t, "RegistryMSP", 7000), newTestOrg(t, "CityMSP", 7100), newTestOrg(t, "TreasuryMSP", 7200)}
	return channelConfig(t, orgs...), orgs
}

// summary reads what a configuration says about its members.
func summary(t *testing.T, cfg *common.Config) (app, ord map[string]configtx.Organization, consenters int) {
	t.Helper()
	tx := configtx.New(cfg)
	a, err := tx.Application().Configuration()
	require.NoError(t, err)
	o, err := tx.Orderer().Configuration()
	require.NoError(t, err)
	app, ord = map[string]configtx.Organization{}, map[string]configtx.Organization{}
	for _, org := range a.Organizations {
		app[org.Name] = org
	}
	for _, org := range o.Organizations {
		ord[org.Name] = org
	}
	return app, ord, len(o.EtcdRaft.Consenters)
}

// withoutVersions clears what a round of updates legitimately changes: the
// sequence and the element versions.
func withoutVersions(cfg *common.Config) *common.Config {
	out := proto.Clone(cfg).(*common.Config)
	out.Sequence = 0
	var clear func(g *common.ConfigGroup)
	clear = func(g *common.ConfigGroup) {
		g.Version = 0
		for _, v := range g.GetValues() {
			v.Version = 0
		}
		for _, p := range g.GetPolicies() {
			p.Version = 0
		}
		for _, c := range g.GetGroups() {
			clear(c)
		}
	}
	clear(out.GetChannelGroup())
	return out
}

func signaturePolicy(t *testing.T, p *common.ConfigPolicy) *common.SignaturePolicyEnvelope {
	t.Helper()
	require.Equal(t, int32(common.Policy_SIGNATURE), p.GetPolicy().GetType())
	var env common.SignaturePolicyEnvelope
	require.NoError(t, proto.Unmarshal(p.GetPolicy().GetValue(), &env))
	return &env
}

// principalsSwapped is a member's signature policy with every role
// principal naming mspID instead.
func principalsSwapped(t *testing.T, p *common.ConfigPolicy, mspID string) *common.SignaturePolicyEnvelope {
	env := signaturePolicy(t, p)
	for _, id := range env.GetIdentities() {
		var role mspproto.MSPRole
		require.NoError(t, proto.Unmarshal(id.GetPrincipal(), &role))
		role.MspIdentifier = mspID
		raw, err := proto.Marshal(&role)
		require.NoError(t, err)
		id.Principal = raw
	}
	return env
}

func TestAddAndRemoveAdministration(t *testing.T) {
	cfg, orgs := threeOrgs(t)
	newcomer := newTestOrg(t, "HealthMSP", 7300)
	join := newcomer.joinRequest(t)

	added, err := AddAdministration(cfg, testChannel, join)
	require.NoError(t, err)

	t.Run("the update names the channel and the sequence it was computed against", func(t *testing.T) {
		require.Equal(t, testChannel, added.Proto.GetChannelId())
		require.Equal(t, cfg.GetSequence(), added.Sequence)
		require.Equal(t, cfg.GetSequence()+1, added.Next.GetSequence())
	})

	t.Run("the new configuration has four application orgs, four orderer orgs and four consenters", func(t *testing.T) {
		app, ord, consenters := summary(t, added.Next)
		require.Len(t, app, 4)
		require.Len(t, ord, 4)
		require.Equal(t, 4, consenters)
		require.Equal(t, []configtx.Address{{Host: testHost, Port: 7300}}, app["HealthMSP"].AnchorPeers)
		require.Equal(t, []string{"127.0.0.1:7301"}, ord["HealthMSP"].OrdererEndpoints)
	})

	t.Run("the newcomer has the policies and MSP shape of an existing member with its MSP ID", func(t *testing.T) {
		app, ord, _ := summary(t, added.Next)
		for _, group := range []map[string]configtx.Organization{app, ord} {
			want := swapMSP(group["CityMSP"].Policies, "CityMSP", "HealthMSP")
			require.Equal(t, want, group["HealthMSP"].Policies)
			require.Contains(t, group["HealthMSP"].Policies["Admins"].Rule, "'HealthMSP.admin'")
			msp := group["HealthMSP"].MSP
			require.True(t, msp.NodeOUs.Enable)
			require.Equal(t, "admin", msp.NodeOUs.AdminOUIdentifier.OrganizationalUnitIdentifier)
			require.True(t, msp.NodeOUs.AdminOUIdentifier.Certificate.Equal(newcomer.ca))
			require.Equal(t, group["CityMSP"].MSP.CryptoConfig, msp.CryptoConfig)
		}
		for _, group := range []string{"Application", "Orderer"} {
			groups := added.Next.GetChannelGroup().GetGroups()[group].GetGroups()
			require.Equal(t, "Admins", groups["HealthMSP"].GetModPolicy())
			for name, p := range groups["CityMSP"].GetPolicies() {
				require.True(t, proto.Equal(principalsSwapped(t, p, "HealthMSP"), signaturePolicy(t, groups["HealthMSP"].GetPolicies()[name])), "%s %s", group, name)
			}
		}
	})

	t.Run("it needs the application and orderer admins", func(t *testing.T) {
		paths, err := RequiredPolicies(cfg, added.Proto)
		require.NoError(t, err)
		require.Equal(t, []string{"/Channel/Application/Admins", "/Channel/Orderer/Admins"}, paths)
	})

	removed, err := RemoveAdministration(added.Next, testChannel, "HealthMSP")
	require.NoError(t, err)

	t.Run("removing it again gives the original configuration but for sequence and versions", func(t *testing.T) {
		require.True(t, proto.Equal(withoutVersions(cfg), withoutVersions(removed.Next)))
		require.Equal(t, cfg.GetSequence()+2, removed.Next.GetSequence())
		paths, err := RequiredPolicies(added.Next, removed.Proto)
		require.NoError(t, err)
		require.Equal(t, []string{"/Channel/Application/Admins", "/Channel/Orderer/Admins"}, paths)
	})

	t.Run("removing an original member of four leaves three with their consenters", func(t *testing.T) {
		out, err := RemoveAdministration(added.Next, testChannel, orgs[0].mspID)
		require.NoError(t, err)
		app, ord, consenters := summary(t, out.Next)
		require.Len(t, app, 3)
		require.NotContains(t, app, "RegistryMSP")
		require.NotContains(t, ord, "RegistryMSP")
		require.Equal(t, 3, consenters)
	})

	t.Run("a removal's Application read set names the members that stay, not the leaver, and its write set bumps the group without it", func(t *testing.T) {
		// The Membership contract checks a removal proposal against this shape.
		for _, leaver := range []string{"HealthMSP", orgs[0].mspID} {
			out, err := RemoveAdministration(added.Next, testChannel, leaver)
			require.NoError(t, err)
			read := out.Proto.GetReadSet().GetGroups()["Application"]
			write := out.Proto.GetWriteSet().GetGroups()["Application"]
			require.NotContains(t, read.GetGroups(), leaver)
			require.NotContains(t, write.GetGroups(), leaver)
			require.Len(t, write.GetGroups(), 3)
			require.Greater(t, write.GetVersion(), read.GetVersion())
		}
	})

	t.Run("an update computed against an older configuration is stale", func(t *testing.T) {
		again, err := AddAdministration(cfg, testChannel, newTestOrg(t, "PortMSP", 7400).joinRequest(t))
		require.NoError(t, err)
		_, err = RequiredPolicies(added.Next, again.Proto)
		require.ErrorIs(t, err, ErrStaleUpdate)
	})
}

func TestRefusals(t *testing.T) {
	cfg, orgs := threeOrgs(t)
	four := channelConfig(t, append(orgs, newTestOrg(t, "HealthMSP", 7300))...)

	// Four members of which only two run an orderer: removing one of those
	// leaves one of two consenters, less than the quorum of two.
	a, b, c, d := newTestOrg(t, "AMSP", 8000), newTestOrg(t, "BMSP", 8100), newTestOrg(t, "CMSP", 8200), newTestOrg(t, "DMSP", 8300)
	c.consenters, d.consenters = 0, 0
	twoConsenters := channelConfig(t, a, b, c, d)
	// Four members of which one runs two of five consenters.
	e, f, g, h := newTestOrg(t, "EMSP", 9000), newTestOrg(t, "FMSP", 9100), newTestOrg(t, "GMSP", 9200), newTestOrg(t, "HMSP", 9300)
	e.consenters = 2
	doubleConsenter := channelConfig(t, e, f, g, h)

	withPeer := func(mspID string, port int) Administration {
		j := newTestOrg(t, mspID, 7500).joinRequest(t)
		j.AnchorPeer.Port = port
		return j
	}
	badPEM := newTestOrg(t, "BadMSP", 7600).joinRequest(t)
	badPEM.RootCerts = [][]byte{[]byte("not a certificate")}
	noMSP := newTestOrg(t, "", 7700).joinRequest(t)
	noPort := newTestOrg(t, "NoPortMSP", 7800).joinRequest(t)
	noPort.Consenter.Port = 0

	adds := map[string]struct {
		join Administration
		want error
	}{
		"a duplicate MSP ID is refused":                 {orgs[1].joinRequest(t), ErrDuplicateAdministration},
		"an anchor peer already a member's is refused":  {withPeer("NewMSP", 7100), ErrDuplicateAdministration},
		"a root certificate that is not PEM is refused": {badPEM, ErrInvalidAdministration},
		"an empty MSP ID is refused":                    {noMSP, ErrInvalidAdministration},
		"a consenter without a port is refused":         {noPort, ErrInvalidAdministration},
	}
	for name, tc := range adds {
		t.Run(name, func(t *testing.T) {
			before := proto.Clone(cfg)
			_, err := AddAdministration(cfg, testChannel, tc.join)
			require.ErrorIs(t, err, tc.want)
			require.True(t, proto.Equal(before, cfg), "the current configuration is unchanged")
		})
	}

	removes := map[string]struct {
		cfg  *common.Config
		msp  string
		want error
	}{
		"an unknown MSP ID is refused":                             {four, "NowhereMSP", ErrUnknownAdministration},
		"removing one of three administrations is refused":         {cfg, "CityMSP", ErrTooFewAdministrations},
		"removing one of two consenters is refused for quorum":     {twoConsenters, "AMSP", ErrQuorumLoss},
		"removing a member with two consenters at once is refused": {doubleConsenter, "EMSP", ErrQuorumLoss},
	}
	for name, tc := range removes {
		t.Run(name, func(t *testing.T) {
			_, err := RemoveAdministration(tc.cfg, testChannel, tc.msp)
			require.ErrorIs(t, err, tc.want)
		})
	}

	t.Run("removing a member without an orderer keeps every consenter", func(t *testing.T) {
		out, err := RemoveAdministration(twoConsenters, testChannel, "CMSP")
		require.NoError(t, err)
		_, _, consenters := summary(t, out.Next)
		require.Equal(t, 2, consenters)
	})
}
