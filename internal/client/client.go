// Package client is a small, dependable client for the SailPoint Identity Security Cloud calls
// the provider makes: the Source Usages and Sources APIs and the OAuth token endpoint. Every
// call, token requests included, takes one request path (Client.do): pacing, a token, one
// attempt with a timeout, classification, backoff. It owns retries, the shared rate limit,
// paging, error decoding and request logging with secrets masked.
package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Client talks to one ISC tenant. It is safe for concurrent use; every read of a provider
// instance shares one Client, and so one token, one pacer and one connection pool.
type Client struct {
	cfg    Config
	http   *http.Client
	pacer  *pacer
	tokens *tokens
	log    logger

	// answered is set by the first HTTP answer of any kind. Before it, a refused connection is
	// final: nothing listening at the start of a plan is a wrong URL or port far more often
	// than a passing fault, and retrying it cost some 23 s. After it, a refused connection is
	// a server or proxy restarting mid-plan, and is retried like a dropped one.
	answered atomic.Bool
}

// New validates cfg and returns a ready client. It makes no request: the first API call
// fetches the first token.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.normalized()
	transport := cfg.Transport
	if transport == nil {
		t, ok := http.DefaultTransport.(*http.Transport)
		if !ok {
			t = &http.Transport{Proxy: http.ProxyFromEnvironment}
		}
		t = t.Clone()
		// Plans read many sources in parallel; keep their connections for reuse.
		t.MaxIdleConnsPerHost = 32
		transport = t
	}
	c := &Client{
		cfg: cfg,
		http: &http.Client{
			Transport: transport,
			// Never follow a redirect: the API does not use them, and following one would
			// send the bearer token wherever it points. The 3xx comes back as an answer.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		pacer: newPacer(cfg.RequestsPerSecond),
	}
	if cfg.AccessToken != "" {
		c.tokens = staticTokens(cfg.AccessToken)
		c.log = newLogger(cfg.AccessToken)
	} else {
		c.tokens = newTokens(c.fetchToken)
		c.log = newLogger(cfg.ClientSecret)
	}
	return c, nil
}

// Config returns the effective configuration.
func (c *Client) Config() Config { return c.cfg }

// UsesAccessToken reports whether the client authenticates with a given access token rather
// than client credentials.
func (c *Client) UsesAccessToken() bool { return c.cfg.AccessToken != "" }

// request is one logical call.
type request struct {
	op     Op
	method string
	url    string     // absolute
	query  url.Values // nil for none
	form   url.Values // a POST form body (the token request); never logged
}

// target is how errors and logs name the call: the path and query of an API call, the whole
// URL of a token request (which may be another host).
func (r *request) target() string {
	if r.op == OpToken {
		return r.url
	}
	u, err := url.Parse(r.url)
	if err != nil {
		return r.url
	}
	u.RawQuery = r.query.Encode()
	return u.RequestURI()
}

// api reports whether the call goes to the API, which is paced and carries a bearer token.
func (r *request) api() bool { return r.op != OpToken }

// attempt is what one attempt got back: an answer with its whole body, or an error.
type attempt struct {
	status int
	header http.Header
	body   []byte
	err    error
	cause  Cause
}

// do performs one logical call, every attempt through the same steps, in this order:
//
//  1. wait for the pacer (API calls share one budget, and a 429 pauses them all);
//  2. take a token (after the wait, so that it cannot expire while queued);
//  3. send, with the per-attempt timeout, and read the whole body;
//  4. classify: 2xx is done; a 401 gets one more attempt with a new token; a 429, a
//     500/502/503/504, a dropped connection, a timeout or a 2xx body that is not JSON is
//     retried; anything else is final;
//  5. back off: the server's Retry-After, or exponential backoff with full jitter.
func (c *Client) do(ctx context.Context, r *request) ([]byte, http.Header, error) {
	ctx = c.log.context(ctx)
	refreshed := false
	for attempts, retries := 1, 0; ; attempts++ {
		if r.api() {
			if err := c.pacer.wait(ctx); err != nil {
				return nil, nil, err
			}
		}
		token := ""
		if r.api() {
			var err error
			if token, err = c.tokens.get(ctx); err != nil {
				return nil, nil, err
			}
		}
		a := c.send(ctx, r, token, attempts)
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}

		retry := false
		switch {
		case a.err != nil:
			retry = a.status == 0 && (a.cause == CauseConnection || a.cause == CauseTimeout ||
				(a.cause == CauseRefused && c.answered.Load()))
		case a.status >= 200 && a.status <= 299:
			if isJSON(a.body) {
				return a.body, a.header, nil
			}
			// Empty, cut off or garbled: almost always a proxy or connection fault.
			a.err, retry = describeInvalidJSON(a.body), true
		case a.status >= 300 && a.status <= 399:
			return nil, nil, &Error{Op: r.op, Kind: KindRedirect, Method: r.method, Target: r.target(), Attempts: attempts,
				StatusCode: a.status, Location: a.header.Get("Location")}
		case a.status == http.StatusUnauthorized && r.api() && !refreshed && c.tokens.invalidate(token):
			refreshed = true // one more attempt with a new token, outside the retry budget
			c.log.retry(ctx, r, attempts, 0, "the API rejected the access token; retrying once with a new one")
			continue
		default:
			retry = retryableStatus[a.status]
		}
		if !retry || retries == c.cfg.MaxRetries {
			return nil, nil, c.failure(r, &a, attempts)
		}
		retries++

		wait := c.backoff(retries, &a)
		if a.status == http.StatusTooManyRequests && r.api() {
			c.pacer.pause(wait) // every call of this client waits, not only this one
			wait = 0
		}
		c.log.retry(ctx, r, attempts, wait, "retrying")
		if err := sleep(ctx, wait); err != nil {
			return nil, nil, err
		}
	}
}

