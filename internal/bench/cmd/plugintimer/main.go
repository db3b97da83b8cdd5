// Command plugintimer stands in for a Terraform provider binary so that the bench program can
// measure the provider's CPU time and peak memory. Terraform starts providers itself, as
// plugin child processes, and never reports their resource usage.
//
// Install it under the provider's file name in the folder that dev_overrides points at, and
// put the real provider beside it in a "real" subfolder:
//
//	bin/terraform-provider-sailpoint        this wrapper
//	bin/real/terraform-provider-sailpoint   the provider
//
// It starts the real provider with the same arguments, environment and standard streams (so
// the go-plugin handshake on stdout reaches Terraform untouched), forwards signals to it,
// waits for it, and appends its rusage (user and system CPU, peak RSS) to the file named by
// BENCH_RUSAGE_FILE. When Terraform is done with a plugin, go-plugin asks it over gRPC to
// shut down and gives it time to exit, so the wrapper gets to write before Terraform moves on.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/rusage"
)

func main() {
	os.Exit(run())
}

// forwarded are the signals passed on to the provider. Terraform sends SIGINT to its whole
// process group on Ctrl-C (the provider gets that one directly too, and go-plugin servers
// ignore it) and go-plugin may end a stuck plugin with SIGKILL, which cannot be caught.
var forwarded = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

func run() int {
	self, err := os.Executable()
	if err != nil {
		return fail("cannot find my own binary: %v", err)
	}
	name := filepath.Base(self)
	realPath := filepath.Join(filepath.Dir(self), "real", name)
	recordFile := os.Getenv(rusage.EnvFile)

	// Not CommandContext: the provider's lifetime is Terraform's to decide, through go-plugin.
	cmd := exec.Command(realPath, os.Args[1:]...) //nolint:gosec,noctx // G204/G702: runs the provider beside this binary, with Terraform's arguments
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr

	// Register before starting the child, so that no signal falls between the two.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwarded...)
	defer signal.Stop(sigs)

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return fail("starting %s: %v", realPath, err)
	}
	pid := cmd.Process.Pid
	record(recordFile, rusage.Record{Event: rusage.EventStart, Name: name, PID: pid})

	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				_ = cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	waitErr := cmd.Wait()
	close(done)
	wall := time.Since(start)

	code := 0
	var exitErr *exec.ExitError
	switch {
	case waitErr == nil:
	case errors.As(waitErr, &exitErr):
		code = exitErr.ExitCode() // -1 when a signal ended the provider
	default:
		return fail("waiting for %s: %v", realPath, waitErr)
	}

	rec := rusage.Record{Event: rusage.EventExit, Name: name, PID: pid, Wall: wall, ExitCode: code}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rec.User, rec.System, rec.MaxRSSKiB = rusage.FromRusage(ru)
	}
	var own syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &own) == nil {
		u, s, _ := rusage.FromRusage(&own)
		rec.WrapperCPU = u + s
	}
	record(recordFile, rec)
	if code < 0 {
		return 1
	}
	return code
}

// record appends rec when a record file is configured. A failure to record is reported on
// stderr (Terraform logs a plugin's stderr) but never fails the provider.
func record(path string, rec rusage.Record) {
	if path == "" {
		return
	}
	if err := rusage.Append(path, rec); err != nil {
		fmt.Fprintf(os.Stderr, "plugintimer: recording %s: %v\n", rec.Event, err)
	}
}

func fail(format string, args ...any) int {
	fmt.Fprintf(os.Stderr, "plugintimer: "+format+"\n", args...)
	return 1
}
