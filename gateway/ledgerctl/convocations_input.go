package ledgerctl

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// Inputs of the convocations commands: acknowledgement tokens and recipient
// lists. Only hashes ever reach the ledger.

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
	_, hasRef := col["recipientref"]
	_, hasMessage := col["messagehash"]
	if !hasRef || !hasMessage {
		return nil, fmt.Errorf("recipients file %s: the header must name recipient_ref, message_hash and ack_token_hash "+
			"(ack_token_hash may be left out with --links, which draws the tokens)", path)
	}
	var list []*apiv1.ConveneRecipient
	for _, row := range rows[1:] {
		cell := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		list = append(list, &apiv1.ConveneRecipient{
			RecipientRef: cell("recipientref"), MessageHash: cell("messagehash"), AckTokenHash: cell("acktokenhash"),
		})
	}
	return list, nil
}

// convRequireTokenHashes checks that every recipient has the hash of a
// token prepared beforehand (without --links).
func convRequireTokenHashes(list []*apiv1.ConveneRecipient) error {
	for i, r := range list {
		if r.AckTokenHash == "" {
			return fmt.Errorf("recipient %d has no ack_token_hash: prepare one with `ledgerctl convocations token`, "+
				"or give --links PORTAL_URL to let convene draw the tokens and print the links", i+1)
		}
	}
	return nil
}

// convDrawTokens draws a fresh token for each recipient and puts its hash in
// the request (--links). A recipient that already has an ack_token_hash is
// refused: its token is not known here, so no link could be printed.
func convDrawTokens(portalURL string, list []*apiv1.ConveneRecipient) ([]string, error) {
	u, err := url.Parse(portalURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("--links %q must be the portal's http or https URL, such as https://portal.example.org", portalURL)
	}
	tokens := make([]string, len(list))
	for i, r := range list {
		if r.AckTokenHash != "" {
			return nil, fmt.Errorf("recipient %d has an ack_token_hash: with --links, convene draws each token itself, "+
				"so leave ack_token_hash out", i+1)
		}
		tok, hash, err := convNewToken()
		if err != nil {
			return nil, err
		}
		tokens[i], r.AckTokenHash = tok, hash
	}
	return tokens, nil
}

// ConvAckLink is the acknowledgement link of one convocation: the portal's
// /acknowledge page, naming the convocation and carrying its secret token.
func ConvAckLink(portalURL, ownerMSP, meetingID, convocationID, token string) string {
	q := url.Values{"owner": {ownerMSP}, "meeting": {meetingID}, "convocation": {convocationID}, "token": {token}}
	return strings.TrimRight(portalURL, "/") + "/acknowledge?" + q.Encode()
}

// convLink is one recipient's acknowledgement link.
type convLink struct {
	RecipientRef  string `json:"recipientRef"`
	ConvocationID string `json:"convocationId"`
	Link          string `json:"link"`
}

// convAckLinks pairs each convocation id (in input order) with its link.
func convAckLinks(portalURL string, resp *apiv1.ConveneResponse, tokens []string) []convLink {
	var out []convLink
	for i, id := range resp.ConvocationIds {
		if i < len(tokens) {
			out = append(out, convLink{ConvocationID: id, Link: ConvAckLink(portalURL, resp.OwnerMspId, resp.MeetingId, id, tokens[i])})
		}
	}
	return out
}
