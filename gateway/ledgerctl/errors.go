package ledgerctl

import (
	"fmt"

	"google.golang.org/grpc/status"
)

// Describe turns a gRPC error into the line ledgerctl prints: the status
// code and the gateway's message.
func Describe(err error) string {
	if st, ok := status.FromError(err); ok {
		return fmt.Sprintf("%s: %s", st.Code(), st.Message())
	}
	return err.Error()
}
