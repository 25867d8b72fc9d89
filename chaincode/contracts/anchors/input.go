package anchors

import (
	"strings"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// parseAnchorInput decodes and validates the JSON argument of Anchor. The
// label comes back trimmed; a blank label is no label.
func parseAnchorInput(input string) (*records.AnchorInput, error) {
	var in records.AnchorInput
	if err := base.DecodeInput("anchor", input, spec.MaxAnchorInput, &in); err != nil {
		return nil, err
	}
	root, err := base.NormalizeHex64("root", in.Root)
	if err != nil {
		return nil, err
	}
	in.Root = root
	if in.Size == 0 {
		return nil, base.InvalidArgument("size is required: the number of leaves of the tree, at least 1")
	}
	if in.Size > spec.MaxAnchorSize {
		return nil, base.InvalidArgument("size %d is too large: a tree has at most %d leaves", in.Size, spec.MaxAnchorSize)
	}
	if strings.TrimSpace(in.Label) == "" {
		in.Label = ""
		return &in, nil
	}
	label, err := base.NormalizeText("label", in.Label, spec.MaxAnchorLabel)
	if err != nil {
		return nil, err
	}
	in.Label = label
	return &in, nil
}
