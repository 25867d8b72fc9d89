// Package fakestub is an in-memory shim.ChaincodeStubInterface for unit tests
// of the CivicLedger chaincode. It implements only what the contracts use;
// any other method panics through the embedded nil interface. Unlike a peer,
// writes are visible to later reads of the same transaction.
package fakestub

import (
	"errors"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Event is a chaincode event recorded by SetEvent.
type Event struct {
	Name    string
	Payload []byte
}

// Stub is the fake stub. The *Err fields, when set, make the matching calls
// fail, to test how the chaincode surfaces ledger failures.
type Stub struct {
	shim.ChaincodeStubInterface

	GetStateErr, PutStateErr, DelStateErr error
	RangeErr, NextErr, SetEventErr        error
	CreatorErr, TxTimestampErr            error

	mu        sync.Mutex
	state     map[string][]byte
	creator   []byte
	txID      string
	txTime    *timestamppb.Timestamp
	args      []string
	events    []Event
	openIters int
	ext       extension
}

// DefaultTxTime is the transaction timestamp of a new Stub.
var DefaultTxTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// New returns an empty ledger with transaction ID "tx1" at DefaultTxTime.
func New() *Stub {
	return &Stub{state: map[string][]byte{}, txID: "tx1", txTime: timestamppb.New(DefaultTxTime)}
}

// SetCreator sets the serialized identity returned by GetCreator.
func (s *Stub) SetCreator(creator []byte) { s.mu.Lock(); s.creator = creator; s.mu.Unlock() }

// SetTxTime sets the transaction timestamp; nil simulates a missing one.
func (s *Stub) SetTxTime(ts *timestamppb.Timestamp) { s.mu.Lock(); s.txTime = ts; s.mu.Unlock() }

// SetTxID sets the transaction ID.
func (s *Stub) SetTxID(id string) { s.mu.Lock(); s.txID = id; s.mu.Unlock() }

// SetArgs sets the function name and string arguments of the invocation.
func (s *Stub) SetArgs(fn string, params ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.args = append([]string{fn}, params...)
}

// Events returns the events emitted so far, oldest first.
func (s *Stub) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.events...)
}

// Keys returns every key in the ledger, sorted.
func (s *Stub) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, 0, len(s.state))
	for k := range s.state {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// State returns a copy of the world state, whatever errors are injected.
func (s *Stub) State() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]string, len(s.state))
	for k, v := range s.state {
		out[k] = string(v)
	}
	return out
}

// OpenIterators is the number of range iterators not yet closed.
func (s *Stub) OpenIterators() int { s.mu.Lock(); defer s.mu.Unlock(); return s.openIters }

