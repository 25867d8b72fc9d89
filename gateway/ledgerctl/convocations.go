package ledgerctl

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protojson"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, convocationsCommands) }

func convocationsCommands(o *options) *cobra.Command {
	cmd := &cobra.Command{Use: "convocations", Short: "Convocations of elected officials: bodies, meetings, sending and receipt"}
	cmd.AddCommand(convSetBody(o), convCreateMeeting(o), convConvene(o), convAcknowledge(o),
		convGetBody(o), convGetMeeting(o), convGetConvocation(o), convSummary(o), convListMeetings(o), convToken(o))
	return cmd
}

// convClient dials the gateway and runs f with a ConvocationsService client.
func (o *options) convClient(f func(context.Context, apiv1.ConvocationsServiceClient) error) error {
	return o.dial(func(ctx context.Context, conn *grpc.ClientConn) error {
		return f(ctx, apiv1.NewConvocationsServiceClient(conn))
	})
}

func convSetBody(o *options) *cobra.Command {
	var req apiv1.SetBodyRequest
	var clearDays int32
	c := &cobra.Command{
		Use: "set-body", Short: "Define or replace a body and its convocation rule (role admin)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("clear-days") {
				req.ClearDays = &clearDays
			}
			return o.convClient(func(ctx context.Context, cl apiv1.ConvocationsServiceClient) error {
				resp, err := cl.SetBody(ctx, &req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					b := resp.Body
					fmt.Fprintf(w, "body %s of %s (%s): %d clear days, days counted in %s\nset in transaction %s (block %d)\n",
						b.Id, b.OwnerMspId, b.Name, b.ClearDays, b.TimeZone, resp.Committed.TransactionId, resp.Committed.BlockNumber)
				})
			})
		},
	}
	c.Flags().StringVar(&req.BodyId, "id", "", "body id, e.g. council")
	c.Flags().StringVar(&req.Name, "name", "", "name of the body")
	c.Flags().Int32Var(&clearDays, "clear-days", 0, "clear days between sending and meeting, 0..30 (5 in France, 3 in communes under 3,500 inhabitants); required")
	c.Flags().StringVar(&req.TimeZone, "time-zone", "", "IANA time zone in which days are counted, e.g. Europe/Paris")
	return c
}

func convCreateMeeting(o *options) *cobra.Command {
	var req apiv1.CreateMeetingRequest
	var files []string
	c := &cobra.Command{
		Use: "create-meeting", Short: "Record a meeting of one of your bodies (role clerk or admin)", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					return fmt.Errorf("hash agenda document: %w", err)
				}
				sum := sha256.Sum256(b)
				req.AgendaHashes = append(req.AgendaHashes, hex.EncodeToString(sum[:]))
			}
			return o.convClient(func(ctx context.Context, cl apiv1.ConvocationsServiceClient) error {
				resp, err := cl.CreateMeeting(ctx, &req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					m := resp.Meeting
					fmt.Fprintf(w, "meeting %s of body %s at %s, %s\nconvocations are on time if sent by %s (%d clear days, %s)\ncreated in transaction %s (block %d)\n",
						m.Id, m.BodyId, m.StartsAt, m.Place, m.Deadline, m.ClearDays, m.TimeZone, resp.Committed.TransactionId, resp.Committed.BlockNumber)
				})
			})
		},
	}
	c.Flags().StringVar(&req.MeetingId, "id", "", "meeting id; a date prefix (2026-04-02-council) keeps the register chronological")
	c.Flags().StringVar(&req.BodyId, "body", "", "id of one of your bodies")
	c.Flags().StringVar(&req.StartsAt, "starts-at", "", "start, RFC 3339 with offset, e.g. 2026-04-02T18:00:00+02:00")
	c.Flags().StringVar(&req.Place, "place", "", "where the meeting takes place")
	c.Flags().StringArrayVar(&req.AgendaHashes, "agenda-hash", nil, "SHA-256 (hex) of an agenda document; repeatable")
	c.Flags().StringArrayVar(&files, "agenda-file", nil, "agenda document to hash locally (it is not sent); repeatable")
	return c
}

