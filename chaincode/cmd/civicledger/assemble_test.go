package main

import (
	"errors"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
)

type echo struct{}

func (echo) Init(shim.ChaincodeStubInterface) *peer.Response   { return shim.Success([]byte("init")) }
func (echo) Invoke(shim.ChaincodeStubInterface) *peer.Response { return shim.Success([]byte("invoke")) }

func TestAssembling(t *testing.T) {
	t.Run("calls wait until the chaincode is assembled, then reach it", func(t *testing.T) {
		release := make(chan struct{})
		p := assembling(func() (echo, error) { <-release; return echo{}, nil }, func(err error) { t.Errorf("unexpected failure: %v", err) })
		got := make(chan *peer.Response)
		go func() { got <- p.Invoke(nil) }()
		select {
		case <-got:
			t.Fatal("a call was served before the chaincode was assembled")
		case <-time.After(50 * time.Millisecond):
		}
		close(release)
		res := <-got
		require.EqualValues(t, shim.OK, res.Status)
		require.Equal(t, "invoke", string(res.Payload))
		require.Equal(t, "init", string(p.Init(nil).Payload))
	})
	t.Run("a failure to assemble is reported, not served", func(t *testing.T) {
		failed := make(chan error, 1)
		assembling(func() (echo, error) { return echo{}, errors.New("bad metadata") }, func(err error) { failed <- err })
		require.EqualError(t, <-failed, "bad metadata")
	})
}
