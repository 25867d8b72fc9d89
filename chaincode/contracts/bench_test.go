package contracts_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/contracts/documents"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// BenchmarkRegister measures one Documents:Register on the fake stub: as the
// peer drives it, through the contract API of the assembled chaincode
// (argument conversion, metadata, result encoding), and the transaction
// function alone. The difference is what the contract API costs. Run with
// -cpuprofile to see where a registration's CPU goes (docs/benchmarks.md).
func BenchmarkRegister(b *testing.B) {
	cc, err := contracts.New()
	if err != nil {
		b.Fatal(err)
	}
	clerk := fakestub.NewIdentity(b, "RegistryMSP", "rita", spec.RoleClerk)
	newLedger := func(b *testing.B) *fakestub.Stub {
		stub := fakestub.New()
		for _, org := range []string{"Registry", "Treasury", "Council"} {
			admin := fakestub.NewIdentity(b, org+"MSP", "admin", spec.RoleAdmin)
			stub.As(admin).SetArgs("Directory:SetProfile", org, "agency", "office@example.org")
			if resp := cc.Invoke(stub); resp.Status != 200 {
				b.Fatalf("set profile of %s: %s", org, resp.Message)
			}
		}
		return stub.As(clerk)
	}

	b.Run("through the contract API", func(b *testing.B) {
		stub := newLedger(b)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			stub.SetArgs("Documents:Register", registration(i))
			if resp := cc.Invoke(stub); resp.Status != 200 {
				b.Fatal(resp.Message)
			}
		}
	})

	b.Run("the transaction alone", func(b *testing.B) {
		stub := newLedger(b)
		contract := documents.New()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := contract.Register(contracttest.TxContext(stub), registration(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// registration is the JSON argument of the i-th registration of a benchmark,
// shaped as the gateway sends it; building it costs little beside Register.
func registration(i int) string {
	return `{"id":"doc-` + strconv.Itoa(i) + `","type":"debt-extract","sha256":"` + benchHash +
		`","keyFacts":{"proceedings":"3","totalAmount":"CHF 1234.50"},"validFrom":"2024-01-01T00:00:00Z",` +
		`"validUntil":"2024-04-01T00:00:00Z","subjectRef":"` + benchHash + `"}`
}

// benchHash is the document hash and subject reference of every benchmark
// registration.
var benchHash = strings.Repeat("a1", 32)
