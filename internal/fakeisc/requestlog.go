package fakeisc

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Request is one entry of the request log: what a client sent and what the fake answered.
// Tests use it to check what a client did (which paths, how it escaped ids, whether it
// paged, whether it leaked credentials) without instrumenting the client.
type Request struct {
	// Time is the arrival time, by the tenant's clock (see WithClock).
	Time time.Time `json:"time"`
	// Duration is how long the answer took, in real time (nanoseconds in JSON).
	Duration time.Duration `json:"duration"`
	// Method is the HTTP method.
	Method string `json:"method"`
	// RequestURI is the request-target exactly as received, for example
	// /v3/source-usages/a%2Fb/status?x=1. It may hold credentials a client wrongly put in
	// the query: this is a fake, and tests need to see exactly what was sent.
	RequestURI string `json:"requestUri"`
	// EscapedPath is the path, escaped as received.
	EscapedPath string `json:"escapedPath"`
	// Query is the parsed query string.
	Query url.Values `json:"query,omitempty"`
	// Op is OpToken, OpStatus, OpSummaries, OpAdmin or OpUnknown.
	Op string `json:"op"`
	// Version is the API version of a status or summaries call ("v3", "beta", "v2024",
	// "v2025", "v2026" or "v1"), and "" for every other request.
	Version string `json:"version,omitempty"`
	// SourceID is the percent-decoded source id of a status or summaries call.
	SourceID string `json:"sourceId,omitempty"`
	// ClientID is, for a token request, the client id presented; for an API call, the
	// client id the bearer token was issued to (also when it has expired or was revoked).
	ClientID string `json:"clientId,omitempty"`
	// Token is the bearer token an API call presented, so leak tests can look for it in
	// a client's logs. It is left out of the JSON of /__fake/requests.
	Token string `json:"-"`
	// IssuedToken is the access token a token request obtained, if any. It is left out of
	// the JSON of /__fake/requests.
	IssuedToken string `json:"-"`
	// UserAgent is the User-Agent header.
	UserAgent string `json:"userAgent,omitempty"`
	// StatusCode is the status the fake answered; 499 when the client went away before
	// any answer was written (during a Delay fault, for example).
	StatusCode int `json:"statusCode"`
	// Fault is the name of the fault applied to the request, if any.
	Fault string `json:"fault,omitempty"`
	// FormKeys lists, sorted, the form fields of a token request body. Values are not
	// kept, so the log never holds a client secret sent the right way.
	FormKeys []string `json:"formKeys,omitempty"`
	// CredentialsInQuery reports that the query string held client_id, client_secret or
	// access_token: credentials that end up in proxy and server logs.
	CredentialsInQuery bool `json:"credentialsInQuery,omitempty"`
}

// clone returns a deep copy.
func (r Request) clone() Request {
	if r.Query != nil {
		q := make(url.Values, len(r.Query))
		for k, v := range r.Query {
			q[k] = slices.Clone(v)
		}
		r.Query = q
	}
	r.FormKeys = slices.Clone(r.FormKeys)
	return r
}

// Stats are counters over the requests answered since New or the last Reset. Admin
// requests count nowhere.
type Stats struct {
	// TokenRequests counts requests to the token endpoint, whatever their answer.
	TokenRequests int `json:"tokenRequests"`
	// APIRequests counts status and summaries calls, whatever their answer (4xx, 5xx and
	// 429 included).
	APIRequests int `json:"apiRequests"`
	// RateLimited counts the 429s sent by the rate limiter (not those of faults).
	RateLimited int `json:"rateLimited"`
	// Faulted counts the requests a fault was applied to.
	Faulted int `json:"faulted"`
	// ByStatus counts answers by status code, over token, API and unknown requests.
	ByStatus map[int]int `json:"byStatus"`
	// MaxInWindow is the largest number of API requests from one client id to one API
	// version that arrived within any span of the rate window (DefaultRateWindow when none
	// is configured), whether or not the limiter is on and whatever the answers were. It
	// tells a benchmark whether a client kept itself under the real limit.
	MaxInWindow int `json:"maxInWindow"`
	// TokensIssued counts the access tokens issued, by the token endpoint or IssueToken.
	TokensIssued int `json:"tokensIssued"`
}

// counters are the Stats kept incrementally; MaxInWindow is computed from the log.
type counters struct {
	tokenRequests, apiRequests, rateLimited, faulted, tokensIssued int
	byStatus                                                       map[int]int
}

// exchange is what the fake learns about one request while answering it. Handlers fill
// in rec without holding the lock; finish copies it into the log.
type exchange struct {
	rec         Request
	entry       *Request // the log entry; nil for admin requests, logged on completion
	gen         uint64
	started     time.Time // real time, for Duration
	rateLimited bool
}