func convConvene(o *options) *cobra.Command {
	var meeting, recipients, request string
	c := &cobra.Command{
		Use:   "convene",
		Short: "Anchor the convocations of a meeting, all or none (role clerk or admin)",
		Long: "convene anchors one convocation per recipient; the sending time is the transaction time.\n" +
			"--recipients is a CSV file with the header recipient_ref,message_hash,ack_token_hash, or a JSON\n" +
			"list of {\"recipientRef\",\"messageHash\",\"ackTokenHash\"}; every value is a SHA-256 in hex.\n" +
			"Never put the clear acknowledgement token in it: prepare each line with `ledgerctl convocations token`.\n" +
			"The convocation ids are printed in input order, to build the acknowledgement links.",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			req := &apiv1.ConveneRequest{MeetingId: meeting}
			switch {
			case request != "" && (meeting != "" || recipients != ""):
				return errors.New("give either --request or --meeting with --recipients")
			case request != "":
				if err := readJSONArg(request, req); err != nil {
					return err
				}
			case recipients == "":
				return errors.New("--recipients FILE is required (CSV or JSON, - for stdin)")
			default:
				list, err := convReadRecipients(recipients)
				if err != nil {
					return err
				}
				req.Recipients = list
			}
			return o.convClient(func(ctx context.Context, cl apiv1.ConvocationsServiceClient) error {
				resp, err := cl.Convene(ctx, req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					fmt.Fprintf(w, "convened %d to meeting %s of %s at %s: %d on time, %d late\nsent in transaction %s (block %d)\n",
						resp.Convened, resp.MeetingId, resp.OwnerMspId, resp.SentAt, resp.OnTime, resp.Late,
						resp.Committed.TransactionId, resp.Committed.BlockNumber)
					tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
					fmt.Fprintln(tw, "RECIPIENT_REF\tCONVOCATION_ID")
					for i, id := range resp.ConvocationIds {
						if i < len(req.Recipients) {
							fmt.Fprintf(tw, "%s\t%s\n", req.Recipients[i].RecipientRef, id)
						}
					}
					tw.Flush()
				})
			})
		},
	}
	c.Flags().StringVar(&meeting, "meeting", "", "id of a meeting of your administration")
	c.Flags().StringVar(&recipients, "recipients", "", "CSV or JSON file of recipients, - for stdin")
	c.Flags().StringVar(&request, "request", "", "the whole ConveneRequest as JSON, @file or - (instead of --meeting and --recipients)")
	return c
}

func convAcknowledge(o *options) *cobra.Command {
	var req apiv1.AcknowledgeRequest
	var tokenFile string
	c := &cobra.Command{
		Use:   "acknowledge",
		Short: "Record the receipt of a convocation with its secret token (any role)",
		Long: "acknowledge presents the token of an acknowledgement link, as the official's click does.\n" +
			"The token is read from --token-file (- for stdin), never from a flag, so that it stays out of\n" +
			"the shell history and the process list.",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			tok, err := convReadToken(tokenFile)
			if err != nil {
				return err
			}
			req.Token = tok
			return o.convClient(func(ctx context.Context, cl apiv1.ConvocationsServiceClient) error {
				resp, err := cl.Acknowledge(ctx, &req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					cv := resp.Convocation
					fmt.Fprintf(w, "convocation %s to meeting %s of %s acknowledged at %s via %s\nrecorded in transaction %s (block %d)\n",
						cv.Id, cv.MeetingId, cv.OwnerMspId, cv.AcknowledgedAt, cv.AcknowledgedVia, resp.Committed.TransactionId, resp.Committed.BlockNumber)
				})
			})
		},
	}
	c.Flags().StringVar(&req.OwnerMspId, "owner", "", "administration that sent the convocation (default: yours)")
	c.Flags().StringVar(&req.MeetingId, "meeting", "", "meeting id")
	c.Flags().StringVar(&req.ConvocationId, "convocation", "", "convocation id")
	c.Flags().StringVar(&tokenFile, "token-file", "", "file holding the secret token, - for stdin (required)")
	return c
}

func convGetBody(o *options) *cobra.Command {
	req := &apiv1.GetBodyRequest{}
	c := &cobra.Command{
		Use: "get-body BODY_ID", Short: "Show a body and its convocation rule", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			req.BodyId = args[0]
			return o.convClient(func(ctx context.Context, cl apiv1.ConvocationsServiceClient) error {
				resp, err := cl.GetBody(ctx, req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					b := resp.Body
					fmt.Fprintf(w, "body %s of %s (%s): %d clear days, days counted in %s; set at %s\n",
						b.Id, b.OwnerMspId, b.Name, b.ClearDays, b.TimeZone, b.UpdatedAt)
				})
			})
		},
	}
	c.Flags().StringVar(&req.OwnerMspId, "owner", "", "administration that owns the body (default: yours)")
	return c
}

