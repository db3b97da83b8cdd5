// Package fakeisc is an in-process fake of the part of SailPoint Identity Security Cloud
// (ISC) that this provider talks to: the OAuth 2.0 client-credentials token endpoint and
// the Sources, Source Usages, Accounts and Account Usages APIs, in every version form a
// real tenant serves.
//
// Unit tests, acceptance tests, the demo and the benchmark all run against it, so it
// behaves as shared/api/NOTES.md and the official OpenAPI spec describe, awkward parts
// included: paging, sorting, filters, rate limiting, token expiry and revocation, and
// broken responses injected as faults. Its conformance test validates every kind of answer
// against the spec. A Tenant is an http.Handler and is safe for concurrent use:
//
//	tenant := fakeisc.New(fakeisc.WithDemoSources())
//	srv := httptest.NewServer(tenant)
//	defer srv.Close()
//	// point the client at srv.URL with DefaultClientID and DefaultClientSecret
package fakeisc

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of a Tenant.
const (
	// DefaultClientID is the client id every tenant registers, with DefaultClientSecret,
	// which is published so that every test and script can use it.
	DefaultClientID     = "fake-client-id"
	DefaultClientSecret = "fake-client-secret-do-not-use" //nolint:gosec // a published fake credential
	// DefaultTokenTTL is the lifetime of an access token: 749 s, as SailPoint documents.
	DefaultTokenTTL = 749 * time.Second
	// rateWindow is the rate limit's window when none is configured: ISC allows 100
	// requests per access token in any 10 seconds.
	rateWindow = 10 * time.Second
)

// Op names, as recorded in Request.Op and matched by Fault.WithOp.
const (
	OpToken         = "token"             // POST /oauth/token
	OpListSources   = "sources"           // GET .../sources
	OpGetSource     = "source"            // GET .../sources/{id}
	OpStatus        = "status"            // GET .../source-usages/{sourceId}/status
	OpSummaries     = "summaries"         // GET .../source-usages/{sourceId}/summaries
	OpListAccounts  = "accounts"          // GET .../accounts
	OpGetAccount    = "account"           // GET .../accounts/{id}
	OpAccountUsages = "account-summaries" // GET .../account-usages/{accountId}/summaries
	OpUnknown       = "unknown"           // anything else: answered 404
)

// Tenant is a fake ISC tenant; build one with New.
type Tenant struct {
	// now and unstableTies (WithUnstableTies) do not change after New.
	now          func() time.Time
	unstableTies bool

	// mu guards everything below. Handlers hold it only to read or update state, never
	// while writing a response or sleeping, so a slow client cannot stall the others.
	mu        sync.Mutex
	clients   map[string]string     // client id → secret
	subadmins map[string]bool       // client ids whose identity is a SOURCE_SUBADMIN
	sources   map[string]Source     // by id; values are never changed in place
	accounts  map[string]Account    // by id; values are never changed in place
	tokens    map[string]*tokenInfo // by access token
	tokenTTL  time.Duration
	limit     int                    // API requests per token per window; 0: no limit
	window    time.Duration          // of the limiter and of Stats.MaxInWindow
	admitted  map[string][]time.Time // by token: admission times within the window
	faults    []*armedFault
	log       []*Request // entries are filled in when their answer is complete
	counts    Stats      // all but MaxInWindow, which is computed from the log
	// gen changes on every Reset, so a request that began before a Reset neither writes
	// into the new log nor counts in the new Stats.
	gen uint64
}

// Option configures a Tenant built by New. Options apply in order.
type Option func(*Tenant)

// WithSourceSubadmin registers one more API client (a client id and its secret), whose identity has the
// SOURCE_SUBADMIN user level: its source lists without for-subadmin answer 403.
func WithSourceSubadmin(id, secret string) Option {
	return func(t *Tenant) {
		t.clients[id] = secret
		t.subadmins[id] = true
	}
}

// WithTokenTTL sets the lifetime of the access tokens the tenant issues. Short lifetimes
// such as 1s test refresh; d <= 0 keeps DefaultTokenTTL.
func WithTokenTTL(d time.Duration) Option {
	return func(t *Tenant) {
		if d > 0 {
			t.tokenTTL = d
		}
	}
}

