package fabric

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/grpc"

	"github.com/civicledger/civicledger/network/configupdate"
)

// SigningIdentity is u as fabric-config signs with it: a channel config
// update's ConfigSignature or envelope is signed with the key the wallet
// loaded for the user who called (custodial, as every transaction the
// gateway signs).
func (w *Wallet) SigningIdentity(u *User) (*configtx.SigningIdentity, error) {
	if u == nil || u.key == nil {
		return nil, errors.New("no user of this gateway's wallet to sign as")
	}
	return &configtx.SigningIdentity{Certificate: u.Cert, PrivateKey: u.key, MSPID: u.MSPID}, nil
}

// Orderers sends signed channel config updates to the ordering service,
// trying its orderers in order.
type Orderers struct {
	conns   []*grpc.ClientConn
	addrs   []string
	timeout time.Duration
}

// DialOrderers opens a lazy TLS connection to each orderer (an orderer
// verified by its TLS root, as a peer); timeout bounds each broadcast.
func DialOrderers(orderers []Peer, timeout time.Duration) (*Orderers, error) {
	if timeout <= 0 {
		return nil, fmt.Errorf("dial orderers: the broadcast timeout must be positive, got %s", timeout)
	}
	o := &Orderers{timeout: timeout}
	for i, p := range orderers {
		conn, err := dialPeer(p) // an orderer is trusted by its TLS root, as a peer
		if err != nil {
			o.Close()
			return nil, fmt.Errorf("orderers[%d]: %w", i, err)
		}
		o.conns = append(o.conns, conn)
		o.addrs = append(o.addrs, p.Address)
	}
	return o, nil
}

// ErrNoOrderers means the gateway has no orderer to send a config update to.
var ErrNoOrderers = errors.New("this gateway has no orderers configured (orderers in its configuration)")

// Broadcast sends env to the first orderer that accepts it. It moves to the
// next orderer only when one could not be reached or answered
// SERVICE_UNAVAILABLE, i.e. before any orderer accepted it; a refusal
// (configupdate.ErrRefused, e.g. BAD_REQUEST for an unmet policy) is
// returned as is. When none could be reached the error wraps ErrUnavailable.
func (o *Orderers) Broadcast(ctx context.Context, env *common.Envelope) error {
	if o == nil || len(o.conns) == 0 {
		return ErrNoOrderers
	}
	var errs []error
	for i, conn := range o.conns {
		err := o.broadcastOne(ctx, conn, env)
		if err == nil {
			return nil
		}
		if errors.Is(err, configupdate.ErrRefused) && !strings.Contains(err.Error(), common.Status_SERVICE_UNAVAILABLE.String()) {
			return fmt.Errorf("orderer %s: %w", o.addrs[i], err)
		}
		if ctx.Err() != nil {
			return fmt.Errorf("orderer %s: %w", o.addrs[i], ctx.Err())
		}
		errs = append(errs, fmt.Errorf("orderer %s: %w", o.addrs[i], err))
	}
	return fmt.Errorf("%w: no orderer accepted the config update: %w", ErrUnavailable, errors.Join(errs...))
}

func (o *Orderers) broadcastOne(ctx context.Context, conn *grpc.ClientConn, env *common.Envelope) error {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	return configupdate.Broadcast(ctx, conn, env)
}

// Close closes every orderer connection.
func (o *Orderers) Close() error {
	if o == nil {
		return nil
	}
	var errs []error
	for _, c := range o.conns {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
