package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// retryableStatus lists the answers worth another attempt: the gateway's rate limit and the
// transient server and gateway failures. Every other status, 4xx included, is final: trying a
// bad request or a missing source again only burns the rate limit.
var retryableStatus = map[int]bool{
	http.StatusTooManyRequests:     true,
	http.StatusInternalServerError: true,
	http.StatusBadGateway:          true,
	http.StatusServiceUnavailable:  true,
	http.StatusGatewayTimeout:      true,
}

// checkRetry is the retryablehttp.CheckRetry policy.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	// Ctrl-C or a cancelled plan: stop now, whatever happened.
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if isPermanentTransportError(err) {
			return false, err
		}
		return true, nil
	}
	return retryableStatus[resp.StatusCode], nil
}

// isPermanentTransportError reports errors that another attempt cannot fix: a failed token
// request, certificate problems, bad URLs. retryablehttp's own policy knows the rest of them.
func isPermanentTransportError(err error) bool {
	// The token source retries its own requests; a failure that reaches an API call is final.
	var tokenErr *TokenError
	if errors.As(err, &tokenErr) {
		return true
	}
	var (
		verify           *tls.CertificateVerificationError
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
	)
	if errors.As(err, &verify) || errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid) {
		return true
	}
	retry, _ := retryablehttp.DefaultRetryPolicy(context.Background(), nil, err)
	return !retry
}

// backoff is the retryablehttp.Backoff policy: the server's Retry-After when it sends one
// (429 and 503), otherwise exponential backoff with full jitter between min and max, so that
// many reads failing together do not retry together.
func backoff(minWait, maxWait time.Duration, attemptNum int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return d
		}
	}
	ceiling := float64(minWait) * math.Pow(2, float64(attemptNum))
	if ceiling > float64(maxWait) || math.IsInf(ceiling, 0) {
		ceiling = float64(maxWait)
	}
	// Full jitter, but never below minWait: a zero wait would just hammer the server.
	wait := time.Duration(float64(minWait) + rand.Float64()*(ceiling-float64(minWait))) //nolint:gosec // jitter needs no cryptographic randomness
	return wait
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date (RFC 9110 10.2.3).
// The wait is capped at MaxRetryAfter; a date in the past means "now".
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	when, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := when.Sub(now)
	switch {
	case d < 0:
		return 0, true
	case d > MaxRetryAfter:
		return MaxRetryAfter, true
	}
	return d, true
}
