package contracts

import (
	"strings"

	"github.com/civicledger/civicledger/chaincode/records"
)

const (
	maxAnchorInput = 2 << 10 // bytes of the Anchor JSON
	maxAnchorLabel = 200     // characters
)

// parseAnchorInput decodes and validates the JSON argument of Anchor. The
// label comes back trimmed; a blank label is no label.
func parseAnchorInput(input string) (*records.AnchorInput, error) {
	var in records.AnchorInput
	if err := decodeInput("anchor", input, maxAnchorInput, &in); err != nil {
		return nil, err
	}
	if err := validateHex64("root", in.Root); err != nil {
		return nil, err
	}
	if in.Size == 0 {
		return nil, InvalidArgument("size is required: the number of leaves of the tree, at least 1")
	}
	if in.Size > MaxAnchorSize {
		return nil, InvalidArgument("size %d is too large: a tree has at most %d leaves", in.Size, MaxAnchorSize)
	}
	if strings.TrimSpace(in.Label) == "" {
		in.Label = ""
		return &in, nil
	}
	label, err := normalizeText("label", in.Label, maxAnchorLabel)
	if err != nil {
		return nil, err
	}
	in.Label = label
	return &in, nil
}
