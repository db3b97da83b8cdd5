package provider

// Tests of the provider as a whole: Configure, and acceptance tests through the real CLI of
// what spans every data source (security, scale, one token per plan, offline validation).
// The helpers every acceptance test uses are here too.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// configure runs Configure with the given attribute values (the others null) and returns
// the diagnostics' text and what was logged.
func configure(t *testing.T, attrs map[string]tftypes.Value) (string, string) {
	t.Helper()
	resp, logs := configureWith(t, attrs, false)
	var diags []string
	for _, d := range resp.Diagnostics {
		diags = append(diags, d.Summary()+": "+d.Detail())
	}
	return strings.Join(diags, "\n"), logs
}

// configureWith runs Configure, telling the provider whether Terraform can defer reads.
func configureWith(t *testing.T, attrs map[string]tftypes.Value, deferralAllowed bool) (*provider.ConfigureResponse, string) {
	t.Helper()
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	p := New("test", withLookupEnv(func(string) (string, bool) { return "", false }))()
	var sresp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object) //nolint:forcetypeassert // a schema is always an object
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range attrs {
		vals[name] = v
	}
	req := provider.ConfigureRequest{TerraformVersion: "1.5.7", Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)}}
	req.ClientCapabilities.DeferralAllowed = deferralAllowed
	var resp provider.ConfigureResponse
	p.Configure(ctx, req, &resp)
	return &resp, logs.String()
}

// A value known only after apply configures nothing and is no error: reads defer where
// Terraform can, and otherwise the data sources say why they cannot run yet.
func TestConfigureWithUnknownValues(t *testing.T) {
	attrs := map[string]tftypes.Value{
		"base_url":      tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"client_id":     tftypes.NewValue(tftypes.String, "id"),
		"client_secret": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
	}
	for _, deferral := range []bool{false, true} {
		resp, _ := configureWith(t, attrs, deferral)
		if resp.Diagnostics.HasError() {
			t.Fatalf("deferral %v: %v", deferral, resp.Diagnostics)
		}
		data, ok := resp.DataSourceData.(*providerData)
		if !ok || data.client != nil || strings.Join(data.unknown, ",") != "base_url,client_secret" {
			t.Errorf("deferral %v: data source data %#v", deferral, resp.DataSourceData)
		}
		if (resp.Deferred != nil) != deferral || (deferral && resp.Deferred.Reason != provider.DeferredReasonProviderConfigUnknown) {
			t.Errorf("deferral allowed %v: Deferred = %v", deferral, resp.Deferred)
		}
	}
}

// The configuration line is readable (an unused, empty credential must not become a mask
// that garbles every value) and carries no secret.
func TestConfigureLogsReadablyWithoutSecrets(t *testing.T) {
	for name, creds := range map[string]map[string]tftypes.Value{
		"access token": {"access_token": tftypes.NewValue(tftypes.String, "tok-123456789")},
		"client credentials": {
			"client_id":     tftypes.NewValue(tftypes.String, "id"),
			"client_secret": tftypes.NewValue(tftypes.String, "secret-123456789"),
		},
	} {
		t.Run(name, func(t *testing.T) {
			creds["base_url"] = tftypes.NewValue(tftypes.String, "https://acme.api.identitynow.com")
			diags, logs := configure(t, creds)
			if diags != "" {
				t.Fatal(diags)
			}
			for _, want := range []string{`"api_version":"v1"`, `"base_url":"https://acme.api.identitynow.com"`, `"requests_per_second":10`} {
				if !strings.Contains(logs, want) {
					t.Errorf("log lacks %s:\n%s", want, logs)
				}
			}
			for _, secret := range []string{"tok-123456789", "secret-123456789"} {
				if strings.Contains(logs, secret) {
					t.Errorf("log contains %s", secret)
				}
			}
		})
	}
}

// factories returns ProtoV6ProviderFactories whose providers send their requests through
// rec, which counts them per provider instance (one instance per Terraform command), read
// SAIL_* variables from rec, and retry fast (1 ms to 20 ms backoff).
func factories(rec *acctest.Recorder, opts ...option) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"sailpoint": func() (tfprotov6.ProviderServer, error) {
			all := append([]option{withRetryWait(time.Millisecond, 20*time.Millisecond), withTransport(rec.NewInstance()),
				withLookupEnv(rec.LookupEnv)}, opts...)
			return providerserver.NewProtocol6WithError(New("test", all...)())()
		},
	}
}

// accTest runs steps against the real CLI with providers from rec.
func accTest(t *testing.T, rec *acctest.Recorder, steps ...resource.TestStep) {
	t.Helper()
	acctest.TerraformPath(t)
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(rec), Steps: steps})
}

