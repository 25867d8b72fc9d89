package server

// registerDomainServices registers the services of the domain contracts;
// each is implemented in its own file (documents.go, convocations.go,
// subsidies.go, permissions.go).
func registerDomainServices(s *Server) {
	// one line per service, e.g.:
	// apiv1.RegisterDocumentsServiceServer(s.grpc, &documentsService{s})
}
