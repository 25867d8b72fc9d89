// Package browser drives Debian's headless Chromium from Go tests, through
// chromedp: open a page, wait for what its JavaScript writes, read text and
// attributes, choose a file on a file input, run axe-core, and write
// screenshots at phone and desktop widths.
//
// It never skips: when Chromium or axe-core is missing, Start fails and says
// to run scripts/browser-deps.sh, which installs both.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// DefaultChromium is where Debian's chromium package puts the browser.
const DefaultChromium = "/usr/bin/chromium"

// DefaultTimeout bounds each page action (a navigation, a wait, a read); the
// machine is shared, so it is generous.
const DefaultTimeout = 30 * time.Second

// ErrMissingDeps says Chromium or axe-core is not installed.
var ErrMissingDeps = errors.New("browser test dependencies missing: run scripts/browser-deps.sh")

// Browser is one headless Chromium with a fresh profile.
type Browser struct {
	ctx         context.Context // the browser's chromedp context
	cancel      context.CancelFunc
	profile     string
	axeSource   string
	screenshots string
	timeout     time.Duration
}

// Option configures Start.
type Option func(*config) error

type config struct {
	chromium    string
	axe         string
	screenshots string
	timeout     time.Duration
}

// WithChromium sets the browser binary (default $CIVIC_CHROMIUM or DefaultChromium).
func WithChromium(path string) Option {
	return func(c *config) error {
		if path == "" {
			return errors.New("chromium path is empty")
		}
		c.chromium = path
		return nil
	}
}

// WithAxe sets the axe.min.js file (default $CIVIC_AXE or the cache that
// scripts/browser-deps.sh fills).
func WithAxe(path string) Option {
	return func(c *config) error {
		if path == "" {
			return errors.New("axe path is empty")
		}
		c.axe = path
		return nil
	}
}

// WithScreenshotDir sets where screenshots go (default ScreenshotDir()).
func WithScreenshotDir(dir string) Option {
	return func(c *config) error {
		if dir == "" {
			return errors.New("screenshot directory is empty")
		}
		c.screenshots = dir
		return nil
	}
}

// WithTimeout sets the time each page action may take.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("timeout %s is not positive", d)
		}
		c.timeout = d
		return nil
	}
}

// ScreenshotDir is $CIVIC_SCREENSHOTS, or civicledger-screenshots in the
// system's temporary directory (scripts/test.sh prints the one it uses).
func ScreenshotDir() string {
	if dir := os.Getenv("CIVIC_SCREENSHOTS"); dir != "" {
		return dir
	}
	return filepath.Join(os.TempDir(), "civicledger-screenshots")
}

// DefaultAxe is $CIVIC_AXE, or axe.min.js in the npm cache of
// scripts/browser-deps.sh ($CIVIC_NPM_HOME, default ~/.cache/civicledger/npm).
func DefaultAxe() string {
	if p := os.Getenv("CIVIC_AXE"); p != "" {
		return p
	}
	home := os.Getenv("CIVIC_NPM_HOME")
	if home == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		home = filepath.Join(cache, "civicledger", "npm")
	}
	return filepath.Join(home, "node_modules", "axe-core", "axe.min.js")
}

// Start launches headless Chromium with a fresh profile directory. ctx bounds
// the browser's whole life; Close stops it earlier.
func Start(ctx context.Context, opts ...Option) (*Browser, error) {
	cfg := config{chromium: os.Getenv("CIVIC_CHROMIUM"), axe: DefaultAxe(), screenshots: ScreenshotDir(), timeout: DefaultTimeout}
	if cfg.chromium == "" {
		cfg.chromium = DefaultChromium
	}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("browser option: %w", err)
		}
	}
	if _, err := os.Stat(cfg.chromium); err != nil {
		return nil, fmt.Errorf("%w (chromium: %w)", ErrMissingDeps, err)
	}
	axe, err := os.ReadFile(cfg.axe)
	if err != nil {
		return nil, fmt.Errorf("%w (axe-core: %w)", ErrMissingDeps, err)
	}
	profile, err := os.MkdirTemp("", "civic-chromium-")
	if err != nil {
		return nil, fmt.Errorf("create chromium profile: %w", err)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(cfg.chromium),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	b := &Browser{
		ctx: browserCtx,
		cancel: func() {
			cancelBrowser()
			cancelAlloc()
		},
		profile:     profile,
		axeSource:   string(axe),
		screenshots: cfg.screenshots,
		timeout:     cfg.timeout,
	}
	// The first action launches the browser; it runs on the browser context
	// itself (a derived timeout would end the browser with it), so a timer
	// bounds it instead.
	timer := time.AfterFunc(cfg.timeout, b.cancel)
	err = chromedp.Do(browserCtx)
	if !timer.Stop() && err == nil {
		err = context.DeadlineExceeded
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("start chromium %s: %w", cfg.chromium, err)
	}
	return b, nil
}

// ForTest starts a browser for t, fails t (never skips) when it cannot, and
// closes it when t ends. It logs where screenshots go.
func ForTest(t testing.TB, opts ...Option) *Browser {
	t.Helper()
	b, err := Start(context.Background(), opts...)
	if err != nil {
		t.Fatalf("start headless chromium: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	t.Logf("screenshots go to %s", b.screenshots)
	return b
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() error {
	b.cancel()
	if err := os.RemoveAll(b.profile); err != nil {
		return fmt.Errorf("remove chromium profile: %w", err)
	}
	return nil
}

// ScreenshotDir returns the directory this browser writes screenshots to.
func (b *Browser) ScreenshotDir() string { return b.screenshots }
