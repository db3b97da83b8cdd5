package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/time/rate"
)

// The client's HTTP stack, outermost first (each layer is one small RoundTripper):
//
//	retryablehttp.Client    retries, backoff, Retry-After (retry.go)
//	userAgentTransport      sets User-Agent on every attempt
//	rateLimitTransport      paces API attempts, retries included (not token requests)
//	authTransport           adds the bearer token, fetched or refreshed as needed (API only)
//	loggingTransport        one tflog line per attempt; headers redacted
//	attemptTransport        request_timeout per attempt, and reads the whole body, so that a
//	                        connection dropped mid-body is an attempt error that is retried
//	base                    http.Transport with verification always on

type userAgentTransport struct {
	userAgent string
	next      http.RoundTripper
}

func (t *userAgentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.userAgent == "" {
		return t.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", t.userAgent)
	return t.next.RoundTrip(req)
}

type rateLimitTransport struct {
	limiter *rate.Limiter
	next    http.RoundTripper
}

func (t *rateLimitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.limiter.Wait(req.Context()); err != nil {
		return nil, err
	}
	return t.next.RoundTrip(req)
}

// newLimiter paces requests slightly below requestsPerSecond. A gateway counts arrivals in a
// window; two requests sent exactly 1/rps apart can arrive closer than that after network
// jitter, and a window that holds one request too many answers 429. A 2% margin (2 ms at the
// default 10/s) absorbs that jitter while keeping 98% of the allowed rate.
func newLimiter(requestsPerSecond float64) *rate.Limiter {
	return rate.NewLimiter(rate.Limit(requestsPerSecond*pacingMargin), 1)
}

const pacingMargin = 0.98

type attemptTimeoutError struct{ timeout time.Duration }

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("no complete response within %s (request_timeout)", e.timeout)
}

// Timeout lets net.Error-style checks see this as a timeout.
func (e *attemptTimeoutError) Timeout() bool { return true }

type attemptTransport struct {
	timeout time.Duration
	next    http.RoundTripper
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	defer cancel()
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err == nil {
		var body []byte
		body, err = readLimited(resp.Body)
		_ = resp.Body.Close()
		if err == nil {
			resp.Body = &bufferedBody{Reader: bytes.NewReader(body), data: body}
			resp.ContentLength = int64(len(body))
			return resp, nil
		}
		err = fmt.Errorf("reading the response body: %w", err)
	}
	// The parent context still running means our own per-attempt deadline fired.
	if req.Context().Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, &attemptTimeoutError{timeout: t.timeout}
	}
	return nil, err
}

// bufferedBody is a response body already read into memory by attemptTransport, so that the
// logging transport can show it without consuming it.
type bufferedBody struct {
	*bytes.Reader
	data []byte
}

func (*bufferedBody) Close() error { return nil }

func readLimited(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxResponseBytes {
		return nil, fmt.Errorf("the response is larger than %d MiB", maxResponseBytes>>20)
	}
	return body, nil
}

// callState follows one logical call through its attempts: retryablehttp's RequestLogHook
// numbers the attempts, authTransport records the token each one carried, and the logging
// transport and the error builders read both.
type callState struct {
	attempts atomic.Int32
	mu       sync.Mutex
	token    string
}

func (s *callState) setToken(tok string) {
	s.mu.Lock()
	s.token = tok
	s.mu.Unlock()
}

// lastToken is the token the latest attempt carried.
func (s *callState) lastToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

type callStateKey struct{}

func withCallState(ctx context.Context) (context.Context, *callState) {
	st := new(callState)
	return context.WithValue(ctx, callStateKey{}, st), st
}

func callStateOf(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	return st
}

func attemptOf(ctx context.Context) int {
	if st := callStateOf(ctx); st != nil {
		return int(st.attempts.Load())
	}
	return 0
}

// authTransport puts a bearer token on each attempt as it leaves, after the rate limiter:
// a token taken before a wait in the limiter or a backoff could expire before the request is
// sent. A failure to get a token ends the call: see checkRetry.
type authTransport struct {
	tokens tokenSource
	next   http.RoundTripper
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := t.tokens.Token(req.Context())
	if err != nil {
		return nil, err
	}
	if st := callStateOf(req.Context()); st != nil {
		st.setToken(tok)
	}
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+tok)
	return t.next.RoundTrip(req)
}

type loggingTransport struct {
	// logBodies is false for the token endpoint: its response carries the access token.
	logBodies bool
	next      http.RoundTripper
}

var redactedHeaders = map[string]bool{"Authorization": true, "Cookie": true, "Set-Cookie": true, "Proxy-Authorization": true}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	fields := map[string]any{
		"method":  req.Method,
		"path":    req.URL.EscapedPath(),
		"attempt": attemptOf(ctx),
	}
	if req.URL.RawQuery != "" {
		fields["query"] = req.URL.RawQuery
	}
	tflog.SubsystemTrace(ctx, subsystem, "sending request", map[string]any{"headers": redactHeaders(req.Header), "path": fields["path"]})
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	fields["duration_ms"] = time.Since(start).Milliseconds()
	if err != nil {
		fields["error"] = err.Error()
		tflog.SubsystemDebug(ctx, subsystem, "request failed", fields)
		return nil, err
	}
	fields["status"] = resp.StatusCode
	tflog.SubsystemDebug(ctx, subsystem, "request done", fields)
	trace := map[string]any{"headers": redactHeaders(resp.Header), "path": fields["path"]}
	if body, ok := resp.Body.(*bufferedBody); ok && t.logBodies {
		trace["body"] = trimBody(body.data)
	}
	tflog.SubsystemTrace(ctx, subsystem, "response", trace)
	return resp, nil
}

func redactHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if redactedHeaders[http.CanonicalHeaderKey(k)] {
			out[k] = "[REDACTED]"
			continue
		}
		out[k] = strings.Join(v, ", ")
	}
	return out
}