// credentialQueryKeys are the query keys that carry credentials.
var credentialQueryKeys = []string{"client_id", "client_secret", "access_token"}

// begin logs the arrival of r, so that the log is in arrival order even when answers
// finish out of order. Admin requests are logged only on completion, which keeps
// GET /__fake/requests out of its own answer.
func (t *Tenant) begin(r *http.Request, rt route) *exchange {
	query := r.URL.Query()
	uri := r.RequestURI
	if uri == "" { // a request built for a client, handed straight to ServeHTTP
		uri = r.URL.RequestURI()
	}
	ex := &exchange{
		started: time.Now(),
		rec: Request{
			Time:        t.now(),
			Method:      r.Method,
			RequestURI:  uri,
			EscapedPath: r.URL.EscapedPath(),
			Query:       query,
			Op:          rt.op,
			Version:     rt.version,
			SourceID:    rt.sourceID,
			UserAgent:   r.UserAgent(),
			CredentialsInQuery: slices.ContainsFunc(credentialQueryKeys, func(k string) bool {
				return query.Has(k)
			}),
		},
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.inFlight++
	if t.inFlight == 1 {
		t.idle = make(chan struct{})
	}
	ex.gen = t.gen
	if rt.op != OpAdmin {
		ex.entry = new(Request)
		*ex.entry = ex.rec.clone()
		t.log = append(t.log, ex.entry)
	}
	return ex
}

// statusClientClosed is recorded when the client left before any answer was written.
const statusClientClosed = 499

// finish records the answer to the request ex describes.
func (t *Tenant) finish(ex *exchange, w *statusWriter, r *http.Request) {
	code := w.code
	if code == 0 {
		code = http.StatusOK // what net/http sends for a handler that wrote nothing
		if err := r.Context().Err(); errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			code = statusClientClosed
		}
	}
	ex.rec.StatusCode = code
	ex.rec.Duration = time.Since(ex.started)

	t.mu.Lock()
	defer t.mu.Unlock()
	if t.inFlight--; t.inFlight == 0 {
		close(t.idle)
	}
	if ex.gen != t.gen {
		return // a Reset cleared the log and counters this request belonged to
	}
	if ex.rec.Op == OpAdmin {
		t.log = append(t.log, new(Request))
		*t.log[len(t.log)-1] = ex.rec
		return
	}
	*ex.entry = ex.rec

	c := &t.counts
	switch ex.rec.Op {
	case OpToken:
		c.tokenRequests++
	case OpStatus, OpSummaries:
		c.apiRequests++
	}
	if ex.rateLimited {
		c.rateLimited++
	}
	if ex.rec.Fault != "" {
		c.faulted++
	}
	if c.byStatus == nil {
		c.byStatus = make(map[int]int)
	}
	c.byStatus[code]++
}

// Requests returns a copy of the request log, in arrival order. Requests still being
// answered are included, with StatusCode 0.
func (t *Tenant) Requests() []Request {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Request, len(t.log))
	for i, e := range t.log {
		out[i] = e.clone()
	}
	return out
}

// Stats returns the counters since New or the last Reset.
func (t *Tenant) Stats() Stats {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.counts
	byStatus := maps.Clone(c.byStatus)
	if byStatus == nil {
		byStatus = map[int]int{}
	}
	return Stats{
		TokenRequests: c.tokenRequests,
		APIRequests:   c.apiRequests,
		RateLimited:   c.rateLimited,
		Faulted:       c.faulted,
		ByStatus:      byStatus,
		MaxInWindow:   maxInWindow(t.log, t.limiter.windowOrDefault()),
		TokensIssued:  c.tokensIssued,
	}
}

// maxInWindow returns the most API requests from one client to one version whose arrival
// times fall within a span shorter than window. It is computed from the log, rather than
// kept as a counter, so that it is exact for whatever window is configured when asked.
func maxInWindow(log []*Request, window time.Duration) int {
	type key struct{ client, version string }
	arrivals := make(map[key][]time.Time)
	for _, e := range log {
		if (e.Op == OpStatus || e.Op == OpSummaries) && e.ClientID != "" {
			k := key{e.ClientID, e.Version}
			arrivals[k] = append(arrivals[k], e.Time)
		}
	}
	best := 0
	for _, times := range arrivals {
		// An injected clock may go backwards; sorting keeps the two-pointer scan honest.
		slices.SortFunc(times, time.Time.Compare)
		start := 0
		for end := range times {
			for times[end].Sub(times[start]) >= window {
				start++
			}
			best = max(best, end-start+1)
		}
	}
	return best
}
