package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// tokens hands out the bearer token of every API call. With client credentials it shares one
// token between every read of the provider, replaces it shortly before it expires and after a
// 401, and lets one fetch run at a time: a hundred reads starting together cost one token
// request, and with a wrong secret the reads that waited share the failure instead of each
// trying again. With a given access token it hands out that token and never refreshes it.
type tokens struct {
	fetch func(ctx context.Context) (token string, lifetime time.Duration, err error) // nil: static
	now   func() time.Time

	fetching chan struct{} // a one-slot semaphore that a waiting caller can abandon

	mu        sync.Mutex
	token     string
	refreshAt time.Time // zero: the token did not say when it expires
	// generation counts finished fetches; lastErr is the error of the latest one.
	generation uint64
	lastErr    error
}

func staticTokens(token string) *tokens { return &tokens{token: token} }

func newTokens(fetch func(context.Context) (string, time.Duration, error)) *tokens {
	return &tokens{fetch: fetch, now: time.Now, fetching: make(chan struct{}, 1)}
}

// cached returns the current token if it is still good, and the fetch generation seen.
func (t *tokens) cached() (string, uint64, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ok := t.token != "" && (t.fetch == nil || t.refreshAt.IsZero() || t.now().Before(t.refreshAt))
	return t.token, t.generation, ok
}

// get returns a token that should still be valid, fetching one when needed.
func (t *tokens) get(ctx context.Context) (string, error) {
	tok, seen, ok := t.cached()
	if ok || t.fetch == nil {
		return tok, nil
	}
	select {
	case t.fetching <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-t.fetching }()
	// Another caller may have fetched, or failed to, while this one waited.
	tok, generation, ok := t.cached()
	if ok {
		return tok, nil
	}
	if generation != seen {
		t.mu.Lock()
		err := t.lastErr
		t.mu.Unlock()
		if err != nil {
			return "", err
		}
	}

	tok, lifetime, err := t.fetch(ctx)
	if ctx.Err() != nil {
		return "", ctx.Err() // a cancelled caller's failure is its own, not the endpoint's
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.generation++
	t.lastErr = err
	if err != nil {
		return "", err
	}
	t.token = tok
	t.refreshAt = time.Time{}
	if lifetime > 0 {
		t.refreshAt = t.now().Add(lifetime - refreshMargin(lifetime))
	}
	return tok, nil
}

// refreshMargin is how long before expiry a token is replaced: a tenth of its lifetime, at
// most a minute. A 749 s token is replaced after about 11.5 minutes; a 2 s token after 1.8 s.
// A request that still meets an expired token gets a 401 and one more try with a new token.
func refreshMargin(lifetime time.Duration) time.Duration {
	return min(max(lifetime/10, 0), time.Minute)
}

// invalidate tells the source that the API rejected tok with 401. It reports whether asking
// again can give a different token worth one more attempt.
func (t *tokens) invalidate(tok string) bool {
	if t.fetch == nil {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.token == tok {
		t.token = ""
	}
	return true
}

// fetchToken runs the OAuth 2.0 client credentials grant through the same request path as
// every API call (retries, timeout, logging), with the credentials as form fields, as ISC
// documents, never in the URL. Neither the form nor the answer is ever logged.
func (c *Client) fetchToken(ctx context.Context) (string, time.Duration, error) {
	r := &request{op: OpToken, method: http.MethodPost, url: c.cfg.TokenURL, form: url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.cfg.ClientID},
		"client_secret": {c.cfg.ClientSecret},
	}}
	body, _, err := c.do(ctx, r)
	if err != nil {
		return "", 0, err
	}
	var answer struct {
		AccessToken string  `json:"access_token"`
		ExpiresIn   float64 `json:"expires_in"`
	}
	if err := decodeJSON(body, '{', "an object", &answer); err != nil {
		return "", 0, &Error{Op: OpToken, Kind: KindDecode, Method: r.method, Target: r.target(), Err: err}
	}
	if answer.AccessToken == "" {
		return "", 0, &Error{Op: OpToken, Kind: KindDecode, Method: r.method, Target: r.target(),
			Err: errors.New("the answer has no access_token")}
	}
	return answer.AccessToken, time.Duration(answer.ExpiresIn * float64(time.Second)), nil
}