// send makes one attempt.
func (c *Client) send(ctx context.Context, r *request, token string, n int) attempt {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	u := r.url
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.form != nil {
		body = strings.NewReader(r.form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return attempt{err: err}
	}
	req.Header.Set("Accept", "application/json")
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if r.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}

	start := time.Now()
	a := c.roundTrip(req)
	if a.status != 0 {
		c.answered.Store(true)
	}
	if a.err != nil {
		a.cause = causeOf(ctx, a.err)
		if a.cause == CauseTimeout {
			a.err = fmt.Errorf("no complete answer within %s (request_timeout)", c.cfg.RequestTimeout)
		}
	}
	c.log.attempt(ctx, r, req, &a, n, time.Since(start))
	return a
}

func (c *Client) roundTrip(req *http.Request) attempt {
	resp, err := c.http.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // its text repeats the method and URL that Error already states
		}
		return attempt{err: err}
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	switch {
	case err != nil:
		return attempt{err: fmt.Errorf("reading the response body: %w", err)}
	case len(body) > maxResponseBytes:
		// An answer, but not one to read or to ask for again.
		return attempt{status: resp.StatusCode, header: resp.Header, err: errTooLarge}
	}
	return attempt{status: resp.StatusCode, header: resp.Header, body: body}
}

var errTooLarge = fmt.Errorf("the answer is larger than %d MiB", maxResponseBytes>>20)

// failure is the Error of a call's last attempt.
func (c *Client) failure(r *request, a *attempt, attempts int) error {
	body := trimBody(a.body)
	switch {
	case errors.Is(a.err, errTooLarge):
		body = "(not read: larger than 10 MiB)"
	case r.op == OpToken && a.status >= 200 && a.status <= 299:
		body = "(not shown: a token answer may hold a token)"
	}
	switch {
	case a.status >= 200 && a.status <= 299:
		return &Error{Op: r.op, Kind: KindDecode, Method: r.method, Target: r.target(), Attempts: attempts, StatusCode: a.status, Err: a.err, Body: body}
	case a.status != 0:
		e := statusError(r, a, attempts)
		if a.err != nil {
			e.Body, e.Err = body, a.err
		}
		return e
	case a.err != nil:
		return &Error{Op: r.op, Kind: KindTransport, Method: r.method, Target: r.target(), Attempts: attempts,
			Cause: a.cause, Err: a.err}
	}
	return statusError(r, a, attempts)
}

// retryableStatus lists the answers worth another attempt: the gateway's rate limit and the
// transient server and gateway failures. Every other status, 4xx included, is final: trying
// a bad request or a missing source again only burns the rate limit.
var retryableStatus = map[int]bool{
	http.StatusTooManyRequests:     true,
	http.StatusInternalServerError: true,
	http.StatusBadGateway:          true,
	http.StatusServiceUnavailable:  true,
	http.StatusGatewayTimeout:      true,
}

// causeOf tells transport failures apart by their types, never by their text.
func causeOf(attemptCtx context.Context, err error) Cause {
	var (
		dns       *net.DNSError
		verify    *tls.CertificateVerificationError
		authority x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		header    tls.RecordHeaderError
	)
	switch {
	case errors.Is(attemptCtx.Err(), context.DeadlineExceeded):
		return CauseTimeout
	case errors.As(err, &dns) && dns.IsNotFound:
		return CauseDNS
	case errors.Is(err, syscall.ECONNREFUSED):
		return CauseRefused
	case errors.As(err, &verify), errors.As(err, &authority), errors.As(err, &hostname), errors.As(err, &invalid),
		errors.As(err, &header):
		return CauseTLS
	}
	return CauseConnection
}

// backoff is the wait before retry number n (1-based): the server's Retry-After on a 429 or
// 503 when it sends one, else exponential backoff with full jitter between RetryWaitMin and
// RetryWaitMax, so that many reads failing together do not retry together.
func (c *Client) backoff(n int, a *attempt) time.Duration {
	if a.status == http.StatusTooManyRequests || a.status == http.StatusServiceUnavailable {
		if d, ok := parseRetryAfter(a.header.Get("Retry-After"), time.Now()); ok {
			return d
		}
	}
	lo, hi := float64(c.cfg.RetryWaitMin), float64(c.cfg.RetryWaitMax)
	ceiling := math.Min(lo*math.Pow(2, float64(n-1)), hi)
	return time.Duration(lo + rand.Float64()*(ceiling-lo)) //nolint:gosec // jitter needs no cryptographic randomness
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date (RFC 9110 10.2.3).
// The wait is capped at MaxRetryAfter, also for a number of seconds too large for any
// integer type; a date in the past means now.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v != "" && strings.Trim(v, "0123456789") == "" {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > int64(MaxRetryAfter/time.Second) { // ErrRange: more digits than int64 holds
			return MaxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	when, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(when.Sub(now), 0), MaxRetryAfter), true
}

// sleep waits d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
