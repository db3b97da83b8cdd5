// Command fakeisc serves a fake SailPoint Identity Security Cloud tenant (package
// internal/fakeisc) on a local port, for the demo, manual runs of Terraform and tools that
// cannot embed the fake in-process.
//
//	fakeisc -addr 127.0.0.1:8080 -sources 100 -env-file /tmp/fakeisc.env
//
// It prints the base URL and the credentials, and writes them as SAIL_* environment lines
// to -env-file once it is listening, so a script can wait for that file. SIGINT or SIGTERM
// stops it; the env file is removed on the way out.
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
	"syscall"
	"time"

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
	addr         string
	clientID     string
	clientSecret string
	tokenTTL     time.Duration
	sources      int
	rateLimit    int
	rateWindow   time.Duration
	envFile      string
}

// parseFlags reads the command line. It returns flag.ErrHelp for -h.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("fakeisc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "`address` to listen on (port 0 picks a free port)")
	fs.StringVar(&c.clientID, "client-id", fakeisc.DefaultClientID, "client id that may obtain tokens")
	fs.StringVar(&c.clientSecret, "client-secret", fakeisc.DefaultClientSecret, "secret of -client-id")
	fs.DurationVar(&c.tokenTTL, "token-ttl", fakeisc.DefaultTokenTTL, "lifetime of access tokens")
	fs.IntVar(&c.sources, "sources", 0, "`N` generated sources to serve besides the demo ones")
	fs.IntVar(&c.rateLimit, "rate-limit", 0, "API requests allowed per client and version in each -rate-window (0: no limit)")
	fs.DurationVar(&c.rateWindow, "rate-window", fakeisc.DefaultRateWindow, "sliding window of -rate-limit")
	fs.StringVar(&c.envFile, "env-file", "", "write SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET lines to this `file` (mode 0600) once listening")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	case c.clientID == "" || c.clientSecret == "":
		return c, errors.New("-client-id and -client-secret must not be empty")
	case c.tokenTTL <= 0:
		return c, errors.New("-token-ttl must be positive")
	case c.sources < 0:
		return c, errors.New("-sources must not be negative")
	case c.rateLimit < 0:
		return c, errors.New("-rate-limit must not be negative")
	case c.rateWindow <= 0:
		return c, errors.New("-rate-window must be positive")
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

	tenant := fakeisc.New(
		fakeisc.WithClient(c.clientID, c.clientSecret),
		fakeisc.WithTokenTTL(c.tokenTTL),
		fakeisc.WithRateLimit(c.rateLimit, c.rateWindow),
		fakeisc.WithDemoSources(),
		fakeisc.WithGeneratedSources(c.sources),
	)
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	baseURL := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: tenant, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	printBanner(stdout, baseURL, c)
	if c.envFile != "" {
		if err := fakeisc.WriteEnvFile(c.envFile, baseURL, c.clientID, c.clientSecret); err != nil {
			_ = srv.Close()
			return err
		}
		// The file exists only while the fake serves, so a script never reads a stale one.
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

// printBanner tells a human where the fake is and how to reach it, then prints the same as
// env lines for scripts.
func printBanner(w io.Writer, baseURL string, c config) {
	limit := "off"
	if c.rateLimit > 0 {
		limit = fmt.Sprintf("%d requests per %s per client and version", c.rateLimit, c.rateWindow)
	}
	generated := "0 generated"
	if c.sources > 0 {
		generated = fmt.Sprintf("%d generated (GeneratedSourceID 0..%d)", c.sources, c.sources-1)
	}
	_, _ = fmt.Fprintf(w, `fakeisc: fake SailPoint ISC tenant listening
  base URL       %[1]s
  client id      %[2]s
  client secret  %[3]s
  token TTL      %[4]s
  rate limit     %[5]s
  sources        %[6]d demo, %[7]s
  demo sources   Active Directory %[8]s (COMPLETE, 12 rows)
                 Workday          %[9]s (INCOMPLETE)
                 Salesforce       %[10]s (COMPLETE, 300 rows)
                 ServiceNow       %[11]s (COMPLETE, 12 rows)
  admin          %[1]s/__fake/stats, /__fake/requests, POST /__fake/reset
`, baseURL, c.clientID, c.clientSecret, c.tokenTTL, limit,
		len(fakeisc.DemoSources()), generated,
		fakeisc.DemoSourceActiveDirectory, fakeisc.DemoSourceWorkday, fakeisc.DemoSourceSalesforce, fakeisc.DemoSourceServiceNow)
	_, _ = fmt.Fprint(w, fakeisc.EnvLines(baseURL, c.clientID, c.clientSecret))
}
