package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The shared test tenant and helpers of every test file of this package.

const (
	testClientID     = "test-client"
	testClientSecret = "test-secret-value-0123456789"
	testUserAgent    = "terraform-provider-sailpoint/test (Terraform 1.16.4)"
	statusComplete   = `{"status":"COMPLETE"}`
	rateLimited      = `{"message":" Rate Limit Exceeded "}`
)

// testISC is a minimal ISC tenant: the OAuth token endpoint and a handler for the API paths.
// Each test gives it the API behaviour it needs.
type testISC struct {
	srv *httptest.Server
	api http.HandlerFunc

	tokenTTL int // expires_in of the tokens it issues; 0 leaves it out
	// tokenHook, when set, may answer a token request itself (returning true) before the
	// credentials are checked.
	tokenHook func(w http.ResponseWriter, r *http.Request) bool

	tokenCalls atomic.Int32
	apiCalls   atomic.Int32

	mu        sync.Mutex
	issued    []string
	revoked   map[string]bool
	apiReqs   []seenRequest
	tokenReqs []seenRequest
}

// seenRequest is what the tenant recorded of a request, copied while the handler ran.
type seenRequest struct {
	at         time.Time
	method     string
	requestURI string
	path       string // decoded
	rawQuery   string
	header     http.Header
	form       url.Values // the token request's form
}

func newTestISC(t *testing.T, api http.HandlerFunc, opts ...func(*testISC)) *testISC {
	t.Helper()
	s := &testISC{api: api, tokenTTL: 749, revoked: map[string]bool{}}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func withTokenTTL(seconds int) func(*testISC) { return func(s *testISC) { s.tokenTTL = seconds } }

func withTokenHook(hook func(w http.ResponseWriter, r *http.Request) bool) func(*testISC) {
	return func(s *testISC) { s.tokenHook = hook }
}

func record(r *http.Request) seenRequest {
	return seenRequest{at: time.Now(), method: r.Method, requestURI: r.RequestURI, path: r.URL.Path,
		rawQuery: r.URL.RawQuery, header: r.Header.Clone(), form: r.PostForm}
}

func (s *testISC) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/oauth/token") {
		s.serveToken(w, r)
		return
	}
	s.apiCalls.Add(1)
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	s.apiReqs = append(s.apiReqs, record(r))
	revoked := s.revoked[tok]
	s.mu.Unlock()
	if revoked {
		writeJSON(w, http.StatusUnauthorized, `{"error":"JWT validation failed: JWT is expired"}`)
		return
	}
	s.api(w, r)
}

func (s *testISC) serveToken(w http.ResponseWriter, r *http.Request) {
	s.tokenCalls.Add(1)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.tokenReqs = append(s.tokenReqs, record(r))
	s.mu.Unlock()
	if s.tokenHook != nil && s.tokenHook(w, r) {
		return
	}
	if r.PostForm.Get("client_id") != testClientID || r.PostForm.Get("client_secret") != testClientSecret {
		writeJSON(w, http.StatusUnauthorized, `{"error":"invalid_client","error_description":"Bad credentials"}`)
		return
	}
	tok := fmt.Sprintf("tok-%d-%d", s.tokenCalls.Load(), time.Now().UnixNano())
	s.mu.Lock()
	s.issued = append(s.issued, tok)
	s.mu.Unlock()
	body := fmt.Sprintf(`{"access_token":%q,"token_type":"bearer","scope":"sp:scopes:all","tenant_id":"t-1","jti":"j-1"`, tok)
	if s.tokenTTL > 0 {
		body += fmt.Sprintf(`,"expires_in":%d`, s.tokenTTL)
	}
	writeJSON(w, http.StatusOK, body+"}")
}

func (s *testISC) issuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

func (s *testISC) apiRequests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.apiReqs...)
}

func (s *testISC) tokenRequests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.tokenReqs...)
}

func (s *testISC) revoke(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked[tok] = true
}

// testConfig starts from DefaultConfig, with millisecond backoff and pacing far above any rate
// a test reaches, so that the tests run fast.
func testConfig(baseURL string) Config {
	cfg := DefaultConfig()
	cfg.BaseURL = baseURL
	cfg.ClientID, cfg.ClientSecret = testClientID, testClientSecret
	cfg.RetryWaitMin, cfg.RetryWaitMax = time.Millisecond, 5*time.Millisecond
	cfg.RequestsPerSecond = 1e6
	cfg.MaxRetries = 3
	cfg.UserAgent = testUserAgent
	return cfg
}

func (s *testISC) client(t *testing.T, mutate ...func(*Config)) *Client {
	t.Helper()
	return newTestClient(t, s.srv.URL, mutate...)
}

func newTestClient(t *testing.T, baseURL string, mutate ...func(*Config)) *Client {
	t.Helper()
	cfg := testConfig(baseURL)
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func withAccessToken(tok string) func(*Config) {
	return func(c *Config) { c.ClientID, c.ClientSecret, c.AccessToken = "", "", tok }
}

func withMaxRetries(n int) func(*Config) { return func(c *Config) { c.MaxRetries = n } }

func writeJSON(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}

func okStatus(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, statusComplete) }

