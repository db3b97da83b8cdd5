package fakeisc

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Tenant is a fake ISC tenant. It implements http.Handler and is safe for concurrent
// use; build one with New.
type Tenant struct {
	now func() time.Time

	// mu guards everything below. Handlers hold it only to read or update state, never
	// while writing a response or sleeping, so a slow client cannot stall the others.
	mu       sync.Mutex
	clients  map[string]string     // client id → secret
	sources  map[string]Source     // by id; values are never changed in place
	tokens   map[string]*tokenInfo // by access token
	tokenTTL time.Duration
	limiter  rateLimiter
	faults   []*armedFault
	log      []*Request // entries are filled in when their answer is complete
	counts   counters
	// gen changes on every Reset, so a request that began before a Reset neither writes
	// into the new log nor counts in the new Stats.
	gen uint64
	// inFlight counts requests being answered; idle is closed whenever it is zero.
	inFlight int
	idle     chan struct{}
}

// New returns a tenant configured by opts. Without options it has one client
// (DefaultClientID, DefaultClientSecret), no sources, tokens that last DefaultTokenTTL
// and no rate limit.
func New(opts ...Option) *Tenant {
	cfg := config{tokenTTL: DefaultTokenTTL, now: time.Now}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if len(cfg.clients) == 0 {
		cfg.clients = map[string]string{DefaultClientID: DefaultClientSecret}
	}
	t := &Tenant{
		now:      cfg.now,
		clients:  cfg.clients,
		sources:  make(map[string]Source, len(cfg.sources)),
		tokens:   make(map[string]*tokenInfo),
		tokenTTL: cfg.tokenTTL,
		limiter:  newRateLimiter(cfg.rateLimit, cfg.rateWindow),
		idle:     make(chan struct{}),
	}
	close(t.idle)
	for _, s := range cfg.sources {
		t.sources[s.ID] = s.clone()
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

// DeleteSource removes the source with the given id, if any: later calls for it answer
// 404, as they would after the source was deleted in ISC.
func (t *Tenant) DeleteSource(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.sources, id)
}

// source returns the source with the given id. The result shares its Usages with the
// tenant, which is safe because stored sources are never changed in place.
func (t *Tenant) source(id string) (Source, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.sources[id]
	return s, ok
}

// SetTokenTTL sets the lifetime of tokens issued from now on; d <= 0 restores
// DefaultTokenTTL. Tokens already issued keep the lifetime they were issued with.
func (t *Tenant) SetTokenTTL(d time.Duration) {
	if d <= 0 {
		d = DefaultTokenTTL
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.tokenTTL = d
}

// SetRateLimit changes the rate limit as WithRateLimit describes. Requests already
// admitted stay in the window.
func (t *Tenant) SetRateLimit(n int, window time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.limiter.configure(n, window)
}

// Reset clears the request log, the Stats counters, the faults and the rate limiter's
// windows, so that one tenant can serve several tests in turn. Sources, clients and
// tokens are kept.
func (t *Tenant) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.log = nil
	t.counts = counters{}
	t.faults = nil
	t.limiter.clear()
	t.gen++
}

// ServeHTTP answers one request: the ISC routes (POST /oauth/token and the Source Usages
// operations in every version form, see Versions) and the fake's admin endpoints, which
// need no token and do not count as API requests:
//
//	GET  /__fake/stats          Stats as JSON
//	GET  /__fake/requests       the request log as JSON (tokens left out)
//	POST /__fake/reset          Reset
//	POST /__fake/revoke-tokens  RevokeTokens
//
// Anything else is answered 404 with an ErrorResponseDto.
func (t *Tenant) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt := parseRoute(r.URL.EscapedPath())
	ex := t.begin(r, rt)
	sw := &statusWriter{ResponseWriter: w}
	defer t.finish(ex, sw, r)

	switch rt.op {
	case OpToken:
		t.serveToken(sw, r, ex)
	case OpStatus, OpSummaries:
		t.serveAPI(sw, r, rt, ex)
	case OpAdmin:
		t.serveAdmin(sw, r, rt.admin)
	default:
		writeErrorDto(sw, http.StatusNotFound, detailNotFound, "No resource found at "+r.URL.EscapedPath())
	}
}

// WaitIdle waits until no request is being answered, or ctx is done. A client can see
// the end of an answer (an EOF from CloseMidBody, say) a moment before the tenant has
// logged it; tests that inspect Requests or Stats right after such a fault wait here.
func (t *Tenant) WaitIdle(ctx context.Context) error {
	t.mu.Lock()
	idle := t.idle
	t.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
