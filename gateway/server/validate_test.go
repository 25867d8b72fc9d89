package server

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/records"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// requireInvalid checks err is InvalidArgument with exactly this message.
func requireInvalid(t *testing.T, err error, msg string) {
	t.Helper()
	st := status.Convert(err)
	require.Equal(t, codes.InvalidArgument, st.Code(), st.Message())
	require.Equal(t, msg, st.Message())
}

func TestRequireAll(t *testing.T) {
	t.Run("the first empty field is reported, in the order given", func(t *testing.T) {
		requireInvalid(t, requireAll("a", "x", "b", "", "c", ""), "b: is required")
	})
	t.Run("all fields set pass", func(t *testing.T) {
		require.NoError(t, requireAll("a", "x", "b", "y"))
	})
	t.Run("an odd number of arguments is a programming error", func(t *testing.T) {
		require.Panics(t, func() { _ = requireAll("a") })
	})
	t.Run("a profile's missing fields are reported in the request's order", func(t *testing.T) {
		d := &directoryService{ledger: &fakeLedger{}}
		_, err := d.SetProfile(context.Background(), &apiv1.SetProfileRequest{})
		requireInvalid(t, err, "display_name: is required")
		_, err = d.SetProfile(context.Background(), &apiv1.SetProfileRequest{DisplayName: "Council"})
		requireInvalid(t, err, "kind: is required")
	})
}

func TestPageSize(t *testing.T) {
	for n, want := range map[int32]string{0: "", 1: "1", 100: "100"} {
		got, err := pageSize(n)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	for _, n := range []int32{-1, 101} {
		_, err := pageSize(n)
		require.Equal(t, codes.InvalidArgument, status.Code(err))
	}
}

func TestSHA256Hex(t *testing.T) {
	const secret = "k7Qp2vXb9LrT4mZs8NwE1yHc-secret-token"
	for name, tc := range map[string]struct {
		v, msg string
	}{
		"64 lowercase hex characters pass":            {v: testDocumentHash},
		"upper case passes too":                       {v: strings.ToUpper(testDocumentHash)},
		"an empty value is required":                  {v: "", msg: "f: is required: a SHA-256 as 64 hex characters"},
		"a short value gives its length":              {v: "abc", msg: "f: must be a SHA-256 as 64 hex characters, got 3 characters"},
		"a non-hex letter is refused at its position": {v: "9G" + testDocumentHash[2:], msg: "f: must be a SHA-256 as 64 hex characters, character 2 is not 0-9, a-f or A-F"},
		"a clear token is refused without being echoed": {
			v: secret + strings.Repeat("x", 64-len(secret)), msg: "f: must be a SHA-256 as 64 hex characters, character 1 is not 0-9, a-f or A-F",
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := sha256Hex("f", tc.v)
			if tc.msg == "" {
				require.NoError(t, err)
				return
			}
			requireInvalid(t, err, tc.msg)
		})
	}
}

func TestRFC3339(t *testing.T) {
	for name, tc := range map[string]struct {
		v         string
		mandatory bool
		msg       string
	}{
		"a UTC time passes":                     {v: "2024-01-01T00:00:00Z", mandatory: true},
		"a time with an offset passes":          {v: "2026-04-02T18:00:00+02:00", mandatory: true},
		"a time with fractional seconds passes": {v: "2025-01-01T00:00:00.123456789Z", mandatory: true},
		"an empty optional time passes":         {v: ""},
		"an empty mandatory time is required": {
			v: "", mandatory: true, msg: "t: is required: " + rfc3339Examples,
		},
		"a date alone is refused, quoted": {
			v: "2024-01-01", msg: `t: "2024-01-01" is not ` + rfc3339Examples,
		},
		"a time without an offset is refused": {
			v: "2026-04-02T18:00:00", mandatory: true, msg: `t: "2026-04-02T18:00:00" is not ` + rfc3339Examples,
		},
		"a validity up to year 9999 is refused as outside the chaincode's years": {
			v: "9999-12-31T00:00:00Z", msg: `t: "9999-12-31T00:00:00Z" is after 2199-12-31: times must lie within the years 1900 to 2199`,
		},
		"a year 0202 typo is refused": {
			v: "0202-01-01T00:00:00Z", msg: `t: "0202-01-01T00:00:00Z" is before 1900-01-01: times must lie within the years 1900 to 2199`,
		},
		"a long value is clipped in the message": {
			v: strings.Repeat("9", 100), msg: `t: "` + strings.Repeat("9", 64) + `…" is not ` + rfc3339Examples,
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := rfc3339("t", tc.v, tc.mandatory)
			if tc.msg == "" {
				require.NoError(t, err)
				return
			}
			requireInvalid(t, err, tc.msg)
		})
	}
}

