package provider

// Reliability: every fault the fake tenant can throw, run through the real Terraform CLI.
// Each outcome is either the correct data after retrying, or one diagnostic that names the
// source, the call, the HTTP status, the API's detailCode, message and trackingId, and what
// to do next. templates/guides/reliability.md.tmpl lists these tests.

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
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
			"the access token given as access_token was rejected",
			"client_id and client_secret",
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

// A host that does not exist (a mistyped URL) ends the read after one attempt, with a hint
// that names the setting the user set, and only that one: the token URL is made from it.
// .invalid never resolves (RFC 6761).
func TestAccDiagnostics_unknownHost(t *testing.T) {
	for name, tc := range map[string]struct {
		config string
		env    map[string]string
		want   string
	}{
		"base_url": {
			config: "provider \"sailpoint\" {\n  base_url = \"https://acme.api.identitynow.invalid\"\n  client_id = \"id\"\n  client_secret = \"secret\"\n}\n",
			want:   "check base_url (https://acme.api.identitynow.invalid) for a typo.",
		},
		"SAIL_BASE_URL": {
			config: "provider \"sailpoint\" {}\n",
			env:    map[string]string{"SAIL_BASE_URL": "https://acme.api.identitynow.invalid", "SAIL_CLIENT_ID": "id", "SAIL_CLIENT_SECRET": "secret"},
			want:   "check SAIL_BASE_URL (https://acme.api.identitynow.invalid) for a typo.",
		},
	} {
		t.Run(name, func(t *testing.T) {
			rec := acctest.NewRecorder()
			for k, v := range tc.env {
				rec.Env(k, v)
			}
			accTest(t, rec, resource.TestStep{
				Config: tc.config + statusData(acctest.SourceActiveDirectory),
				ExpectError: expectError("Call: POST https://acme.api.identitynow.invalid/oauth/token", "no such host",
					"What to do: the host acme.api.identitynow.invalid does not exist: "+tc.want),
			})
			if active := rec.Active(); len(active) != 1 || active[0].Tokens != 1 || active[0].API != 0 {
				t.Errorf("requests per provider instance: %+v, want one token request and nothing else", active)
			}
		})
	}
}

// A port where nothing listens fails the read at the first attempt, within a second instead of
// some 23 s of retries, and says where the URL came from.
func TestAccDiagnostics_connectionRefused(t *testing.T) {
	var lc net.ListenConfig
	l, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	rec := acctest.NewRecorder().Env("SAIL_BASE_URL", "http://"+addr).Env("SAIL_CLIENT_ID", "id").Env("SAIL_CLIENT_SECRET", "secret")
	accTest(t, rec, resource.TestStep{
		Config: "provider \"sailpoint\" {}\n" + statusData(acctest.SourceActiveDirectory),
		ExpectError: expectError("Call: POST http://"+addr+"/oauth/token", "connection refused",
			"What to do: nothing accepts connections at "+addr+": check the host and port of SAIL_BASE_URL (http://"+addr+")"),
	})
	if active := rec.Active(); len(active) != 1 || active[0].Tokens != 1 || active[0].API != 0 {
		t.Errorf("requests per provider instance: %+v, want one token request, not retried, and nothing else", active)
	}
}

