package fakeisc

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Environment variables SailPoint's SDKs and CLI read, and so does this provider.
const (
	EnvBaseURL      = "SAIL_BASE_URL"
	EnvClientID     = "SAIL_CLIENT_ID"
	EnvClientSecret = "SAIL_CLIENT_SECRET" //nolint:gosec // the name of a variable, not a credential
)

// EnvLines returns the KEY=value lines that point SailPoint tooling at a fake tenant,
// one per line, newline-terminated. Values made only of characters that are safe
// unquoted (as URLs and the default credentials are) are written bare, so the file works
// with both `source` and make's include; any other value is single-quoted for the shell.
func EnvLines(baseURL, clientID, clientSecret string) string {
	var b strings.Builder
	for _, kv := range [][2]string{{EnvBaseURL, baseURL}, {EnvClientID, clientID}, {EnvClientSecret, clientSecret}} {
		fmt.Fprintf(&b, "%s=%s\n", kv[0], shellValue(kv[1]))
	}
	return b.String()
}

// WriteEnvFile writes EnvLines to path with mode 0600 (it holds a client secret). It
// writes a temporary file in the same directory and renames it into place, so a script
// waiting for path to appear never reads a partial file.
func WriteEnvFile(path, baseURL, clientID, clientSecret string) error {
	// CreateTemp makes the file with mode 0600, before anything is written to it.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".fakeisc-env-*")
	if err != nil {
		return fmt.Errorf("write env file: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // fails harmlessly once renamed
	if _, err := tmp.WriteString(EnvLines(baseURL, clientID, clientSecret)); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write env file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write env file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write env file: %w", err)
	}
	return nil
}

// shellValue returns v bare when it is safe unquoted, else single-quoted.
func shellValue(v string) string {
	unsafe := func(r rune) bool {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', strings.ContainsRune("-_./:@%+=,", r):
			return false
		}
		return true
	}
	safe := v != "" && strings.IndexFunc(v, unsafe) < 0
	if safe {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}
