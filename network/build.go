package network

import (
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"syscall"
)

// buildBinaries compiles the chaincode service, the gateway and the portal
// in one go build, into a build folder that every network of this checkout
// shares (buildDir), then copies those that changed into the data
// directory, and returns the data directory's programs it replaced. A
// network runs its own copies, so a later build never changes the programs
// of a running network; and a new data directory costs a copy, not three
// links (about 6 s on 2 cores).
func (n *Network) buildBinaries(ctx context.Context) (replaced []string, err error) {
	dir, err := n.buildDir()
	if err != nil {
		return nil, err
	}
	cc := n.topo.Chaincode
	binaries := []struct{ pkg, out string }{{cc.Package, n.chaincodeBinary()}, {cc.Gateway, n.gatewayBinary()}, {portalPackage, n.portalBinary()}}
	unlock, err := lockFile(dir + ".lock")
	if err != nil {
		return nil, err
	}
	defer unlock()
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	for _, b := range binaries {
		args = append(args, b.pkg)
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = n.repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build %v: %w\n%s", args[3:], err, out)
	}
	for _, b := range binaries {
		// go build -o DIR/ names each program after its package's last
		// path element.
		changed, err := copyIfChanged(filepath.Join(dir, path.Base(b.pkg)), b.out)
		if err != nil {
			return nil, err
		}
		if changed {
			replaced = append(replaced, b.out)
		}
	}
	return replaced, nil
}

// buildDir is the build folder of this checkout: in the user's cache,
// named after the repository's path.
func (n *Network) buildDir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = filepath.Join(os.TempDir(), "cache")
	}
	sum := sha256.Sum256([]byte(n.repoRoot))
	dir := filepath.Join(cache, "civicledger", "build", hex.EncodeToString(sum[:8]))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create build folder: %w", err)
	}
	return dir, nil
}

// lockFile takes an exclusive lock on path, so that two networks of one
// checkout starting at once do not build into the same folder together.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// copyIfChanged copies the executable src to dst unless dst holds the same
// program (the same Go build ID; go build touches an up-to-date program,
// so its time says nothing), and reports whether it copied. It writes a new
// file and renames it over dst, so a program running from dst keeps its
// own file.
func copyIfChanged(src, dst string) (bool, error) {
	if exists(dst) {
		a, errA := goBuildID(src)
		b, errB := goBuildID(dst)
		if errA == nil && errB == nil && a == b {
			return false, nil
		}
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return false, err
	}
	in, err := os.Open(src)
	if err != nil {
		return false, err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+"-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing left to remove
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return false, fmt.Errorf("copy %s: %w", src, err)
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	if err := os.Chmod(tmp.Name(), 0o755); err != nil {
		return false, err
	}
	return true, os.Rename(tmp.Name(), dst)
}

// goBuildID is the Go build ID an executable carries in its ELF note
// section; it changes whenever the program does.
func goBuildID(path string) (string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil {
		return "", fmt.Errorf("%s has no Go build ID", path)
	}
	data, err := sec.Data()
	return string(data), err
}
