package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestOneTokenForConcurrentReads(t *testing.T) {
	isc := newTestISC(t, okStatus)
	c := isc.client(t)
	readConcurrently(t, c, 100)
	if n := isc.tokenCalls.Load(); n != 1 {
		t.Errorf("%d token requests for 100 concurrent reads, want 1", n)
	}
	if n := isc.apiCalls.Load(); n != 100 {
		t.Errorf("%d API calls, want 100", n)
	}
}

// fakeClock replaces the token cache's clock.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	calls atomic.Int32
}

func useFakeClock(c *Client, start time.Time) *fakeClock {
	clock := &fakeClock{now: start}
	c.tokens.mu.Lock()
	defer c.tokens.mu.Unlock()
	c.tokens.now = func() time.Time {
		clock.calls.Add(1)
		clock.mu.Lock()
		defer clock.mu.Unlock()
		return clock.now
	}
	return clock
}

func (f *fakeClock) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	isc := newTestISC(t, okStatus, withTokenTTL(100)) // replaced 10 s before it expires
	c := isc.client(t)
	clock := useFakeClock(c, time.Now())
	read := func() {
		t.Helper()
		if _, err := c.GetSourceUsageStatus(t.Context(), "a"); err != nil {
			t.Fatal(err)
		}
	}
	read()
	clock.advance(89 * time.Second)
	read()
	if n := isc.tokenCalls.Load(); n != 1 {
		t.Fatalf("%d token requests before the margin, want 1", n)
	}
	clock.advance(2 * time.Second) // 91 s: within 10 s of expiry
	read()
	if n := isc.tokenCalls.Load(); n != 2 {
		t.Fatalf("%d token requests after the margin, want 2", n)
	}
	reqs, toks := isc.apiRequests(), isc.issuedTokens()
	if got := reqs[2].header.Get("Authorization"); got != "Bearer "+toks[1] {
		t.Errorf("the read after the margin sent %q, want the new token", got)
	}
}

// A token answer without expires_in is kept until the API rejects it.
func TestTokenWithoutExpiryIsKept(t *testing.T) {
	isc := newTestISC(t, okStatus, withTokenTTL(0))
	c := isc.client(t)
	clock := useFakeClock(c, time.Now())
	for range 3 {
		if _, err := c.GetSourceUsageStatus(t.Context(), "a"); err != nil {
			t.Fatal(err)
		}
		clock.advance(24 * time.Hour)
	}
	if n := isc.tokenCalls.Load(); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}

func TestRefreshMargin(t *testing.T) {
	for _, tt := range []struct{ lifetime, want time.Duration }{
		{749 * time.Second, time.Minute},
		{100 * time.Second, 10 * time.Second},
		{2 * time.Second, 200 * time.Millisecond},
		{time.Second, 100 * time.Millisecond},
		{0, 0},
		{-time.Second, 0},
	} {
		if got := refreshMargin(tt.lifetime); got != tt.want {
			t.Errorf("refreshMargin(%v) = %v, want %v", tt.lifetime, got, tt.want)
		}
	}
}

// A given access token is sent as is, never refreshed, and a 401 is not tried again.
func TestStaticAccessToken(t *testing.T) {
	isc := newTestISC(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer given-token" {
			writeJSON(w, http.StatusUnauthorized, `{"error":"JWT validation failed"}`)
			return
		}
		okStatus(w, r)
	})
	good := isc.client(t, withAccessToken("given-token"))
	clock := useFakeClock(good, time.Now())
	for range 2 {
		if _, err := good.GetSourceUsageStatus(t.Context(), "a"); err != nil {
			t.Fatal(err)
		}
		clock.advance(24 * time.Hour)
	}
	if !good.UsesAccessToken() || isc.tokenCalls.Load() != 0 {
		t.Errorf("UsesAccessToken %v, %d token requests", good.UsesAccessToken(), isc.tokenCalls.Load())
	}
	bad := isc.client(t, withAccessToken("expired-token"))
	_, err := bad.GetSourceUsageStatus(t.Context(), "a")
	e := asError(t, err)
	if e.Kind != KindStatus || e.StatusCode != 401 || e.Attempts != 1 {
		t.Fatalf("got %#v", e)
	}
	if n := isc.apiCalls.Load(); n != 3 {
		t.Errorf("%d API calls, want 3: a rejected given token must not be tried again", n)
	}
	if n := isc.tokenCalls.Load(); n != 0 {
		t.Errorf("%d token requests with a given access token, want 0", n)
	}
}

