package server

import apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"

// registerDomainServices registers the services of the domain contracts;
// each is implemented in its own file (documents.go, convocations.go,
// subsidies.go, permissions.go, seals.go, anchors.go).
func registerDomainServices(s *Server) {
	// one line per service, e.g.:
	// apiv1.RegisterDocumentsServiceServer(s.grpc, &documentsService{s})
	apiv1.RegisterDocumentsServiceServer(s.grpc, &documentsService{Server: s})
	apiv1.RegisterPermissionsServiceServer(s.grpc, &permissionsService{Server: s})
	apiv1.RegisterSubsidiesServiceServer(s.grpc, &subsidiesService{Server: s})
	apiv1.RegisterConvocationsServiceServer(s.grpc, &convocationsService{Server: s})
	apiv1.RegisterSealServiceServer(s.grpc, &sealsService{Server: s})
	apiv1.RegisterAnchorServiceServer(s.grpc, newAnchorsService(s))
}
