package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

const (
	testClientID     = "test-client"
	testClientSecret = "test-secret-value-0123456789"
)

// testAPI is a minimal ISC: a token endpoint and a handler for API paths. Each test gives it
// the API behaviour it needs.
type testAPI struct {
	t          *testing.T
	srv        *httptest.Server
	tokenTTL   int // expires_in; 0 leaves it out
	tokenFail  func(w http.ResponseWriter) bool
	api        http.HandlerFunc
	tokens     atomic.Int32
	apiCalls   atomic.Int32
	mu         sync.Mutex
	issued     []string
	revoked    map[string]bool
	lastAPIReq *http.Request
	tokenForms []string
}

func newTestAPI(t *testing.T, api http.HandlerFunc) *testAPI {
	a := &testAPI{t: t, api: api, tokenTTL: 749, revoked: map[string]bool{}}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *testAPI) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/oauth/token" {
		a.tokens.Add(1)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		a.mu.Lock()
		a.tokenForms = append(a.tokenForms, r.URL.RawQuery+"|"+r.PostForm.Encode())
		a.mu.Unlock()
		if a.tokenFail != nil && a.tokenFail(w) {
			return
		}
		if r.PostForm.Get("client_id") != testClientID || r.PostForm.Get("client_secret") != testClientSecret {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"Bad credentials"}`))
			return
		}
		tok := fmt.Sprintf("tok-%d-%d", a.tokens.Load(), time.Now().UnixNano())
		a.mu.Lock()
		a.issued = append(a.issued, tok)
		a.mu.Unlock()
		body := map[string]any{"access_token": tok, "token_type": "bearer"}
		if a.tokenTTL > 0 {
			body["expires_in"] = a.tokenTTL
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(body)
		return
	}
	a.apiCalls.Add(1)
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	a.mu.Lock()
	a.lastAPIReq = r
	revoked := a.revoked[tok]
	a.mu.Unlock()
	if revoked {
		writeJSON(w, http.StatusUnauthorized, `{"error":"JWT validation failed: JWT is expired"}`)
		return
	}
	a.api(w, r)
}

func writeJSON(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

func (a *testAPI) client(t *testing.T, mutate ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		BaseURL: a.srv.URL, ClientID: testClientID, ClientSecret: testClientSecret,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, RequestsPerSecond: 1000,
		MaxRetries: 3, UserAgent: "terraform-provider-sailpoint/test (Terraform 1.5.7)",
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const statusComplete = `{"status":"COMPLETE"}`

func TestGetSourceUsageStatus(t *testing.T) {
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, statusComplete)
	})
	c := api.client(t)
	st, err := c.GetSourceUsageStatus(context.Background(), "src-1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Status == nil || *st.Status != "COMPLETE" {
		t.Fatalf("status %v", st.Status)
	}
	r := api.lastAPIReq
	if r.URL.Path != "/v3/source-usages/src-1/status" {
		t.Errorf("path %s", r.URL.Path)
	}
	if got := r.Header.Get("User-Agent"); got != "terraform-provider-sailpoint/test (Terraform 1.5.7)" {
		t.Errorf("User-Agent %q", got)
	}
	if got := r.Header.Get("Authorization"); !strings.HasPrefix(got, "Bearer tok-") {
		t.Errorf("Authorization %q", got)
	}
	if api.tokenForms[0] != "|client_id="+testClientID+"&client_secret="+testClientSecret+"&grant_type=client_credentials" {
		t.Errorf("token request must carry credentials as form fields, not in the URL: %q", api.tokenForms[0])
	}
}

func TestRequestPathIsEscaped(t *testing.T) {
	var got []string
	var mu sync.Mutex
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.RequestURI)
		mu.Unlock()
		writeJSON(w, 200, statusComplete)
	})
	c := api.client(t)
	ids := map[string]string{
		"../../v3/sources": "/v3/source-usages/..%2F..%2Fv3%2Fsources/status",
		"a?b=1#c":          "/v3/source-usages/a%3Fb=1%23c/status",
		"a%2Fb":            "/v3/source-usages/a%252Fb/status",
		"a b":              "/v3/source-usages/a%20b/status",
		"ключ":             "/v3/source-usages/%D0%BA%D0%BB%D1%8E%D1%87/status",
	}
	for id, want := range ids {
		mu.Lock()
		got = nil
		mu.Unlock()
		if _, err := c.GetSourceUsageStatus(context.Background(), id); err != nil {
			t.Fatalf("%q: %v", id, err)
		}
		if len(got) != 1 || got[0] != want {
			t.Errorf("%q: server saw %v, want %s", id, got, want)
		}
	}
}

func TestOneTokenForConcurrentReads(t *testing.T) {
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, statusComplete)
	})
	c := api.client(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if _, err := c.GetSourceUsageStatus(context.Background(), fmt.Sprintf("src-%d", i)); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := api.tokens.Load(); n != 1 {
		t.Errorf("%d token requests for 100 concurrent reads, want 1", n)
	}
	if n := api.apiCalls.Load(); n != 100 {
		t.Errorf("%d API calls, want 100", n)
	}
	if c.TokenFetches() != 1 {
		t.Errorf("TokenFetches %d", c.TokenFetches())
	}
}

func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, statusComplete) })
	api.tokenTTL = 100
	c := api.client(t)
	src := credentialsSource(t, c)
	now := time.Now()
	src.now = func() time.Time { return now }
	ctx := context.Background()
	if _, err := c.GetSourceUsageStatus(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(80 * time.Second) // inside the lifetime, before the 10 s margin
	if _, err := c.GetSourceUsageStatus(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if n := api.tokens.Load(); n != 1 {
		t.Fatalf("token requests %d before the margin, want 1", n)
	}
	now = now.Add(11 * time.Second) // 91 s: within 10 s of expiry
	if _, err := c.GetSourceUsageStatus(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if n := api.tokens.Load(); n != 2 {
		t.Fatalf("token requests %d after the margin, want 2", n)
	}
}

func TestRefreshMargin(t *testing.T) {
	for lifetime, want := range map[time.Duration]time.Duration{
		749 * time.Second: time.Minute, 100 * time.Second: 10 * time.Second, time.Second: 100 * time.Millisecond, -time.Second: 0,
	} {
		if got := refreshMargin(lifetime); got != want {
			t.Errorf("refreshMargin(%v) = %v, want %v", lifetime, got, want)
		}
	}
}

func TestRevokedTokenIsReplacedOnce(t *testing.T) {
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, statusComplete) })
	c := api.client(t)
	ctx := context.Background()
	if _, err := c.GetSourceUsageStatus(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	api.mu.Lock()
	api.revoked[api.issued[0]] = true
	api.mu.Unlock()
	if _, err := c.GetSourceUsageStatus(ctx, "a"); err != nil {
		t.Fatalf("a revoked token must be replaced and the call retried: %v", err)
	}
	if n := api.tokens.Load(); n != 2 {
		t.Errorf("token requests %d, want 2", n)
	}
}

func TestPersistent401IsReportedAfterOneRefresh(t *testing.T) {
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, `{"error":"JWT validation failed: JWT is expired"}`)
	})
	c := api.client(t)
	_, err := c.GetSourceUsageStatus(context.Background(), "a")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || apiErr.Message() != "JWT validation failed: JWT is expired" {
		t.Fatalf("err = %v", err)
	}
	if api.tokens.Load() != 2 || api.apiCalls.Load() != 2 {
		t.Errorf("tokens %d, calls %d; want one refresh and one retry", api.tokens.Load(), api.apiCalls.Load())
	}
}

func TestStaticAccessToken(t *testing.T) {
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer given-token" {
			writeJSON(w, 401, `{"error":"JWT validation failed"}`)
			return
		}
		writeJSON(w, 200, statusComplete)
	})
	c := api.client(t, func(c *Config) { c.ClientID, c.ClientSecret, c.AccessToken = "", "", "given-token" })
	if _, err := c.GetSourceUsageStatus(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	if api.tokens.Load() != 0 {
		t.Error("a given access token must not trigger token requests")
	}
	bad := api.client(t, func(c *Config) { c.ClientID, c.ClientSecret, c.AccessToken = "", "", "expired-token" })
	_, err := bad.GetSourceUsageStatus(context.Background(), "a")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Fatalf("err = %v", err)
	}
	if api.apiCalls.Load() != 2 {
		t.Errorf("a rejected static token must not be retried: %d calls", api.apiCalls.Load())
	}
}

func TestRetries(t *testing.T) {
	dto := func(code int) string {
		return fmt.Sprintf(`{"detailCode":"%d.0 Fault","trackingId":"track-%d","messages":[{"locale":"en-US","localeOrigin":"DEFAULT","text":"fault %d"}]}`, code, code, code)
	}
	tests := []struct {
		name       string
		failures   int // how many calls fail before success
		code       int
		header     map[string]string
		body       string
		maxRetries int
		wantCalls  int32
		wantErr    string
	}{
		{name: "429 then success", failures: 2, code: 429, header: map[string]string{"Retry-After": "0"}, body: `{"message":" Rate Limit Exceeded "}`, maxRetries: 3, wantCalls: 3},
		{name: "500 burst", failures: 3, code: 500, body: dto(500), maxRetries: 3, wantCalls: 4},
		{name: "502 burst", failures: 2, code: 502, body: `<html>Bad Gateway</html>`, maxRetries: 3, wantCalls: 3},
		{name: "503 burst", failures: 1, code: 503, body: ``, maxRetries: 3, wantCalls: 2},
		{name: "504 burst", failures: 1, code: 504, body: ``, maxRetries: 3, wantCalls: 2},
		{name: "500 beyond retries shows the API error", failures: 99, code: 500, body: dto(500), maxRetries: 2, wantCalls: 3,
			wantErr: `HTTP 500 Internal Server Error after 3 attempts (detailCode "500.0 Fault", trackingId track-500): fault 500`},
		{name: "429 beyond retries", failures: 99, code: 429, header: map[string]string{"Retry-After": "0"}, body: `{"message":" Rate Limit Exceeded "}`, maxRetries: 1, wantCalls: 2,
			wantErr: "HTTP 429 Too Many Requests after 2 attempts: Rate Limit Exceeded"},
		{name: "no retries", failures: 99, code: 503, body: "down", maxRetries: 0, wantCalls: 1, wantErr: "HTTP 503 Service Unavailable: down"},
		{name: "404 is not retried", failures: 99, code: 404, body: dto(404), maxRetries: 3, wantCalls: 1, wantErr: "fault 404"},
		{name: "400 is not retried", failures: 99, code: 400, body: dto(400), maxRetries: 3, wantCalls: 1, wantErr: "HTTP 400 Bad Request"},
		{name: "403 is not retried", failures: 99, code: 403, body: dto(403), maxRetries: 3, wantCalls: 1, wantErr: "trackingId track-403"},
		{name: "501 is not retried", failures: 99, code: 501, body: "", maxRetries: 3, wantCalls: 1, wantErr: "HTTP 501"},
		{name: "Content-Encoding UTF-8 on a 4xx", failures: 99, code: 400, header: map[string]string{"Content-Encoding": "UTF-8"}, body: dto(400), maxRetries: 3, wantCalls: 1,
			wantErr: `(detailCode "400.0 Fault", trackingId track-400): fault 400`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
				if int(calls.Add(1)) <= tt.failures {
					for k, v := range tt.header {
						w.Header().Set(k, v)
					}
					w.WriteHeader(tt.code)
					_, _ = w.Write([]byte(tt.body))
					return
				}
				writeJSON(w, 200, statusComplete)
			})
			c := api.client(t, func(c *Config) { c.MaxRetries = tt.maxRetries })
			_, err := c.GetSourceUsageStatus(context.Background(), "a")
			checkErr(t, err, tt.wantErr)
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("calls %d, want %d", got, tt.wantCalls)
			}
		})
	}
}

func TestConnectionClosedMidBodyIsRetried(t *testing.T) {
	var calls atomic.Int32
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`[{"date":"2024-01-01",`))
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		writeJSON(w, 200, `[{"date":"2024-01-01","count":1}]`)
	})
	rows, err := api.client(t).ListSourceUsages(context.Background(), "a", UsagesOptions{})
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %v, err %v", rows, err)
	}
	if calls.Load() != 2 {
		t.Errorf("calls %d, want 2", calls.Load())
	}
}

func TestAttemptTimeout(t *testing.T) {
	var calls atomic.Int32
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c := api.client(t, func(c *Config) { c.RequestTimeout = 50 * time.Millisecond; c.MaxRetries = 1 })
	_, err := c.GetSourceUsageStatus(context.Background(), "a")
	var te *TransportError
	if !errors.As(err, &te) || !te.Timeout || te.Attempts != 2 {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(err.Error(), "no complete response within 50ms (request_timeout)") {
		t.Errorf("message %q", err)
	}
	if calls.Load() != 2 {
		t.Errorf("calls %d, want 2", calls.Load())
	}
}

func TestCancellationStopsAtOnce(t *testing.T) {
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "60")
		writeJSON(w, 429, `{"message":" Rate Limit Exceeded "}`)
	})
	c := api.client(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.GetSourceUsageStatus(ctx, "a")
		done <- err
	}()
	for api.apiCalls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the call kept waiting for Retry-After after cancellation")
	}
}

func TestTokenErrors(t *testing.T) {
	tests := []struct {
		name       string
		secret     string
		fail       func(w http.ResponseWriter) bool
		wantStatus int
		wantCode   string
		wantErr    string
		wantTokens int32
	}{
		{name: "invalid client", secret: "wrong", wantStatus: 401, wantCode: "invalid_client", wantErr: "invalid_client (Bad credentials)", wantTokens: 1},
		{name: "server error is retried", secret: testClientSecret, fail: func(w http.ResponseWriter) bool {
			writeJSON(w, 500, `{"detailCode":"500.0 Internal Fault"}`)
			return true
		}, wantStatus: 500, wantErr: "HTTP 500", wantTokens: 4},
		{name: "malformed token JSON", secret: testClientSecret, fail: func(w http.ResponseWriter) bool {
			writeJSON(w, 200, `{"access_token": "abc`)
			return true
		}, wantErr: "oauth2: cannot parse json", wantTokens: 1},
		{name: "no access token", secret: testClientSecret, fail: func(w http.ResponseWriter) bool {
			writeJSON(w, 200, `{"token_type":"bearer"}`)
			return true
		}, wantErr: "missing access_token", wantTokens: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, statusComplete) })
			api.tokenFail = tt.fail
			c := api.client(t, func(c *Config) { c.ClientSecret = tt.secret })
			_, err := c.GetSourceUsageStatus(context.Background(), "a")
			var te *TokenError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a TokenError", err)
			}
			checkErr(t, err, tt.wantErr)
			if te.StatusCode != tt.wantStatus || te.ErrorCode != tt.wantCode {
				t.Errorf("status %d code %q", te.StatusCode, te.ErrorCode)
			}
			if api.tokens.Load() != tt.wantTokens {
				t.Errorf("token requests %d, want %d", api.tokens.Load(), tt.wantTokens)
			}
			if api.apiCalls.Load() != 0 {
				t.Error("no API call may be made without a token")
			}
			if strings.Contains(err.Error(), tt.secret) {
				t.Error("the error repeats the client secret")
			}
		})
	}
}

