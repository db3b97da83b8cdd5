package provider

// Reliability: every fault the fake tenant can throw, run through the real Terraform CLI.
// Each outcome is either the correct data after retrying, or one diagnostic that names the
// source, the call, the HTTP status, the API's detailCode, message and trackingId, and what
// to do next. templates/guides/reliability.md.tmpl lists these tests.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// bothDataSources reads the status and the 300-row usages of a source, so a fault meets
// both operations and a paged read.
func bothDataSources(sourceID string) string {
	return fmt.Sprintf(`
data "sailpoint_source_usage_status" "test" {
  source_id = %q
}

data "sailpoint_source_usages" "test" {
  source_id = %q
}
`, sourceID, sourceID)
}

// checkFaultFired asserts that the fake acted on a fault named name at least once.
func checkFaultFired(fake *acctest.Fake, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range fake.Requests() {
			if r.Fault == name {
				return nil
			}
		}
		return fmt.Errorf("the fault %q never fired: the test proves nothing", name)
	}
}

// Faults the provider must come through with the correct data.
func TestAccDiagnostics_recovers(t *testing.T) {
	httpDate := func() string { return time.Now().Add(1500 * time.Millisecond).UTC().Format(http.TimeFormat) }
	tests := []struct {
		name     string
		fault    func() fakeisc.Fault
		provider []string
	}{
		{name: "429 Retry-After seconds", fault: func() fakeisc.Fault { return fakeisc.TooManyRequests("1").WithTimes(2) }},
		{name: "429 Retry-After HTTP date", fault: func() fakeisc.Fault { return fakeisc.TooManyRequests(httpDate()).Once() }},
		{name: "500 burst", fault: func() fakeisc.Fault { return fakeisc.ServerError(500).WithTimes(3) }},
		{name: "502 burst", fault: func() fakeisc.Fault { return fakeisc.ServerError(502).WithTimes(3) }},
		{name: "503 burst", fault: func() fakeisc.Fault { return fakeisc.ServerError(503).WithTimes(3) }},
		{name: "504 burst", fault: func() fakeisc.Fault { return fakeisc.ServerError(504).WithTimes(3) }},
		{name: "connection closed mid-body", fault: func() fakeisc.Fault { return fakeisc.CloseMidBody().WithTimes(2) }},
		{name: "truncated JSON", fault: func() fakeisc.Fault { return fakeisc.TruncatedJSON().WithTimes(2) }},
		{name: "malformed JSON", fault: func() fakeisc.Fault { return fakeisc.MalformedJSON().WithTimes(2) }},
		{name: "empty 200 body", fault: func() fakeisc.Fault { return fakeisc.EmptyBody().WithTimes(2) }},
		{name: "slower than request_timeout", provider: []string{`request_timeout = "500ms"`},
			fault: func() fakeisc.Fault { return fakeisc.Delay(3 * time.Second).WithTimes(2) }},
		{name: "second page fails once", fault: func() fakeisc.Fault {
			return fakeisc.ServerError(503).WithOp(fakeisc.OpSummaries).WithOffset(250).Once()
		}},
		{name: "token endpoint 500", fault: func() fakeisc.Fault { return fakeisc.ServerError(500).WithOp(fakeisc.OpToken).WithTimes(2) }},
		{name: "token revoked mid-run", fault: func() fakeisc.Fault { return fakeisc.Unauthorized().WithAfter(1).Once() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := acctest.NewFake(t)
			rec := acctest.NewRecorder()
			f := tt.fault()
			accTest(t, rec, resource.TestStep{
				PreConfig: func() { fake.Inject(tt.fault()) },
				Config:    fake.ProviderBlock(tt.provider...) + bothDataSources(acctest.SourceSalesforce),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.sailpoint_source_usage_status.test", "status", "COMPLETE"),
					resource.TestCheckResourceAttr("data.sailpoint_source_usages.test", "usages.#", "300"),
					resource.TestCheckResourceAttr("data.sailpoint_source_usages.test", "usages.299.date", "2024-10-26"),
					checkFaultFired(fake, f.Name),
				),
			})
		})
	}
}

