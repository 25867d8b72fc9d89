package server

import apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"

// registerServices registers the ledger's services, each implemented in its
// own file (documents.go, convocations.go, subsidies.go, permissions.go,
// seals.go, anchors.go, directory.go, ledger.go, events.go, membership.go,
// upgrades.go). Each gets only what it
// uses: the Fabric client as a ledger, and the seal signer, trust list or
// limits where it needs them; none sees TLS, the wallet or health.
func registerServices(s *Server) {
	apiv1.RegisterDocumentsServiceServer(s.grpc, &documentsService{ledger: s.fabric})
	apiv1.RegisterPermissionsServiceServer(s.grpc, &permissionsService{ledger: s.fabric})
	apiv1.RegisterSubsidiesServiceServer(s.grpc, &subsidiesService{ledger: s.fabric})
	apiv1.RegisterConvocationsServiceServer(s.grpc, &convocationsService{ledger: s.fabric})
	apiv1.RegisterDirectoryServiceServer(s.grpc, &directoryService{ledger: s.fabric})
	apiv1.RegisterSealServiceServer(s.grpc, &sealsService{
		ledger: s.fabric, sealer: s.sealer, trust: s.trust, mspID: s.cfg.MSPID, portalURL: s.cfg.PortalURL,
	})
	apiv1.RegisterAnchorServiceServer(s.grpc, newAnchorsService(s.fabric, s.cfg.Anchor))
	apiv1.RegisterLedgerServiceServer(s.grpc, &ledgerService{ledger: s.fabric, system: s.fabric, channel: s.cfg.Channel})
	apiv1.RegisterMembershipServiceServer(s.grpc, newMembershipService(s))
	apiv1.RegisterUpgradeServiceServer(s.grpc, &upgradeService{ledger: s.fabric, lifecycle: s.fabric})
	apiv1.RegisterPeopleServiceServer(s.grpc, &peopleService{dir: s.people})
	apiv1.RegisterSignerServiceServer(s.grpc, &signerService{sessions: s.signers})
	apiv1.RegisterEventServiceServer(s.grpc, newEventService(s.fabric, s.cfg.Events, s.cfg.Timeouts.Evaluate))
}