func TestRedirectsAreRefused(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the redirect was followed, with Authorization %q", r.Header.Get("Authorization"))
	}))
	defer other.Close()
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
	})
	_, err := api.client(t).GetSourceUsageStatus(context.Background(), "a")
	checkErr(t, err, "redirect")
}

func TestConnectionRefused(t *testing.T) {
	var lc net.ListenConfig
	l, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	c, err := New(Config{BaseURL: "http://" + addr, AccessToken: "t", MaxRetries: 1, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetSourceUsageStatus(context.Background(), "a")
	var te *TransportError
	if !errors.As(err, &te) || te.Attempts != 2 || te.Timeout {
		t.Fatalf("err = %#v", err)
	}
	checkErr(t, err, "connection refused")
}

func TestListSourceUsagesPaging(t *testing.T) {
	const total = 612
	var queries []string
	var mu sync.Mutex
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		mu.Lock()
		queries = append(queries, r.URL.RawQuery)
		mu.Unlock()
		var limit, offset int
		_, _ = fmt.Sscan(q.Get("limit"), &limit)
		_, _ = fmt.Sscan(q.Get("offset"), &offset)
		if q.Get("count") == "true" {
			w.Header().Set("X-Total-Count", fmt.Sprint(total))
		}
		var rows []string
		for i := offset; i < min(offset+limit, total); i++ {
			rows = append(rows, fmt.Sprintf(`{"date":"2024-01-01","count":%d.25}`, i))
		}
		writeJSON(w, 200, "["+strings.Join(rows, ",")+"]")
	})
	rows, err := api.client(t).ListSourceUsages(context.Background(), "a", UsagesOptions{Sorters: "-date"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != total {
		t.Fatalf("%d rows, want %d", len(rows), total)
	}
	for i, r := range rows {
		if r.Count.String() != fmt.Sprintf("%d.25", i) {
			t.Fatalf("row %d has count %s", i, r.Count)
		}
	}
	want := []string{"count=true&limit=250&offset=0&sorters=-date", "limit=250&offset=250&sorters=-date", "limit=250&offset=500&sorters=-date"}
	if fmt.Sprint(queries) != fmt.Sprint(want) {
		t.Errorf("queries %v, want %v", queries, want)
	}
}

func TestDecodeErrorNamesTheCall(t *testing.T) {
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, ``) })
	_, err := api.client(t).GetSourceUsageStatus(context.Background(), "a")
	var de *DecodeError
	if !errors.As(err, &de) || de.Path != "/v3/source-usages/a/status" {
		t.Fatalf("err = %v", err)
	}
	checkErr(t, err, "(empty body)")
}

