package acctest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TerraformPath returns the CLI the acceptance tests drive (TF_ACC_TERRAFORM_PATH, which the
// GNUmakefile sets to the Terraform or OpenTofu it built), skipping t unless TF_ACC is set.
func TerraformPath(t testing.TB) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	p := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if p == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH is not set: run the tests through make test, which builds Terraform into .tools/bin")
	}
	return p
}

// IsOpenTofu reports whether the CLI under test is OpenTofu.
func IsOpenTofu() bool {
	return strings.Contains(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu")
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// ProviderBinaryDir builds the provider once per test process and returns the folder that
// holds the binary, for dev_overrides.
func ProviderBinaryDir(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		root := RepoRoot(t)
		// One build serves every test of the process, so it cannot live in one test's
		// t.TempDir; it is small and the OS cleans the temp folder.
		buildDir, buildErr = os.MkdirTemp("", "sailpoint-provider-bin-") //nolint:usetesting // shared by all tests of the process
		if buildErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(buildDir, "terraform-provider-sailpoint"), ".")
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir
}

// Workdir is a folder with a configuration, run with the real CLI against the built provider
// binary through dev_overrides: what a user's machine does, plugin process and all.
type Workdir struct {
	t     testing.TB
	Dir   string
	cli   string
	rc    string
	Env   map[string]string
	Stdin string
}

// NewWorkdir writes hcl as main.tf in a fresh folder.
func NewWorkdir(t testing.TB, hcl string) *Workdir {
	t.Helper()
	cli := TerraformPath(t)
	bin := ProviderBinaryDir(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, ".terraformrc")
	writeFile(t, rc, DevOverridesConfig(bin))
	writeFile(t, filepath.Join(dir, "main.tf"), hcl)
	return &Workdir{t: t, Dir: dir, cli: cli, rc: rc, Env: map[string]string{}}
}

// DevOverridesConfig is a CLI configuration that takes the sailpoint provider from dir, for
// both Terraform's and OpenTofu's registry address.
func DevOverridesConfig(dir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/sailpoint-community/sailpoint" = %q
    "registry.opentofu.org/sailpoint-community/sailpoint" = %q
  }
  direct {}
}
`, dir, dir)
}

// RequiredProviders is the terraform block every CLI-run configuration starts with.
const RequiredProviders = `terraform {
  required_providers {
    sailpoint = {
      source = "sailpoint-community/sailpoint"
    }
  }
}
`

// Result is one CLI run.
type Result struct {
	Stdout, Stderr string
	Err            error
}

// Run runs the CLI with args in the folder, with a clean SAIL_* and TF_* environment plus
// w.Env.
func (w *Workdir) Run(args ...string) Result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.cli, args...)
	cmd.Dir = w.Dir
	cmd.Env = append(cleanEnv(), "TF_CLI_CONFIG_FILE="+w.rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	for k, v := range w.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Stdin = strings.NewReader(w.Stdin)
	err := cmd.Run()
	return Result{Stdout: stdout.String(), Stderr: stderr.String(), Err: err}
}

// MustRun is Run that fails the test on a non-zero exit.
func (w *Workdir) MustRun(args ...string) Result {
	w.t.Helper()
	r := w.Run(args...)
	if r.Err != nil {
		w.t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(w.cli), strings.Join(args, " "), r.Err, r.Stdout, r.Stderr)
	}
	return r
}

// cleanEnv is the process environment without SAIL_* and TF_* variables, so a developer's own
// settings cannot change what a test sees.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "SAIL_") || strings.HasPrefix(kv, "TF_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
