package seal

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/url"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// Seal is a sealed document's proof as text: Prefix followed by Base45. All of
// its characters are in the QR alphanumeric set, so the QR code uses the
// compact alphanumeric mode.
type Seal struct {
	Text string
}

// qr encodes the seal text at error correction M, with the 4-module quiet zone.
func (s Seal) qr() (*qrcode.QRCode, error) {
	if s.Text == "" {
		return nil, errors.New("qr: seal text is empty")
	}
	q, err := qrcode.New(s.Text, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return q, nil
}

// QRVersion returns the QR code version (1–40) that holds the seal at error
// correction M; a phone reads up to about version 15 from a few centimetres
// of A4 paper without trouble.
func (s Seal) QRVersion() (int, error) {
	q, err := s.qr()
	if err != nil {
		return 0, err
	}
	return q.VersionNumber, nil
}

// PNG renders the QR code as a black-on-white PNG of exactly size × size
// pixels: a whole number of pixels per module, so every module prints sharp,
// and the pixels left over widen the white quiet zone evenly around the code.
func (s Seal) PNG(size int) ([]byte, error) {
	q, err := s.qr()
	if err != nil {
		return nil, err
	}
	bitmap := q.Bitmap() // the symbol with its 4-module quiet zone
	modules := len(bitmap)
	if size < modules {
		return nil, fmt.Errorf("qr: size %d px is below the %d modules of a version %d code", size, modules, q.VersionNumber)
	}
	scale := size / modules
	offset := (size - modules*scale) / 2
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y, row := range bitmap {
		for x, dark := range row {
			if !dark {
				continue
			}
			r := image.Rect(offset+x*scale, offset+y*scale, offset+(x+1)*scale, offset+(y+1)*scale)
			draw.Draw(img, r, image.Black, image.Point{}, draw.Src)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("qr: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG renders the QR code as a scalable SVG document, one module per user
// unit, for print layouts.
func (s Seal) SVG() (string, error) {
	q, err := s.qr()
	if err != nil {
		return "", err
	}
	bitmap := q.Bitmap()
	n := len(bitmap)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bitmap {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}

// Link returns the portal's verification link for the seal:
// <portalBaseURL>/verify#<base45>. The Base45 text travels in the fragment,
// so it never reaches the portal's server logs; its space and '%' characters
// are percent-encoded.
func (s Seal) Link(portalBaseURL string) (string, error) {
	payload, ok := strings.CutPrefix(s.Text, Prefix)
	if !ok {
		return "", fmt.Errorf("link: seal text does not start with %q", Prefix)
	}
	u, err := url.Parse(portalBaseURL)
	if err != nil {
		return "", fmt.Errorf("link: portal base URL: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Fragment != "" || u.RawQuery != "" {
		return "", fmt.Errorf("link: portal base URL %q must be an absolute http(s) URL without query or fragment", portalBaseURL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/verify"
	u.RawPath = ""
	u.Fragment = payload
	return u.String(), nil
}

// ParseLink returns the seal text carried by a verification link made by Link.
func ParseLink(link string) (string, error) {
	u, err := url.Parse(link)
	if err != nil {
		return "", fmt.Errorf("link: %w", err)
	}
	if !strings.HasSuffix(u.Path, "/verify") || u.Fragment == "" {
		return "", fmt.Errorf("link: %q is not a seal verification link", link)
	}
	return Prefix + u.Fragment, nil
}