// checkErr fails unless err contains want, or is nil when want is empty.
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("want an error containing %q, got none", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("error %q does not contain %q", err, want)
	}
}

// asError returns err as an *Error, or fails the test.
func asError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want an *Error", err, err)
	}
	return e
}

// waitFor polls cond until it holds. The deadline only guards against a hang.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// result waits for a call's error. The deadline only guards against a hang.
func result(t *testing.T, done <-chan error, what string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: the call did not return", what)
		return nil
	}
}

func ptr[T any](v T) *T { return &v }

// roundTripFunc is an in-memory transport.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRequestHeaders(t *testing.T) {
	isc := newTestISC(t, okStatus)
	if _, err := isc.client(t).GetSourceUsageStatus(t.Context(), "src-1"); err != nil {
		t.Fatal(err)
	}
	toks, tokenReqs, apiReqs := isc.issuedTokens(), isc.tokenRequests(), isc.apiRequests()
	if len(tokenReqs) != 1 || len(apiReqs) != 1 {
		t.Fatalf("%d token and %d API requests, want 1 and 1", len(tokenReqs), len(apiReqs))
	}
	tr := tokenReqs[0]
	for name, got := range map[string]string{
		"method":        tr.method,
		"query":         tr.rawQuery,
		"form":          tr.form.Encode(),
		"Content-Type":  tr.header.Get("Content-Type"),
		"Accept":        tr.header.Get("Accept"),
		"User-Agent":    tr.header.Get("User-Agent"),
		"Authorization": tr.header.Get("Authorization"),
	} {
		want := map[string]string{
			"method": http.MethodPost, "query": "", // the credentials travel in the form, never in the URL
			"form":         "client_id=" + testClientID + "&client_secret=" + testClientSecret + "&grant_type=client_credentials",
			"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json", "User-Agent": testUserAgent,
			"Authorization": "",
		}[name]
		if got != want {
			t.Errorf("token request %s = %q, want %q", name, got, want)
		}
	}
	ar := apiReqs[0]
	for name, got := range map[string]string{
		"method":        ar.method,
		"path":          ar.requestURI,
		"Accept":        ar.header.Get("Accept"),
		"User-Agent":    ar.header.Get("User-Agent"),
		"Authorization": ar.header.Get("Authorization"),
	} {
		want := map[string]string{
			"method": http.MethodGet, "path": "/source-usages/v1/src-1/status", "Accept": "application/json",
			"User-Agent": testUserAgent, "Authorization": "Bearer " + toks[0],
		}[name]
		if got != want {
			t.Errorf("API request %s = %q, want %q", name, got, want)
		}
	}
}

