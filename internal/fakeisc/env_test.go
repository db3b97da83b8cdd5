package fakeisc

import (
	"os"
	"path/filepath"
	"testing"
)

func TestEnvLines(t *testing.T) {
	tests := []struct {
		name, url, id, secret, want string
	}{
		{"plain", "http://127.0.0.1:4321", DefaultClientID, DefaultClientSecret,
			"SAIL_BASE_URL=http://127.0.0.1:4321\nSAIL_CLIENT_ID=fake-client-id\nSAIL_CLIENT_SECRET=fake-client-secret-do-not-use\n"},
		{"quoted when needed", "http://x", "a b", "it's$", "SAIL_BASE_URL=http://x\nSAIL_CLIENT_ID='a b'\nSAIL_CLIENT_SECRET='it'\\''s$'\n"},
		{"empty", "", "", "", "SAIL_BASE_URL=''\nSAIL_CLIENT_ID=''\nSAIL_CLIENT_SECRET=''\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EnvLines(tt.url, tt.id, tt.secret); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestWriteEnvFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fake.env")
	if err := os.WriteFile(path, []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteEnvFile(path, "http://127.0.0.1:1", "id", "secret"); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := EnvLines("http://127.0.0.1:1", "id", "secret"); string(got) != want {
		t.Errorf("file = %q, want %q", got, want)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("mode = %v, want 0600", mode)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := WriteEnvFile(filepath.Join(dir, "missing", "fake.env"), "u", "i", "s"); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}
