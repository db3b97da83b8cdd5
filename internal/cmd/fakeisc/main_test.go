package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    config
		wantErr string
	}{
		{name: "defaults", args: nil, want: config{
			addr: "127.0.0.1:0", clientID: fakeisc.DefaultClientID, clientSecret: fakeisc.DefaultClientSecret,
			tokenTTL: fakeisc.DefaultTokenTTL, rateWindow: fakeisc.DefaultRateWindow,
		}},
		{name: "everything", args: []string{
			"-addr", "127.0.0.1:9999", "-client-id", "id", "-client-secret", "s", "-token-ttl", "2s",
			"-sources", "10", "-rate-limit", "100", "-rate-window", "5s", "-env-file", "x.env",
		}, want: config{
			addr: "127.0.0.1:9999", clientID: "id", clientSecret: "s", tokenTTL: 2 * time.Second,
			sources: 10, rateLimit: 100, rateWindow: 5 * time.Second, envFile: "x.env",
		}},
		{name: "bad duration", args: []string{"-token-ttl", "soon"}, wantErr: "invalid value"},
		{name: "zero ttl", args: []string{"-token-ttl", "0s"}, wantErr: "-token-ttl must be positive"},
		{name: "negative sources", args: []string{"-sources", "-1"}, wantErr: "-sources must not be negative"},
		{name: "negative rate limit", args: []string{"-rate-limit", "-1"}, wantErr: "-rate-limit must not be negative"},
		{name: "zero window", args: []string{"-rate-window", "0s"}, wantErr: "-rate-window must be positive"},
		{name: "empty secret", args: []string{"-client-secret", ""}, wantErr: "must not be empty"},
		{name: "stray argument", args: []string{"serve"}, wantErr: "unexpected arguments"},
		{name: "unknown flag", args: []string{"-port", "1"}, wantErr: "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFlags(tt.args, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}

	if _, err := parseFlags([]string{"-h"}, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v, want flag.ErrHelp", err)
	}
	if err := run(context.Background(), []string{"-h"}, io.Discard, io.Discard); err != nil {
		t.Errorf("run -h: %v", err)
	}
	if err := run(context.Background(), []string{"-addr", "not an address"}, io.Discard, io.Discard); err == nil {
		t.Error("run with a bad -addr succeeded")
	}
}

// lockedBuffer is a bytes.Buffer safe to write from run while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestRun(t *testing.T) {
	envFile := filepath.Join(t.TempDir(), "fake.env")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-env-file", envFile, "-sources", "3", "-client-id", "cli", "-client-secret", "sec", "-token-ttl", "90s"}, &stdout, io.Discard)
	}()

	// Scripts wait for the env file; so does this test.
	var env map[string]string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no env file; stdout so far:\n%s", stdout.String())
		}
		if env = readEnv(t, envFile); env != nil {
			break
		}
	}
	if info, err := os.Stat(envFile); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("env file mode: %v %v", info, err)
	}
	base := env[fakeisc.EnvBaseURL]
	if !strings.HasPrefix(base, "http://127.0.0.1:") || env[fakeisc.EnvClientID] != "cli" || env[fakeisc.EnvClientSecret] != "sec" {
		t.Fatalf("env = %v", env)
	}
	out := stdout.String()
	for _, want := range []string{"base URL       " + base, "client secret  sec", "3 generated", fakeisc.EnvLines(base, "cli", "sec")} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}

	// The fake answers with the configured client and serves generated sources.
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"cli"}, "client_secret": {"sec"}}
	tokReq, err := http.NewRequestWithContext(t.Context(), http.MethodPost, base+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	tokReq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(tokReq)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	_ = resp.Body.Close()
	if err != nil || tok.ExpiresIn != 90 {
		t.Fatalf("token: %+v %v", tok, err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+fakeisc.APIPath("v3", fakeisc.OpStatus, fakeisc.GeneratedSourceID(2)), nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("generated source status: %d", resp.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
	if _, err := os.Stat(envFile); !os.IsNotExist(err) {
		t.Errorf("env file left behind after shutdown: %v", err)
	}
}

// readEnv parses KEY=value lines, or returns nil while the file does not exist.
func readEnv(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			env[k] = v
		}
	}
	return env
}
