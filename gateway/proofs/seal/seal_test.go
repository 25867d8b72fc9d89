package seal

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/veraison/go-cose"
)

func TestSealRoundTrip(t *testing.T) {
	w := newTestWorld(t)
	signer := w.treasury.signer(t, compactCert)
	s, err := signer.Seal(debtExtract("TreasuryMSP"))
	require.NoError(t, err)

	t.Run("the text is the prefix and QR alphanumeric characters only", func(t *testing.T) {
		require.True(t, strings.HasPrefix(s.Text, Prefix))
		for _, r := range s.Text {
			require.Contains(t, base45Alphabet+":", string(r))
		}
	})

	t.Run("a PNG of the seal decodes and verifies as valid", func(t *testing.T) {
		img, err := s.PNG(600)
		require.NoError(t, err)
		text, err := DecodeImage(bytes.NewReader(img))
		require.NoError(t, err)
		require.Equal(t, s.Text, text)

		v := Verify(text, w.trust, testNow, WithDocument(sha256.Sum256(debtExtractBytes)))
		require.True(t, v.Valid, v.Message)
		require.Equal(t, ReasonOK, v.Reason)
		want := debtExtract("TreasuryMSP")
		want.Version, want.IssuedAt, want.ValidFrom = FormatVersion, testIssuedAt, testIssuedAt
		require.Equal(t, &want, v.Claims)
	})

	t.Run("a JPEG photo of the PNG still decodes", func(t *testing.T) {
		img, err := s.PNG(800)
		require.NoError(t, err)
		decoded, err := png.Decode(bytes.NewReader(img))
		require.NoError(t, err)
		var jpg bytes.Buffer
		require.NoError(t, jpeg.Encode(&jpg, decoded, &jpeg.Options{Quality: 60}))
		text, err := DecodeImage(&jpg)
		require.NoError(t, err)
		require.Equal(t, s.Text, text)
	})

	t.Run("the PNG is exactly the requested size, centred, and refuses a size below one pixel per module", func(t *testing.T) {
		version, err := s.QRVersion()
		require.NoError(t, err)
		modules := 17 + 4*version + 8 // symbol plus the 4-module quiet zone on each side
		for _, size := range []int{512, 600, modules} {
			img, err := s.PNG(size)
			require.NoError(t, err)
			decoded, err := png.Decode(bytes.NewReader(img))
			require.NoError(t, err)
			require.Equal(t, size, decoded.Bounds().Dx(), "width of a %d px seal", size)
			require.Equal(t, size, decoded.Bounds().Dy(), "height of a %d px seal", size)
			// The code is centred: the first dark pixel of the top-left finder
			// pattern sits after the quiet zone plus half the leftover pixels.
			scale := size / modules
			first := (size-modules*scale)/2 + 4*scale
			r, _, _, _ := decoded.At(first, first).RGBA()
			require.Zero(t, r, "pixel (%d,%d) of a %d px seal is the finder pattern", first, first, size)
			r, _, _, _ = decoded.At(first-1, first-1).RGBA()
			require.NotZero(t, r, "pixel (%d,%d) of a %d px seal is quiet zone", first-1, first-1, size)
			text, err := DecodeImage(bytes.NewReader(img))
			require.NoError(t, err)
			require.Equal(t, s.Text, text)
		}
		_, err = s.PNG(modules - 1)
		require.ErrorContains(t, err, "below the")
	})

	t.Run("the SVG has one square viewBox unit per module", func(t *testing.T) {
		svg, err := s.SVG()
		require.NoError(t, err)
		version, err := s.QRVersion()
		require.NoError(t, err)
		n := 17 + 4*version + 8
		require.Contains(t, svg, `viewBox="0 0 `+strconv.Itoa(n)+" "+strconv.Itoa(n)+`"`)
		require.True(t, strings.HasSuffix(svg, "</svg>"))
	})

	t.Run("the verification link carries the seal in its fragment and parses back", func(t *testing.T) {
		link, err := s.Link("https://portal.example.gouv.fr/")
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(link, "https://portal.example.gouv.fr/verify#"))
		require.NotContains(t, strings.TrimPrefix(link, "https://"), " ")
		text, err := ParseLink(link)
		require.NoError(t, err)
		require.Equal(t, s.Text, text)

		_, err = s.Link("portal.example.gouv.fr")
		require.ErrorContains(t, err, "absolute http(s) URL")
		_, err = ParseLink("https://portal.example.gouv.fr/about")
		require.ErrorContains(t, err, "not a seal verification link")
	})
}

