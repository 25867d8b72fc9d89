package merkle

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrMalformedProof is returned when decoding a proof from bytes or JSON
// fails; shape errors also wrap ErrIndexOutOfRange or ErrPathLength.
var ErrMalformedProof = errors.New("malformed proof")

const (
	// BinaryVersion is the first byte of the binary proof form.
	BinaryVersion = 0x01
	// MaxPathLength is the longest audit path of any tree (size < 2^64).
	MaxPathLength = 64
	// MaxBinarySize bounds the binary form: version, index, size, count, path.
	MaxBinarySize = 1 + 2*binary.MaxVarintLen64 + 1 + MaxPathLength*HashSize
	// maxJSONSize bounds the JSON form, generously for indentation.
	maxJSONSize = 16 << 10
)

// AppendBinary appends the binary form of a valid proof to b: the byte
// BinaryVersion, then LeafIndex, TreeSize and the number of path hashes as
// unsigned LEB128 varints (encoding/binary's Uvarint), then the path hashes.
func (p Proof) AppendBinary(b []byte) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("encode proof: %w", err)
	}
	b = append(b, BinaryVersion)
	b = binary.AppendUvarint(b, p.LeafIndex)
	b = binary.AppendUvarint(b, p.TreeSize)
	b = binary.AppendUvarint(b, uint64(len(p.Path)))
	for i := range p.Path {
		b = append(b, p.Path[i][:]...)
	}
	return b, nil
}

// MarshalBinary returns the binary form of a valid proof (see AppendBinary).
func (p Proof) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(make([]byte, 0, 1+3*binary.MaxVarintLen64+len(p.Path)*HashSize))
}

// UnmarshalBinary decodes the binary form with DecodeProof.
func (p *Proof) UnmarshalBinary(data []byte) error {
	q, err := DecodeProof(data)
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// DecodeProof decodes the binary form of a proof. It accepts only the exact
// output of AppendBinary: known version, minimal varints, no trailing bytes,
// a valid shape. It never panics and allocates at most MaxBinarySize bytes.
func DecodeProof(data []byte) (Proof, error) {
	if len(data) > MaxBinarySize {
		return Proof{}, fmt.Errorf("%w: %d bytes, at most %d", ErrMalformedProof, len(data), MaxBinarySize)
	}
	if len(data) == 0 {
		return Proof{}, fmt.Errorf("%w: no data", ErrMalformedProof)
	}
	if data[0] != BinaryVersion {
		return Proof{}, fmt.Errorf("%w: unknown version %d", ErrMalformedProof, data[0])
	}
	r := byteReader{data: data, off: 1}
	var p Proof
	var count uint64
	var err error
	if p.LeafIndex, err = r.uvarint("leaf index"); err != nil {
		return Proof{}, err
	}
	if p.TreeSize, err = r.uvarint("tree size"); err != nil {
		return Proof{}, err
	}
	if count, err = r.uvarint("path length"); err != nil {
		return Proof{}, err
	}
	if count > MaxPathLength {
		return Proof{}, fmt.Errorf("%w: %d path hashes, at most %d", ErrMalformedProof, count, MaxPathLength)
	}
	if rest := len(data) - r.off; rest < int(count)*HashSize {
		return Proof{}, fmt.Errorf("%w: truncated: %d path hashes need %d bytes, %d left",
			ErrMalformedProof, count, int(count)*HashSize, rest)
	} else if rest > int(count)*HashSize {
		return Proof{}, fmt.Errorf("%w: %d trailing bytes", ErrMalformedProof, rest-int(count)*HashSize)
	}
	p.Path = make([][HashSize]byte, count)
	for i := range p.Path {
		r.off += copy(p.Path[i][:], data[r.off:])
	}
	if err := p.Validate(); err != nil {
		return Proof{}, fmt.Errorf("%w: %w", ErrMalformedProof, err)
	}
	return p, nil
}

// byteReader reads minimal unsigned varints from data at off.
type byteReader struct {
	data []byte
	off  int
}

func (r *byteReader) uvarint(name string) (uint64, error) {
	v, n := binary.Uvarint(r.data[r.off:])
	switch {
	case n == 0:
		return 0, fmt.Errorf("%w: truncated in the %s at byte %d", ErrMalformedProof, name, r.off)
	case n < 0:
		return 0, fmt.Errorf("%w: %s at byte %d overflows 64 bits", ErrMalformedProof, name, r.off)
	case n > 1 && r.data[r.off+n-1] == 0: // a zero top group: could be shorter
		return 0, fmt.Errorf("%w: %s at byte %d is not a minimal varint", ErrMalformedProof, name, r.off)
	}
	r.off += n
	return v, nil
}

// proofJSON is the text form: {"leafIndex":5,"treeSize":8,"path":["<hex>",…]}
// with lowercase hex; pointers tell a missing field from a zero one.
type proofJSON struct {
	LeafIndex *uint64   `json:"leafIndex"`
	TreeSize  *uint64   `json:"treeSize"`
	Path      *[]string `json:"path"`
}

// MarshalJSON returns the text form of a valid proof: leafIndex and treeSize
// as JSON numbers, path as an array of 64-character lowercase hex strings.
func (p Proof) MarshalJSON() ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("encode proof: %w", err)
	}
	path := make([]string, len(p.Path))
	for i := range p.Path {
		path[i] = hex.EncodeToString(p.Path[i][:])
	}
	return json.Marshal(proofJSON{LeafIndex: &p.LeafIndex, TreeSize: &p.TreeSize, Path: &path})
}

// UnmarshalJSON decodes the text form. All three fields are required, no
// others are allowed, and the proof must have a valid shape. Unlike most
// types, a proof refuses JSON null rather than staying unchanged.
func (p *Proof) UnmarshalJSON(data []byte) error {
	if len(data) > maxJSONSize {
		return fmt.Errorf("%w: %d bytes of JSON, at most %d", ErrMalformedProof, len(data), maxJSONSize)
	}
	if string(bytes.TrimSpace(data)) == "null" {
		return fmt.Errorf("%w: null instead of a proof object", ErrMalformedProof)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var j proofJSON
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformedProof, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: data after the JSON object", ErrMalformedProof)
	}
	switch {
	case j.LeafIndex == nil:
		return fmt.Errorf("%w: leafIndex is missing", ErrMalformedProof)
	case j.TreeSize == nil:
		return fmt.Errorf("%w: treeSize is missing", ErrMalformedProof)
	case j.Path == nil:
		return fmt.Errorf("%w: path is missing", ErrMalformedProof)
	case len(*j.Path) > MaxPathLength:
		return fmt.Errorf("%w: %d path hashes, at most %d", ErrMalformedProof, len(*j.Path), MaxPathLength)
	}
	q := Proof{LeafIndex: *j.LeafIndex, TreeSize: *j.TreeSize, Path: make([][HashSize]byte, len(*j.Path))}
	for i, s := range *j.Path {
		if len(s) != 2*HashSize {
			return fmt.Errorf("%w: path[%d] has %d characters, expected %d hex digits", ErrMalformedProof, i, len(s), 2*HashSize)
		}
		if _, err := hex.Decode(q.Path[i][:], []byte(s)); err != nil {
			return fmt.Errorf("%w: path[%d]: %w", ErrMalformedProof, i, err)
		}
	}
	if err := q.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformedProof, err)
	}
	*p = q
	return nil
}
