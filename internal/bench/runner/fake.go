// Package runner runs the processes of the plan benchmarks: the fake ISC tenant (the
// fakeisc command), `terraform plan` with the plugintimer wrapper standing in for the
// provider, and `go test -bench`. Every process it starts is stopped when its context ends
// or the benchmark fails, so an interrupted `make bench` leaves nothing running.
package runner

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// Fake is a running fakeisc process.
type Fake struct {
	// BaseURL, ClientID and ClientSecret are what the fake wrote to its env file.
	BaseURL, ClientID, ClientSecret string

	cmd    *exec.Cmd
	done   chan struct{} // closed when the process has exited
	err    error         // its exit status, once done
	log    *os.File
	client *http.Client
}

// StartFake starts the fakeisc binary with args (plus -addr and -env-file, which it sets) and
// waits until it serves. Its output goes to dir/fakeisc.log. It is stopped by Stop, or when
// ctx ends.
func StartFake(ctx context.Context, bin, dir string, args ...string) (*Fake, error) {
	envFile := filepath.Join(dir, "fake.env")
	_ = os.Remove(envFile)
	logFile, err := os.Create(filepath.Join(dir, "fakeisc.log"))
	if err != nil {
		return nil, err
	}
	// SIGTERM when ctx ends: the fake shuts down and removes its env file.
	cmd := command(ctx, syscall.SIGTERM, bin, append([]string{"-addr", "127.0.0.1:0", "-env-file", envFile}, args...)...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, fmt.Errorf("starting the fake tenant: %w", err)
	}
	f := &Fake{cmd: cmd, done: make(chan struct{}), log: logFile, client: &http.Client{Timeout: 30 * time.Second}}
	go func() { f.err = cmd.Wait(); close(f.done) }()

	// The fake writes its env file once it listens, by rename, so a file that exists is whole.
	deadline := time.Now().Add(30 * time.Second)
	for {
		env, err := os.ReadFile(envFile)
		if err == nil && len(env) > 0 {
			vars := ParseEnv(string(env))
			f.BaseURL, f.ClientID, f.ClientSecret = vars[fakeisc.EnvBaseURL], vars[fakeisc.EnvClientID], vars[fakeisc.EnvClientSecret]
			if f.BaseURL == "" {
				_ = f.Stop()
				return nil, fmt.Errorf("the fake tenant's env file has no %s:\n%s", fakeisc.EnvBaseURL, env)
			}
			return f, nil
		}
		select {
		case <-f.done:
			return nil, fmt.Errorf("the fake tenant exited (%w):\n%s", f.err, readTail(logFile.Name()))
		case <-ctx.Done():
			_ = f.Stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = f.Stop()
			return nil, fmt.Errorf("the fake tenant did not start within 30 s:\n%s", readTail(logFile.Name()))
		}
	}
}

// Env returns the SAIL_* variables that point a provider at the fake.
func (f *Fake) Env() []string {
	return []string{
		fakeisc.EnvBaseURL + "=" + f.BaseURL,
		fakeisc.EnvClientID + "=" + f.ClientID,
		fakeisc.EnvClientSecret + "=" + f.ClientSecret,
	}
}

// Reset clears the fake's counters, request log and rate windows (POST /__fake/reset).
func (f *Fake) Reset(ctx context.Context) error {
	return f.admin(ctx, http.MethodPost, "reset", nil)
}

// Stats returns the fake's counters since the last Reset (GET /__fake/stats).
func (f *Fake) Stats(ctx context.Context) (fakeisc.Stats, error) {
	var s fakeisc.Stats
	err := f.admin(ctx, http.MethodGet, "stats", &s)
	return s, err
}

// Requests returns the fake's request log since the last Reset (GET /__fake/requests).
func (f *Fake) Requests(ctx context.Context) ([]fakeisc.Request, error) {
	var r []fakeisc.Request
	err := f.admin(ctx, http.MethodGet, "requests", &r)
	return r, err
}

func (f *Fake) admin(ctx context.Context, method, name string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, f.BaseURL+"/__fake/"+name, nil)
	if err != nil {
		return err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return fmt.Errorf("fake tenant %s %s: %w", method, name, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("fake tenant %s %s: HTTP %d: %s", method, name, resp.StatusCode, body)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(body, out)
}

// Stop ends the fake with SIGTERM (it removes its env file on the way out) and, if it has
// not exited within 5 s, SIGKILL. It is safe to call more than once.
func (f *Fake) Stop() error {
	defer func() { _ = f.log.Close() }()
	select {
	case <-f.done:
		return nil
	default:
	}
	_ = f.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-f.done:
		return nil
	case <-time.After(5 * time.Second):
		_ = f.cmd.Process.Kill()
		<-f.done
		return errors.New("the fake tenant did not stop on SIGTERM and was killed")
	}
}

// ParseEnv reads KEY=value lines as the fake writes them: bare values, or single-quoted with
// '\” for a quote. Other lines are ignored.
func ParseEnv(text string) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok || k == "" || strings.HasPrefix(k, "#") {
			continue
		}
		if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			v = strings.ReplaceAll(v[1:len(v)-1], `'\''`, `'`)
		}
		out[k] = v
	}
	return out
}

// readTail returns the last lines of a log file, for error messages.
func readTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	return tail(b, 40)
}

// tail returns the last n lines of b.
func tail(b []byte, n int) string {
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = append([][]byte{[]byte(fmt.Sprintf("[... %d lines before ...]", len(lines)-n))}, lines[len(lines)-n:]...)
	}
	return string(bytes.Join(lines, []byte("\n")))
}