// checkEveryInstance asserts the exact request counts of every provider instance that made
// a request (one instance per Terraform command).
func checkEveryInstance(rec *acctest.Recorder, tokens, api int64) resource.TestCheckFunc {
	return func(*terraform.State) error { return rec.CheckEveryInstance(tokens, api) }
}

// checkPaths asserts that every API path the fake saw is in want, and that each of want was
// seen.
func checkPaths(f *acctest.Fake, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		seen := map[string]bool{}
		for _, p := range f.APIPaths() {
			seen[p] = true
		}
		for _, w := range want {
			if !seen[w] {
				return fmt.Errorf("the fake never saw %s; it saw %v", w, f.APIPaths())
			}
			delete(seen, w)
		}
		if len(seen) > 0 {
			return fmt.Errorf("the fake saw unexpected paths %v", seen)
		}
		return nil
	}
}

// expectError matches every fragment, in order, in the error output. Terraform wraps
// diagnostics at about 80 columns, so white space in the fragments matches any run of
// white space.
func expectError(fragments ...string) *regexp.Regexp {
	parts := make([]string, len(fragments))
	for i, f := range fragments {
		parts[i] = strings.Join(strings.Fields(regexp.QuoteMeta(f)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

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
  ids = ["` + acctest.SourceActiveDirectory + `", "` + acctest.SourceSalesforce + `", "` + acctest.SourceWorkday + `"]
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

// TestAccProvider_noCredentialInLogsOrState runs a full apply with TF_LOG=TRACE through
// retries, a token refresh and a dropped connection, and a failing run with a wrong secret,
// then searches everything Terraform wrote: the log, the state, stdout and stderr. Neither
// the client secret nor any access token the fake issued may appear.
func TestAccProvider_noCredentialInLogsOrState(t *testing.T) {
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
	if !strings.Contains(apply.Stdout, `"`+acctest.SourceSalesforce+`" = 300`) {
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
	for _, want := range []string{"@module=sailpoint.http", "request done", "Authorization:[REDACTED]", "status=500", "retrying once with a new one"} {
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
func TestAccProvider_privateCA(t *testing.T) {
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
func TestAccProvider_rateLimitedPlanMeetsNo429(t *testing.T) {
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

output "read" {
  value = length(data.sailpoint_source_usage_status.all)
}

output "complete" {
  value = length([for s in data.sailpoint_source_usage_status.all : s if s.insights_available])
}
`)
	w.Env = sailEnv(fake)
	start := time.Now()
	plan := w.MustRun("plan", "-input=false", "-no-color")
	elapsed := time.Since(start)
	// Generated sources have insights 3 in 10 times.
	if !strings.Contains(plan.Stdout, "read     = 300") || !strings.Contains(plan.Stdout, "complete = 90") {
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

// 100 sources, both data sources, at Terraform's default parallelism of 10, with the provider
// in this test process under -race: each provider instance fetches exactly one token and
// sends exactly one request per read.
func TestAccProvider_hundredSourcesOneToken(t *testing.T) {
	fake := acctest.NewFake(t, fakeisc.WithGeneratedSources(100))
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		// requests_per_second is raised so the test is about sharing, not pacing.
		Config: fake.ProviderBlock("requests_per_second = 1000") + generatedSourcesConfig(100),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckOutput("complete", "30"),
			resource.TestCheckOutput("rows", "360"),
			checkEveryInstance(rec, 1, 200),
		),
	})
}

// generatedSourcesConfig reads both data sources for the fake's first n generated sources,
// and outputs how many are COMPLETE ("complete") and how many rows they have ("rows").
func generatedSourcesConfig(n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", fakeisc.GeneratedSourceID(i))
	}
	return `
locals {
  ids = [` + strings.Join(ids, ", ") + `]
}

# count rather than for_each: the test harness's state shim supports only numeric indexes.
data "sailpoint_source_usage_status" "all" {
  count     = length(local.ids)
  source_id = local.ids[count.index]
}

data "sailpoint_source_usages" "all" {
  count     = length(local.ids)
  source_id = local.ids[count.index]
}

output "complete" {
  value = length([for s in data.sailpoint_source_usage_status.all : s if s.insights_available])
}

output "rows" {
  value = sum([for u in data.sailpoint_source_usages.all : length(u.usages)])
}
`
}

// terraform validate catches every bad value it can see, with no credentials and no network,
// and passes a good configuration without any.
func TestAccProvider_validateCatchesBadValuesOffline(t *testing.T) {
	// Terraform validates the provider block first and stops at its errors, so the data
	// sources get a configuration of their own.
	for name, tc := range map[string]struct {
		hcl  string
		want []string
	}{
		"provider": {
			hcl: `
provider "sailpoint" {
  base_url            = "http://acme.api.identitynow.com"
  api_version         = "v4"
  request_timeout     = "soon"
  max_retries         = -1
  requests_per_second = 0
}

# Terraform validates a provider block only when something uses it.
data "sailpoint_source_usage_status" "a" {
  source_id = "2c9180835d191a86015d28455b4a2329"
}
`,
			want: []string{
				// Terraform and OpenTofu name the provider after their own registry host.
				`sailpoint-community/sailpoint"]`, "plain http", "api_version value must be one of",
				`"soon" is not a duration`, "max_retries value must be between 0 and 100", "requests_per_second value must be at least 0.01",
			},
		},
		"data sources": {
			hcl: `
provider "sailpoint" {}

data "sailpoint_source_usage_status" "a" {
  source_id = "2c91 808"
}

data "sailpoint_source_usages" "b" {
  source_id = "2c9180835d191a86015d28455b4a2329"
  sorters   = "date desc"
  limit     = 0
}
`,
			want: []string{`the source id "2c91 808" contains white space`, `sorters "date desc" is not a sort expression`, "limit value must be between 1 and 10000"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			res := acctest.NewWorkdir(t, acctest.RequiredProviders+tc.hcl).Run("validate", "-no-color")
			if res.Err == nil {
				t.Fatalf("validate passed a bad configuration:\n%s", res.Stdout)
			}
			out := strings.Join(strings.Fields(res.Stdout+res.Stderr), " ")
			for _, want := range tc.want {
				if !strings.Contains(out, want) {
					t.Errorf("validate output lacks %q:\n%s", want, res.Stdout+res.Stderr)
				}
			}
		})
	}

	good := acctest.NewWorkdir(t, acctest.RequiredProviders+`
provider "sailpoint" {}

data "sailpoint_source_usages" "b" {
  source_id = "2c9180835d191a86015d28455b4a2329"
  sorters   = "-date"
  limit     = 3
}
`)
	good.MustRun("validate", "-no-color")
}

// Every call of every data source goes to the paths of the chosen api_version: the
// per-service form for v1 (the default), the whole-API prefix for the others.
func TestAccProvider_apiVersions(t *testing.T) {
	ad := acctest.SourceActiveDirectory
	for version, want := range map[string][]string{
		"v1":    {"/sources/v1", "/sources/v1/" + ad, "/source-usages/v1/" + ad + "/status", "/source-usages/v1/" + ad + "/summaries"},
		"v3":    {"/v3/sources", "/v3/sources/" + ad, "/v3/source-usages/" + ad + "/status", "/v3/source-usages/" + ad + "/summaries"},
		"beta":  {"/beta/sources", "/beta/sources/" + ad, "/beta/source-usages/" + ad + "/status", "/beta/source-usages/" + ad + "/summaries"},
		"v2024": {"/v2024/sources", "/v2024/sources/" + ad, "/v2024/source-usages/" + ad + "/status", "/v2024/source-usages/" + ad + "/summaries"},
		"v2025": {"/v2025/sources", "/v2025/sources/" + ad, "/v2025/source-usages/" + ad + "/status", "/v2025/source-usages/" + ad + "/summaries"},
		"v2026": {"/v2026/sources", "/v2026/sources/" + ad, "/v2026/source-usages/" + ad + "/status", "/v2026/source-usages/" + ad + "/summaries"},
	} {
		t.Run(version, func(t *testing.T) {
			fake := acctest.NewFake(t)
			accTest(t, acctest.NewRecorder(), resource.TestStep{
				Config: fake.ProviderBlock(fmt.Sprintf("api_version = %q", version)) + fmt.Sprintf(`
data "sailpoint_sources" "ad" {
  filters = "id eq \"%[1]s\""
}

data "sailpoint_source" "ad" {
  id = %[1]q
}

data "sailpoint_source_usage_status" "ad" {
  source_id = %[1]q
}

data "sailpoint_source_usages" "ad" {
  source_id = %[1]q
}

data "sailpoint_source_usage_report" "ad" {
  source_ids = [%[1]q]
}
`, ad),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.sailpoint_sources.ad", "sources.0.name", "Active Directory"),
					resource.TestCheckResourceAttr("data.sailpoint_source.ad", "name", "Active Directory"),
					resource.TestCheckResourceAttr("data.sailpoint_source_usage_status.ad", "status", "COMPLETE"),
					resource.TestCheckResourceAttr("data.sailpoint_source_usages.ad", "usages.#", "12"),
					resource.TestCheckResourceAttr("data.sailpoint_source_usage_report.ad", "sources.%", "1"),
					checkPaths(fake, want...),
				),
			})
		})
	}
}
