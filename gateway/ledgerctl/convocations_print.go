package ledgerctl

import (
	"encoding/json"
	"fmt"
	"io"

	"google.golang.org/protobuf/encoding/protojson"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// Human output of the convocations commands.

func convPrintMeetingCreated(w io.Writer, resp *apiv1.CreateMeetingResponse) {
	m := orEmpty(resp.Meeting)
	fmt.Fprintf(w, "meeting %s of body %s at %s, %s\nconvocations are on time if sent by %s (%d clear days, %s)\n",
		m.Id, m.BodyId, m.StartsAt, m.Place, m.Deadline, m.ClearDays, m.TimeZone)
	fmt.Fprintf(w, "created in %s\n", committedText(resp.Committed))
}

// convPrintConvenedHead prints the counts and the transaction of a convening.
func convPrintConvenedHead(w io.Writer, resp *apiv1.ConveneResponse) {
	fmt.Fprintf(w, "convened %d to meeting %s of %s at %s: %d on time, %d late\n",
		resp.Convened, resp.MeetingId, resp.OwnerMspId, resp.SentAt, resp.OnTime, resp.Late)
	fmt.Fprintf(w, "sent in %s\n", committedText(resp.Committed))
}

// convPrintConvened prints the counts and, in input order, the convocation
// id of each recipient, to build the acknowledgement links.
func convPrintConvened(w io.Writer, req *apiv1.ConveneRequest, resp *apiv1.ConveneResponse) {
	convPrintConvenedHead(w, resp)
	tw := newTable(w)
	fmt.Fprintln(tw, "RECIPIENT_REF\tCONVOCATION_ID")
	for i, id := range resp.ConvocationIds {
		if i < len(req.Recipients) {
			fmt.Fprintf(tw, "%s\t%s\n", req.Recipients[i].RecipientRef, id)
		}
	}
	tw.Flush()
}

// convPrintConvocation prints the legal proof of one convocation.
func convPrintConvocation(w io.Writer, cv *apiv1.Convocation) {
	ack := "not yet"
	if cv.AcknowledgedAt != "" {
		ack = fmt.Sprintf("%s via %s (transaction %s)", cv.AcknowledgedAt, cv.AcknowledgedVia, cv.AcknowledgedTransactionId)
	}
	fmt.Fprintf(w, "convocation %s\n  meeting        %s of %s\n  recipient ref  %s\n  message hash   %s\n  ack token hash %s\n"+
		"  sent           %s (transaction %s), on time: %t\n  acknowledged   %s\n",
		cv.Id, cv.MeetingId, cv.OwnerMspId, cv.RecipientRef, cv.MessageHash, cv.AckTokenHash,
		cv.SentAt, cv.SentTransactionId, cv.OnTime, ack)
}

func convPrintMeeting(w io.Writer, m *apiv1.Meeting) {
	fmt.Fprintf(w, "meeting %s of %s, body %s\n  starts at    %s\n  place        %s\n  deadline     %s (%d clear days, %s)\n  agenda       %d document(s)\n  created at   %s (transaction %s)\n",
		m.Id, m.OwnerMspId, m.BodyId, m.StartsAt, m.Place, m.Deadline, m.ClearDays, m.TimeZone, len(m.AgendaHashes), m.CreatedAt, m.CreatedTransactionId)
}

func convPrintSummary(w io.Writer, s *apiv1.MeetingSummary) {
	convPrintMeeting(w, s.Meeting)
	fmt.Fprintf(w, "  convened     %d (%d on time, %d late)\n  acknowledged %d\n", s.Convened, s.OnTime, s.Late, s.Acknowledged)
}

func convPrintMeetings(w io.Writer, resp *apiv1.ListMeetingsResponse) {
	tw := newTable(w)
	fmt.Fprintln(tw, "MEETING\tBODY\tSTARTS AT\tDEADLINE\tPLACE")
	for _, m := range resp.Meetings {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.Id, m.BodyId, m.StartsAt, m.Deadline, m.Place)
	}
	tw.Flush()
	printNextPage(w, resp.NextPageToken)
}

// convPrintLinks prints the convening and each recipient's acknowledgement
// link (--links); with --json, {"convened": the response, "links": [...]}.
func convPrintLinks(o *options, req *apiv1.ConveneRequest, resp *apiv1.ConveneResponse, links []convLink) error {
	for i := range links {
		links[i].RecipientRef = req.Recipients[i].RecipientRef
	}
	if o.json {
		convened, err := protojson.MarshalOptions{EmitUnpopulated: true}.Marshal(resp)
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(struct {
			Convened json.RawMessage `json:"convened"`
			Links    []convLink      `json:"links"`
		}{convened, links}, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(o.out, string(b))
		return err
	}
	w := o.out
	convPrintConvenedHead(w, resp)
	fmt.Fprintln(w, "each link is the secret of one official: send it to them alone")
	tw := newTable(w)
	fmt.Fprintln(tw, "RECIPIENT_REF\tCONVOCATION_ID\tLINK")
	for _, l := range links {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", l.RecipientRef, l.ConvocationID, l.Link)
	}
	return tw.Flush()
}
