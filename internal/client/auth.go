package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// tokenSource hands out bearer tokens for API calls.
type tokenSource interface {
	// Token returns a token that should still be valid.
	Token(ctx context.Context) (string, error)
	// Invalidate tells the source that the API rejected tok with 401. It reports whether
	// asking Token again can yield a different token worth one more attempt.
	Invalidate(tok string) bool
}

// staticTokenSource serves an access token obtained elsewhere. It cannot be refreshed.
type staticTokenSource struct{ token string }

func (s staticTokenSource) Token(context.Context) (string, error) { return s.token, nil }
func (staticTokenSource) Invalidate(string) bool                  { return false }

// clientCredentialsSource fetches tokens with the OAuth2 client credentials grant and shares
// one token between every read of a provider instance. It refreshes a token shortly before it
// expires and on demand after a 401, and lets only one fetch run at a time, so a hundred reads
// starting together cost one token request.
type clientCredentialsSource struct {
	config *clientcredentials.Config
	// newHTTPClient builds the retrying client for one fetch; it needs the caller's context
	// for logging.
	newHTTPClient func(ctx context.Context) *http.Client
	now           func() time.Time

	fetching chan struct{} // a one-slot semaphore that a waiting caller can abandon on ctx.Done
	waiters  atomic.Int32  // callers waiting for a fetch to finish

	mu        sync.Mutex
	token     string
	refreshAt time.Time // zero: the token did not say when it expires
	fetches   int
	// generation counts finished fetches; lastErr is the error of the latest one. Callers
	// that waited while a fetch failed share its error instead of each trying again: with a
	// wrong secret, a plan over 100 sources costs one token request, not 100.
	generation uint64
	lastErr    error
}

func newClientCredentialsSource(tokenURL, clientID, clientSecret string, newHTTPClient func(context.Context) *http.Client) *clientCredentialsSource {
	return &clientCredentialsSource{
		config: &clientcredentials.Config{
			ClientID:     clientID,
			ClientSecret: clientSecret,
			TokenURL:     tokenURL,
			// Form fields, as ISC documents; never the URL. Stating the style also saves the
			// extra request that auto-detection makes when the first style fails.
			AuthStyle: oauth2.AuthStyleInParams,
		},
		newHTTPClient: newHTTPClient,
		now:           time.Now,
		fetching:      make(chan struct{}, 1),
	}
}

func (s *clientCredentialsSource) cached() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token == "" {
		return "", false
	}
	if !s.refreshAt.IsZero() && !s.now().Before(s.refreshAt) {
		return "", false
	}
	return s.token, true
}

func (s *clientCredentialsSource) Token(ctx context.Context) (string, error) {
	if tok, ok := s.cached(); ok {
		return tok, nil
	}
	s.mu.Lock()
	seen := s.generation
	s.mu.Unlock()
	s.waiters.Add(1)
	select {
	case s.fetching <- struct{}{}:
		s.waiters.Add(-1)
	case <-ctx.Done():
		s.waiters.Add(-1)
		return "", ctx.Err()
	}
	defer func() { <-s.fetching }()
	// Another caller may have fetched, or failed to, while this one waited.
	if tok, ok := s.cached(); ok {
		return tok, nil
	}
	s.mu.Lock()
	if s.generation != seen && s.lastErr != nil {
		err := s.lastErr
		s.mu.Unlock()
		return "", err
	}
	s.mu.Unlock()

	fetchCtx := context.WithValue(ctx, oauth2.HTTPClient, s.newHTTPClient(ctx))
	tok, err := s.config.Token(fetchCtx)
	if err != nil {
		err = s.tokenError(ctx, err)
		if ctx.Err() == nil {
			// A cancelled caller's error is its own, not the endpoint's.
			s.mu.Lock()
			s.generation++
			s.lastErr = err
			s.mu.Unlock()
		}
		return "", err
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.generation++
	s.lastErr = nil
	s.fetches++
	s.token = tok.AccessToken
	s.refreshAt = time.Time{}
	if !tok.Expiry.IsZero() {
		s.refreshAt = tok.Expiry.Add(-refreshMargin(tok.Expiry.Sub(now)))
	}
	return s.token, nil
}

// refreshMargin is how long before expiry a token is replaced: a tenth of its lifetime, at
// most a minute. A 749 s token is replaced after about 11.5 minutes; a 2 s token after 1.8 s.
// A request that still meets an expired token gets a 401 and one retry with a new token.
func refreshMargin(lifetime time.Duration) time.Duration {
	m := lifetime / 10
	if m > time.Minute {
		m = time.Minute
	}
	if m < 0 {
		m = 0
	}
	return m
}

func (s *clientCredentialsSource) Invalidate(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token == tok {
		s.token = ""
	}
	return true
}

// Fetches reports how many tokens this source has obtained.
func (s *clientCredentialsSource) Fetches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetches
}

func (s *clientCredentialsSource) tokenError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	te := &TokenError{TokenURL: s.config.TokenURL, Err: err}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		te.Unreachable = true
		te.Err = urlErr.Err
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.Response != nil {
			te.StatusCode = re.Response.StatusCode
		}
		te.ErrorCode = re.ErrorCode
		te.Description = re.ErrorDescription
		if re.ErrorCode == "" {
			te.Body = trimBody(re.Body)
		}
	}
	return te
}
