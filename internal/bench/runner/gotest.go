package runner

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/gobench"
)

// GoBenchArgs are the arguments of `go` that run the benchmarks matching pattern in pkgs,
// count times each, with allocation figures. No test runs: only benchmarks.
func GoBenchArgs(pattern string, count int, pkgs []string) []string {
	return append([]string{"test", "-run", "^$", "-bench", pattern, "-benchmem", "-count", strconv.Itoa(count)}, pkgs...)
}

// GoBench runs `go args...` (see GoBenchArgs) in the module at dir, copies its output to
// outPath and to progress, and parses it.
func GoBench(ctx context.Context, goBin, dir string, args []string, outPath string, progress io.Writer) ([]gobench.Line, error) {
	out, err := os.Create(outPath)
	if err != nil {
		return nil, err
	}
	defer func() { _ = out.Close() }()
	cmd := command(ctx, syscall.SIGINT, goBin, args...)
	cmd.Dir = dir
	cmd.Env = CleanEnv(os.Environ())
	cmd.Stdout = io.MultiWriter(out, progress)
	cmd.Stderr = cmd.Stdout
	if err := cmd.Run(); err != nil {
		stopGroup(cmd)
		return nil, fmt.Errorf("go %v: %w (output in %s)", args, err, outPath)
	}
	if _, err := out.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return gobench.Parse(out)
}