func TestRetries(t *testing.T) {
	dto := func(code int) string {
		return fmt.Sprintf(`{"detailCode":"%d.0 Fault","trackingId":"track-%d","messages":[{"locale":"en-US","localeOrigin":"DEFAULT","text":"fault %d"}]}`, code, code, code)
	}
	type want struct {
		status            int
		detailCode, track string
		messages          []string
		body, retryAfter  string
		text              string // a part of Error()
		notFound          bool
		fullText          string // all of Error(), when set
		attempts          int
	}
	tests := []struct {
		name       string
		failures   int32 // how many calls fail before the API answers
		code       int
		header     map[string]string
		body       string
		maxRetries int
		wantCalls  int32
		want       *want // nil: the call succeeds
	}{
		{name: "429 twice then success", failures: 2, code: 429, header: map[string]string{"Retry-After": "0"}, body: rateLimited, maxRetries: 3, wantCalls: 3},
		{name: "429 without Retry-After", failures: 1, code: 429, body: rateLimited, maxRetries: 3, wantCalls: 2},
		{name: "500 three times then success", failures: 3, code: 500, body: dto(500), maxRetries: 3, wantCalls: 4},
		{name: "502 twice", failures: 2, code: 502, body: `<html>Bad Gateway</html>`, maxRetries: 3, wantCalls: 3},
		{name: "503 once", failures: 1, code: 503, maxRetries: 3, wantCalls: 2},
		{name: "504 once", failures: 1, code: 504, maxRetries: 3, wantCalls: 2},
		{name: "500 beyond the retries shows the API error", failures: 99, code: 500, body: dto(500), maxRetries: 2, wantCalls: 3,
			want: &want{status: 500, detailCode: "500.0 Fault", track: "track-500", messages: []string{"fault 500"}, attempts: 3,
				text: "HTTP status: 500 Internal Server Error (after 3 attempts); detailCode: 500.0 Fault; Message: fault 500; trackingId: track-500"}},
		{name: "429 beyond the retries", failures: 99, code: 429, header: map[string]string{"Retry-After": "0"}, body: rateLimited, maxRetries: 1, wantCalls: 2,
			want: &want{status: 429, messages: []string{"Rate Limit Exceeded"}, retryAfter: "0", attempts: 2,
				text: "HTTP status: 429 Too Many Requests (after 2 attempts); Message: Rate Limit Exceeded; Retry-After: 0"}},
		{name: "max_retries 0 means one attempt", failures: 99, code: 503, body: "down", maxRetries: 0, wantCalls: 1,
			want: &want{status: 503, body: "down", attempts: 1,
				fullText: "Call: GET /source-usages/v1/a/status; HTTP status: 503 Service Unavailable; Body: down"}},
		{name: "400 is final", failures: 99, code: 400, body: dto(400), maxRetries: 3, wantCalls: 1,
			want: &want{status: 400, detailCode: "400.0 Fault", track: "track-400", messages: []string{"fault 400"}, attempts: 1, text: "HTTP status: 400 Bad Request;"}},
		{name: "403 is final", failures: 99, code: 403, body: dto(403), maxRetries: 3, wantCalls: 1,
			want: &want{status: 403, detailCode: "403.0 Fault", track: "track-403", messages: []string{"fault 403"}, attempts: 1}},
		{name: "404 is final", failures: 99, code: 404, body: dto(404), maxRetries: 3, wantCalls: 1,
			want: &want{status: 404, detailCode: "404.0 Fault", track: "track-404", messages: []string{"fault 404"}, attempts: 1, notFound: true}},
		{name: "409 is final", failures: 99, code: 409, body: dto(409), maxRetries: 3, wantCalls: 1,
			want: &want{status: 409, detailCode: "409.0 Fault", track: "track-409", messages: []string{"fault 409"}, attempts: 1}},
		{name: "501 is final", failures: 99, code: 501, maxRetries: 3, wantCalls: 1,
			want: &want{status: 501, attempts: 1, text: "HTTP status: 501 Not Implemented"}},
		{name: "Content-Encoding UTF-8 on a 4xx still shows the API's words", failures: 99, code: 400,
			header: map[string]string{"Content-Encoding": "UTF-8"}, body: dto(400), maxRetries: 3, wantCalls: 1,
			want: &want{status: 400, detailCode: "400.0 Fault", track: "track-400", messages: []string{"fault 400"}, attempts: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			isc := newTestISC(t, func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) <= tt.failures {
					for k, v := range tt.header {
						w.Header().Set(k, v)
					}
					w.WriteHeader(tt.code)
					_, _ = io.WriteString(w, tt.body)
					return
				}
				okStatus(w, r)
			})
			st, err := isc.client(t, withMaxRetries(tt.maxRetries)).GetSourceUsageStatus(t.Context(), "a")
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("%d calls, want %d", got, tt.wantCalls)
			}
			if tt.want == nil {
				if err != nil || st.Status == nil || *st.Status != "COMPLETE" {
					t.Fatalf("status %v, err %v", st.Status, err)
				}
				return
			}
			e := asError(t, err)
			w := tt.want
			if e.Kind != KindStatus || e.Op != OpUsageStatus || e.StatusCode != w.status || e.Attempts != w.attempts ||
				e.DetailCode != w.detailCode || e.TrackingID != w.track || fmt.Sprint(e.Messages) != fmt.Sprint(w.messages) ||
				e.Body != w.body || e.RetryAfter != w.retryAfter || e.Target != "/source-usages/v1/a/status" {
				t.Errorf("got %#v", e)
			}
			if w.text != "" && !strings.Contains(err.Error(), w.text) {
				t.Errorf("Error() = %q, want it to contain %q", err, w.text)
			}
			if w.fullText != "" && err.Error() != w.fullText {
				t.Errorf("Error() = %q, want %q", err, w.fullText)
			}
			if IsNotFound(err) != w.notFound {
				t.Errorf("IsNotFound = %v", IsNotFound(err))
			}
		})
	}
}

func TestRevokedTokenIsReplacedOnce(t *testing.T) {
	isc := newTestISC(t, okStatus)
	c := isc.client(t)
	if _, err := c.GetSourceUsageStatus(t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	isc.revoke(isc.issuedTokens()[0])
	if _, err := c.GetSourceUsageStatus(t.Context(), "a"); err != nil {
		t.Fatalf("a revoked token must be replaced and the call tried again: %v", err)
	}
	if n := isc.tokenCalls.Load(); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	if n := isc.apiCalls.Load(); n != 3 {
		t.Errorf("%d API calls, want 3 (one, the 401, its repetition)", n)
	}
	reqs := isc.apiRequests()
	if got, want := reqs[2].header.Get("Authorization"), "Bearer "+isc.issuedTokens()[1]; got != want {
		t.Errorf("the repeated call sent %q, want %q", got, want)
	}
	if n := isc.tokenCalls.Load(); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
}

// Many reads that meet the same revoked token replace it once between them.
func TestRevokedTokenIsReplacedOnceForConcurrentReads(t *testing.T) {
	isc := newTestISC(t, okStatus)
	c := isc.client(t)
	if _, err := c.GetSourceUsageStatus(t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	isc.revoke(isc.issuedTokens()[0])
	readConcurrently(t, c, 30)
	if n := isc.tokenCalls.Load(); n != 2 {
		t.Errorf("%d token requests, want 2: one revoked token is replaced once", n)
	}
}

func TestPersistent401IsReportedAfterOneRefresh(t *testing.T) {
	isc := newTestISC(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusUnauthorized, `{"error":"JWT validation failed: JWT is expired"}`)
	})
	_, err := isc.client(t).GetSourceUsageStatus(t.Context(), "a")
	e := asError(t, err)
	if e.Kind != KindStatus || e.StatusCode != 401 || fmt.Sprint(e.Messages) != "[JWT validation failed: JWT is expired]" || e.Attempts != 2 {
		t.Fatalf("got %#v", e)
	}
	if isc.tokenCalls.Load() != 2 || isc.apiCalls.Load() != 2 {
		t.Errorf("%d token requests, %d API calls; want one refresh and one more call", isc.tokenCalls.Load(), isc.apiCalls.Load())
	}
}

