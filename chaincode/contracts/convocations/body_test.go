package convocations_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/convocations"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// requireConvOwnerPolicy checks that key carries an endorsement policy whose
// first principal is the peer of owner (the owner-plus-one policy).
func requireConvOwnerPolicy(t *testing.T, stub *fakestub.Stub, key, owner string) {
	t.Helper()
	raw, err := stub.GetStateValidationParameter(key)
	require.NoError(t, err)
	require.NotEmpty(t, raw, "key %q has no endorsement policy", key)
	var env common.SignaturePolicyEnvelope
	require.NoError(t, proto.Unmarshal(raw, &env))
	require.NotEmpty(t, env.Identities)
	var role msp.MSPRole
	require.NoError(t, proto.Unmarshal(env.Identities[0].Principal, &role))
	require.Equal(t, owner, role.MspIdentifier)
	require.Equal(t, msp.MSPRole_PEER, role.Role)
}

func TestConvocationsSetBody(t *testing.T) {
	t.Run("an admin defines a body of its own administration", func(t *testing.T) {
		w := newConvWorld(t)
		b := w.body("council", 5, "Europe/Paris")
		want := &records.ConvocationBody{
			OwnerMSP: "RegistryMSP", ID: "council", Name: "Conseil communautaire",
			ClearDays: 5, TimeZone: "Europe/Paris", UpdatedAt: "2024-01-02T03:04:05Z",
		}
		require.Equal(t, want, b)
		got, err := w.cc.GetBody(contracttest.TxContext(w.stub), "RegistryMSP", "council")
		require.NoError(t, err)
		require.Equal(t, want, got)

		key, err := state.ConvocationBodyKey(w.stub, "RegistryMSP", "council")
		require.NoError(t, err)
		require.Equal(t, []string{key}, w.stub.Keys())
		requireConvOwnerPolicy(t, w.stub, key, "RegistryMSP")
	})

	t.Run("the body set event carries the stored body", func(t *testing.T) {
		w := newConvWorld(t)
		b := w.body("council", 3, "Europe/Paris")
		ev, n := w.lastEvent()
		require.Equal(t, 1, n)
		require.Equal(t, spec.EventConvocationBodySet, ev.Name)
		var got records.ConvocationBody
		require.NoError(t, json.Unmarshal(ev.Payload, &got))
		require.Equal(t, *b, got)
	})

	t.Run("callers who are not admins are refused and nothing is written", func(t *testing.T) {
		w := newConvWorld(t)
		for name, id := range map[string]fakestub.Identity{
			"a clerk": w.clerk, "an approver": w.approver, "a caller without a role": w.noRole,
		} {
			t.Run(name, func(t *testing.T) {
				_, err := w.cc.SetBody(contracttest.TxContext(w.stub.As(id)), convBodyJSON("council", 5, "Europe/Paris"))
				contracttest.RequireCode(t, base.CodePermissionDenied, err)
				require.Empty(t, w.stub.Keys())
				require.Empty(t, w.stub.Events())
			})
		}
	})

	t.Run("the clear days bounds 0 and 30 and every iana zone form are accepted", func(t *testing.T) {
		for _, tc := range []struct {
			days int
			tz   string
		}{
			{0, "Europe/Paris"}, {30, "Europe/Paris"}, {3, "UTC"}, {5, "America/Argentina/Buenos_Aires"},
			{5, "Etc/GMT+5"}, {5, "America/Port-au-Prince"}, {5, "Pacific/Noumea"}, {5, "Indian/Reunion"},
		} {
			b := newConvWorld(t).body("council", tc.days, tc.tz)
			require.Equal(t, tc.days, b.ClearDays)
			require.Equal(t, tc.tz, b.TimeZone)
		}
	})

	t.Run("malformed input is refused and nothing is written", func(t *testing.T) {
		for name, input := range map[string]string{
			"an empty argument":             ``,
			"not json":                      `council`,
			"truncated json":                `{"id":"council","name":"C"`,
			"a list instead of an object":   `[{"id":"council"}]`,
			"a json string":                 `"council"`,
			"an unknown field":              `{"id":"council","name":"C","clearDays":5,"timeZone":"Europe/Paris","inhabitants":3000}`,
			"a field name in another case":  `{"ID":"council","name":"C","clearDays":5,"timeZone":"Europe/Paris"}`,
			"a field twice":                 `{"id":"council","name":"C","clearDays":5,"clearDays":0,"timeZone":"Europe/Paris"}`,
			"data after the object":         `{"id":"council","name":"C","clearDays":5,"timeZone":"Europe/Paris"} {}`,
			"clear days as a string":        `{"id":"council","name":"C","clearDays":"5","timeZone":"Europe/Paris"}`,
			"clear days as a fraction":      `{"id":"council","name":"C","clearDays":5.5,"timeZone":"Europe/Paris"}`,
			"clear days as a boolean":       `{"id":"council","name":"C","clearDays":true,"timeZone":"Europe/Paris"}`,
			"an id as a number":             `{"id":7,"name":"C","clearDays":5,"timeZone":"Europe/Paris"}`,
			"missing clear days":            `{"id":"council","name":"C","timeZone":"Europe/Paris"}`,
			"null clear days":               `{"id":"council","name":"C","clearDays":null,"timeZone":"Europe/Paris"}`,
			"negative clear days":           convBodyJSON("council", -1, "Europe/Paris"),
			"31 clear days":                 convBodyJSON("council", 31, "Europe/Paris"),
			"huge clear days":               `{"id":"council","name":"C","clearDays":1e30,"timeZone":"Europe/Paris"}`,
			"a missing id":                  convBodyJSON("", 5, "Europe/Paris"),
			"an id with a space":            convBodyJSON("city council", 5, "Europe/Paris"),
			"an id with a null byte":        `{"id":"council\u0000x","name":"C","clearDays":5,"timeZone":"Europe/Paris"}`,
			"an id of 65 characters":        convBodyJSON(strings.Repeat("c", 65), 5, "Europe/Paris"),
			"a blank name":                  `{"id":"council","name":"  ","clearDays":5,"timeZone":"Europe/Paris"}`,
			"a name over 200 characters":    `{"id":"council","name":"` + strings.Repeat("n", 201) + `","clearDays":5,"timeZone":"Europe/Paris"}`,
			"a name with a newline":         `{"id":"council","name":"A\nB","clearDays":5,"timeZone":"Europe/Paris"}`,
			"invalid utf-8":                 "{\"id\":\"council\",\"name\":\"Conseil \xff\",\"clearDays\":5,\"timeZone\":\"Europe/Paris\"}",
			"an unknown time zone":          convBodyJSON("council", 5, "Europe/Atlantis"),
			"a missing time zone":           convBodyJSON("council", 5, ""),
			"the peer's local time zone":    convBodyJSON("council", 5, "Local"),
			"a time zone in the wrong case": convBodyJSON("council", 5, "europe/paris"),
			"a posix tree time zone":        convBodyJSON("council", 5, "posix/Europe/Paris"),
			"a time zone path":              convBodyJSON("council", 5, "../../etc/passwd"),
			"an abbreviation":               convBodyJSON("council", 5, "CET"),
			"an input over 4 KiB":           `{"id":"council","name":"C","clearDays":5,"timeZone":"Europe/Paris"}` + strings.Repeat(" ", 4<<10),
		} {
			t.Run(name, func(t *testing.T) {
				w := newConvWorld(t)
				b, err := w.cc.SetBody(contracttest.TxContext(w.stub.As(w.admin)), input)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				require.Nil(t, b)
				require.Less(t, len(err.Error()), 300, "message should not echo huge arguments")
				require.Empty(t, w.stub.Keys())
				require.Empty(t, w.stub.Events())
			})
		}
	})

	t.Run("decoding errors name the json field, not go types", func(t *testing.T) {
		w := newConvWorld(t)
		_, err := w.cc.SetBody(contracttest.TxContext(w.stub.As(w.admin)), `{"id":"council","name":"C","clearDays":"5","timeZone":"UTC"}`)
		require.EqualError(t, err, `INVALID_ARGUMENT: body.clearDays must be an integer, not a json string`)
		_, err = w.cc.SetBody(contracttest.TxContext(w.stub.As(w.admin)), `{"id":"council","extra":1}`)
		require.EqualError(t, err, `INVALID_ARGUMENT: body has unknown field "extra"`)
		_, err = w.cc.SetBody(contracttest.TxContext(w.stub.As(w.admin)), convBodyJSON("council", 31, "UTC"))
		require.EqualError(t, err, `INVALID_ARGUMENT: clearDays 31 is out of range 0..30`)
	})

	t.Run("a second call replaces the body and another administration keeps its own", func(t *testing.T) {
		w := newConvWorld(t)
		w.body("council", 5, "Europe/Paris")
		w.body("council", 3, "Europe/Paris")
		_, err := w.cc.SetBody(contracttest.TxContext(w.stub.As(w.otherAdmin)), convBodyJSON("council", 5, "Indian/Reunion"))
		require.NoError(t, err)

		reg, err := w.cc.GetBody(contracttest.TxContext(w.stub), "RegistryMSP", "council")
		require.NoError(t, err)
		require.Equal(t, 3, reg.ClearDays)
		tre, err := w.cc.GetBody(contracttest.TxContext(w.stub), "TreasuryMSP", "council")
		require.NoError(t, err)
		require.Equal(t, "Indian/Reunion", tre.TimeZone)
		require.Len(t, w.stub.Keys(), 2)
	})

	t.Run("ledger failures are internal errors with their cause", func(t *testing.T) {
		boom := errors.New("boom")
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failed write":              func(s *fakestub.Stub) { s.PutStateErr = boom },
			"a failed event":              func(s *fakestub.Stub) { s.SetEventErr = boom },
			"a failed member range query": func(s *fakestub.Stub) { s.RangeErr = boom },
			"a failed timestamp read":     func(s *fakestub.Stub) { s.TxTimestampErr = boom },
		} {
			t.Run(name, func(t *testing.T) {
				w := newConvWorld(t)
				fail(w.stub)
				b, err := w.cc.SetBody(contracttest.TxContext(w.stub.As(w.admin)), convBodyJSON("council", 5, "Europe/Paris"))
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.ErrorIs(t, err, boom)
				require.Nil(t, b)
			})
		}
	})
}

func TestConvocationsGetBody(t *testing.T) {
	t.Run("an absent body is not found", func(t *testing.T) {
		_, err := newConvWorld(t).cc.GetBody(contracttest.TxContext(fakestub.New()), "RegistryMSP", "council")
		contracttest.RequireCode(t, base.CodeNotFound, err)
	})

	t.Run("malformed arguments are invalid", func(t *testing.T) {
		cc := convocations.New()
		for name, args := range map[string][2]string{
			"a malformed msp id": {"Registry MSP", "council"},
			"an empty body id":   {"RegistryMSP", ""},
			"a malformed id":     {"RegistryMSP", "a/b"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := cc.GetBody(contracttest.TxContext(fakestub.New()), args[0], args[1])
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			})
		}
	})

	t.Run("a read failure is an internal error, not not found", func(t *testing.T) {
		stub := fakestub.New()
		stub.GetStateErr = errors.New("ledger unavailable")
		_, err := convocations.New().GetBody(contracttest.TxContext(stub), "RegistryMSP", "council")
		contracttest.RequireCode(t, base.CodeInternal, err)
		require.ErrorIs(t, err, stub.GetStateErr)
	})
}