// Faults that do not heal: one diagnostic with everything a user needs, and no data.
func TestAccDiagnostics_faults(t *testing.T) {
	tests := []struct {
		name     string
		fault    fakeisc.Fault
		provider []string
		want     []string
	}{
		{
			name: "500 beyond the retries", fault: fakeisc.ServerError(500), provider: []string{"max_retries = 2"},
			want: []string{`Unable to read the usage status of source "` + acctest.SourceSalesforce + `"`,
				"Call: GET /source-usages/v1/" + acctest.SourceSalesforce + "/status",
				"HTTP status: 500 Internal Server Error (after 3 attempts)", "detailCode: 500.0 Internal Fault",
				"Message: An internal fault occurred.", "trackingId: ", "What to do:", "contact SailPoint support"},
		},
		{
			name: "429 beyond the retries", fault: fakeisc.TooManyRequests("0"), provider: []string{"max_retries = 1"},
			want: []string{"HTTP status: 429 Too Many Requests (after 2 attempts)", "Message: Rate Limit Exceeded",
				"Retry-After: 0", "Raise max_retries (now 1)", "lower requests_per_second"},
		},
		{
			name: "502 with an HTML body", fault: fakeisc.ServerError(502), provider: []string{"max_retries = 0"},
			want: []string{"HTTP status: 502 Bad Gateway", "Body: <html>", "What to do:", "quote the call"},
		},
		{
			name: "malformed JSON for good", fault: fakeisc.MalformedJSON(), provider: []string{"max_retries = 1"},
			want: []string{"HTTP status: 200 OK (after 2 attempts)", "Error: invalid JSON", "Body:", "Run again"},
		},
		{
			name: "empty body for good", fault: fakeisc.EmptyBody(), provider: []string{"max_retries = 1"},
			want: []string{"HTTP status: 200 OK (after 2 attempts)", "Error: the body is empty", "Body: (empty)"},
		},
		{
			name: "timeout for good", fault: fakeisc.Delay(time.Minute), provider: []string{`request_timeout = "300ms"`, "max_retries = 1"},
			want: []string{"Call: GET /source-usages/v1/", "no complete answer within 300ms (request_timeout) (after 2 attempts)", "Raise request_timeout"},
		},
		{
			name: "a failed page fails the whole read", provider: []string{"max_retries = 1"},
			fault: fakeisc.ServerError(500).WithOp(fakeisc.OpSummaries).WithOffset(250),
			want: []string{`Unable to read the usage summaries of source "` + acctest.SourceSalesforce + `"`,
				"Call: GET /source-usages/v1/" + acctest.SourceSalesforce + "/summaries?limit=250&offset=250",
				"HTTP status: 500 Internal Server Error (after 2 attempts)"},
		},
		{
			name: "Content-Encoding UTF-8 on a 4xx", fault: fakeisc.ContentEncodingUTF8(404),
			want: []string{"HTTP status: 404 Not Found", "detailCode: 404 Not found", "Message: The requested", "trackingId: "},
		},
		{
			name: "403 ErrorResponseDto", fault: fakeisc.ErrorDto(403, "403 Forbidden", "The server understood the request but refuses to authorize it."),
			want: []string{"HTTP status: 403 Forbidden", "detailCode: 403 Forbidden", "Message: The server understood the request",
				"trackingId: ", "idn:identity-history:manage"},
		},
		{
			name: "token endpoint invalid_client", fault: fakeisc.TokenInvalidClient(),
			want: []string{"Call: POST ", "/oauth/token", "HTTP status: 401 Unauthorized", "error: invalid_client", "Message: Bad credentials", "client_id and client_secret"},
		},
		{
			name: "token endpoint 500 for good", fault: fakeisc.ServerError(500).WithOp(fakeisc.OpToken), provider: []string{"max_retries = 1"},
			want: []string{"Call: POST ", "HTTP status: 500 Internal Server Error", "token endpoint failed on SailPoint's side"},
		},
		{
			name: "token endpoint malformed JSON", fault: fakeisc.TokenMalformed(),
			want: []string{"Call: POST ", "HTTP status: 200 OK (after 6 attempts)", "Error: the JSON ends early", "not shown: a token answer may hold a token", "token_url"},
		},
		{
			name: "token endpoint without access_token", fault: fakeisc.TokenMissingAccessToken(),
			want: []string{"Call: POST ", "Error: the answer has no access_token", "token_url"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := acctest.NewFake(t)
			fake.Inject(tt.fault)
			rec := acctest.NewRecorder()
			accTest(t, rec, resource.TestStep{
				Config:      fake.ProviderBlock(tt.provider...) + bothDataSources(acctest.SourceSalesforce),
				ExpectError: expectError(tt.want...),
			})
		})
	}
}