func TestConnectionClosedMidBodyIsRetried(t *testing.T) {
	var calls atomic.Int32
	isc := newTestISC(t, func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `[{"date":"2024-01-01",`)
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		}
		writeJSON(w, http.StatusOK, `[{"date":"2024-01-01","count":1}]`)
	})
	rows, err := isc.client(t).ListSourceUsages(t.Context(), "a", UsagesOptions{})
	if err != nil || len(rows) != 1 || rows[0].Count.String() != "1" {
		t.Fatalf("rows %v, err %v", rows, err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d calls, want 2", calls.Load())
	}
}

func TestAttemptTimeout(t *testing.T) {
	t.Parallel() // slow: let it overlap the others
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"no answer", func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }},
		{"headers then a stalled body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `{"status":`)
			_ = http.NewResponseController(w).Flush()
			<-r.Context().Done()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isc := newTestISC(t, tt.handler)
			c := isc.client(t, withMaxRetries(1), func(c *Config) { c.RequestTimeout = 50 * time.Millisecond })
			_, err := c.GetSourceUsageStatus(t.Context(), "a")
			e := asError(t, err)
			if e.Kind != KindTransport || e.Cause != CauseTimeout || e.Attempts != 2 {
				t.Fatalf("got %#v", e)
			}
			checkErr(t, err, "Error: no complete answer within 50ms (request_timeout) (after 2 attempts)")
			if n := isc.apiCalls.Load(); n != 2 {
				t.Errorf("%d calls, want 2", n)
			}
		})
	}
}

func TestCancellationStopsAtOnce(t *testing.T) {
	tests := []struct {
		name string
		api  http.HandlerFunc
		hook func(w http.ResponseWriter, r *http.Request) bool
		// ready reports when the call is where the test cancels it.
		ready         func(isc *testISC, c *Client) bool
		wantAPICalls  int32
		wantTokenReqs int32
	}{
		{
			name: "waiting out a Retry-After",
			api: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Retry-After", "300")
				writeJSON(w, http.StatusTooManyRequests, rateLimited)
			},
			ready:        func(isc *testISC, c *Client) bool { return !c.pacer.pausedUntil().IsZero() },
			wantAPICalls: 1, wantTokenReqs: 1,
		},
		{
			name:         "during an attempt",
			api:          func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
			ready:        func(isc *testISC, _ *Client) bool { return isc.apiCalls.Load() == 1 },
			wantAPICalls: 1, wantTokenReqs: 1,
		},
		{
			name: "waiting for a token",
			api:  okStatus,
			hook: func(_ http.ResponseWriter, r *http.Request) bool {
				<-r.Context().Done()
				return true
			},
			ready:        func(isc *testISC, _ *Client) bool { return isc.tokenCalls.Load() == 1 },
			wantAPICalls: 0, wantTokenReqs: 1,
		},
		{
			name:         "before the first request",
			api:          okStatus,
			ready:        func(*testISC, *Client) bool { return true },
			wantAPICalls: 0, wantTokenReqs: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isc := newTestISC(t, tt.api, withTokenHook(tt.hook))
			c := isc.client(t)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tt.wantAPICalls == 0 && tt.wantTokenReqs == 0 {
				cancel()
			}
			done := make(chan error, 1)
			go func() {
				_, err := c.GetSourceUsageStatus(ctx, "a")
				done <- err
			}()
			waitFor(t, "the call to get under way", func() bool { return tt.ready(isc, c) })
			cancel()
			if err := result(t, done, "after cancellation"); !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if n := isc.apiCalls.Load(); n != tt.wantAPICalls {
				t.Errorf("%d API calls, want %d", n, tt.wantAPICalls)
			}
			if n := isc.tokenCalls.Load(); n != tt.wantTokenReqs {
				t.Errorf("%d token requests, want %d", n, tt.wantTokenReqs)
			}
		})
	}
}