func TestTokenErrors(t *testing.T) {
	const leaked = "tok-LEAKED-0123456789" // a token in an answer the client cannot read
	respond := func(code int, body string) func(w http.ResponseWriter, r *http.Request) bool {
		return func(w http.ResponseWriter, _ *http.Request) bool {
			if code == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "0")
			}
			writeJSON(w, code, body)
			return true
		}
	}
	tests := []struct {
		name       string
		secret     string
		hook       func(w http.ResponseWriter, r *http.Request) bool
		wantKind   Kind
		wantStatus int
		wantCode   string // the OAuth error code
		wantText   string // a part of Error()
		wantTokens int32
	}{
		{name: "401 invalid_client is final", secret: "wrong", wantKind: KindStatus, wantStatus: 401, wantCode: "invalid_client",
			wantText: "HTTP status: 401 Unauthorized; error: invalid_client; Message: Bad credentials", wantTokens: 1},
		{name: "400 invalid_request is final", hook: respond(400, `{"error":"invalid_request","error_description":"grant_type is missing"}`),
			wantKind: KindStatus, wantStatus: 400, wantCode: "invalid_request", wantText: "error: invalid_request; Message: grant_type is missing", wantTokens: 1},
		{name: "500 is retried", hook: respond(500, `{"detailCode":"500.0 Internal Fault"}`),
			wantKind: KindStatus, wantStatus: 500, wantCode: "500.0 Internal Fault", wantText: "HTTP status: 500 Internal Server Error (after 4 attempts)", wantTokens: 4},
		{name: "429 is retried", hook: respond(429, rateLimited),
			wantKind: KindStatus, wantStatus: 429, wantText: "Message: Rate Limit Exceeded; Retry-After: 0", wantTokens: 4},
		{name: "malformed JSON is retried then reported", hook: respond(200, `{"access_token": "`+leaked),
			wantKind: KindDecode, wantStatus: 200, wantText: "HTTP status: 200 OK (after 4 attempts); Error: the JSON ends early (the body was cut off); Body: (not shown: a token answer may hold a token)", wantTokens: 4},
		{name: "a form-encoded answer is retried like a non-JSON answer from the API", hook: respond(200, "access_token="+leaked+"&token_type=bearer&expires_in=749"),
			wantKind: KindDecode, wantStatus: 200, wantText: "Body: (not shown: a token answer may hold a token)", wantTokens: 4},
		{name: "an empty answer is retried", hook: respond(200, ""),
			wantKind: KindDecode, wantStatus: 200, wantText: "HTTP status: 200 OK (after 4 attempts); Error: the body is empty; Body: (not shown", wantTokens: 4},
		{name: "no access token", hook: respond(200, `{"token_type":"bearer","expires_in":749}`),
			wantKind: KindDecode, wantText: "Error: the answer has no access_token", wantTokens: 1},
		{name: "an array", hook: respond(200, `[{"access_token":"`+leaked+`"}]`),
			wantKind: KindDecode, wantText: "Error: expected an object, got an array", wantTokens: 1},
		{name: "a null access token", hook: respond(200, `{"access_token":null}`),
			wantKind: KindDecode, wantText: "the answer has no access_token", wantTokens: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isc := newTestISC(t, okStatus, withTokenHook(tt.hook))
			secret := testClientSecret
			if tt.secret != "" {
				secret = tt.secret
			}
			c := isc.client(t, func(c *Config) { c.ClientSecret = secret })
			_, err := c.GetSourceUsageStatus(t.Context(), "a")
			e := asError(t, err)
			if e.Op != OpToken || e.Kind != tt.wantKind || e.StatusCode != tt.wantStatus || e.DetailCode != tt.wantCode ||
				e.Method != http.MethodPost || e.Target != isc.srv.URL+"/oauth/token" {
				t.Errorf("got %#v", e)
			}
			checkErr(t, err, tt.wantText)
			if n := isc.tokenCalls.Load(); n != tt.wantTokens {
				t.Errorf("%d token requests, want %d", n, tt.wantTokens)
			}
			if n := isc.apiCalls.Load(); n != 0 {
				t.Errorf("%d API calls without a token, want 0", n)
			}
			for _, s := range []string{secret, leaked} {
				if strings.Contains(err.Error(), s) || strings.Contains(fmt.Sprintf("%#v", e), s) {
					t.Errorf("the error shows %q: %v", s, err)
				}
			}
		})
	}
}