// WithRateLimit allows at most n API requests per access token in any sliding window of
// the given length, as ISC does (100 per 10 s); the next one is answered 429 with a
// Retry-After header. n = 0 turns the limiter off (the default). A window <= 0 means 10 s.
// The window also sets the span Stats.MaxInWindow measures, even with the limiter off.
func WithRateLimit(n int, window time.Duration) Option {
	return func(t *Tenant) {
		t.limit = max(n, 0)
		if window > 0 {
			t.window = window
		}
	}
}

// WithUnstableTies makes the source and account lists order the rows their sorters tie on
// differently for each offset, unless id is one of the sorters: a client that pages by
// offset through a list sorted by type alone then sees some sources twice and misses
// others, as it may on a real tenant, while one that sorts by type,id sees each once.
// Lists without sorters stay in id order.
func WithUnstableTies() Option {
	return func(t *Tenant) { t.unstableTies = true }
}

// WithSources adds sources, as PutSource would.
func WithSources(srcs ...Source) Option {
	return func(t *Tenant) {
		for _, s := range srcs {
			t.sources[s.ID] = s.clone()
		}
	}
}

// withClock makes the tenant read the time from now instead of time.Now, so tests can
// expire tokens and move rate windows without sleeping. Delay faults still sleep in real
// time.
func withClock(now func() time.Time) Option {
	return func(t *Tenant) { t.now = now }
}

// New returns a tenant configured by opts. Without options it has one client, no
// sources or accounts, tokens that last DefaultTokenTTL and no rate limit.
func New(opts ...Option) *Tenant {
	t := &Tenant{
		now:       time.Now,
		clients:   map[string]string{DefaultClientID: DefaultClientSecret},
		subadmins: make(map[string]bool),
		sources:   make(map[string]Source),
		accounts:  make(map[string]Account),
		tokens:    make(map[string]*tokenInfo),
		tokenTTL:  DefaultTokenTTL,
		window:    rateWindow,
		counts:    Stats{ByStatus: map[int]int{}},
	}
	for _, opt := range opts {
		opt(t)
	}
	return t
}

// PutSource adds s, or replaces the source with the same ID. The tenant keeps its own
// copy, so the caller may reuse s.
func (t *Tenant) PutSource(s Source) {
	s = s.clone()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sources[s.ID] = s
}

// Reset clears the request log, the Stats counters, the faults and the rate limiter's
// windows, so that one tenant can serve several tests in turn. Sources, accounts, clients
// and tokens are kept.
func (t *Tenant) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.log = nil
	t.counts = Stats{ByStatus: map[int]int{}}
	t.faults = nil
	t.admitted = nil
	t.gen++
}

// ServeHTTP answers one request: POST /oauth/token and the API operations in every
// version form (see versions). Anything else is answered 404 with an ErrorResponseDto.
func (t *Tenant) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt := parseRoute(r.URL.EscapedPath())
	ex := t.begin(r, rt)
	sw := &statusWriter{ResponseWriter: w}
	defer t.finish(ex, sw, r)

	switch rt.op {
	case OpToken:
		t.serveToken(sw, r, ex)
	case OpUnknown:
		writeErrorDto(sw, http.StatusNotFound, detailNotFound, "No resource found at "+r.URL.EscapedPath())
	default:
		t.serveAPI(sw, r, rt, ex)
	}
}

// versions are the API versions the fake serves: /{version}/{service}... for all but
// "v1", the per-service form /{service}/v1... that the newest SDKs call.
var versions = []string{"v3", "beta", "v2024", "v2025", "v2026", "v1"}

// routes maps the path after the version, with its id written {id}, onto an operation.
var routes = map[string]string{
	"sources": OpListSources, "sources/{id}": OpGetSource,
	"source-usages/{id}/status": OpStatus, "source-usages/{id}/summaries": OpSummaries,
	"accounts": OpListAccounts, "accounts/{id}": OpGetAccount, "account-usages/{id}/summaries": OpAccountUsages,
}