// TestLogsNeverCarrySecrets runs calls with every kind of outcome and checks the log lines:
// the client secret and the issued tokens never appear; Authorization is redacted.
func TestLogsNeverCarrySecrets(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	t.Setenv("TF_LOG_PROVIDER_SAILPOINT_HTTP", "TRACE")
	var calls atomic.Int32
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			writeJSON(w, 500, `{"detailCode":"500.0 Internal Fault"}`)
		case 2:
			writeJSON(w, 401, `{"error":"JWT validation failed"}`)
		default:
			writeJSON(w, 200, statusComplete)
		}
	})
	c := api.client(t)
	if _, err := c.GetSourceUsageStatus(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	logs := buf.String()
	if !strings.Contains(logs, `"path":"/v3/source-usages/a/status"`) || !strings.Contains(logs, `"status":500`) {
		t.Fatalf("expected request lines in the log:\n%s", logs)
	}
	if !strings.Contains(logs, `"Authorization":"[REDACTED]"`) {
		t.Errorf("Authorization header not shown redacted:\n%s", logs)
	}
	secrets := append([]string{testClientSecret}, api.issued...)
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("log contains secret %q", s)
		}
	}
}

// A 2xx body that is not JSON at all is retried like a 5xx; if it never heals, the error
// shows what came back.
func TestInvalidBodyIsRetried(t *testing.T) {
	tests := []struct {
		name      string
		bad       string
		failures  int32
		wantCalls int32
		wantErr   string
	}{
		{name: "truncated once", bad: `[{"date":"2024-01-01","cou`, failures: 1, wantCalls: 2},
		{name: "empty twice", bad: ``, failures: 2, wantCalls: 3},
		{name: "garbage for good", bad: `<html>proxy error</html>`, failures: 99, wantCalls: 4,
			wantErr: "the response could not be read on each of 4 attempts: invalid JSON at byte 1"},
		{name: "empty for good", bad: ``, failures: 99, wantCalls: 4, wantErr: "the body is empty; the body began: (empty body)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) <= tt.failures {
					writeJSON(w, 200, tt.bad)
					return
				}
				writeJSON(w, 200, `[{"date":"2024-01-01","count":1}]`)
			})
			rows, err := api.client(t).ListSourceUsages(context.Background(), "a", UsagesOptions{})
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == "" && len(rows) != 1 {
				t.Errorf("rows %v", rows)
			}
			var de *DecodeError
			if tt.wantErr != "" && (!errors.As(err, &de) || de.Attempts != int(tt.wantCalls)) {
				t.Errorf("err %#v", err)
			}
			if calls.Load() != tt.wantCalls {
				t.Errorf("calls %d, want %d", calls.Load(), tt.wantCalls)
			}
		})
	}
}

