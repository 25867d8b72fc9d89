package seal

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // register JPEG for image.Decode (phone photos, scans)
	_ "image/png"  // register PNG for image.Decode
	"io"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// ErrNoQRCode is returned by DecodeImage when the image holds no readable QR code.
var ErrNoQRCode = errors.New("no QR code found in the image")

// Limits on images given to DecodeImage, against decompression bombs.
const (
	maxImageBytes  = 32 << 20
	maxImagePixels = 40_000_000
)

// DecodeImage finds a QR code in a PNG or JPEG image and returns its text,
// e.g. a seal text to pass to Verify.
func DecodeImage(r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImageBytes+1))
	if err != nil {
		return "", fmt.Errorf("read image: %w", err)
	}
	if len(data) > maxImageBytes {
		return "", fmt.Errorf("read image: larger than %d bytes", maxImageBytes)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("decode image: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxImagePixels {
		return "", fmt.Errorf("decode image: %s of %dx%d pixels is outside 1 to %d pixels", format, cfg.Width, cfg.Height, maxImagePixels)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("decode image: %w", err)
	}
	return scanQR(img)
}

// scanQR runs the gozxing QR reader on img, trying in turn the strategies
// that suit a photo or scan (local thresholding, searching harder), a
// computer-generated image (pure barcode: read the modules directly) and a
// page with uneven light (global histogram). A panic inside the third-party
// reader becomes an error, so a crafted image cannot crash the caller.
func scanQR(img image.Image) (text string, err error) {
	defer func() {
		if p := recover(); p != nil {
			text, err = "", fmt.Errorf("scan qr: reader failed: %v", p)
		}
	}()
	src := gozxing.NewLuminanceSourceFromImage(img)
	attempts := []struct {
		binarize func(gozxing.LuminanceSource) gozxing.Binarizer
		hints    map[gozxing.DecodeHintType]any
	}{
		{gozxing.NewHybridBinarizer, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}},
		{gozxing.NewHybridBinarizer, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true}},
		{gozxing.NewGlobalHistgramBinarizer, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}},
	}
	var lastErr error
	for _, a := range attempts {
		bmp, err := gozxing.NewBinaryBitmap(a.binarize(src))
		if err != nil {
			return "", fmt.Errorf("scan qr: %w", err)
		}
		res, err := gozxingqr.NewQRCodeReader().Decode(bmp, a.hints)
		if err == nil {
			return res.GetText(), nil
		}
		lastErr = err
	}
	if _, ok := lastErr.(gozxing.NotFoundException); ok {
		return "", ErrNoQRCode
	}
	return "", fmt.Errorf("scan qr: unreadable QR code: %w", lastErr)
}
