package ledgerctl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, convocationsCommands) }

func convocationsCommands(o *options) *cobra.Command {
	cmd := &cobra.Command{Use: "convocations", Short: "Convocations of elected officials: bodies, meetings, sending and receipt"}
	cmd.AddCommand(convSetBody(o), convCreateMeeting(o), convConvene(o), convAcknowledge(o),
		convGetBody(o), convGetMeeting(o), convGetConvocation(o), convSummary(o), convListMeetings(o), convToken(o))
	return cmd
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
			return show(o, apiv1.NewConvocationsServiceClient, apiv1.ConvocationsServiceClient.SetBody, &req,
				func(w io.Writer, resp *apiv1.SetBodyResponse) {
					b := resp.Body
					fmt.Fprintf(w, "body %s of %s (%s): %d clear days, days counted in %s\n", b.Id, b.OwnerMspId, b.Name, b.ClearDays, b.TimeZone)
					fmt.Fprintf(w, "set in %s\n", committedText(resp.Committed))
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
				sum, err := hashFile(f)
				if err != nil {
					return fmt.Errorf("hash agenda document: %w", err)
				}
				req.AgendaHashes = append(req.AgendaHashes, sum)
			}
			return show(o, apiv1.NewConvocationsServiceClient, apiv1.ConvocationsServiceClient.CreateMeeting, &req,
				convPrintMeetingCreated)
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
	var meeting, recipients, request, links string
	c := &cobra.Command{
		Use:   "convene",
		Short: "Anchor the convocations of a meeting, all or none (role clerk or admin)",
		Long: "convene anchors one convocation per recipient; the sending time is the transaction time.\n" +
			"--recipients is a CSV file with the header recipient_ref,message_hash,ack_token_hash, or a JSON\n" +
			"list of {\"recipientRef\",\"messageHash\",\"ackTokenHash\"}; every value is a SHA-256 in hex.\n" +
			"Never put the clear acknowledgement token in it: prepare each line with `ledgerctl convocations token`,\n" +
			"or give --links PORTAL_URL and leave ack_token_hash out: convene then draws each recipient's token,\n" +
			"sends only its hash, and prints each recipient's acknowledgement link (PORTAL_URL/acknowledge?...),\n" +
			"the secret to send to that official alone.\n" +
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
			if links == "" {
				if err := convRequireTokenHashes(req.Recipients); err != nil {
					return err
				}
				return show(o, apiv1.NewConvocationsServiceClient, apiv1.ConvocationsServiceClient.Convene, req,
					func(w io.Writer, resp *apiv1.ConveneResponse) { convPrintConvened(w, req, resp) })
			}
			tokens, err := convDrawTokens(links, req.Recipients)
			if err != nil {
				return err
			}
			return call(o, apiv1.NewConvocationsServiceClient, func(ctx context.Context, c apiv1.ConvocationsServiceClient) error {
				resp, err := c.Convene(ctx, req)
				if err != nil {
					return err
				}
				return convPrintLinks(o, req, resp, convAckLinks(links, resp, tokens))
			})
		},
	}
	c.Flags().StringVar(&meeting, "meeting", "", "id of a meeting of your administration")
	c.Flags().StringVar(&recipients, "recipients", "", "CSV or JSON file of recipients, - for stdin")
	c.Flags().StringVar(&request, "request", "", "the whole ConveneRequest as JSON, @file or - (instead of --meeting and --recipients)")
	c.Flags().StringVar(&links, "links", "", "portal URL: draw each recipient's token and print their acknowledgement links")
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
			return show(o, apiv1.NewConvocationsServiceClient, apiv1.ConvocationsServiceClient.Acknowledge, &req,
				func(w io.Writer, resp *apiv1.AcknowledgeResponse) {
					cv := resp.Convocation
					fmt.Fprintf(w, "convocation %s to meeting %s of %s acknowledged at %s via %s\n",
						cv.Id, cv.MeetingId, cv.OwnerMspId, cv.AcknowledgedAt, cv.AcknowledgedVia)
					fmt.Fprintf(w, "recorded in %s\n", committedText(resp.Committed))
				})
		},
	}
	adminFlag(c.Flags(), &req.OwnerMspId, "owner", "administration that sent the convocation (default: yours)")
	c.Flags().StringVar(&req.MeetingId, "meeting", "", "meeting id")
	c.Flags().StringVar(&req.ConvocationId, "convocation", "", "convocation id")
	c.Flags().StringVar(&tokenFile, "token-file", "", "file holding the secret token, - for stdin (required)")
	return c
}

