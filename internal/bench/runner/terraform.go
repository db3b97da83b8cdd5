package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/rusage"
)

// Plan is one `terraform plan` run.
type Plan struct {
	Terraform string // path of the CLI
	Dir       string // working directory, holding main.tf
	CLIConfig string // TF_CLI_CONFIG_FILE, with the dev_overrides
	Env       []string
	// Parallelism is passed as -parallelism when positive; 0 keeps Terraform's default (10).
	Parallelism int
	// Timeout bounds the run; 0 means 15 minutes.
	Timeout time.Duration
}

// PlanResult is what one plan cost.
type PlanResult struct {
	Wall time.Duration
	// TreeCPU is the user+system time of the terraform process and every plugin it waited
	// for (wait4 reports a child's usage with that of its own waited-for children).
	TreeCPU time.Duration
	// Plugins sums the provider processes' records from plugintimer.
	Plugins rusage.Summary
	// Reads counts the data source reads Terraform reported ("Read complete after").
	Reads int
}

// TerraformCPU is Terraform's own CPU: the tree's minus the providers' and their wrappers'.
func (r PlanResult) TerraformCPU() time.Duration {
	return max(r.TreeCPU-r.Plugins.CPU-r.Plugins.WrapperCPU, 0)
}

// RunPlan runs `terraform plan -input=false -refresh=true` in p.Dir. Its stdout goes to
// plan.log and its stderr to plan.stderr in that folder; a failed run returns an error that
// quotes the end of both. Terraform runs in a process group of its own, so that an
// interrupted benchmark stops it together with its provider plugins.
func RunPlan(ctx context.Context, p Plan) (PlanResult, error) {
	timeout := p.Timeout
	if timeout == 0 {
		timeout = 15 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	recordFile := filepath.Join(p.Dir, "plugins.jsonl")
	if err := os.Remove(recordFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return PlanResult{}, err
	}
	stdoutPath, stderrPath := filepath.Join(p.Dir, "plan.log"), filepath.Join(p.Dir, "plan.stderr")
	stdout, err := os.Create(stdoutPath)
	if err != nil {
		return PlanResult{}, err
	}
	defer func() { _ = stdout.Close() }()
	var stderr bytes.Buffer

	args := []string{"plan", "-input=false", "-refresh=true", "-no-color"}
	if p.Parallelism > 0 {
		args = append(args, "-parallelism="+strconv.Itoa(p.Parallelism))
	}
	cmd := command(ctx, syscall.SIGINT, p.Terraform, args...)
	cmd.Dir = p.Dir
	cmd.Env = append(CleanEnv(os.Environ()),
		"TF_CLI_CONFIG_FILE="+p.CLIConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		rusage.EnvFile+"="+recordFile,
	)
	cmd.Env = append(cmd.Env, p.Env...)
	cmd.Stdout, cmd.Stderr = stdout, &stderr

	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	_ = os.WriteFile(stderrPath, stderr.Bytes(), 0o600)
	if ctx.Err() != nil {
		stopGroup(cmd)
		// Interrupted or timed out: Terraform's own complaints about it say nothing new.
		return PlanResult{}, fmt.Errorf("terraform %s in %s: %w (%w)", strings.Join(args, " "), p.Dir, ctx.Err(), err)
	}
	if err != nil {
		stopGroup(cmd)
		return PlanResult{}, fmt.Errorf("terraform %s in %s: %w\n--- stderr (end) ---\n%s\n--- stdout (end) ---\n%s",
			strings.Join(args, " "), p.Dir, err, tail(stderr.Bytes(), 40), readTail(stdoutPath))
	}

	res := PlanResult{Wall: wall}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		user, sys, _ := rusage.FromRusage(ru)
		res.TreeCPU = user + sys
	}
	// go-plugin waits for its plugins before Terraform exits, so the records are normally
	// complete; give a slow wrapper a moment before calling a record missing.
	for deadline := time.Now().Add(3 * time.Second); ; {
		recs, err := rusage.ReadFile(recordFile)
		if err != nil {
			return PlanResult{}, err
		}
		res.Plugins = rusage.Summarize(recs)
		if len(res.Plugins.Unfinished) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	stopGroup(cmd) // plugins left behind, if any
	switch {
	case res.Plugins.Processes == 0:
		return res, fmt.Errorf("no provider process reported its usage in %s: is the plugintimer wrapper installed in front of the provider?", recordFile)
	case len(res.Plugins.Unfinished) > 0:
		return res, fmt.Errorf("provider processes %v never reported an exit; their usage is missing", res.Plugins.Unfinished)
	case len(res.Plugins.Failed) > 0:
		return res, fmt.Errorf("provider processes %v exited with an error; see %s", res.Plugins.Failed, stderrPath)
	}
	log, err := os.ReadFile(stdoutPath)
	if err != nil {
		return res, err
	}
	res.Reads = CountReads(string(log))
	return res, nil
}

// CountReads counts the data source reads a plan log reports.
func CountReads(planLog string) int {
	return strings.Count(planLog, ": Read complete after ")
}

// CleanEnv drops TF_* and SAIL_* variables from env, so that a developer's own settings
// (TF_LOG, a plugin cache, real credentials) cannot change or leak into a benchmark.
func CleanEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "SAIL_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// command returns a command that runs in a process group of its own and, when ctx ends, is
// stopped by sending sig to the whole group (Terraform then stops its plugins, go test its
// test binaries) and killed if it has not exited 10 s later.
func command(ctx context.Context, sig syscall.Signal, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...) //nolint:gosec // G204: runs the binaries the benchmark was built with and given
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, sig) }
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// stopGroup kills whatever is left of cmd's process group.
func stopGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // ESRCH when nothing is left
	}
}
