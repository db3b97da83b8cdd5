// Package client is a small, dependable client for the two SailPoint Identity Security Cloud
// Source Usages calls the provider needs. It owns authentication (client credentials or a
// given access token), retries, client-side rate limiting, paging, error decoding and
// request logging with secrets masked.
package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// subsystem is the tflog subsystem of every log line this package writes. Its level follows
// TF_LOG_PROVIDER_SAILPOINT_HTTP, or the provider's level when that is unset.
const subsystem = "http"

// Client talks to one ISC tenant. It is safe for concurrent use; every read of a provider
// instance shares one Client, and so one token, one rate limiter and one connection pool.
type Client struct {
	cfg     Config
	api     *http.Client // API calls: paced by the rate limiter
	tokenHC *http.Client // token requests: not paced, bodies never logged
	tokens  tokenSource
	secrets []string // masked in every log line
}

// New validates cfg, applies defaults and returns a ready client. It makes no request: the
// first token is fetched by the first API call.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	base := cfg.Transport
	if base == nil {
		t, ok := http.DefaultTransport.(*http.Transport)
		if !ok {
			t = &http.Transport{Proxy: http.ProxyFromEnvironment}
		}
		t = t.Clone()
		// Plans read many sources in parallel; keep their connections for reuse.
		t.MaxIdleConnsPerHost = 32
		base = t
	}
	inner := &attemptTransport{timeout: cfg.RequestTimeout, next: base}
	c := &Client{cfg: cfg}
	// withDefaults guarantees the secret in use is not empty; masking "" would garble
	// every logged value.
	if cfg.AccessToken != "" {
		c.tokens = staticTokenSource{token: cfg.AccessToken}
		c.secrets = []string{cfg.AccessToken}
	} else {
		c.tokens = newClientCredentialsSource(cfg.TokenURL, cfg.ClientID, cfg.ClientSecret, c.retryingTokenClient)
		c.secrets = []string{cfg.ClientSecret}
	}
	c.api = &http.Client{
		Transport: &userAgentTransport{userAgent: cfg.UserAgent, next: &rateLimitTransport{
			limiter: newLimiter(cfg.RequestsPerSecond),
			next:    &authTransport{tokens: c.tokens, next: &loggingTransport{logBodies: true, next: inner}},
		}},
		CheckRedirect: refuseRedirect,
	}
	c.tokenHC = &http.Client{
		Transport:     &userAgentTransport{userAgent: cfg.UserAgent, next: &loggingTransport{next: inner}},
		CheckRedirect: refuseRedirect,
	}
	return c, nil
}

// refuseRedirect stops redirects: the API does not use them, and following one would send
// the bearer token to wherever it points.
func refuseRedirect(req *http.Request, _ []*http.Request) error {
	return errors.New("the server answered with a redirect to " + req.URL.Redacted() + "; check base_url")
}

// Config returns the effective configuration, defaults applied.
func (c *Client) Config() Config { return c.cfg }

// TokenFetches reports how many access tokens this client has requested (0 with a static
// access token).
func (c *Client) TokenFetches() int {
	if s, ok := c.tokens.(*clientCredentialsSource); ok {
		return s.Fetches()
	}
	return 0
}

// UsesAccessToken reports whether the client authenticates with a given access token rather
// than client credentials.
func (c *Client) UsesAccessToken() bool { return c.cfg.AccessToken != "" }

// response is a finished 2xx answer, body in memory.
type response struct {
	header http.Header
	body   []byte
	target string // the request's path and query, for errors
}

// get performs one logical GET: a token, retries with backoff, and one more try with a fresh
// token if the API answers 401. Any non-2xx answer becomes an *APIError.
func (c *Client) get(ctx context.Context, path string, query url.Values) (*response, error) {
	ctx = c.logContext(ctx)
	u, err := url.Parse(c.cfg.BaseURL + path)
	if err != nil {
		return nil, err
	}
	u.RawQuery = query.Encode()
	// Errors name the call with its query, so a failed page shows its offset.
	target := u.RequestURI()
	for refreshed := false; ; refreshed = true {
		resp, call, err := c.send(ctx, u)
		attempts := int(call.attempts.Load())
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			var tokenErr *TokenError
			if errors.As(err, &tokenErr) {
				return nil, tokenErr
			}
			var invalid *invalidBodyError
			if errors.As(err, &invalid) {
				return nil, &DecodeError{Method: http.MethodGet, Path: target, Err: invalid.err, Body: trimBody(invalid.body), Attempts: attempts}
			}
			var timeout *attemptTimeoutError
			return nil, &TransportError{Method: http.MethodGet, Path: target, Attempts: attempts, Timeout: errors.As(err, &timeout), Err: unwrapURLError(err)}
		}
		body, _ := readLimited(resp.Body) // already buffered by attemptTransport
		_ = resp.Body.Close()
		if resp.StatusCode == http.StatusUnauthorized && !refreshed && c.tokens.Invalidate(call.lastToken()) {
			tflog.SubsystemDebug(ctx, subsystem, "API answered 401; retrying once with a new access token", map[string]any{"path": u.EscapedPath()})
			continue
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return nil, newAPIError(http.MethodGet, target, resp.StatusCode, resp.Header, body, attempts)
		}
		return &response{header: resp.Header, body: body, target: target}, nil
	}
}

