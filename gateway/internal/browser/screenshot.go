package browser

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/chromedp/chromedp"
)

// Widths of the screenshots: a phone and a desktop.
const (
	PhoneWidth   = 390
	DesktopWidth = 1280
)

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshots writes full-page PNGs of the current page at PhoneWidth (as a
// mobile device) and DesktopWidth into the browser's screenshot directory,
// named <name>-phone.png and <name>-desktop.png, and returns their paths.
// The viewport is left at desktop width.
func (p *Page) Screenshots(name string) ([]string, error) {
	if err := os.MkdirAll(p.b.screenshots, 0o755); err != nil {
		return nil, fmt.Errorf("screenshot directory: %w", err)
	}
	name = unsafeName.ReplaceAllString(name, "_")
	shots := []struct {
		suffix string
		width  int64
		height int64
		opts   []chromedp.EmulateViewportOption
	}{
		{"phone", PhoneWidth, 844, []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait}},
		{"desktop", DesktopWidth, 800, nil},
	}
	var paths []string
	for _, s := range shots {
		if err := p.do("resize to "+s.suffix, chromedp.EmulateViewport(s.width, s.height, s.opts...)); err != nil {
			return paths, err
		}
		png, err := p.capture()
		if err != nil {
			return paths, fmt.Errorf("screenshot %s at %d px: %w", name, s.width, err)
		}
		path := filepath.Join(p.b.screenshots, fmt.Sprintf("%s-%s.png", name, s.suffix))
		if err := os.WriteFile(path, png, 0o644); err != nil {
			return paths, fmt.Errorf("write screenshot: %w", err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func (p *Page) capture() ([]byte, error) {
	ctx, cancel := contextWithTimeout(p)
	defer cancel()
	return chromedp.Run(ctx, chromedp.FullScreenshot(100))
}
