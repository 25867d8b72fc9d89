package browser

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStartWithoutDependencies(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "absent")
	cases := map[string][]Option{
		"a missing chromium fails and says to run scripts/browser-deps.sh": {WithChromium(missing)},
		"a missing axe-core fails and says to run scripts/browser-deps.sh": {WithChromium("/bin/sh"), WithAxe(missing)},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := Start(context.Background(), opts...)
			require.Nil(t, b)
			require.ErrorIs(t, err, ErrMissingDeps)
			require.Contains(t, err.Error(), "scripts/browser-deps.sh")
		})
	}
	t.Run("an empty option value is refused", func(t *testing.T) {
		_, err := Start(context.Background(), WithScreenshotDir(""))
		require.ErrorContains(t, err, "screenshot directory is empty")
	})
}

func TestViolationsString(t *testing.T) {
	t.Run("no violations say so", func(t *testing.T) {
		require.Equal(t, "no accessibility violations", Violations(nil).String())
	})
	t.Run("each violation names its rule and element", func(t *testing.T) {
		s := Violations{{ID: "label", Impact: "critical", Help: "Form elements must have labels",
			Nodes: []AxeNodes{{Target: []any{"#sha256"}, HTML: `<input id="sha256">`, FailureSummary: "Fix any of the following"}}}}.String()
		require.True(t, strings.HasPrefix(s, "1 accessibility violations:"))
		require.Contains(t, s, "label (critical): Form elements must have labels")
		require.Contains(t, s, `at [#sha256]: <input id="sha256">`)
	})
}