// Tokens that live one or two seconds, over a plan of 50 sources that takes longer than
// that: every read succeeds, and the provider fetched a new token when the old one ran out.
func TestAccDiagnostics_tokensExpireMidRun(t *testing.T) {
	for _, ttl := range []time.Duration{time.Second, 2 * time.Second} {
		t.Run(ttl.String(), func(t *testing.T) {
			fake := acctest.NewFake(t, fakeisc.WithGeneratedSources(50), fakeisc.WithTokenTTL(ttl))
			rec := acctest.NewRecorder()
			accTest(t, rec, resource.TestStep{
				// 100 reads at 30 a second: a little over three seconds per plan.
				Config: fake.ProviderBlock("requests_per_second = 30") + generatedSourcesConfig(50),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckOutput("complete", "15"),
					resource.TestCheckOutput("rows", "180"),
					func(*terraform.State) error {
						// Tokens are attached after pacing, so a 401 needs a request that takes
						// longer than the refresh margin (a tenth of the lifetime): rare, and
						// retried with a new token when it happens. The counts that hold
						// whatever the machine's load: the token did run out and was replaced,
						// and tokens were shared, not fetched per request.
						for _, c := range rec.Active() {
							if c.Tokens < 2 {
								return fmt.Errorf("a plan of over %s used one token: it never expired, the test proves nothing (%+v)", ttl, rec.Active())
							}
							if c.API < 100 || c.Tokens*4 > c.API {
								return fmt.Errorf("%d API requests and %d tokens for 100 reads", c.API, c.Tokens)
							}
						}
						t.Logf("TTL %s: per plan %+v; 401s answered by the fake: %d", ttl, rec.Active(), fake.Stats().ByStatus[401])
						return nil
					},
				),
			})
		})
	}
}

func TestAccDiagnostics_expiredAccessToken(t *testing.T) {
	fake := acctest.NewFake(t)
	token := fake.IssueToken(fakeisc.DefaultClientID, time.Hour)
	fake.RevokeTokens()
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: fmt.Sprintf("provider \"sailpoint\" {\n  base_url = %q\n  access_token = %q\n}\n", fake.URL, token) + adStatusData,
		ExpectError: expectError(
			"HTTP status: 401 Unauthorized",
			"Message:",
			"access token was rejected",
			"SAIL_ACCESS_TOKEN",
		),
	})
}

func TestAccDiagnostics_invalidClient(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: fmt.Sprintf("provider \"sailpoint\" {\n  base_url = %q\n  client_id = %q\n  client_secret = \"wrong-secret\"\n}\n", fake.URL, fakeisc.DefaultClientID) + adStatusData,
		ExpectError: expectError(
			"Call: POST "+fake.URL+"/oauth/token",
			"HTTP status: 401 Unauthorized",
			"invalid_client",
			"client_id and client_secret",
		),
	})
}