// send runs one request through retryablehttp; the returned callState tells how many
// attempts it took and which token the last one carried.
func (c *Client) send(ctx context.Context, u *url.URL) (*http.Response, *callState, error) {
	ctx, call := withCallState(ctx)
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, call, err
	}
	req.Header.Set("Accept", "application/json")
	req.SetResponseHandler(checkJSONBody)
	resp, err := c.retryingClient(ctx, c.api, call).Do(req)
	return resp, call, err
}

// invalidBodyError is a 2xx answer whose body is not JSON at all: empty, cut off or garbled.
// That is almost always a proxy or connection fault rather than the API's answer, so it is
// retried like a 5xx; after the last attempt it becomes a DecodeError.
type invalidBodyError struct {
	err  error
	body []byte
}

func (e *invalidBodyError) Error() string {
	return "the response body is not valid JSON: " + e.err.Error()
}

// checkJSONBody is the retryablehttp response handler of API calls: it runs on every answer
// that is not retried for its status.
func checkJSONBody(resp *http.Response) error {
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil
	}
	body, ok := resp.Body.(*bufferedBody)
	if !ok {
		return nil
	}
	if json.Valid(body.data) {
		return nil
	}
	return &invalidBodyError{err: describeInvalidJSON(body.data), body: body.data}
}

// retryingClient builds the retryablehttp.Client for one call. It is cheap, and building it
// per call lets its logger write to the caller's context.
func (c *Client) retryingClient(ctx context.Context, hc *http.Client, call *callState) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   hc,
		Logger:       leveledLogger{ctx: ctx},
		RetryWaitMin: c.cfg.RetryWaitMin,
		RetryWaitMax: c.cfg.RetryWaitMax,
		RetryMax:     c.cfg.MaxRetries,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		// Keep the last response: the caller shows the API's own error, not "giving up".
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		RequestLogHook: func(_ retryablehttp.Logger, _ *http.Request, i int) {
			call.attempts.Store(int32(i + 1)) //nolint:gosec // i is bounded by RetryMax
		},
	}
}

// retryingTokenClient is the HTTP client the OAuth2 library uses for token requests: the same
// retries as API calls, no pacing.
func (c *Client) retryingTokenClient(ctx context.Context) *http.Client {
	ctx = c.logContext(ctx)
	ctx, call := withCallState(ctx)
	return &http.Client{Transport: &contextTransport{ctx: ctx, next: &retryablehttp.RoundTripper{Client: c.retryingClient(ctx, c.tokenHC, call)}}}
}

// contextTransport gives requests made by a library that builds its own requests the
// context that carries our logger and call state, while still honouring cancellation.
type contextTransport struct {
	ctx  context.Context
	next http.RoundTripper
}

func (t *contextTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(req.WithContext(t.ctx))
}

// logContext adds this package's log subsystem, with every secret masked, to ctx.
func (c *Client) logContext(ctx context.Context) context.Context {
	ctx = tflog.NewSubsystem(ctx, subsystem, tflog.WithLevelFromEnv("TF_LOG_PROVIDER_SAILPOINT_HTTP"))
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, subsystem, "authorization", "Authorization", "access_token", "client_secret")
	ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, subsystem, c.secrets...)
	ctx = tflog.SubsystemMaskMessageStrings(ctx, subsystem, c.secrets...)
	return ctx
}

// unwrapURLError drops the *url.Error wrapper, whose text repeats the method and URL that the
// TransportError already states.
func unwrapURLError(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}

// leveledLogger adapts tflog to retryablehttp.LeveledLogger.
type leveledLogger struct{ ctx context.Context }

func (l leveledLogger) Error(msg string, kv ...any) {
	// retryablehttp reports each failed attempt as an error, retried or not; the final
	// outcome reaches the user as a diagnostic, so a warning is the right level here.
	tflog.SubsystemWarn(l.ctx, subsystem, msg, fields(kv))
}
func (l leveledLogger) Info(msg string, kv ...any) {
	tflog.SubsystemInfo(l.ctx, subsystem, msg, fields(kv))
}
func (l leveledLogger) Debug(msg string, kv ...any) {
	tflog.SubsystemDebug(l.ctx, subsystem, msg, fields(kv))
}
func (l leveledLogger) Warn(msg string, kv ...any) {
	tflog.SubsystemWarn(l.ctx, subsystem, msg, fields(kv))
}

func fields(kv []any) map[string]any {
	out := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			out[k] = kv[i+1]
		}
	}
	return out
}
