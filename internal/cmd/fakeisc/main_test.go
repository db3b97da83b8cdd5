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
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    config
		wantErr string
	}{
		{name: "defaults", args: nil, want: config{addr: "127.0.0.1:0"}},
		{name: "everything", args: []string{
			"-addr", "127.0.0.1:9999", "-sources", "10", "-env-file", "x.env", "-cli-config", "rc", "-provider-dir", "bin",
		}, want: config{addr: "127.0.0.1:9999", sources: 10, envFile: "x.env", cliConfig: "rc", providerDir: "bin"}},
		{name: "negative sources", args: []string{"-sources", "-1"}, wantErr: "-sources must not be negative"},
		{name: "cli config alone", args: []string{"-cli-config", "rc"}, wantErr: "go together"},
		{name: "provider dir alone", args: []string{"-provider-dir", "bin"}, wantErr: "go together"},
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
	dir := t.TempDir()
	envFile, rc := filepath.Join(dir, "fake.env"), filepath.Join(dir, "terraformrc")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-env-file", envFile, "-sources", "3", "-cli-config", rc, "-provider-dir", "bin"}, &stdout, io.Discard)
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
	for _, f := range []string{envFile, rc} {
		if info, err := os.Stat(f); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s mode: %v %v", f, info, err)
		}
	}
	base := env["SAIL_BASE_URL"]
	if !strings.HasPrefix(base, "http://127.0.0.1:") || env["SAIL_CLIENT_ID"] != fakeisc.DefaultClientID || env["SAIL_CLIENT_SECRET"] != fakeisc.DefaultClientSecret {
		t.Fatalf("env = %v", env)
	}
	if out := stdout.String(); !strings.Contains(out, base) || !strings.Contains(out, envLines(base)) ||
		!strings.Contains(out, "GET /sources/v1 lists the sources, GET /accounts/v1 the accounts") {
		t.Errorf("stdout lacks the base URL, the env lines or the paths the provider calls:\n%s", out)
	}
	wd, _ := os.Getwd()
	if got, _ := os.ReadFile(rc); string(got) != acctest.DevOverridesConfig(filepath.Join(wd, "bin")) {
		t.Errorf("CLI configuration:\n%s", got)
	}

	// The fake answers the default client and serves generated sources.
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {fakeisc.DefaultClientID}, "client_secret": {fakeisc.DefaultClientSecret}}
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
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	_ = resp.Body.Close()
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %+v %v", tok, err)
	}
	apiGet := func(path string) (code int, header http.Header, body []byte) {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err = io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Header, body
	}
	if code, _, _ := apiGet("/v3/source-usages/" + fakeisc.GeneratedSourceID(2) + "/status"); code != 200 {
		t.Errorf("generated source status: %d", code)
	}
	// The demo finds its sources by filter: two of the demo's, one generated.
	_, _, body := apiGet("/sources/v1?filters=" + url.QueryEscape(`type eq "Active Directory"`))
	var sources []fakeisc.Source
	if err := json.Unmarshal(body, &sources); err != nil || len(sources) != 3 {
		t.Errorf("Active Directory sources of the demo: %+v %v", sources, err)
	}
	// And the demo's accounts, as the banner says.
	code, header, _ := apiGet("/accounts/v1?count=true&limit=1&detailLevel=SLIM")
	if n, _ := strconv.Atoi(header.Get("X-Total-Count")); code != 200 || n < 20 {
		t.Errorf("accounts of the demo: %d, X-Total-Count %q", code, header.Get("X-Total-Count"))
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

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fake.env")
	if err := os.WriteFile(path, []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(path, "fresh"); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "fresh" {
		t.Errorf("file = %q, want fresh", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := writeFile(filepath.Join(dir, "missing", "fake.env"), "x"); err == nil {
		t.Error("writing into a missing directory succeeded")
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
