// Package documents is the register of certified documents (transactions
// "Documents:*"): registration by the issuing administration, revocation
// and supersession under a key-level policy that needs the issuer's peer,
// verification, and the clear subject data in the issuer's implicit
// private data collection.
package documents
