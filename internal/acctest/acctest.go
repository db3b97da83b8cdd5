// Package acctest is the shared harness of the acceptance tests and the benchmark: a fake ISC
// tenant per test with fixed fixture sources, a recorder that accounts for every HTTP request
// per provider instance, and helpers to run the real Terraform (or OpenTofu) CLI against a
// built provider binary.
//
// Only tests import it.
package acctest

import (
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// Fake is a fake ISC tenant served over HTTP for one test.
type Fake struct {
	*fakeisc.Tenant
	URL string
}

// NewFake starts a fake tenant with FixtureSources, FixtureAccounts and opts, stopped
// when t ends.
func NewFake(t testing.TB, opts ...fakeisc.Option) *Fake {
	t.Helper()
	tenant := fakeisc.New(fixtures(opts)...)
	srv := httptest.NewServer(tenant)
	t.Cleanup(srv.Close)
	return &Fake{Tenant: tenant, URL: srv.URL}
}

// NewTLSFake starts a fake tenant behind HTTPS with a certificate from its own test CA, and
// writes that CA as PEM to a file, for SSL_CERT_FILE.
func NewTLSFake(t testing.TB, opts ...fakeisc.Option) (fake *Fake, caFile string) {
	t.Helper()
	tenant := fakeisc.New(fixtures(opts)...)
	srv := httptest.NewTLSServer(tenant)
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "test-ca.pem")
	block := &pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}
	if err := os.WriteFile(caFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	return &Fake{Tenant: tenant, URL: srv.URL}, caFile
}

// fixtures returns the options of a fake with the fixture sources and accounts, then opts.
func fixtures(opts []fakeisc.Option) []fakeisc.Option {
	return append([]fakeisc.Option{fakeisc.WithSources(FixtureSources()...), fakeisc.WithAccounts(FixtureAccounts()...)}, opts...)
}

// ProviderBlock returns a provider block that reaches f with the fake's default client
// credentials, plus any extra attribute lines.
func (f *Fake) ProviderBlock(extra ...string) string {
	return f.ProviderBlockFor(fakeisc.DefaultClientID, fakeisc.DefaultClientSecret, extra...)
}

// ProviderBlockFor is ProviderBlock with other client credentials.
func (f *Fake) ProviderBlockFor(clientID, clientSecret string, extra ...string) string {
	return fmt.Sprintf(`provider "sailpoint" {
  base_url      = %q
  client_id     = %q
  client_secret = %q
%s}
`, f.URL, clientID, clientSecret, indent(extra))
}

func indent(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

// APIPaths returns the escaped paths of every request the fake received but the token
// requests, in arrival order: the API calls, and any path the fake does not serve.
func (f *Fake) APIPaths() []string {
	var paths []string
	for _, r := range f.Requests() {
		if r.Op != fakeisc.OpToken {
			paths = append(paths, r.EscapedPath)
		}
	}
	return paths
}

// RepoRoot finds the module root by walking up to go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}