// A redirect ends the call after one attempt, from the API and from the token endpoint alike,
// and is never followed: following would send the token wherever it points.
func TestRedirectsEndTheCall(t *testing.T) {
	var followed atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed.Add(1)
		writeJSON(w, http.StatusOK, statusComplete)
	}))
	t.Cleanup(other.Close)
	location := other.URL + "/steal"
	for _, code := range []int{301, 302, 307, 308} {
		for _, from := range []string{"api", "token"} {
			t.Run(fmt.Sprint(code, " from ", from), func(t *testing.T) {
				redirect := func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, location, code) }
				api, hook := okStatus, func(http.ResponseWriter, *http.Request) bool { return false }
				wantOp, wantAPI, wantTarget := OpUsageStatus, int32(1), "/source-usages/v1/a/status"
				if from == "api" {
					api = redirect
				} else {
					hook = func(w http.ResponseWriter, r *http.Request) bool { redirect(w, r); return true }
					wantOp, wantAPI = OpToken, 0
				}
				isc := newTestISC(t, api, withTokenHook(hook))
				if from == "token" {
					wantTarget = isc.srv.URL + "/oauth/token"
				}
				_, err := isc.client(t).GetSourceUsageStatus(t.Context(), "a")
				e := asError(t, err)
				if e.Kind != KindRedirect || e.Op != wantOp || e.StatusCode != code || e.Location != location || e.Attempts != 1 || e.Target != wantTarget {
					t.Fatalf("got %#v", e)
				}
				checkErr(t, err, "Redirect to: "+location)
				if n := isc.apiCalls.Load(); n != wantAPI {
					t.Errorf("%d API calls, want %d", n, wantAPI)
				}
				if n := isc.tokenCalls.Load(); n != 1 {
					t.Errorf("%d token requests, want 1", n)
				}
				if n := followed.Load(); n != 0 {
					t.Errorf("the redirect was followed %d times", n)
				}
			})
		}
	}
}

// A host that does not exist (a mistyped tenant) is reported after one attempt.
func TestDNSErrorIsNotRetried(t *testing.T) {
	for _, tt := range []struct {
		name   string
		mutate func(*Config)
		wantOp Op
	}{
		{"API call", withAccessToken("given-token"), OpUsageStatus},
		{"token request", func(*Config) {}, OpToken},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var dials atomic.Int32
			transport := &http.Transport{DialContext: func(_ context.Context, network, addr string) (net.Conn, error) {
				dials.Add(1)
				host, _, _ := net.SplitHostPort(addr)
				return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
			}}
			c := newTestClient(t, "https://acme-typo.api.identitynow.com", tt.mutate, func(c *Config) { c.Transport = transport })
			_, err := c.GetSourceUsageStatus(t.Context(), "a")
			e := asError(t, err)
			if e.Kind != KindTransport || e.Cause != CauseDNS || e.Attempts != 1 || e.Op != tt.wantOp {
				t.Fatalf("got %#v", e)
			}
			var dnsErr *net.DNSError
			if !errors.As(err, &dnsErr) || dnsErr.Name != "acme-typo.api.identitynow.com" {
				t.Errorf("the DNS error is not kept: %v", err)
			}
			if n := dials.Load(); n != 1 {
				t.Errorf("%d dials, want 1", n)
			}
		})
	}
}

func newTLSServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// A certificate that does not verify is final: trying again cannot fix it. Verification is
// always on, also with a Transport of the caller's.
func TestTLSVerificationFailureIsNotRetried(t *testing.T) {
	var handled atomic.Int32
	srv := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) { handled.Add(1); okStatus(w, r) })
	var dials atomic.Int32
	dialer := &net.Dialer{}
	for _, tt := range []struct {
		name      string
		transport http.RoundTripper
	}{
		{"default transport", nil},
		{"a transport without the test CA", &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return dialer.DialContext(ctx, network, addr)
		}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dials.Store(0)
			c := newTestClient(t, srv.URL, withAccessToken("given-token"), func(c *Config) { c.Transport = tt.transport })
			_, err := c.GetSourceUsageStatus(t.Context(), "a")
			e := asError(t, err)
			if e.Kind != KindTransport || e.Cause != CauseTLS || e.Attempts != 1 {
				t.Fatalf("got %#v", e)
			}
			var verr *tls.CertificateVerificationError
			var unknown x509.UnknownAuthorityError
			if !errors.As(err, &verr) || !errors.As(err, &unknown) {
				t.Errorf("the verification error is not kept: %v", err)
			}
			if tt.transport != nil && dials.Load() != 1 {
				t.Errorf("%d dials, want 1", dials.Load())
			}
		})
	}
	if handled.Load() != 0 {
		t.Errorf("%d requests reached a server whose certificate did not verify", handled.Load())
	}
}

func TestTLSWithTrustedCertificate(t *testing.T) {
	srv := newTLSServer(t, okStatus)
	c := newTestClient(t, srv.URL, withAccessToken("given-token"), func(c *Config) { c.Transport = srv.Client().Transport })
	st, err := c.GetSourceUsageStatus(t.Context(), "a")
	if err != nil || st.Status == nil || *st.Status != "COMPLETE" {
		t.Fatalf("status %v, err %v", st.Status, err)
	}
}

