package server

import (
	"github.com/civicledger/civicledger/chaincode/records"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// upgradeProto converts a ledger upgrade proposal to its API message.
func upgradeProto(p *records.UpgradeProposal) *apiv1.UpgradeProposal {
	out := &apiv1.UpgradeProposal{
		Id: p.ID, Chaincode: p.Chaincode, Version: p.Version, Sequence: p.Sequence, PackageId: p.PackageID,
		ProposedBy: p.ProposedBy, ProposedAt: p.ProposedAt, Status: p.Status,
		CommitTransactionId: p.CommitTxID, CommitBlock: p.CommitBlock, CommittedAt: p.CommittedAt, CommittedBy: p.CommittedBy,
	}
	for _, a := range p.Approvals {
		out.Approvals = append(out.Approvals, &apiv1.UpgradeApproval{MspId: a.MSPID, ApproverCertId: a.ApproverCertID, ApprovedAt: a.ApprovedAt})
	}
	return out
}

// approvalOf is mspID's approval of p, nil if none.
func approvalOf(p *records.UpgradeProposal, mspID string) *records.UpgradeApproval {
	for _, a := range p.Approvals {
		if a.MSPID == mspID {
			return a
		}
	}
	return nil
}