// TestTokenEndpointNonJSONIsRetriedThenHeals: a non-JSON 2xx from the token endpoint is a
// glitch, as from the API; the next answer is used.
func TestTokenEndpointNonJSONIsRetriedThenHeals(t *testing.T) {
	var n atomic.Int32
	isc := newTestISC(t, okStatus, withTokenHook(func(w http.ResponseWriter, _ *http.Request) bool {
		if n.Add(1) <= 2 {
			writeJSON(w, http.StatusOK, "<html>maintenance</html>")
			return true
		}
		return false
	}))
	if _, err := isc.client(t).GetSourceUsageStatus(t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	if got := isc.tokenCalls.Load(); got != 3 {
		t.Errorf("%d token requests, want 3", got)
	}
}

func TestCustomTokenURL(t *testing.T) {
	isc := newTestISC(t, okStatus)
	c := isc.client(t, func(c *Config) { c.TokenURL = isc.srv.URL + "/sso/oauth/token" })
	if _, err := c.GetSourceUsageStatus(t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	reqs := isc.tokenRequests()
	if len(reqs) != 1 || reqs[0].path != "/sso/oauth/token" {
		t.Errorf("token requests %+v, want one to /sso/oauth/token", reqs)
	}
}

// expireToken puts an expired token in the cache, so that the next reads replace it, each
// looking at the fake clock once before it queues for the fetch.
func expireToken(c *Client) *fakeClock {
	start := time.Now()
	clock := useFakeClock(c, start.Add(time.Hour))
	c.tokens.mu.Lock()
	defer c.tokens.mu.Unlock()
	c.tokens.token, c.tokens.refreshAt = "expired-token", start
	return clock
}

// Reads that wait on a failing token request share its error: with a wrong secret, one token
// request for all of them.
func TestTokenFailureIsShared(t *testing.T) {
	const readers = 20
	release := make(chan struct{})
	isc := newTestISC(t, okStatus, withTokenHook(func(http.ResponseWriter, *http.Request) bool {
		<-release // hold the fetch until every reader waits on it
		return false
	}))
	var releaseOnce sync.Once
	unblock := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(unblock) // before the server closes, should the test end early
	c := isc.client(t, func(c *Config) { c.ClientSecret = "wrong" })
	clock := expireToken(c)
	var wg sync.WaitGroup
	errs := make([]error, readers)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.GetSourceUsageStatus(t.Context(), "a") })
	}
	// Each reader looks at the clock once before it queues, and the fetching one once more
	// after it takes the fetch: readers+1 looks with the fetch under way means every reader
	// is queued behind it.
	waitFor(t, "every reader to queue", func() bool { return isc.tokenCalls.Load() == 1 && clock.calls.Load() >= readers+1 })
	unblock()
	wg.Wait()
	for i, err := range errs {
		e := asError(t, err)
		if e.Op != OpToken || e.DetailCode != "invalid_client" {
			t.Fatalf("reader %d: %v", i, err)
		}
	}
	if n := isc.tokenCalls.Load(); n != 1 {
		t.Errorf("%d token requests for %d readers of one failing fetch, want 1", n, readers)
	}
	if n := isc.apiCalls.Load(); n != 0 {
		t.Errorf("%d API calls", n)
	}
	// A later read tries again: the failure is not remembered beyond the readers that waited.
	if _, err := c.GetSourceUsageStatus(t.Context(), "a"); err == nil {
		t.Fatal("want the error again")
	}
	if n := isc.tokenCalls.Load(); n != 2 {
		t.Errorf("a later read must fetch again: %d token requests", n)
	}
}

// A reader cancelled while it fetches the token does not pass its cancellation on to the
// readers waiting for that token: the next one fetches.
func TestCancelledTokenFetchDoesNotFailWaiters(t *testing.T) {
	var n atomic.Int32
	isc := newTestISC(t, okStatus, withTokenHook(func(_ http.ResponseWriter, r *http.Request) bool {
		if n.Add(1) == 1 {
			<-r.Context().Done() // the first fetch hangs until its reader gives up
			return true
		}
		return false
	}))
	c := isc.client(t)
	clock := expireToken(c)
	ctxA, cancelA := context.WithCancel(t.Context())
	defer cancelA()
	doneA, doneB := make(chan error, 1), make(chan error, 1)
	go func() { _, err := c.GetSourceUsageStatus(ctxA, "a"); doneA <- err }()
	waitFor(t, "reader a to fetch", func() bool { return isc.tokenCalls.Load() == 1 })
	go func() { _, err := c.GetSourceUsageStatus(t.Context(), "b"); doneB <- err }()
	waitFor(t, "reader b to queue", func() bool { return clock.calls.Load() >= 3 })
	cancelA()
	if err := result(t, doneA, "reader a"); !errors.Is(err, context.Canceled) {
		t.Fatalf("reader a: %v, want context.Canceled", err)
	}
	if err := result(t, doneB, "reader b"); err != nil {
		t.Fatalf("reader b: %v", err)
	}
	if got := isc.tokenCalls.Load(); got != 2 {
		t.Errorf("%d token requests, want 2", got)
	}
}

// Token requests do not spend the API's pacing budget: at 0.01 requests per second, the first
// read still needs only its own slot. If the token request were paced, the read would wait
// 100 s and hit the deadline.
func TestTokenRequestsAreNotPaced(t *testing.T) {
	isc := newTestISC(t, okStatus)
	c := isc.client(t, func(c *Config) { c.RequestsPerSecond = 0.01 })
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if _, err := c.GetSourceUsageStatus(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if isc.tokenCalls.Load() != 1 || isc.apiCalls.Load() != 1 {
		t.Errorf("%d token requests, %d API calls", isc.tokenCalls.Load(), isc.apiCalls.Load())
	}
}
