package provider_test

// Reliability: every fault the fake tenant can throw, run through the real Terraform CLI.
// Each outcome is either the correct data after retrying, or one diagnostic that names the
// source, the call, the HTTP status, the API's detailCode, message and trackingId, and what
// to do next. templates/guides/reliability.md.tmpl lists these tests.

import (
	"fmt"
	"net/http"
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
func TestAccReliability_recovers(t *testing.T) {
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
				Config:    fake.ProviderBlock(tt.provider...) + bothDataSources(fakeisc.DemoSourceSalesforce),
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
func TestAccReliability_diagnostics(t *testing.T) {
	tests := []struct {
		name     string
		fault    fakeisc.Fault
		provider []string
		want     []string
	}{
		{
			name: "500 beyond the retries", fault: fakeisc.ServerError(500), provider: []string{"max_retries = 2"},
			want: []string{`Unable to read source usage status of source "` + fakeisc.DemoSourceSalesforce + `"`,
				"Call: GET /v3/source-usages/" + fakeisc.DemoSourceSalesforce + "/status",
				"HTTP status: 500 Internal Server Error (after 3 attempts)", "detailCode: 500.0 Internal Fault",
				"Message: An internal fault occurred.", "trackingId: ", "What to do:", "contact SailPoint support"},
		},
		{
			name: "429 beyond the retries", fault: fakeisc.TooManyRequests("0"), provider: []string{"max_retries = 1"},
			want: []string{"HTTP status: 429 Too Many Requests (after 2 attempts)", "Message: Rate Limit Exceeded",
				"Retry-After: 0", "Lower requests_per_second", "raise max_retries (now 1)"},
		},
		{
			name: "502 with an HTML body", fault: fakeisc.ServerError(502), provider: []string{"max_retries = 0"},
			want: []string{"HTTP status: 502 Bad Gateway", "Message: <html>", "What to do:"},
		},
		{
			name: "malformed JSON for good", fault: fakeisc.MalformedJSON(), provider: []string{"max_retries = 1"},
			want: []string{"HTTP status: 200 OK (after 2 attempts)", "not in the published format", "Body:", "Run again"},
		},
		{
			name: "empty body for good", fault: fakeisc.EmptyBody(), provider: []string{"max_retries = 1"},
			want: []string{"not in the published format: the body is empty", "Body: (empty)"},
		},
		{
			name: "timeout for good", fault: fakeisc.Delay(time.Minute), provider: []string{`request_timeout = "300ms"`, "max_retries = 1"},
			want: []string{"Call: GET /v3/source-usages/", "no complete response within 300ms (request_timeout) (after 2 attempts)", "Raise request_timeout"},
		},
		{
			name: "a failed page fails the whole read", provider: []string{"max_retries = 1"},
			fault: fakeisc.ServerError(500).WithOp(fakeisc.OpSummaries).WithOffset(250),
			want: []string{`Unable to read source usages of source "` + fakeisc.DemoSourceSalesforce + `"`,
				"Call: GET /v3/source-usages/" + fakeisc.DemoSourceSalesforce + "/summaries?limit=250&offset=250",
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
			want: []string{"Call: POST ", "/oauth/token", "HTTP status: 401 Unauthorized", "Error: invalid_client (Bad credentials)", "client_id and client_secret"},
		},
		{
			name: "token endpoint 500 for good", fault: fakeisc.ServerError(500).WithOp(fakeisc.OpToken), provider: []string{"max_retries = 1"},
			want: []string{"Call: POST ", "HTTP status: 500 Internal Server Error", "token endpoint failed on SailPoint's side"},
		},
		{
			name: "token endpoint malformed JSON", fault: fakeisc.TokenMalformed(),
			want: []string{"Call: POST ", "oauth2: cannot parse json", "token_url"},
		},
		{
			name: "token endpoint without access_token", fault: fakeisc.TokenMissingAccessToken(),
			want: []string{"Call: POST ", "server response missing access_token", "token_url"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := acctest.NewFake(t)
			fake.Inject(tt.fault)
			rec := acctest.NewRecorder()
			accTest(t, rec, resource.TestStep{
				Config:      fake.ProviderBlock(tt.provider...) + bothDataSources(fakeisc.DemoSourceSalesforce),
				ExpectError: expectError(tt.want...),
			})
		})
	}
}

// Tokens that live one or two seconds, over a plan of 50 sources that takes longer than
// that: every read succeeds, and the provider fetched a new token when the old one ran out.
func TestAccReliability_tokensExpireMidRun(t *testing.T) {
	for _, ttl := range []time.Duration{time.Second, 2 * time.Second} {
		t.Run(ttl.String(), func(t *testing.T) {
			fake := acctest.NewFake(t, fakeisc.WithGeneratedSources(50), fakeisc.WithTokenTTL(ttl))
			rec := acctest.NewRecorder()
			accTest(t, rec, resource.TestStep{
				// 100 reads at 30 a second: a little over three seconds per plan.
				Config: fake.ProviderBlock("requests_per_second = 30") + generatedSourcesConfig(50),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckOutput("complete", "50"),
					resource.TestCheckOutput("rows", "600"),
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