// A base URL that ends in an API version, as SailPoint's docs write API URLs, is refused
// before any request, saying what was set and where: not "token_url does not point at a
// token endpoint", a setting the user never set.
func TestAccDiagnostics_baseURLWithAPIVersion(t *testing.T) {
	fake := acctest.NewFake(t)
	t.Run("SAIL_BASE_URL", func(t *testing.T) {
		rec := acctest.NewRecorder().Env("SAIL_BASE_URL", fake.URL+"/v3").
			Env("SAIL_CLIENT_ID", fakeisc.DefaultClientID).Env("SAIL_CLIENT_SECRET", fakeisc.DefaultClientSecret)
		accTest(t, rec, resource.TestStep{
			Config: "provider \"sailpoint\" {}\n" + statusData(acctest.SourceActiveDirectory),
			ExpectError: expectError("Invalid base URL", `SAIL_BASE_URL: "`+fake.URL+`/v3" ends in the API version segment /v3:`,
				`give the API base URL without it, "`+fake.URL+`"`, "api_version chooses the version"),
		})
	})
	t.Run("base_url", func(t *testing.T) {
		accTest(t, acctest.NewRecorder(), resource.TestStep{
			Config: fmt.Sprintf("provider \"sailpoint\" {\n  base_url = %q\n  client_id = \"id\"\n  client_secret = \"secret\"\n}\n",
				fake.URL+"/beta/") + statusData(acctest.SourceActiveDirectory),
			PlanOnly:    true,
			ExpectError: expectError("Invalid URL", `"`+fake.URL+`/beta/" ends in the API version segment /beta:`),
		})
	})
	if st := fake.Stats(); st.TokenRequests+st.APIRequests != 0 {
		t.Errorf("%d token and %d API requests for a base URL the provider refuses", st.TokenRequests, st.APIRequests)
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

// callsOf lists the calls each data source makes, so that its hints can be checked against
// its own arguments.
var callsOf = map[string][]client.Op{
	"sailpoint_sources":             {client.OpToken, client.OpListSources},
	"sailpoint_source":              {client.OpToken, client.OpGetSource, client.OpListSources},
	"sailpoint_source_usage_status": {client.OpToken, client.OpUsageStatus},
	"sailpoint_source_usages":       {client.OpToken, client.OpUsageSummaries},
	"sailpoint_source_usage_report": {client.OpToken, client.OpListSources, client.OpGetSource, client.OpUsageStatus, client.OpUsageSummaries},
	"sailpoint_account_usages":      {client.OpToken, client.OpAccountUsages},
	"sailpoint_accounts":            {client.OpToken, client.OpListAccounts},
	"sailpoint_account_usage_report": {client.OpToken, client.OpGetSource, client.OpUsageStatus, client.OpListAccounts,
		client.OpAccountUsages, client.OpGetAccount},
}

// Every hint a data source can give names only settings the user can set there: the provider's
// attributes and the data source's own arguments. Before, sailpoint_source and the report told
// a source sub-admin to set for_subadmin, which they did not have.
func TestHintsNameOnlyArgumentsTheDataSourceHas(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	var presp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &presp)
	cfg := client.DefaultConfig()
	cfg.BaseURL, cfg.ClientID, cfg.ClientSecret = "https://acme.api.identitynow.com", "id", "secret"
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data := &providerData{client: c, origin: origin{baseURL: "base_url", credentials: "client_id and client_secret"}}
	argument := regexp.MustCompile(`\b[a-z]+(_[a-z]+)+\b`)

	for _, newDS := range p.DataSources(ctx) {
		ds := newDS()
		var mresp datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "sailpoint"}, &mresp)
		var sresp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &sresp)
		ops, ok := callsOf[mresp.TypeName]
		if !ok {
			t.Errorf("%s: add the calls it makes to callsOf", mresp.TypeName)
			continue
		}
		for _, op := range ops {
			for _, e := range []*client.Error{
				{Op: op, Kind: client.KindStatus, StatusCode: 400}, {Op: op, Kind: client.KindStatus, StatusCode: 401},
				{Op: op, Kind: client.KindStatus, StatusCode: 403}, {Op: op, Kind: client.KindStatus, StatusCode: 404},
				{Op: op, Kind: client.KindStatus, StatusCode: 429}, {Op: op, Kind: client.KindStatus, StatusCode: 500},
				{Op: op, Kind: client.KindRedirect, StatusCode: 302}, {Op: op, Kind: client.KindDecode, StatusCode: 200},
				{Op: op, Kind: client.KindPaging}, {Op: op, Kind: client.KindTransport, Cause: client.CauseDNS},
				{Op: op, Kind: client.KindTransport, Cause: client.CauseRefused},
			} {
				hint := data.hint(e)
				for _, name := range argument.FindAllString(hint, -1) {
					if strings.HasPrefix(name, "sailpoint_") {
						continue // a data source to use, such as data.sailpoint_sources
					}
					_, own := sresp.Schema.Attributes[name]
					_, providerWide := presp.Schema.Attributes[name]
					if !own && !providerWide {
						t.Errorf("%s: the hint for %s %d names %s, which it does not have: %s", mresp.TypeName, op, e.StatusCode, name, hint)
					}
				}
			}
		}
	}
}

// Hints name the setting the user set, as they set it: the environment variable or the
// attribute, the tenant shortcut or the base URL, and a token URL made from the base URL by
// the base URL's setting.
func TestHintsNameWhereTheURLCameFrom(t *testing.T) {
	cfg := client.DefaultConfig()
	cfg.BaseURL, cfg.ClientID, cfg.ClientSecret = "https://acme.api.identitynow.com", "id", "secret"
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dns := func(op client.Op) *client.Error {
		return &client.Error{Op: op, Kind: client.KindTransport, Cause: client.CauseDNS}
	}
	for _, tt := range []struct {
		origin origin
		err    *client.Error
		want   string
	}{
		{origin{baseURL: "SAIL_BASE_URL"}, dns(client.OpToken),
			"the host acme.api.identitynow.com does not exist: check SAIL_BASE_URL (https://acme.api.identitynow.com) for a typo."},
		{origin{baseURL: "base_url"}, dns(client.OpUsageStatus),
			"the host acme.api.identitynow.com does not exist: check base_url (https://acme.api.identitynow.com) for a typo."},
		{origin{baseURL: "SAIL_TENANT"}, dns(client.OpToken),
			"check SAIL_TENANT (https://acme.api.identitynow.com) for a typo. A tenant name such as \"acme\" means " +
				"acme.api.identitynow.com; demo, FedRAMP and vanity hosts need base_url (or SAIL_BASE_URL) instead."},
		{origin{baseURL: "tenant", tokenURL: "SAIL_TOKEN_URL"}, dns(client.OpToken),
			"the host acme.api.identitynow.com does not exist: check SAIL_TOKEN_URL (https://acme.api.identitynow.com/oauth/token) for a typo."},
		{origin{baseURL: "SAIL_BASE_URL"}, &client.Error{Op: client.OpToken, Kind: client.KindStatus, StatusCode: 404},
			"the token URL, made from SAIL_BASE_URL (https://acme.api.identitynow.com) as {base URL}/oauth/token, is not a token endpoint."},
		{origin{baseURL: "base_url", credentials: "SAIL_CLIENT_ID and SAIL_CLIENT_SECRET"},
			&client.Error{Op: client.OpToken, Kind: client.KindStatus, StatusCode: 401, DetailCode: "invalid_client"},
			"the token endpoint rejected the client credentials (SAIL_CLIENT_ID and SAIL_CLIENT_SECRET)."},
		{origin{baseURL: "base_url", apiVersion: "SAIL_API_VERSION"}, &client.Error{Op: client.OpUsageStatus, Kind: client.KindStatus, StatusCode: 404},
			`If every source answers 404 here, the tenant does not serve these paths: set api_version (or SAIL_API_VERSION) to "v3" instead of "v1" (SAIL_API_VERSION)`},
	} {
		data := &providerData{client: c, origin: tt.origin}
		if got := data.hint(tt.err); !strings.Contains(got, tt.want) {
			t.Errorf("origin %+v, %v:\n got %s\nwant %s", tt.origin, tt.err, got, tt.want)
		}
	}
}
