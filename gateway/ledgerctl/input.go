package ledgerctl

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// Inputs shared by the command groups: values given inline, as @file or on
// stdin, whole requests as the API's JSON, and files to hash locally.

// readArg reads a value given inline, as @file or as - for stdin.
func readArg(arg string) ([]byte, error) {
	switch {
	case arg == "-":
		return io.ReadAll(os.Stdin)
	case strings.HasPrefix(arg, "@"):
		return os.ReadFile(arg[1:])
	}
	return []byte(arg), nil
}

// readJSONArg reads a request message from a JSON argument, "-" for stdin or
// "@file", so any RPC input can be given as the API's JSON.
func readJSONArg(arg string, msg proto.Message) error {
	data, err := readArg(arg)
	if err != nil {
		return err
	}
	if err := protojson.Unmarshal(data, msg); err != nil {
		return fmt.Errorf("request is not valid JSON for %s: %w", msg.ProtoReflect().Descriptor().Name(), err)
	}
	return nil
}

// hashFile is the hex SHA-256 of a file's bytes; the file is not sent.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