func convGetMeeting(o *options) *cobra.Command {
	req := &apiv1.GetMeetingRequest{}
	c := &cobra.Command{
		Use: "get-meeting MEETING_ID", Short: "Show a meeting", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			req.MeetingId = args[0]
			return o.convClient(func(ctx context.Context, cl apiv1.ConvocationsServiceClient) error {
				resp, err := cl.GetMeeting(ctx, req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) { convPrintMeeting(w, resp.Meeting) })
			})
		},
	}
	c.Flags().StringVar(&req.OwnerMspId, "owner", "", "administration that owns the meeting (default: yours)")
	return c
}

func convGetConvocation(o *options) *cobra.Command {
	req := &apiv1.GetConvocationRequest{}
	c := &cobra.Command{
		Use: "get-convocation MEETING_ID CONVOCATION_ID", Short: "Show the legal proof of one convocation", Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			req.MeetingId, req.ConvocationId = args[0], args[1]
			return o.convClient(func(ctx context.Context, cl apiv1.ConvocationsServiceClient) error {
				resp, err := cl.GetConvocation(ctx, req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					cv := resp.Convocation
					ack := "not yet"
					if cv.AcknowledgedAt != "" {
						ack = fmt.Sprintf("%s via %s (transaction %s)", cv.AcknowledgedAt, cv.AcknowledgedVia, cv.AcknowledgedTransactionId)
					}
					fmt.Fprintf(w, "convocation %s\n  meeting        %s of %s\n  recipient ref  %s\n  message hash   %s\n  ack token hash %s\n"+
						"  sent           %s (transaction %s), on time: %t\n  acknowledged   %s\n",
						cv.Id, cv.MeetingId, cv.OwnerMspId, cv.RecipientRef, cv.MessageHash, cv.AckTokenHash,
						cv.SentAt, cv.SentTransactionId, cv.OnTime, ack)
				})
			})
		},
	}
	c.Flags().StringVar(&req.OwnerMspId, "owner", "", "administration that sent the convocation (default: yours)")
	return c
}

func convSummary(o *options) *cobra.Command {
	req := &apiv1.GetMeetingSummaryRequest{}
	c := &cobra.Command{
		Use: "summary MEETING_ID", Short: "Show a meeting's line of the public register (counts, no personal data)", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			req.MeetingId = args[0]
			return o.convClient(func(ctx context.Context, cl apiv1.ConvocationsServiceClient) error {
				resp, err := cl.GetMeetingSummary(ctx, req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					s := resp.Summary
					convPrintMeeting(w, s.Meeting)
					fmt.Fprintf(w, "  convened     %d (%d on time, %d late)\n  acknowledged %d\n", s.Convened, s.OnTime, s.Late, s.Acknowledged)
				})
			})
		},
	}
	c.Flags().StringVar(&req.OwnerMspId, "owner", "", "administration that owns the meeting (default: yours)")
	return c
}

func convListMeetings(o *options) *cobra.Command {
	req := &apiv1.ListMeetingsRequest{}
	c := &cobra.Command{
		Use: "list-meetings", Short: "List an administration's meetings in id order (the public register)", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return o.convClient(func(ctx context.Context, cl apiv1.ConvocationsServiceClient) error {
				resp, err := cl.ListMeetings(ctx, req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
					fmt.Fprintln(tw, "MEETING\tBODY\tSTARTS AT\tDEADLINE\tPLACE")
					for _, m := range resp.Meetings {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.Id, m.BodyId, m.StartsAt, m.Deadline, m.Place)
					}
					tw.Flush()
					if resp.NextPageToken != "" {
						fmt.Fprintf(w, "more: --page-token %s\n", resp.NextPageToken)
					}
				})
			})
		},
	}
	c.Flags().StringVar(&req.OwnerMspId, "owner", "", "administration whose register to list (default: yours)")
	c.Flags().Int32Var(&req.PageSize, "page-size", 0, "meetings per page, 1..100 (default 20)")
	c.Flags().StringVar(&req.PageToken, "page-token", "", "next_page_token of the previous page")
	return c
}

