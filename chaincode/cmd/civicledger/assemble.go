package main

import (
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

// pending is a chaincode being assembled in the background: Init and
// Invoke wait until it is ready, then call it.
type pending struct {
	ready chan struct{}
	cc    shim.Chaincode
}

// assembling starts newCC in the background and returns a chaincode that
// serves through it once it returns; when it fails, fail is called with
// its error (and is expected not to return).
func assembling[C shim.Chaincode](newCC func() (C, error), fail func(error)) *pending {
	p := &pending{ready: make(chan struct{})}
	go func() {
		cc, err := newCC()
		if err != nil {
			fail(err)
			return
		}
		p.cc = cc
		close(p.ready)
	}()
	return p
}

func (p *pending) Init(stub shim.ChaincodeStubInterface) *peer.Response {
	<-p.ready
	return p.cc.Init(stub)
}

func (p *pending) Invoke(stub shim.ChaincodeStubInterface) *peer.Response {
	<-p.ready
	return p.cc.Invoke(stub)
}