func convGetBody(o *options) *cobra.Command {
	req := &apiv1.GetBodyRequest{}
	c := byArg(o, "get-body BODY_ID", "Show a body and its convocation rule",
		apiv1.NewConvocationsServiceClient, apiv1.ConvocationsServiceClient.GetBody,
		func(id string) *apiv1.GetBodyRequest { req.BodyId = id; return req },
		func(w io.Writer, resp *apiv1.GetBodyResponse) {
			b := resp.Body
			fmt.Fprintf(w, "body %s of %s (%s): %d clear days, days counted in %s; set at %s\n",
				b.Id, b.OwnerMspId, b.Name, b.ClearDays, b.TimeZone, b.UpdatedAt)
		})
	adminFlag(c.Flags(), &req.OwnerMspId, "owner", "administration that owns the body (default: yours)")
	return c
}

func convGetMeeting(o *options) *cobra.Command {
	req := &apiv1.GetMeetingRequest{}
	c := byArg(o, "get-meeting MEETING_ID", "Show a meeting",
		apiv1.NewConvocationsServiceClient, apiv1.ConvocationsServiceClient.GetMeeting,
		func(id string) *apiv1.GetMeetingRequest { req.MeetingId = id; return req },
		func(w io.Writer, resp *apiv1.GetMeetingResponse) { convPrintMeeting(w, resp.Meeting) })
	adminFlag(c.Flags(), &req.OwnerMspId, "owner", "administration that owns the meeting (default: yours)")
	return c
}

func convGetConvocation(o *options) *cobra.Command {
	req := &apiv1.GetConvocationRequest{}
	c := &cobra.Command{
		Use: "get-convocation MEETING_ID CONVOCATION_ID", Short: "Show the legal proof of one convocation", Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			req.MeetingId, req.ConvocationId = args[0], args[1]
			return show(o, apiv1.NewConvocationsServiceClient, apiv1.ConvocationsServiceClient.GetConvocation, req,
				func(w io.Writer, resp *apiv1.GetConvocationResponse) { convPrintConvocation(w, resp.Convocation) })
		},
	}
	adminFlag(c.Flags(), &req.OwnerMspId, "owner", "administration that sent the convocation (default: yours)")
	return c
}

func convSummary(o *options) *cobra.Command {
	req := &apiv1.GetMeetingSummaryRequest{}
	c := byArg(o, "summary MEETING_ID", "Show a meeting's line of the public register (counts, no personal data)",
		apiv1.NewConvocationsServiceClient, apiv1.ConvocationsServiceClient.GetMeetingSummary,
		func(id string) *apiv1.GetMeetingSummaryRequest { req.MeetingId = id; return req },
		func(w io.Writer, resp *apiv1.GetMeetingSummaryResponse) { convPrintSummary(w, resp.Summary) })
	adminFlag(c.Flags(), &req.OwnerMspId, "owner", "administration that owns the meeting (default: yours)")
	return c
}

func convListMeetings(o *options) *cobra.Command {
	req := &apiv1.ListMeetingsRequest{}
	c := &cobra.Command{
		Use: "list-meetings", Short: "List an administration's meetings in id order (the public register)", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return show(o, apiv1.NewConvocationsServiceClient, apiv1.ConvocationsServiceClient.ListMeetings, req,
				convPrintMeetings)
		},
	}
	adminFlag(c.Flags(), &req.OwnerMspId, "owner", "administration whose register to list (default: yours)")
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
