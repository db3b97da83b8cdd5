package fakeisc

import (
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
	Time time.Time // arrival, by the tenant's clock
	// RequestURI is the request-target exactly as received, credentials a client wrongly
	// put in the query included: tests need to see exactly what was sent.
	RequestURI  string
	EscapedPath string // the path, escaped as received
	Query       url.Values
	Op          string // OpToken, OpUnknown or an API operation
	Version     string // of an API call: "v3", "beta", "v2024", "v2025", "v2026" or "v1"
	SourceID    string // percent-decoded, of an API call that names a source
	AccountID   string // percent-decoded, of an API call that names an account
	// ClientID is, for a token request, the client id presented; for an API call, the
	// client the bearer token was issued to (also when it has expired or was revoked).
	ClientID    string
	Token       string // the bearer token an API call presented, to look for in logs
	IssuedToken string // the access token a token request obtained
	// StatusCode is the answer's status: 0 while it is being answered, 499 when the
	// client left before any answer was written (during a Delay fault, say).
	StatusCode int
	Fault      string // the name of the fault that acted on the request
	// CredentialsInQuery reports client_id, client_secret or access_token in the query
	// string, where proxies and servers log them.
	CredentialsInQuery bool
}

// clone returns a deep copy.
func (r Request) clone() Request {
	r.Query = maps.Clone(r.Query)
	for k, v := range r.Query {
		r.Query[k] = slices.Clone(v)
	}
	return r
}

// Stats are counters over the requests answered since New or the last Reset.
type Stats struct {
	TokenRequests int         // to the token endpoint, whatever the answer
	APIRequests   int         // API calls, whatever the answer (429s included)
	RateLimited   int         // 429s sent by the rate limiter, not by faults
	ByStatus      map[int]int // answers by status code, over every request
	// MaxInWindow is the most API requests made with one access token within any span of
	// the rate window (10 s unless WithRateLimit sets another), whether or not the limiter
	// is on: it tells whether a client kept itself under the real limit.
	MaxInWindow int
}

// exchange is what the fake learns about one request while answering it. Handlers fill
// in rec without holding the lock; finish copies it into the log.
type exchange struct {
	rec         Request
	entry       *Request // the log entry
	gen         uint64
	rateLimited bool
}

// begin logs the arrival of r, so that the log is in arrival order even when answers
// finish out of order.
func (t *Tenant) begin(r *http.Request, rt route) *exchange {
	query := r.URL.Query()
	uri := r.RequestURI
	if uri == "" { // a request built for a client, handed straight to ServeHTTP
		uri = r.URL.RequestURI()
	}
	ex := &exchange{rec: Request{
		Time:               t.now(),
		RequestURI:         uri,
		EscapedPath:        r.URL.EscapedPath(),
		Query:              query,
		Op:                 rt.op,
		Version:            rt.version,
		SourceID:           rt.sourceID,
		AccountID:          rt.accountID,
		CredentialsInQuery: query.Has("client_id") || query.Has("client_secret") || query.Has("access_token"),
	}}
	ex.entry = new(Request)
	*ex.entry = ex.rec.clone()
	t.mu.Lock()
	defer t.mu.Unlock()
	ex.gen = t.gen
	t.log = append(t.log, ex.entry)
	return ex
}

// statusClientClosed is recorded when the client left before any answer was written.
const statusClientClosed = 499

// finish records the answer to the request ex describes.
func (t *Tenant) finish(ex *exchange, w *statusWriter, r *http.Request) {
	code := w.code
	if code == 0 {
		code = http.StatusOK // what net/http sends for a handler that wrote nothing
		if r.Context().Err() != nil {
			code = statusClientClosed
		}
	}
	ex.rec.StatusCode = code

	t.mu.Lock()
	defer t.mu.Unlock()
	if ex.gen != t.gen {
		return // a Reset cleared the log and counters this request belonged to
	}
	*ex.entry = ex.rec
	c := &t.counts
	switch ex.rec.Op {
	case OpToken:
		c.TokenRequests++
	case OpUnknown:
	default:
		c.APIRequests++
	}
	if ex.rateLimited {
		c.RateLimited++
	}
	c.ByStatus[code]++
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
	s := t.counts
	s.ByStatus = maps.Clone(s.ByStatus)
	s.MaxInWindow = maxInWindow(t.log, t.window)
	return s
}

// maxInWindow returns the most API requests made with one known token whose arrival
// times fall within a span shorter than window. It is computed from the log, rather than
// kept as a counter, so that it is exact for any window.
func maxInWindow(log []*Request, window time.Duration) int {
	arrivals := make(map[string][]time.Time)
	for _, e := range log {
		if e.Op != OpToken && e.Op != OpUnknown && e.ClientID != "" {
			arrivals[e.Token] = append(arrivals[e.Token], e.Time)
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

// statusWriter remembers the status code written through it, for the request log.
// Unwrap lets http.ResponseController reach the connection's Flusher and Hijacker.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