// route is what a request path names.
type route struct {
	op        string
	version   string // "" for token and unknown
	sourceID  string // percent-decoded; "" unless the op names a source
	accountID string // percent-decoded; "" unless the op names an account
}

// parseRoute maps an escaped path onto a route. It works on the escaped form so that an
// id is exactly one raw path segment: a%2Fb is the id "a/b", never two segments, and
// ".." is an id like any other rather than a step up (the real gateway does not clean
// paths either, and a client that fails to escape ids should see a 404, not luck).
func parseRoute(escapedPath string) route {
	if escapedPath == "/oauth/token" {
		return route{op: OpToken}
	}
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	perService := len(segs) > 1 && segs[1] == "v1"
	if perService {
		segs[0], segs[1] = segs[1], segs[0] // service, then version: make it version, service
	}
	if len(segs) < 2 || perService != (segs[0] == "v1") || !slices.Contains(versions, segs[0]) {
		return route{op: OpUnknown}
	}
	version, rest, id := segs[0], segs[1:], ""
	if len(rest) > 1 {
		id, rest[1] = rest[1], "{id}"
	}
	op, ok := routes[strings.Join(rest, "/")]
	if !ok {
		return route{op: OpUnknown}
	}
	rt := route{op: op, version: version}
	if len(rest) == 1 {
		return rt
	}
	id, err := url.PathUnescape(id)
	if err != nil || id == "" {
		return route{op: OpUnknown}
	}
	if strings.HasPrefix(rest[0], "account") {
		rt.accountID = id
	} else {
		rt.sourceID = id
	}
	return rt
}

// serveAPI answers an API call. The checks run in the gateway's order: method, bearer
// token, rate limit; then faults; then the operation itself.
func (t *Tenant) serveAPI(w http.ResponseWriter, r *http.Request, rt route, ex *exchange) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeErrorDto(w, http.StatusMethodNotAllowed, detailMethod,
			"Request method '"+r.Method+"' is not supported. Supported methods: GET")
		return
	}
	header := r.Header.Get("Authorization")
	ex.rec.Token, _ = bearerToken(header)
	t.mu.Lock()
	clientID, reason := t.authenticateLocked(header)
	retryAfter := 0
	if reason == "" {
		retryAfter = t.admitLocked(ex.rec.Token)
	}
	t.mu.Unlock()

	ex.rec.ClientID = clientID
	switch {
	case reason != "":
		writeUnauthorized(w, reason)
		return
	case retryAfter > 0:
		ex.rateLimited = true
		writeRateLimited(w, strconv.Itoa(retryAfter))
		return
	}

	serve := func(w http.ResponseWriter) { t.serveUsages(w, r, rt) }
	switch rt.op {
	case OpListSources, OpGetSource:
		serve = func(w http.ResponseWriter) { t.serveSources(w, r, rt, clientID) }
	case OpListAccounts, OpGetAccount, OpAccountUsages:
		serve = func(w http.ResponseWriter) { t.serveAccounts(w, r, rt) }
	}
	if f := t.matchFault(rt, offsetOf(r.URL.Query())); f != nil {
		ex.rec.Fault = f.Name
		f.act(w, r, rt.op, serve)
		return
	}
	serve(w)
}

// admitLocked takes a rate-limit slot for token, or, when its window is full, returns the
// seconds until the oldest slot frees, rounded up so the client does not come back too
// early. Rejected requests take no slot, so a client that waits as told always gets
// through. t.mu must be held.
func (t *Tenant) admitLocked(token string) (retryAfter int) {
	if t.limit <= 0 {
		return 0
	}
	now := t.now()
	times := t.admitted[token]
	for len(times) > 0 && now.Sub(times[0]) >= t.window {
		times = times[1:]
	}
	if t.admitted == nil {
		t.admitted = make(map[string][]time.Time)
	}
	if len(times) >= t.limit {
		t.admitted[token] = times
		return int((times[0].Add(t.window).Sub(now) + time.Second - 1) / time.Second)
	}
	t.admitted[token] = append(times, now)
	return 0
}
