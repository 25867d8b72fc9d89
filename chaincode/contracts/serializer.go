package contracts

import (
	"reflect"

	"github.com/hyperledger/fabric-contract-api-go/v2/metadata"
	"github.com/hyperledger/fabric-contract-api-go/v2/serializer"
)

// unvalidatedJSON is the contract API's JSON serializer without its
// JSON-schema checks, which cost a registration more CPU than the
// transaction itself (docs/benchmarks.md, "Where a registration's CPU
// goes"). They check nothing the chaincode does not: every argument is a
// string, validated by the transaction that takes it (base.DecodeInput for
// JSON inputs), and every result is one of the chaincode's own record types,
// encoded by encoding/json, so its schema holds by construction. Arguments
// and results are converted exactly as the default serializer converts them,
// so the bytes a client reads are the same; the metadata (GetMetadata) still
// describes every schema.
type unvalidatedJSON struct {
	serializer.JSONSerializer
}

// FromString converts an argument as the default serializer does, without
// the schema check.
func (s *unvalidatedJSON) FromString(param string, t reflect.Type, _ *metadata.ParameterMetadata, components *metadata.ComponentMetadata) (reflect.Value, error) {
	return s.JSONSerializer.FromString(param, t, nil, components)
}

// ToString encodes a result as the default serializer does, without the
// schema check.
func (s *unvalidatedJSON) ToString(result reflect.Value, t reflect.Type, _ *metadata.ReturnMetadata, components *metadata.ComponentMetadata) (string, error) {
	return s.JSONSerializer.ToString(result, t, nil, components)
}