func convToken(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "token",
		Short: "Print a fresh random acknowledgement token and its SHA-256 (local, nothing is sent)",
		Long: "token draws 32 random bytes and prints them base64url-encoded (the secret that goes in the\n" +
			"official's link) and the hex SHA-256 of that text (the ack_token_hash for convene).\n" +
			"Keep the token out of the recipients file; the ledger only ever sees its hash.",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			tok, hash, err := convNewToken()
			if err != nil {
				return err
			}
			if o.json {
				b, err := json.MarshalIndent(struct {
					Token        string `json:"token"`
					AckTokenHash string `json:"ackTokenHash"`
				}{tok, hash}, "", "  ")
				if err != nil {
					return err
				}
				_, err = fmt.Fprintln(o.out, string(b))
				return err
			}
			_, err = fmt.Fprintf(o.out, "token           %s\nack_token_hash  %s\n", tok, hash)
			return err
		},
	}
}

// convNewToken returns a random token and the hex SHA-256 of its text,
// which is what the chaincode compares when the token is presented.
func convNewToken() (token, hash string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", fmt.Errorf("draw a random token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	sum := sha256.Sum256([]byte(token))
	return token, hex.EncodeToString(sum[:]), nil
}

func convPrintMeeting(w io.Writer, m *apiv1.Meeting) {
	fmt.Fprintf(w, "meeting %s of %s, body %s\n  starts at    %s\n  place        %s\n  deadline     %s (%d clear days, %s)\n  agenda       %d document(s)\n  created at   %s (transaction %s)\n",
		m.Id, m.OwnerMspId, m.BodyId, m.StartsAt, m.Place, m.Deadline, m.ClearDays, m.TimeZone, len(m.AgendaHashes), m.CreatedAt, m.CreatedTransactionId)
}

// convReadToken reads a token from a file or stdin ("-"), dropping the line
// end an editor or echo adds.
func convReadToken(path string) (string, error) {
	if path == "" {
		return "", errors.New("--token-file is required (- reads the token from stdin)")
	}
	b, err := convReadInput(path)
	if err != nil {
		return "", fmt.Errorf("read token: %w", err)
	}
	tok := strings.TrimRight(string(b), "\r\n")
	if tok == "" {
		return "", fmt.Errorf("read token: %s is empty", path)
	}
	return tok, nil
}

func convReadInput(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(path)
}

// convReadRecipients reads recipients from a JSON list (a .json file, or
// content starting with "[") or a CSV file with a header row.
func convReadRecipients(path string) ([]*apiv1.ConveneRecipient, error) {
	data, err := convReadInput(path)
	if err != nil {
		return nil, fmt.Errorf("read recipients: %w", err)
	}
	trimmed := bytes.TrimSpace(data)
	if strings.EqualFold(filepath.Ext(path), ".json") || bytes.HasPrefix(trimmed, []byte("[")) {
		var req apiv1.ConveneRequest
		wrapped := append(append([]byte(`{"recipients":`), trimmed...), '}')
		if err := protojson.Unmarshal(wrapped, &req); err != nil {
			return nil, fmt.Errorf("recipients file %s is not a JSON list of {recipientRef, messageHash, ackTokenHash}: %w", path, err)
		}
		return req.Recipients, nil
	}
	return convParseRecipientsCSV(path, data)
}

// convParseRecipientsCSV reads a CSV whose header names the three columns
// (recipient_ref, message_hash, ack_token_hash, in any order; camelCase is
// accepted). Any other column is refused: the file that goes to the ledger
// holds hashes only, never names, addresses or clear tokens.
func convParseRecipientsCSV(path string, data []byte) ([]*apiv1.ConveneRecipient, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.TrimLeadingSpace = true
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("recipients file %s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("recipients file %s: want a header row (recipient_ref,message_hash,ack_token_hash) and at least one recipient", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		name := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(h), "_", ""))
		switch name {
		case "recipientref", "messagehash", "acktokenhash":
			if _, dup := col[name]; dup {
				return nil, fmt.Errorf("recipients file %s: column %q appears twice", path, h)
			}
			col[name] = i
		default:
			return nil, fmt.Errorf("recipients file %s: unknown column %q; only recipient_ref, message_hash and ack_token_hash may be given", path, h)
		}
	}
	if len(col) != 3 {
		return nil, fmt.Errorf("recipients file %s: the header must name recipient_ref, message_hash and ack_token_hash", path)
	}
	var list []*apiv1.ConveneRecipient
	for _, row := range rows[1:] {
		cell := func(name string) string { return strings.TrimSpace(row[col[name]]) }
		list = append(list, &apiv1.ConveneRecipient{
			RecipientRef: cell("recipientref"), MessageHash: cell("messagehash"), AckTokenHash: cell("acktokenhash"),
		})
	}
	return list, nil
}