func TestSealSize(t *testing.T) {
	w := newTestWorld(t)
	for _, c := range []struct {
		name       string
		shape      certShape
		maxVersion int
	}{
		// The target for a phone on A4 is version 15 at error correction M.
		// An ES256 signature and a P-256 certificate alone take about 500
		// Base45 characters, so the embedded certificate decides the size.
		{"a debt extract signed with a compact seal certificate", compactCert, 20},
		{"a debt extract signed with a Fabric CA enrollment certificate", fabricCert, 23},
	} {
		t.Run(c.name+" fits a QR code a phone reads", func(t *testing.T) {
			signer := w.treasury.signer(t, c.shape)
			s, err := signer.Seal(debtExtract("TreasuryMSP"))
			require.NoError(t, err)
			version, err := s.QRVersion()
			require.NoError(t, err)
			coseMsg, f := decodeText(s.Text)
			require.Nil(t, f)
			t.Logf("certificate %d bytes, COSE %d bytes, Base45 %d characters (text %d), QR version %d (%dx%d modules) at error correction M",
				len(signer.cert.Raw), len(coseMsg), len(s.Text)-len(Prefix), len(s.Text), version, 17+4*version, 17+4*version)
			require.LessOrEqual(t, version, c.maxVersion)
		})
	}

	t.Run("for comparison, the same seal without the embedded certificate fits version 15", func(t *testing.T) {
		cert, key := w.treasury.issue(t, compactCert)
		claims := debtExtract("TreasuryMSP")
		claims.Version, claims.IssuedAt, claims.ValidFrom = FormatVersion, testIssuedAt, testIssuedAt
		payload, err := marshalClaims(claims)
		require.NoError(t, err)
		s := Seal{Text: rawSeal(t, key, cose.AlgorithmES256, cose.ProtectedHeader{headerKID: keyID(cert.Raw)}, payload)}
		version, err := s.QRVersion()
		require.NoError(t, err)
		t.Logf("kid only, no x5chain: Base45 %d characters, QR version %d at error correction M", len(s.Text)-len(Prefix), version)
		require.LessOrEqual(t, version, 15)
	})
}

func TestNewSigner(t *testing.T) {
	w := newTestWorld(t)
	cert, key := w.treasury.issue(t, compactCert)
	otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	p384Key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	p384Cert := *cert
	p384Cert.PublicKey = p384Key.Public()
	noSignCert := *cert
	noSignCert.KeyUsage = x509.KeyUsageKeyEncipherment

	cases := []struct {
		name    string
		cert    *x509.Certificate
		key     *ecdsa.PrivateKey
		opts    []SignerOption
		wantErr string
	}{
		{"a matching P-256 key and certificate make a signer", cert, key, nil, ""},
		{"a missing certificate is rejected", nil, key, nil, "certificate and key are required"},
		{"a key that is not the certificate's is rejected", cert, otherKey, nil, "key does not match"},
		{"a P-384 certificate is rejected", &p384Cert, p384Key, nil, "not ECDSA P-256"},
		{"a certificate without digital signature usage is rejected", &noSignCert, key, nil, "does not allow digital signatures"},
		{"a nil clock is rejected", cert, key, []SignerOption{WithClock(nil)}, "clock is nil"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := NewSigner(c.cert, c.key, c.opts...)
			if c.wantErr == "" {
				require.NoError(t, err)
				require.NotNil(t, s)
				return
			}
			require.ErrorIs(t, err, ErrInvalidSigner)
			require.ErrorContains(t, err, c.wantErr)
		})
	}
}

func TestSealRejectsInvalidClaims(t *testing.T) {
	w := newTestWorld(t)
	signer := w.treasury.signer(t, compactCert)
	tooMany := map[string]string{}
	for i := range MaxKeyFacts + 1 {
		tooMany[strconv.Itoa(i)] = "x"
	}
	cases := []struct {
		name    string
		edit    func(*Claims)
		wantErr error
		msg     string
	}{
		{"an empty document id is rejected", func(c *Claims) { c.DocumentID = "" }, ErrInvalidClaims, "document id is empty"},
		{"an empty issuer is rejected", func(c *Claims) { c.IssuerMSPID = "" }, ErrInvalidClaims, "issuer MSP ID is empty"},
		{"an all-zero document hash is rejected", func(c *Claims) { c.DocumentSHA256 = [32]byte{} }, ErrInvalidClaims, "all zeros"},
		{"more than 16 key facts are rejected", func(c *Claims) { c.KeyFacts = tooMany }, ErrInvalidClaims, "17 key facts"},
		{"an empty key fact name is rejected", func(c *Claims) { c.KeyFacts = map[string]string{"": "x"} }, ErrInvalidClaims, "key must be non-empty"},
		{"invalid UTF-8 is rejected", func(c *Claims) { c.DocumentType = "\xff" }, ErrInvalidClaims, "not valid UTF-8"},
		{"an unknown version is rejected", func(c *Claims) { c.Version = 2 }, ErrInvalidClaims, "unsupported version 2"},
		{"valid-until before valid-from is rejected", func(c *Claims) { c.ValidUntil = testIssuedAt.Add(-time.Hour) }, ErrInvalidClaims, "valid-until must be after"},
		{"an issue time outside the certificate is rejected", func(c *Claims) { c.IssuedAt = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }, ErrInvalidClaims, "outside the certificate's validity"},
		{"a seal too large for any QR code is rejected", func(c *Claims) { c.DocumentType = randomText(t, 3000) }, ErrTooLarge, "at most 3391"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			claims := debtExtract("TreasuryMSP")
			c.edit(&claims)
			_, err := signer.Seal(claims)
			require.ErrorIs(t, err, c.wantErr)
			require.ErrorContains(t, err, c.msg)
		})
	}
}

// randomText returns n incompressible printable characters.
func randomText(t testing.TB, n int) string {
	b := make([]byte, n)
	_, err := rand.Read(b)
	require.NoError(t, err)
	for i := range b {
		b[i] = 'A' + b[i]%58
	}
	return string(b)
}
