package server

import (
	"context"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// directoryService serves DirectoryService over the Directory contract.
type directoryService struct {
	apiv1.UnimplementedDirectoryServiceServer
	ledger ledger
}

// profileProto converts the chaincode's Profile; the API does not show who
// wrote it (UpdatedBy).
func profileProto(p records.Profile) *apiv1.Profile {
	return &apiv1.Profile{
		MspId: p.MSPID, DisplayName: p.DisplayName, Kind: p.Kind, Contact: p.Contact, UpdatedAt: p.UpdatedAt,
		LeftAt: p.LeftAt, LeftConfigBlock: p.LeftConfigBlock,
	}
}

func (d *directoryService) SetProfile(ctx context.Context, req *apiv1.SetProfileRequest) (*apiv1.SetProfileResponse, error) {
	if err := requireAll("display_name", req.DisplayName, "kind", req.Kind, "contact", req.Contact); err != nil {
		return nil, err
	}
	var p records.Profile
	committed, err := submitJSON(ctx, d.ledger, &p, fabric.Submission{
		Transaction: spec.DirectorySetProfile, Args: []string{req.DisplayName, req.Kind, req.Contact},
	})
	if err != nil {
		return nil, err
	}
	return &apiv1.SetProfileResponse{Profile: profileProto(p), Committed: committed}, nil
}

func (d *directoryService) GetProfile(ctx context.Context, req *apiv1.GetProfileRequest) (*apiv1.Profile, error) {
	if err := required("msp_id", req.MspId); err != nil {
		return nil, err
	}
	var p records.Profile
	if err := evaluateJSON(ctx, d.ledger, &p, spec.DirectoryGetProfile, req.MspId); err != nil {
		return nil, err
	}
	return profileProto(p), nil
}

func (d *directoryService) ListProfiles(ctx context.Context, _ *apiv1.ListProfilesRequest) (*apiv1.ListProfilesResponse, error) {
	var list []records.Profile
	if err := evaluateJSON(ctx, d.ledger, &list, spec.DirectoryListProfiles); err != nil {
		return nil, err
	}
	resp := &apiv1.ListProfilesResponse{}
	for _, p := range list {
		resp.Profiles = append(resp.Profiles, profileProto(p))
	}
	return resp, nil
}
