package fakestub

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

// extension holds the parts of the ledger beyond world state: private data
// collections, transient data, key-level endorsement policies and history.
type extension struct {
	private    map[string]map[string][]byte // collection -> key -> value
	purged     map[string]map[string]bool   // collection -> key -> purged
	transient  map[string][]byte
	validation map[string][]byte // key -> state-based endorsement policy
	history    map[string][]*queryresult.KeyModification
}

func (s *Stub) extLocked() *extension {
	if s.ext.private == nil {
		s.ext = extension{
			private:    map[string]map[string][]byte{},
			purged:     map[string]map[string]bool{},
			transient:  map[string][]byte{},
			validation: map[string][]byte{},
			history:    map[string][]*queryresult.KeyModification{},
		}
	}
	return &s.ext
}

// recordLocked appends a write of key to its history, as the peer's history
// database would after commit.
func (s *Stub) recordLocked(key string, value []byte, isDelete bool) {
	e := s.extLocked()
	e.history[key] = append(e.history[key], &queryresult.KeyModification{
		TxId: s.txID, Value: append([]byte(nil), value...), Timestamp: s.txTime, IsDelete: isDelete,
	})
}

// SetTransient sets the transient map of the invocation (private inputs).
func (s *Stub) SetTransient(m map[string][]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.extLocked().transient = m
}

// GetTransient returns the transient map.
func (s *Stub) GetTransient() (map[string][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.extLocked().transient, nil
}

// PutPrivateData writes key in collection.
func (s *Stub) PutPrivateData(collection, key string, value []byte) error {
	if collection == "" || key == "" {
		return errors.New("collection and key must not be empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.extLocked()
	if e.private[collection] == nil {
		e.private[collection] = map[string][]byte{}
	}
	e.private[collection][key] = append([]byte(nil), value...)
	if e.purged[collection] != nil {
		delete(e.purged[collection], key)
	}
	return nil
}

// GetPrivateData reads key from collection, nil if absent or purged.
func (s *Stub) GetPrivateData(collection, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.extLocked().private[collection][key]
	if !ok {
		return nil, nil
	}
	return append([]byte(nil), v...), nil
}

// GetPrivateDataHash returns the SHA-256 of the private value, as every
// peer of the channel can, member of the collection or not.
func (s *Stub) GetPrivateDataHash(collection, key string) ([]byte, error) {
	v, err := s.GetPrivateData(collection, key)
	if err != nil || v == nil {
		return nil, err
	}
	sum := sha256.Sum256(v)
	return sum[:], nil
}

// DelPrivateData deletes key from collection.
func (s *Stub) DelPrivateData(collection, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.extLocked().private[collection], key)
	return nil
}

// PurgePrivateData deletes key from collection and records that it was
// purged (Fabric 2.5 also removes it from the private data history).
func (s *Stub) PurgePrivateData(collection, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.extLocked()
	delete(e.private[collection], key)
	if e.purged[collection] == nil {
		e.purged[collection] = map[string]bool{}
	}
	e.purged[collection][key] = true
	return nil
}

// Purged reports whether PurgePrivateData was called for key.
func (s *Stub) Purged(collection, key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.extLocked().purged[collection][key]
}

// SetStateValidationParameter sets the key-level endorsement policy.
func (s *Stub) SetStateValidationParameter(key string, ep []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.extLocked().validation[key] = append([]byte(nil), ep...)
	return nil
}

// GetStateValidationParameter returns the key-level endorsement policy.
func (s *Stub) GetStateValidationParameter(key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.extLocked().validation[key], nil
}

// GetHistoryForKey iterates over every write of key, oldest first.
func (s *Stub) GetHistoryForKey(key string) (shim.HistoryQueryIteratorInterface, error) {
	if s.RangeErr != nil {
		return nil, s.RangeErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	mods := append([]*queryresult.KeyModification(nil), s.extLocked().history[key]...)
	return newIteratorLocked(s, mods), nil
}

// GetStateByRange iterates, in key order, over keys in [start, end).
func (s *Stub) GetStateByRange(start, end string) (shim.StateQueryIteratorInterface, error) {
	if s.RangeErr != nil {
		return nil, s.RangeErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	kvs := s.scanLocked(func(k string) bool { return k >= start && (end == "" || k < end) })
	return newIteratorLocked(s, kvs), nil
}

// GetStateByPartialCompositeKeyWithPagination returns at most pageSize
// entries from the bookmark on (the first key of the page; empty for the
// first page) and the bookmark of the next page, as a LevelDB peer does.
func (s *Stub) GetStateByPartialCompositeKeyWithPagination(objectType string, keys []string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	if s.RangeErr != nil {
		return nil, nil, s.RangeErr
	}
	if pageSize <= 0 {
		return nil, nil, fmt.Errorf("page size must be positive, got %d", pageSize)
	}
	prefix, err := shim.CreateCompositeKey(objectType, keys)
	if err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	kvs := s.scanLocked(func(k string) bool { return strings.HasPrefix(k, prefix) && (bookmark == "" || k >= bookmark) })
	next := ""
	if len(kvs) > int(pageSize) {
		next = kvs[pageSize].Key
		kvs = kvs[:pageSize]
	}
	return newIteratorLocked(s, kvs), &peer.QueryResponseMetadata{FetchedRecordsCount: int32(len(kvs)), Bookmark: next}, nil
}
