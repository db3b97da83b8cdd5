// Command fakeisc serves a fake SailPoint Identity Security Cloud tenant (package
// internal/fakeisc) on a local port, for make demo and manual runs of Terraform:
//
//	fakeisc -sources 100 -env-file fake.env -cli-config terraformrc -provider-dir bin
//
// It prints the base URL and the credentials. Once it listens it writes the CLI
// configuration that takes the provider from -provider-dir, then the SAIL_* environment
// lines to -env-file, so a script that waits for the env file finds both. SIGINT or
// SIGTERM stops it; the env file is removed on the way out, so it is never stale.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeisc:", err)
		os.Exit(1)
	}
}

// config holds the command-line flags.
type config struct {
	addr        string
	sources     int
	envFile     string
	cliConfig   string
	providerDir string
}

// parseFlags reads the command line. It returns flag.ErrHelp for -h.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("fakeisc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "`address` to listen on (port 0 picks a free port)")
	fs.IntVar(&c.sources, "sources", 0, "`N` generated sources to serve besides the demo ones")
	fs.StringVar(&c.envFile, "env-file", "", "write SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET lines to this `file` (mode 0600) once listening")
	fs.StringVar(&c.cliConfig, "cli-config", "", "write a Terraform CLI configuration `file` whose dev_overrides take the provider from -provider-dir")
	fs.StringVar(&c.providerDir, "provider-dir", "", "the `folder` holding the provider binary, for -cli-config")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	case c.sources < 0:
		return c, errors.New("-sources must not be negative")
	case (c.cliConfig == "") != (c.providerDir == ""):
		return c, errors.New("-cli-config and -provider-dir go together")
	}
	return c, nil
}

// run serves the fake until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if c.cliConfig != "" {
		dir, err := filepath.Abs(c.providerDir)
		if err != nil {
			return err
		}
		if err := writeFile(c.cliConfig, acctest.DevOverridesConfig(dir)); err != nil {
			return err
		}
	}

	tenant := fakeisc.New(fakeisc.WithDemoSources(), fakeisc.WithGeneratedSources(c.sources))
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	baseURL := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: tenant, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	env := envLines(baseURL)
	// The provider's default api_version v1 calls the per-service paths, so the banner
	// names those.
	_, _ = fmt.Fprintf(stdout, "fakeisc: fake SailPoint ISC tenant at %s with the demo sources, their accounts and %d generated sources "+
		"(GET /sources/v1 lists the sources, GET /accounts/v1 the accounts)\n%s", baseURL, c.sources, env)
	if c.envFile != "" {
		if err := writeFile(c.envFile, env); err != nil {
			_ = srv.Close()
			return err
		}
		defer func() { _ = os.Remove(c.envFile) }() //nolint:gosec // G703: the operator's own -env-file path
	}

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// envLines returns the KEY=value lines, newline-terminated, that point SailPoint tooling
// (its SDKs and CLI, and this provider) at the fake. The values need no quoting, so the
// file works with both `source` and make's include.
func envLines(baseURL string) string {
	return "SAIL_BASE_URL=" + baseURL + "\nSAIL_CLIENT_ID=" + fakeisc.DefaultClientID +
		"\nSAIL_CLIENT_SECRET=" + fakeisc.DefaultClientSecret + "\n"
}

// writeFile writes content to path with mode 0600 (an env file holds a client secret),
// through a temporary file in the same folder renamed into place, so a script waiting
// for path to appear never reads a partial file.
func writeFile(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".fakeisc-*") // mode 0600
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // fails harmlessly once renamed
	_, err = tmp.WriteString(content)
	if err = errors.Join(err, tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