func TestLedgerEnum(t *testing.T) {
	m := map[string]apiv1.PermissionStatus{"active": apiv1.PermissionStatus_PERMISSION_STATUS_ACTIVE}
	t.Run("a known name maps to its value", func(t *testing.T) {
		got, err := ledgerEnum(m, "permission status", "active")
		require.NoError(t, err)
		require.Equal(t, apiv1.PermissionStatus_PERMISSION_STATUS_ACTIVE, got)
	})
	t.Run("an unknown name is an internal error naming it", func(t *testing.T) {
		_, err := ledgerEnum(m, "permission status", "suspended")
		st := status.Convert(err)
		require.Equal(t, codes.Internal, st.Code())
		require.Equal(t, `the ledger returned permission status "suspended", unknown to this gateway`, st.Message())
	})
}

func TestConvertAll(t *testing.T) {
	ints := func(ns ...int) []*int {
		out := make([]*int, len(ns))
		for i := range ns {
			out[i] = &ns[i]
		}
		return out
	}
	double := func(n int) (int, error) {
		if n < 0 {
			return 0, errors.New("negative")
		}
		return 2 * n, nil
	}
	t.Run("every element is converted in order", func(t *testing.T) {
		got, err := convertAll(ints(1, 2, 3), double)
		require.NoError(t, err)
		require.Equal(t, []int{2, 4, 6}, got)
	})
	t.Run("the first failure fails the list", func(t *testing.T) {
		_, err := convertAll(ints(1, -1, 3), double)
		require.EqualError(t, err, "negative")
	})
	t.Run("a null element converts as the empty object", func(t *testing.T) {
		got, err := convertAll([]*int{nil}, double)
		require.NoError(t, err)
		require.Equal(t, []int{0}, got)
	})
	t.Run("a document history converts deleted and present versions", func(t *testing.T) {
		got, err := convertAll([]*records.DocumentVersion{
			{TxID: "t2", IsDelete: true},
			{TxID: "t1", Document: &records.Document{ID: "X", Type: "permit", Status: "valid"}},
		}, documentVersionProto)
		require.NoError(t, err)
		require.Nil(t, got[0].Document)
		require.True(t, got[0].IsDelete)
		require.Equal(t, "X", got[1].Document.Id)
	})
}

func TestOwnerOrCaller(t *testing.T) {
	ctx := context.WithValue(context.Background(), userKey, &fabric.User{Name: "clerk", MSPID: "RegistryMSP"})
	t.Run("an empty owner is the caller's administration", func(t *testing.T) {
		require.Equal(t, "RegistryMSP", ownerOrCaller(ctx, ""))
	})
	t.Run("a named owner is kept", func(t *testing.T) {
		require.Equal(t, "TreasuryMSP", ownerOrCaller(ctx, "TreasuryMSP"))
	})
	t.Run("without a caller an empty owner stays empty", func(t *testing.T) {
		require.Empty(t, ownerOrCaller(context.Background(), ""))
	})
}

func TestConvocationID(t *testing.T) {
	for name, tc := range map[string]struct {
		v, msg string
	}{
		"the ledger's lowercase id passes": {v: testDocumentHash},
		"upper case is refused, since ids match exactly": {v: "9F" + testDocumentHash[2:],
			msg: "f: must be a convocation id as 64 lowercase hex characters, as Convene returned it, character 2 is not 0-9 or a-f"},
		"an empty id is required": {v: "", msg: "f: is required: a convocation id as 64 lowercase hex characters, as Convene returned it"},
	} {
		t.Run(name, func(t *testing.T) {
			err := convocationID("f", tc.v)
			if tc.msg == "" {
				require.NoError(t, err)
				return
			}
			requireInvalid(t, err, tc.msg)
		})
	}
}