// redirector answers every request with a redirect to the UI host, as a base_url that points
// at the UI or at a proxy does, and counts the requests.
func redirector(t *testing.T) (url string, requests *atomic.Int64) {
	requests = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Redirect(w, r, "https://acme.identitynow.com/ui/d/dashboard", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, requests
}

// A redirect ends the read after one attempt, API and token endpoint alike, with the hint to
// fix the URL: retrying cannot help, and following would send the token elsewhere.
func TestAccDiagnostics_redirect(t *testing.T) {
	t.Run("base_url", func(t *testing.T) {
		fake := acctest.NewFake(t)
		url, requests := redirector(t)
		accTest(t, acctest.NewRecorder(), resource.TestStep{
			// The token comes from the fake; the API calls go to the redirecting host.
			Config: fmt.Sprintf("provider \"sailpoint\" {\n  base_url = %q\n  token_url = %q\n  client_id = %q\n  client_secret = %q\n}\n",
				url, fake.URL+"/oauth/token", fakeisc.DefaultClientID, fakeisc.DefaultClientSecret) + statusData(acctest.SourceActiveDirectory),
			ExpectError: expectError("Call: GET /source-usages/v1/", "HTTP status: 302 Found",
				"Redirect to: https://acme.identitynow.com/ui/d/dashboard", "never follows", "not the UI host"),
		})
		if n := requests.Load(); n != 1 {
			t.Errorf("the redirecting host got %d requests, want 1", n)
		}
	})
	t.Run("token endpoint", func(t *testing.T) {
		url, requests := redirector(t)
		accTest(t, acctest.NewRecorder(), resource.TestStep{
			Config: fmt.Sprintf("provider \"sailpoint\" {\n  base_url = %q\n  client_id = \"id\"\n  client_secret = \"secret\"\n}\n", url) +
				statusData(acctest.SourceActiveDirectory),
			ExpectError: expectError("Call: POST "+url+"/oauth/token", "HTTP status: 302 Found", "Redirect to:", "token_url"),
		})
		if n := requests.Load(); n != 1 {
			t.Errorf("the redirecting host got %d requests, want 1", n)
		}
	})
}

// A host that does not exist (a mistyped tenant) ends the read after one attempt, with a hint
// naming tenant and base_url. .invalid never resolves (RFC 6761).
func TestAccDiagnostics_unknownHost(t *testing.T) {
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: "provider \"sailpoint\" {\n  base_url = \"https://acme.api.identitynow.invalid\"\n  client_id = \"id\"\n  client_secret = \"secret\"\n}\n" +
			statusData(acctest.SourceActiveDirectory),
		ExpectError: expectError("Call: POST https://acme.api.identitynow.invalid/oauth/token", "no such host",
			"What to do: that host does not exist", "Check tenant", "base_url"),
	})
	if active := rec.Active(); len(active) != 1 || active[0].Tokens != 1 || active[0].API != 0 {
		t.Errorf("requests per provider instance: %+v, want one token request and nothing else", active)
	}
}

// A server (or a proxy) that ignores offset sends the first page again for the second: the
// read fails after two requests instead of returning the same rows twice, with or without
// X-Total-Count.
func TestAccDiagnostics_pagerIgnoresOffset(t *testing.T) {
	for name, strip := range map[string][]string{"with a total": {"offset"}, "without a total": {"offset", "count"}} {
		t.Run(name, func(t *testing.T) {
			fake := acctest.NewFake(t)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query()
				for _, k := range strip {
					q.Del(k)
				}
				r.URL.RawQuery = q.Encode()
				fake.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			accTest(t, acctest.NewRecorder(), resource.TestStep{
				Config: fmt.Sprintf("provider \"sailpoint\" {\n  base_url = %q\n  client_id = %q\n  client_secret = %q\n}\n",
					srv.URL, fakeisc.DefaultClientID, fakeisc.DefaultClientSecret) +
					fmt.Sprintf("data \"sailpoint_source_usages\" \"test\" {\n  source_id = %q\n}\n", acctest.SourceSalesforce),
				ExpectError: expectError(`Unable to read the usage summaries of source "`+acctest.SourceSalesforce+`"`,
					"summaries?limit=250&offset=250", "the page at offset 250 repeats the page before it", "ignore offset"),
			})
			if n := fake.Stats().APIRequests; n != 2 {
				t.Errorf("%d summaries requests, want 2", n)
			}
		})
	}
}

func statusData(sourceID string) string {
	return fmt.Sprintf("data \"sailpoint_source_usage_status\" \"test\" {\n  source_id = %q\n}\n", sourceID)
}
