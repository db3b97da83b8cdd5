package provider_test

// Security and scale, through a real plugin process: the provider binary run by the
// Terraform CLI through dev_overrides, as on a user's machine.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// sailEnv points the provider at fake through the environment, as CI pipelines do.
func sailEnv(fake *acctest.Fake) map[string]string {
	return map[string]string{
		"SAIL_BASE_URL":      fake.URL,
		"SAIL_CLIENT_ID":     fakeisc.DefaultClientID,
		"SAIL_CLIENT_SECRET": fakeisc.DefaultClientSecret,
	}
}

const demoReads = acctest.RequiredProviders + `
provider "sailpoint" {}

locals {
  ids = ["` + fakeisc.DemoSourceActiveDirectory + `", "` + fakeisc.DemoSourceSalesforce + `", "` + fakeisc.DemoSourceWorkday + `"]
}

data "sailpoint_source_usage_status" "all" {
  for_each  = toset(local.ids)
  source_id = each.value
}

data "sailpoint_source_usages" "all" {
  for_each  = toset(local.ids)
  source_id = each.value
}

output "rows" {
  value = { for id, u in data.sailpoint_source_usages.all : id => length(u.usages) }
}
`

// TestAccSecurity_noCredentialInLogsOrState runs a full apply with TF_LOG=TRACE through
// retries, a token refresh and a dropped connection, and a failing run with a wrong secret,
// then searches everything Terraform wrote: the log, the state, stdout and stderr. Neither
// the client secret nor any access token the fake issued may appear.
func TestAccSecurity_noCredentialInLogsOrState(t *testing.T) {
	fake := acctest.NewFake(t)
	fake.Inject(fakeisc.ServerError(500).Once())
	fake.Inject(fakeisc.Unauthorized().WithAfter(2).Once())
	fake.Inject(fakeisc.CloseMidBody().WithOp(fakeisc.OpSummaries).Once())
	w := acctest.NewWorkdir(t, demoReads)
	logPath := filepath.Join(w.Dir, "trace.log")
	w.Env = sailEnv(fake)
	w.Env["TF_LOG"] = "TRACE"
	w.Env["TF_LOG_PATH"] = logPath
	apply := w.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(apply.Stdout, `"`+fakeisc.DemoSourceSalesforce+`" = 300`) {
		t.Fatalf("apply did not read the data:\n%s", apply.Stdout)
	}

	// A failing run: the token endpoint rejects a wrong secret, which is a credential too.
	wrong := "wrong-secret-" + strings.Repeat("x", 16)
	w.Env["SAIL_CLIENT_SECRET"] = wrong
	failed := w.Run("plan", "-input=false", "-no-color", "-refresh=true")
	if failed.Err == nil || !strings.Contains(failed.Stderr, "invalid_client") {
		t.Fatalf("the plan with a wrong secret should fail with invalid_client:\n%s", failed.Stderr)
	}

	logs := readFile(t, logPath)
	state := readFile(t, filepath.Join(w.Dir, "terraform.tfstate"))
	// The log must be the real thing: the provider's own request lines, headers redacted.
	for _, want := range []string{"@module=sailpoint.http", "request done", "Authorization:[REDACTED]", "status=500", "retrying once with a new access token"} {
		if !strings.Contains(logs, want) {
			t.Fatalf("the TRACE log lacks %q; it cannot prove anything. Its provider lines begin:\n%s", want, grepLines(logs, "sailpoint.http", 5))
		}
	}
	secrets := map[string]string{"client secret": fakeisc.DefaultClientSecret, "wrong client secret": wrong}
	for i, r := range fake.Requests() {
		if r.IssuedToken != "" {
			secrets[fmt.Sprintf("access token %d", i)] = r.IssuedToken
		}
	}
	if len(secrets) < 4 {
		t.Fatalf("expected at least two issued tokens (first and refreshed), got %v", len(secrets)-2)
	}
	for what, secret := range secrets {
		for where, text := range map[string]string{"the TRACE log": logs, "the state": state,
			"apply's output": apply.Stdout + apply.Stderr, "the failed plan's output": failed.Stdout + failed.Stderr} {
			if strings.Contains(text, secret) {
				t.Errorf("%s appears in %s", what, where)
			}
		}
	}
	for _, r := range fake.Requests() {
		if r.CredentialsInQuery {
			t.Errorf("credentials were sent in a URL: %s", r.RequestURI)
		}
	}
}

