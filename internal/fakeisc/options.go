package fakeisc

import "time"

// Defaults of a Tenant built without options.
const (
	// DefaultClientID is the client id registered when New is given no WithClient option.
	DefaultClientID = "fake-client-id"
	// DefaultClientSecret is the secret of DefaultClientID. It is not a secret: it is
	// published here so every test and script can use it.
	DefaultClientSecret = "fake-client-secret-do-not-use" //nolint:gosec // a published fake credential
	// DefaultTokenTTL is the lifetime of an access token: 749 seconds, the value in
	// SailPoint's documentation.
	DefaultTokenTTL = 749 * time.Second
	// DefaultRateWindow is the window of the rate limiter, and of Stats.MaxInWindow when
	// no window is configured: ISC allows 100 requests per client per version per 10s.
	DefaultRateWindow = 10 * time.Second
)

// config collects the options of New.
type config struct {
	clients    map[string]string // client id → secret
	tokenTTL   time.Duration
	rateLimit  int
	rateWindow time.Duration
	sources    []Source
	now        func() time.Time
}

// Option configures a Tenant built by New.
type Option func(*config)

// WithClient registers an API client (a client id and its secret) that may obtain
// tokens. It may be given more than once. When New is given none, DefaultClientID with
// DefaultClientSecret is registered.
func WithClient(id, secret string) Option {
	return func(c *config) {
		if c.clients == nil {
			c.clients = make(map[string]string)
		}
		c.clients[id] = secret
	}
}

// WithTokenTTL sets the lifetime of the access tokens the tenant issues (default
// DefaultTokenTTL). Short lifetimes such as 1s or 2s are allowed, to test refresh; d <= 0
// keeps the default.
func WithTokenTTL(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.tokenTTL = d
		}
	}
}

// WithRateLimit allows at most n API requests per client id and API version in any
// sliding window of the given length; the next one is answered 429. n = 0 turns the
// limiter off (the default). A window <= 0 means DefaultRateWindow. The window also
// sets the span Stats.MaxInWindow measures, even with the limiter off.
func WithRateLimit(n int, window time.Duration) Option {
	return func(c *config) {
		c.rateLimit, c.rateWindow = max(n, 0), window
	}
}

// WithSources adds sources, as PutSource would.
func WithSources(srcs ...Source) Option {
	return func(c *config) {
		c.sources = append(c.sources, srcs...)
	}
}

// WithDemoSources adds DemoSources.
func WithDemoSources() Option {
	return WithSources(DemoSources()...)
}

// WithGeneratedSources adds generated sources 0 to n-1 (see GeneratedSource), for tests
// and benchmarks that need many sources.
func WithGeneratedSources(n int) Option {
	return func(c *config) {
		for i := range max(n, 0) {
			c.sources = append(c.sources, GeneratedSource(i))
		}
	}
}

// WithClock makes the tenant read the time from now instead of time.Now, so tests can
// expire tokens and move rate windows without sleeping. It is used for token expiry,
// the rate limiter, Retry-After values and Request.Time; the Delay fault still sleeps
// in real time. A nil now keeps time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}