// A refused connection before the tenant has answered anything is final: nothing listening at
// the start of a plan is a wrong URL or port, and 5 retries cost some 23 s. Once the tenant has
// answered, a refused connection is a restart mid-plan and is retried.
func TestConnectionRefused(t *testing.T) {
	var lc net.ListenConfig
	l, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	c := newTestClient(t, "http://"+addr, withAccessToken("given-token"), withMaxRetries(5))
	start := time.Now()
	_, err = c.GetSourceUsageStatus(t.Context(), "a")
	e := asError(t, err)
	if e.Kind != KindTransport || e.Cause != CauseRefused || e.Attempts != 1 {
		t.Fatalf("got %#v", e)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("err = %v, want ECONNREFUSED", err)
	}
	checkErr(t, err, "connection refused")
	if strings.Contains(err.Error(), "attempts") {
		t.Errorf("a refused connection was retried: %v", err)
	}
	t.Logf("failed after %s", time.Since(start))

	// The same port refusing after an answer: a restart mid-plan, retried until it listens again.
	var calls atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		okStatus(w, r)
	}))
	srv.Listener, err = lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	addr = srv.Listener.Addr().String()
	c = newTestClient(t, srv.URL, withAccessToken("given-token"), withMaxRetries(5), func(c *Config) {
		c.RetryWaitMin, c.RetryWaitMax = 50*time.Millisecond, 50*time.Millisecond
	})
	if _, err := c.GetSourceUsageStatus(t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	srv.Close() // refuses from now on
	restarted := make(chan *httptest.Server, 1)
	go func() {
		time.Sleep(120 * time.Millisecond) // two or three refused attempts
		again := httptest.NewUnstartedServer(srv.Config.Handler)
		l, err := lc.Listen(context.Background(), "tcp", addr)
		if err != nil {
			restarted <- nil
			return
		}
		again.Listener = l
		again.Start()
		restarted <- again
	}()
	_, err = c.GetSourceUsageStatus(t.Context(), "a")
	if again := <-restarted; again == nil {
		t.Skip("the port was taken before the test could listen on it again")
	} else {
		defer again.Close()
	}
	if err != nil || calls.Load() != 2 {
		t.Fatalf("after a restart: err %v, %d calls, want success with 2", err, calls.Load())
	}
}

// A 2xx body that is not JSON at all is retried like a 5xx; if it never heals, the error shows
// what came back.
func TestInvalidBodyIsRetried(t *testing.T) {
	tests := []struct {
		name      string
		bad       string
		failures  int32
		wantCalls int32
		wantErr   string // a part of Error(), for a read that fails
		wantBody  string
	}{
		{name: "truncated once", bad: `[{"date":"2024-01-01","cou`, failures: 1, wantCalls: 2},
		{name: "empty twice", bad: ``, failures: 2, wantCalls: 3},
		{name: "HTML for good", bad: "<html>\n  proxy error\n</html>", failures: 99, wantCalls: 4,
			wantErr: "HTTP status: 200 OK (after 4 attempts); Error: invalid JSON at byte 1: invalid character '<' looking for beginning of value", wantBody: "<html> proxy error </html>"},
		{name: "empty for good", bad: ``, failures: 99, wantCalls: 4, wantErr: "HTTP status: 200 OK (after 4 attempts); Error: the body is empty; Body: (empty)"},
		{name: "cut off for good", bad: `[{"date":"2024-01-01","cou`, failures: 99, wantCalls: 4,
			wantErr: "the JSON ends early (the body was cut off)", wantBody: `[{"date":"2024-01-01","cou`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			isc := newTestISC(t, func(w http.ResponseWriter, _ *http.Request) {
				if calls.Add(1) <= tt.failures {
					writeJSON(w, http.StatusOK, tt.bad)
					return
				}
				writeJSON(w, http.StatusOK, `[{"date":"2024-01-01","count":1}]`)
			})
			rows, err := isc.client(t).ListSourceUsages(t.Context(), "a", UsagesOptions{})
			if calls.Load() != tt.wantCalls {
				t.Errorf("%d calls, want %d", calls.Load(), tt.wantCalls)
			}
			if tt.wantErr == "" {
				if err != nil || len(rows) != 1 {
					t.Fatalf("rows %v, err %v", rows, err)
				}
				return
			}
			checkErr(t, err, tt.wantErr)
			e := asError(t, err)
			if e.Kind != KindDecode || e.Attempts != int(tt.wantCalls) || e.Body != tt.wantBody || e.Op != OpUsageSummaries || rows != nil {
				t.Errorf("got %#v, rows %v", e, rows)
			}
		})
	}
}

// Well-formed JSON of the wrong shape is the API's answer, not a glitch: it is not retried.
func TestWrongShapeIsNotRetried(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		call       func(*Client) error
		wantErr    string
	}{
		{"summaries as an object", statusComplete, func(c *Client) error {
			_, err := c.ListSourceUsages(t.Context(), "a", UsagesOptions{})
			return err
		}, "expected an array, got an object"},
		{"status as an array", `[]`, func(c *Client) error {
			_, err := c.GetSourceUsageStatus(t.Context(), "a")
			return err
		}, "expected an object, got an array"},
		{"status as null", `null`, func(c *Client) error {
			_, err := c.GetSourceUsageStatus(t.Context(), "a")
			return err
		}, "expected an object, got null"},
		{"sources with a wrong field type", `[{"id":"s1","name":7}]`, func(c *Client) error {
			_, err := c.ListSources(t.Context(), SourcesOptions{})
			return err
		}, `field "name" has a JSON number where a string was expected`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			isc := newTestISC(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, tt.body) })
			err := tt.call(isc.client(t))
			checkErr(t, err, tt.wantErr)
			if e := asError(t, err); e.Kind != KindDecode {
				t.Errorf("kind %v", e.Kind)
			}
			if n := isc.apiCalls.Load(); n != 1 {
				t.Errorf("%d calls, want 1", n)
			}
		})
	}
}