// Well-formed JSON of the wrong shape is the API's answer, not a glitch: no retry.
func TestWrongShapeIsNotRetried(t *testing.T) {
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"status":"COMPLETE"}`) })
	_, err := api.client(t).ListSourceUsages(context.Background(), "a", UsagesOptions{})
	checkErr(t, err, "expected an array, got an object")
	if api.apiCalls.Load() != 1 {
		t.Errorf("calls %d", api.apiCalls.Load())
	}
}

// Reads that wait on a failing token request share its error: one token request for all.
func TestTokenFailureIsShared(t *testing.T) {
	api := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, statusComplete) })
	release := make(chan struct{})
	api.tokenFail = func(w http.ResponseWriter) bool {
		<-release // hold the first fetch until every reader waits on it
		return false
	}
	c := api.client(t, func(c *Config) { c.ClientSecret = "wrong" })
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, errs[i] = c.GetSourceUsageStatus(context.Background(), "a")
		}(i)
	}
	// One reader fetches; wait until the 19 others queue behind it.
	src := credentialsSource(t, c)
	for api.tokens.Load() == 0 || src.waiters.Load() < 19 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	for i, err := range errs {
		var te *TokenError
		if !errors.As(err, &te) || te.ErrorCode != "invalid_client" {
			t.Fatalf("reader %d: %v", i, err)
		}
	}
	if n := api.tokens.Load(); n != 1 {
		t.Errorf("%d token requests for 20 readers of one failing fetch, want 1", n)
	}
	// A later read tries again: the failure is not remembered beyond the readers that waited.
	if _, err := c.GetSourceUsageStatus(context.Background(), "a"); err == nil {
		t.Fatal("want the error again")
	}
	if n := api.tokens.Load(); n != 2 {
		t.Errorf("a later read must fetch again: %d token requests", n)
	}
}

func credentialsSource(t *testing.T, c *Client) *clientCredentialsSource {
	t.Helper()
	src, ok := c.tokens.(*clientCredentialsSource)
	if !ok {
		t.Fatalf("token source is %T", c.tokens)
	}
	return src
}