// GetState returns the value of key, nil if absent.
func (s *Stub) GetState(key string) ([]byte, error) {
	if s.GetStateErr != nil {
		return nil, s.GetStateErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.state[key]
	if !ok {
		return nil, nil
	}
	return append([]byte(nil), v...), nil
}

// PutState writes key.
func (s *Stub) PutState(key string, value []byte) error {
	if s.PutStateErr != nil {
		return s.PutStateErr
	}
	if key == "" {
		return errors.New("key must not be an empty string")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state[key] = append([]byte(nil), value...)
	s.recordLocked(key, value, false)
	return nil
}

// DelState deletes key.
func (s *Stub) DelState(key string) error {
	if s.DelStateErr != nil {
		return s.DelStateErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.state, key)
	s.recordLocked(key, nil, true)
	return nil
}

// CreateCompositeKey builds a composite key exactly as the real shim does.
func (s *Stub) CreateCompositeKey(objectType string, attributes []string) (string, error) {
	return shim.CreateCompositeKey(objectType, attributes)
}

// SplitCompositeKey splits a composite key into object type and attributes.
func (s *Stub) SplitCompositeKey(key string) (string, []string, error) {
	if !strings.HasPrefix(key, "\x00") || !strings.HasSuffix(key, "\x00") || len(key) < 2 {
		return "", nil, errors.New("not a composite key")
	}
	parts := strings.Split(key[1:len(key)-1], "\x00")
	return parts[0], parts[1:], nil
}

// GetStateByPartialCompositeKey iterates, in key order, over a snapshot of
// the keys of objectType whose leading attributes are keys.
func (s *Stub) GetStateByPartialCompositeKey(objectType string, keys []string) (shim.StateQueryIteratorInterface, error) {
	if s.RangeErr != nil {
		return nil, s.RangeErr
	}
	prefix, err := shim.CreateCompositeKey(objectType, keys)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	kvs := s.scanLocked(func(k string) bool { return strings.HasPrefix(k, prefix) })
	return newIteratorLocked(s, kvs), nil
}

// SetEvent records an event.
func (s *Stub) SetEvent(name string, payload []byte) error {
	if s.SetEventErr != nil {
		return s.SetEventErr
	}
	if name == "" {
		return errors.New("event name can not be empty string")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, Event{Name: name, Payload: append([]byte(nil), payload...)})
	return nil
}

// GetTxTimestamp returns the transaction timestamp.
func (s *Stub) GetTxTimestamp() (*timestamppb.Timestamp, error) {
	if s.TxTimestampErr != nil {
		return nil, s.TxTimestampErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.txTime, nil
}

// GetCreator returns the serialized identity set by SetCreator.
func (s *Stub) GetCreator() ([]byte, error) {
	if s.CreatorErr != nil {
		return nil, s.CreatorErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.creator, nil
}

// GetTxID returns the transaction ID.
func (s *Stub) GetTxID() string { s.mu.Lock(); defer s.mu.Unlock(); return s.txID }

// GetChannelID returns a fixed channel name.
func (s *Stub) GetChannelID() string { return "civic" }

// GetStringArgs returns the function name followed by its arguments.
func (s *Stub) GetStringArgs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.args...)
}

// GetArgs returns GetStringArgs as bytes.
func (s *Stub) GetArgs() [][]byte {
	var out [][]byte
	for _, a := range s.GetStringArgs() {
		out = append(out, []byte(a))
	}
	return out
}

// GetFunctionAndParameters splits GetStringArgs into name and parameters.
func (s *Stub) GetFunctionAndParameters() (string, []string) {
	args := s.GetStringArgs()
	if len(args) == 0 {
		return "", []string{}
	}
	return args[0], args[1:]
}

// scanLocked returns a sorted copy of the entries whose key matches.
func (s *Stub) scanLocked(match func(key string) bool) []*queryresult.KV {
	var kvs []*queryresult.KV
	for k, v := range s.state {
		if match(k) {
			kvs = append(kvs, &queryresult.KV{Key: k, Value: append([]byte(nil), v...)})
		}
	}
	sort.Slice(kvs, func(i, j int) bool { return kvs[i].Key < kvs[j].Key })
	return kvs
}

// iterator walks a snapshot of items, for state ranges (T is *queryresult.KV)
// and key histories (T is *queryresult.KeyModification) alike.
type iterator[T any] struct {
	stub   *Stub
	items  []T
	closed bool
}

// newIteratorLocked opens an iterator over items and counts it as open
// until Close.
func newIteratorLocked[T any](s *Stub, items []T) *iterator[T] {
	s.openIters++
	return &iterator[T]{stub: s, items: items}
}

func (it *iterator[T]) HasNext() bool { return !it.closed && len(it.items) > 0 }

func (it *iterator[T]) Next() (T, error) {
	var zero T
	if it.stub.NextErr != nil {
		return zero, it.stub.NextErr
	}
	if !it.HasNext() {
		return zero, errors.New("no more results")
	}
	item := it.items[0]
	it.items = it.items[1:]
	return item, nil
}

func (it *iterator[T]) Close() error {
	if !it.closed {
		it.closed = true
		it.stub.mu.Lock()
		it.stub.openIters--
		it.stub.mu.Unlock()
	}
	return nil
}