// An answer larger than the client reads is refused, and the error says so.
func TestResponseTooLarge(t *testing.T) {
	t.Parallel() // slow: let it overlap the others
	big := "[" + strings.Repeat(" ", maxResponseBytes) + "]"
	for _, tt := range []struct {
		name string
		code int
	}{{"2xx", http.StatusOK}, {"5xx", http.StatusBadGateway}} {
		t.Run(tt.name, func(t *testing.T) {
			isc := newTestISC(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, tt.code, big) })
			_, err := isc.client(t, withMaxRetries(1)).ListSourceUsages(t.Context(), "a", UsagesOptions{})
			checkErr(t, err, "the answer is larger than 10 MiB")
			checkErr(t, err, "Body: (not read: larger than 10 MiB)")
			// An oversized answer is an answer: asking again would only download it again.
			if n := isc.apiCalls.Load(); n != 1 {
				t.Errorf("%d calls, want 1", n)
			}
			if e := asError(t, err); e.StatusCode != tt.code {
				t.Errorf("status %d, want %d: %#v", e.StatusCode, tt.code, e)
			}
		})
	}
}

// A 429 pauses every call of the client, not only the one that received it: they all spend
// the same budget, and the gateway just said it is spent.
func TestTooManyRequestsPausesEveryCall(t *testing.T) {
	t.Parallel() // slow: let it overlap the others
	release := make(chan struct{})
	var releaseOnce sync.Once
	unblock := func() { releaseOnce.Do(func() { close(release) }) }
	var mu sync.Mutex
	var sent429 time.Time
	arrivals := map[string][]time.Time{}
	isc := newTestISC(t, func(w http.ResponseWriter, r *http.Request) {
		id := strings.Split(r.URL.Path, "/")[3] // /source-usages/v1/{id}/status
		mu.Lock()
		arrivals[id] = append(arrivals[id], time.Now())
		n := len(arrivals[id])
		mu.Unlock()
		switch {
		case id == "a" && n == 1:
			mu.Lock()
			sent429 = time.Now()
			mu.Unlock()
			w.Header().Set("Retry-After", "1")
			writeJSON(w, http.StatusTooManyRequests, rateLimited)
		case id == "b" && n == 1:
			<-release // held until the client has taken in the 429 of call a
			writeJSON(w, http.StatusInternalServerError, `{"detailCode":"500.0 Internal Fault"}`)
		default:
			okStatus(w, r)
		}
	})
	t.Cleanup(unblock) // before the server closes, should the test end early
	c := isc.client(t)
	var wg sync.WaitGroup
	errs := map[string]error{}
	read := func(id string) {
		wg.Go(func() {
			_, err := c.GetSourceUsageStatus(t.Context(), id)
			mu.Lock()
			errs[id] = err
			mu.Unlock()
		})
	}
	read("b")
	waitFor(t, "call b to reach the server", func() bool { mu.Lock(); defer mu.Unlock(); return len(arrivals["b"]) == 1 })
	read("a")
	waitFor(t, "the client to take in the 429", func() bool { return !c.pacer.pausedUntil().IsZero() })
	unblock()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	for id, err := range errs {
		if err != nil {
			t.Fatalf("call %s: %v", id, err)
		}
	}
	for _, id := range []string{"a", "b"} {
		if len(arrivals[id]) != 2 {
			t.Fatalf("call %s made %d requests, want 2", id, len(arrivals[id]))
		}
		if gap := arrivals[id][1].Sub(sent429); gap < 900*time.Millisecond {
			t.Errorf("call %s came back %v after the 429 with Retry-After: 1", id, gap)
		}
	}
}