// TLS verification is always on; a private CA is trusted through SSL_CERT_FILE.
func TestAccSecurity_privateCA(t *testing.T) {
	fake, caFile := acctest.NewTLSFake(t)
	if !strings.HasPrefix(fake.URL, "https://127.0.0.1:") {
		t.Fatalf("unexpected URL %s", fake.URL)
	}
	w := acctest.NewWorkdir(t, demoReads)
	w.Env = sailEnv(fake)

	// Without the CA: the system roots do not know the test CA, so the first request, for a
	// token, fails on the certificate, and the diagnostic says what to do.
	w.Env["SSL_CERT_FILE"] = "/dev/null"
	w.Env["SSL_CERT_DIR"] = t.TempDir()
	untrusted := w.Run("plan", "-input=false", "-no-color")
	if untrusted.Err == nil {
		t.Fatal("a plan against an untrusted certificate succeeded")
	}
	for _, want := range []string{"certificate signed by unknown authority", "SSL_CERT_FILE"} {
		if !strings.Contains(strings.Join(strings.Fields(untrusted.Stderr), " "), want) {
			t.Errorf("the diagnostic lacks %q:\n%s", want, untrusted.Stderr)
		}
	}
	if n := fake.Stats().TokenRequests + fake.Stats().APIRequests; n != 0 {
		t.Errorf("%d requests got through an untrusted TLS connection", n)
	}
	if n := strings.Count(untrusted.Stderr, "Unable to read"); n != 6 {
		t.Errorf("want one diagnostic per read (6), got %d", n)
	}

	// With the CA in SSL_CERT_FILE the same plan works.
	w.Env["SSL_CERT_FILE"] = caFile
	w.MustRun("plan", "-input=false", "-no-color")
	// 3 status reads and 3 usages reads, one of them two pages long.
	if fake.Stats().TokenRequests != 1 || fake.Stats().APIRequests != 7 {
		t.Errorf("stats %+v, want 1 token request and 7 API requests", fake.Stats())
	}
}

// A 300-source plan at the default requests_per_second against a tenant that enforces
// 100 requests per 10 s meets no 429 at all.
func TestAccScale_rateLimitedPlanMeetsNo429(t *testing.T) {
	fake := acctest.NewFake(t, fakeisc.WithGeneratedSources(300), fakeisc.WithRateLimit(100, 10*time.Second))
	var ids []string
	for i := 0; i < 300; i++ {
		ids = append(ids, `"`+fakeisc.GeneratedSourceID(i)+`"`)
	}
	w := acctest.NewWorkdir(t, acctest.RequiredProviders+`
provider "sailpoint" {}

data "sailpoint_source_usage_status" "all" {
  for_each  = toset([`+strings.Join(ids, ", ")+`])
  source_id = each.value
}

output "complete" {
  value = length([for s in data.sailpoint_source_usage_status.all : s if s.insights_available])
}
`)
	w.Env = sailEnv(fake)
	start := time.Now()
	plan := w.MustRun("plan", "-input=false", "-no-color")
	elapsed := time.Since(start)
	if !strings.Contains(plan.Stdout, "complete = 300") {
		t.Fatalf("not every source was read:\n%s", plan.Stdout)
	}
	st := fake.Stats()
	if st.RateLimited != 0 {
		t.Errorf("the tenant answered 429 %d times", st.RateLimited)
	}
	if st.APIRequests != 300 || st.TokenRequests != 1 {
		t.Errorf("%d API and %d token requests, want 300 and 1", st.APIRequests, st.TokenRequests)
	}
	if st.MaxInWindow > 100 {
		t.Errorf("a 10 s window held %d requests", st.MaxInWindow)
	}
	// Figures, not assertions: the machine may be busy.
	t.Logf("300 reads in %s: most requests in any 10 s window: %d", elapsed.Round(100*time.Millisecond), st.MaxInWindow)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// grepLines returns up to n lines of text that contain substr.
func grepLines(text, substr string, n int) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, substr) && len(out) < n {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
