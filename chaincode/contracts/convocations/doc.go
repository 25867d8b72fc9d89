// Package convocations anchors the convocations of elected officials
// (transactions "Convocations:*"): bodies with their legal deadline,
// meetings, one convocation per official with a hashed acknowledgement
// token, and the per-meeting register without personal data.
package convocations
