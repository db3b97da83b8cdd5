package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// Usage is what a process cost, from its rusage when it exited.
type Usage struct {
	CPU    time.Duration // user + system
	MaxRSS int64         // peak resident set, bytes
}

func usageOf(ps *os.ProcessState) Usage {
	u := Usage{CPU: ps.UserTime() + ps.SystemTime()}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		u.MaxRSS = ru.Maxrss * 1024 // KiB on Linux
	}
	return u
}

// providerProc is a provider served in debug mode (internal/bench/benchprovider), which
// Terraform reattaches to instead of starting it.
type providerProc struct {
	cmd      *exec.Cmd
	reattach map[string]json.RawMessage
	done     chan error
}

func (b *bench) startProvider(name string, args ...string) (*providerProc, error) {
	cmd := b.command(b.provider, append([]string{"-provider", name}, args...)...)
	cmd.Stderr = io.Discard                                            // its logs, which Terraform too would discard
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the bench
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &providerProc{cmd: cmd, done: make(chan error, 1)}
	sc := bufio.NewScanner(out)
	for p.reattach == nil && sc.Scan() {
		p.reattach = parseReattach(sc.Text())
	}
	go func() {
		_, _ = io.Copy(io.Discard, out)
		p.done <- cmd.Wait()
	}()
	if p.reattach == nil {
		_, _ = p.stop()
		return nil, fmt.Errorf("provider %s printed no TF_REATTACH_PROVIDERS", name)
	}
	return p, nil
}

// parseReattach returns the providers of a "TF_REATTACH_PROVIDERS='{...}'" line, or nil.
func parseReattach(line string) map[string]json.RawMessage {
	_, value, ok := strings.Cut(strings.TrimSpace(line), "TF_REATTACH_PROVIDERS='")
	if !ok {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(strings.TrimSuffix(value, "'")), &m) != nil || len(m) == 0 {
		return nil
	}
	return m
}

// stop interrupts the provider, as a debugger's user would, and returns its usage.
func (p *providerProc) stop() (Usage, error) {
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-p.done:
		if err != nil {
			return Usage{}, fmt.Errorf("provider %s: %w", p.cmd.Args[2], err)
		}
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		return Usage{}, errors.Join(fmt.Errorf("provider %s did not stop when interrupted", p.cmd.Args[2]), <-p.done)
	}
	return usageOf(p.cmd.ProcessState), nil
}

// Run is one terraform plan and what it cost.
type Run struct {
	Name         string
	N            int // sources; accounts in the account plans
	Wall         time.Duration
	TerraformCPU time.Duration    // the terraform process alone: the providers are not its children
	Providers    map[string]Usage // by provider type name
	Ops          map[string]int   // requests the fake answered, by fakeisc op (token included)
	API          int              // API requests, 429s included
	RateLimited  int              // 429s
	MaxInWindow  int              // most API requests in any 10 s
	PerWindow    float64          // API requests per 10 s, from the first arrival to the last
	PlanJSON     int              // bytes of terraform show -json of the saved plan
}

type planSpec struct {
	name, hcl string
	n         int
	fake      *fakeisc.Tenant
	providers []string // served in debug mode and reattached
	profiles  string   // a folder where each provider writes a CPU profile, <name>.pprof
}

// plan runs terraform plan, then terraform show -json, against freshly started providers.
func (b *bench) plan(s planSpec) (run Run, err error) {
	dir, err := os.MkdirTemp(b.work, s.name+"-")
	if err != nil {
		return run, err
	}
	rc := filepath.Join(dir, "terraformrc") // empty: the user's CLI configuration must not count
	for path, content := range map[string]string{filepath.Join(dir, "main.tf"): s.hcl, rc: ""} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			return run, err
		}
	}
	procs := map[string]*providerProc{}
	defer func() {
		for _, p := range procs {
			_, _ = p.stop()
		}
	}()
	reattach := map[string]json.RawMessage{}
	for _, name := range s.providers {
		var args []string
		if s.profiles != "" {
			args = []string{"-cpuprofile", filepath.Join(s.profiles, name+".pprof")}
		}
		p, err := b.startProvider(name, args...)
		if err != nil {
			return run, err
		}
		procs[name] = p
		maps.Copy(reattach, p.reattach)
	}
	attach, _ := json.Marshal(reattach)
	env := append(cleanEnv(), "TF_REATTACH_PROVIDERS="+string(attach), "TF_CLI_CONFIG_FILE="+rc,
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")

	s.fake.Reset()
	start := time.Now()
	ps, _, err := b.terraform(dir, env, "plan", "-input=false", "-lock=false", "-out=tfplan")
	run = Run{Name: s.name, N: s.n, Wall: time.Since(start), Providers: map[string]Usage{}}
	if err != nil {
		return run, fmt.Errorf("%s: %w", s.name, err)
	}
	run.TerraformCPU = ps.UserTime() + ps.SystemTime()
	stats := s.fake.Stats()
	run.API, run.RateLimited, run.MaxInWindow = stats.APIRequests, stats.RateLimited, stats.MaxInWindow
	run.Ops, run.PerWindow = countRequests(s.fake.Requests(), 10*time.Second)

	_, show, err := b.terraform(dir, env, "show", "-json", "tfplan")
	if err != nil {
		return run, fmt.Errorf("%s: %w", s.name, err)
	}
	run.PlanJSON = len(show)
	for name, p := range procs {
		delete(procs, name)
		if run.Providers[name], err = p.stop(); err != nil {
			return run, err
		}
	}
	return run, nil
}

// terraform runs the CLI in dir and returns its process state and standard output.
func (b *bench) terraform(dir string, env []string, args ...string) (*os.ProcessState, []byte, error) {
	var stdout, stderr bytes.Buffer
	cmd := b.command(b.tf, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, nil, fmt.Errorf("terraform %s: %w\n%s%s", args[0], err, tail(stdout.String()), tail(stderr.String()))
	}
	return cmd.ProcessState, stdout.Bytes(), nil
}

func tail(s string) string { return s[max(0, len(s)-4000):] }

// cleanEnv is the environment without TF_* and SAIL_* variables: a developer's TF_LOG or
// credentials must not change what is measured.
func cleanEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "SAIL_")
	})
}

// countRequests counts the answered requests by op, and the API requests per window between
// the first arrival and the last: the pace the provider kept.
func countRequests(reqs []fakeisc.Request, window time.Duration) (ops map[string]int, perWindow float64) {
	ops = map[string]int{}
	var first, last time.Time
	api := 0
	for _, r := range reqs {
		ops[r.Op]++
		if r.Op == fakeisc.OpToken || r.Op == fakeisc.OpUnknown {
			continue
		}
		if api == 0 || r.Time.Before(first) {
			first = r.Time
		}
		if r.Time.After(last) {
			last = r.Time
		}
		api++
	}
	if api > 1 && last.After(first) {
		perWindow = float64(api-1) / float64(last.Sub(first)) * float64(window)
	}
	return ops, perWindow
}
