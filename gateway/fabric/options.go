package fabric

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Peer is one of the administration's peers, reached through its Fabric
// Gateway service.
type Peer struct {
	Address string
	// TLSRootCert is the PEM file that verifies the peer's TLS certificate.
	TLSRootCert string
}

// Option is an optional setting of Dial. It fails on a value that makes no
// sense, so a bad setting is noticed when the gateway starts, not on a call
// (as fabric-gateway's client.ConnectOption).
type Option = func(*Client) error

// Timeouts bound each call to a peer; each call gets its own deadline within
// the caller's context.
type Timeouts struct {
	Evaluate     time.Duration
	Endorse      time.Duration
	Submit       time.Duration
	CommitStatus time.Duration
	// Resend is how long to wait for a commit status before sending the
	// same signed transaction again; 0 never sends it again.
	Resend time.Duration
}

// settings are what Dial was given: the required channel and chaincode, and
// the optional values set by Options.
type settings struct {
	Channel        string
	Chaincode      string
	Timeouts       Timeouts
	MaxRetries     int
	IdempotencyTTL time.Duration
	// DefinitionSwitch bounds retried endorsements while the peers switch
	// to a new chaincode definition (switchover.go).
	DefinitionSwitch time.Duration
}

// MaxRetriesLimit bounds WithMaxRetries: each retry is a new transaction on
// the ledger's orderer, so a runaway value would flood it.
const MaxRetriesLimit = 10

// defaultSettings are the values used when no Option overrides them.
func defaultSettings(channel, chaincode string) settings {
	return settings{
		Channel:          channel,
		Chaincode:        chaincode,
		Timeouts:         Timeouts{Evaluate: 10 * time.Second, Endorse: 20 * time.Second, Submit: 10 * time.Second, CommitStatus: time.Minute, Resend: DefaultResend},
		MaxRetries:       3,
		IdempotencyTTL:   24 * time.Hour,
		DefinitionSwitch: DefinitionSwitchWait,
	}
}

// WithEvaluateTimeout bounds each evaluation (a read-only query).
func WithEvaluateTimeout(d time.Duration) Option {
	return timeout("evaluate", d, func(t *Timeouts) *time.Duration { return &t.Evaluate })
}

// WithEndorseTimeout bounds each endorsement of a transaction.
func WithEndorseTimeout(d time.Duration) Option {
	return timeout("endorse", d, func(t *Timeouts) *time.Duration { return &t.Endorse })
}

// WithSubmitTimeout bounds each submission of an endorsed transaction to the
// orderer.
func WithSubmitTimeout(d time.Duration) Option {
	return timeout("submit", d, func(t *Timeouts) *time.Duration { return &t.Submit })
}

// WithCommitStatusTimeout bounds each wait for a submitted transaction's
// commit status.
func WithCommitStatusTimeout(d time.Duration) Option {
	return timeout("commit status", d, func(t *Timeouts) *time.Duration { return &t.CommitStatus })
}

// DefaultResend is how long a submitted transaction may go without a commit
// status before it is sent again: several batch timeouts, and the time a Raft
// cluster takes to elect a new leader.
const DefaultResend = 10 * time.Second

// WithResendInterval sets how long to wait for a submitted transaction's
// commit status before sending the same signed transaction to the orderer
// again (0: never). An orderer that accepted a transaction can crash before
// passing it on, and the transaction then never commits; sending the same
// envelope again cannot record it twice, as the ledger commits a
// transaction id once.
func WithResendInterval(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 {
			return fmt.Errorf("resend interval must not be negative, got %s", d)
		}
		c.cfg.Timeouts.Resend = d
		return nil
	}
}

// WithLogger logs what the client does on its own, such as sending a
// transaction again; without it nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("logger must not be nil")
		}
		c.log = l
		return nil
	}
}

func timeout(name string, d time.Duration, field func(*Timeouts) *time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("%s timeout must be positive, got %s", name, d)
		}
		*field(&c.cfg.Timeouts) = d
		return nil
	}
}

// WithMaxRetries bounds how many times a transaction invalidated by a read
// conflict is endorsed and submitted again (0 to MaxRetriesLimit).
func WithMaxRetries(n int) Option {
	return func(c *Client) error {
		if n < 0 || n > MaxRetriesLimit {
			return fmt.Errorf("max retries must be between 0 and %d, got %d", MaxRetriesLimit, n)
		}
		c.cfg.MaxRetries = n
		return nil
	}
}

// WithIdempotencyTTL sets how long the result of a submission with an
// idempotency key is kept for a retry with the same key.
func WithIdempotencyTTL(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("idempotency TTL must be positive, got %s", d)
		}
		c.cfg.IdempotencyTTL = d
		return nil
	}
}

// WithDefinitionSwitchWait bounds how long an endorsement is tried again
// while the peers switch to a newly committed chaincode definition
// (DefinitionSwitchWait by default; 0 never tries again).
func WithDefinitionSwitchWait(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 || d > time.Minute {
			return fmt.Errorf("definition switch wait must be between 0 and 1m, got %s", d)
		}
		c.cfg.DefinitionSwitch = d
		return nil
	}
}