// A Retry-After beyond any integer type gives the capped wait, not the normal backoff.
func TestHugeRetryAfterWaitsTheCap(t *testing.T) {
	isc := newTestISC(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "99999999999999999999999")
		writeJSON(w, http.StatusTooManyRequests, rateLimited)
	})
	c := isc.client(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.GetSourceUsageStatus(ctx, "a")
		done <- err
	}()
	waitFor(t, "the 429", func() bool { return !c.pacer.pausedUntil().IsZero() })
	if wait := time.Until(c.pacer.pausedUntil()); wait < MaxRetryAfter-time.Minute {
		t.Errorf("the client waits %v, want about %v", wait, MaxRetryAfter)
	}
	cancel()
	if err := result(t, done, "after cancellation"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := isc.apiCalls.Load(); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"1", time.Second, true},
		{" 7 ", 7 * time.Second, true},
		{"007", 7 * time.Second, true},
		{"300", MaxRetryAfter, true},
		{"301", MaxRetryAfter, true},
		{"-3", 0, false},
		{"+3", 0, false},
		{"soon", 0, false},
		{"1.5", 0, false},
		{"99999999999", MaxRetryAfter, true},
		{"9223372036854775807", MaxRetryAfter, true},
		{"99999999999999999999999", MaxRetryAfter, true}, // more than int64 holds
		{now.Add(3 * time.Second).Format(http.TimeFormat), 3 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{now.Add(24 * time.Hour).Format(http.TimeFormat), MaxRetryAfter, true},
		{"Wed, 25 Nov 2026 12:00:02 GMT", 2 * time.Second, true},
		{"Wednesday, 25-Nov-26 12:00:04 GMT", 4 * time.Second, true}, // RFC 850
		{"Wed Nov 25 12:00:05 2026", 5 * time.Second, true},          // asctime
		{"Wed, 25 Nov 2026 25:00:00 GMT", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "1", "120", "-1", "1.5", "Wed, 25 Nov 2026 12:00:02 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "", "999999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if d < 0 || d > MaxRetryAfter || (!ok && d != 0) {
			t.Fatalf("parseRetryAfter(%q) = %v, %v", v, d, ok)
		}
		if s := strings.TrimSpace(v); s != "" && strings.Trim(s, "0123456789") == "" && !ok {
			t.Fatalf("parseRetryAfter(%q): delay-seconds refused", v)
		}
	})
}

func TestBackoff(t *testing.T) {
	minWait, maxWait := 100*time.Millisecond, 2*time.Second
	c := newTestClient(t, "https://acme.api.identitynow.com", func(c *Config) { c.RetryWaitMin, c.RetryWaitMax = minWait, maxWait })
	for n := 1; n <= 12; n++ {
		ceiling := min(minWait<<(n-1), maxWait)
		for range 50 {
			if got := c.backoff(n, &attempt{status: http.StatusInternalServerError}); got < minWait || got > ceiling {
				t.Fatalf("retry %d: backoff %v outside [%v, %v]", n, got, minWait, ceiling)
			}
		}
	}
	if got := c.backoff(1, &attempt{err: errors.New("reset")}); got != minWait {
		t.Errorf("first retry after a connection error: %v, want %v", got, minWait)
	}
	header := func(v string) http.Header { return http.Header{"Retry-After": {v}} }
	for _, tt := range []struct {
		name string
		a    attempt
		want time.Duration
	}{
		{"429 with Retry-After 3", attempt{status: 429, header: header("3")}, 3 * time.Second},
		{"503 with Retry-After 2", attempt{status: 503, header: header("2")}, 2 * time.Second},
		{"429 with a Retry-After larger than int64", attempt{status: 429, header: header("99999999999999999999999")}, MaxRetryAfter},
		{"429 with Retry-After 0", attempt{status: 429, header: header("0")}, 0},
		{"429 without Retry-After: the first step", attempt{status: 429, header: http.Header{}}, minWait},
		{"429 with an unreadable Retry-After: the first step", attempt{status: 429, header: header("soon")}, minWait},
		{"500 ignores Retry-After", attempt{status: 500, header: header("30")}, minWait},
	} {
		if got := c.backoff(1, &tt.a); got != tt.want {
			t.Errorf("%s: waited %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Transport failures are told apart by their types, never by their text.
func TestCauseOf(t *testing.T) {
	live := t.Context()
	expired, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	opErr := func(err error) error { return &net.OpError{Op: "dial", Net: "tcp", Err: err} }
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want Cause
	}{
		{"attempt deadline", expired, errors.New("anything"), CauseTimeout},
		{"no such host", live, opErr(&net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}), CauseDNS},
		{"DNS server failure is retried", live, opErr(&net.DNSError{Err: "server misbehaving", Name: "x", IsTemporary: true}), CauseConnection},
		{"certificate verification", live, &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, CauseTLS},
		{"unknown authority", live, fmt.Errorf("x: %w", x509.UnknownAuthorityError{}), CauseTLS},
		{"host name mismatch", live, x509.HostnameError{Host: "x"}, CauseTLS},
		{"invalid certificate", live, x509.CertificateInvalidError{Reason: x509.Expired}, CauseTLS},
		{"not TLS at all", live, tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, CauseTLS},
		{"connection refused", live, opErr(syscall.ECONNREFUSED), CauseRefused},
		{"connection reset", live, opErr(syscall.ECONNRESET), CauseConnection},
		{"unexpected EOF", live, io.ErrUnexpectedEOF, CauseConnection},
	}
	for _, tt := range tests {
		if got := causeOf(tt.ctx, tt.err); got != tt.want {
			t.Errorf("%s: cause %v, want %v", tt.name, got, tt.want)
		}
	}
}

// readConcurrently reads the status of n sources at once, and fails t if any read fails.
func readConcurrently(t *testing.T, c *Client, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.GetSourceUsageStatus(t.Context(), fmt.Sprint("src-", i)) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
	}
}
