package ledgerctl

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// Human output shared by the command groups; each group's own is in
// <group>_print.go.

// print writes msg as JSON with --json, else calls human.
func (o *options) print(msg proto.Message, human func(w io.Writer)) error {
	if o.json {
		b, err := protojson.MarshalOptions{Multiline: true, Indent: "  ", EmitUnpopulated: true}.Marshal(msg)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(o.out, string(b))
		return err
	}
	human(o.out)
	return nil
}

// newTable starts a table whose columns are separated by two spaces; call
// Flush when done.
func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

// committedText names the transaction that recorded a change:
// "transaction 0148a8da… (block 4)".
func committedText(c *apiv1.Committed) string {
	return fmt.Sprintf("transaction %s (block %d)", c.GetTransactionId(), c.GetBlockNumber())
}

// printCommitted prints committedText on a line of its own.
func printCommitted(w io.Writer, c *apiv1.Committed) {
	fmt.Fprintln(w, committedText(c))
}

// printNextPage tells how to get the next page, if there is one.
func printNextPage(w io.Writer, token string) {
	if token != "" {
		fmt.Fprintf(w, "more: --page-token %s\n", token)
	}
}

// enumWord prints an enum value name as the chaincode spells it, without the
// enum's prefix: DOCUMENT_STATUS_NOT_YET_VALID is "not-yet-valid".
func enumWord(name, prefix string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(name, prefix)), "_", "-")
}

// orEmpty is m, or an empty message when a reply left it out, so that a
// printer shows blanks rather than crash on an incomplete reply.
func orEmpty[T any](m *T) *T {
	if m == nil {
		return new(T)
	}
	return m
}
