package index

import (
	"context"
	"fmt"
)

// DayCount is how many transactions one administration submitted on one
// day (UTC, YYYY-MM-DD).
type DayCount struct {
	Day   string `json:"day"`
	MSPID string `json:"mspId"`
	Count int    `json:"count"`
}

// TransactionsPerDay counts the transactions of each administration per
// day, from day since (YYYY-MM-DD, inclusive), in (day, MSP ID) order.
// Channel configuration changes are counted under the MSP that signed them.
func (x *Index) TransactionsPerDay(ctx context.Context, since string) ([]DayCount, error) {
	rows, err := x.query(ctx, `SELECT substr(time, 1, 10) AS day, msp_id, count(*) FROM transactions
		WHERE time >= ? GROUP BY day, msp_id ORDER BY day, msp_id`, since)
	if err != nil {
		return nil, fmt.Errorf("count transactions per day: %w", err)
	}
	defer rows.Close()
	out := []DayCount{}
	for rows.Next() {
		var d DayCount
		if err := rows.Scan(&d.Day, &d.MSPID, &d.Count); err != nil {
			return nil, fmt.Errorf("read transactions per day: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// TypeCount is how many documents of one type have one recorded status
// (valid, revoked or superseded; expiry is not a recorded status).
type TypeCount struct {
	Type   string `json:"type"`
	Status string `json:"status"`
	Count  int    `json:"count"`
}

// DocumentsPerType counts the documents per type and recorded status, in
// (type, status) order.
func (x *Index) DocumentsPerType(ctx context.Context) ([]TypeCount, error) {
	rows, err := x.query(ctx, `SELECT type, status, count(*) FROM documents GROUP BY type, status ORDER BY type, status`)
	if err != nil {
		return nil, fmt.Errorf("count documents per type: %w", err)
	}
	defer rows.Close()
	out := []TypeCount{}
	for rows.Next() {
		var c TypeCount
		if err := rows.Scan(&c.Type, &c.Status, &c.Count); err != nil {
			return nil, fmt.Errorf("read documents per type: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
