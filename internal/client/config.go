package client

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// API versions the Source Usages endpoints are published under. VersionV1 is the per-service
// form (/source-usages/v1/{id}/...) that SailPoint's newest SDK calls; the others prefix the
// whole API (/v3/source-usages/{id}/...).
const (
	VersionV3    = "v3"
	VersionBeta  = "beta"
	VersionV2024 = "v2024"
	VersionV2025 = "v2025"
	VersionV2026 = "v2026"
	VersionV1    = "v1"
)

// APIVersions lists every accepted api_version, default first.
var APIVersions = []string{VersionV3, VersionBeta, VersionV2024, VersionV2025, VersionV2026, VersionV1}

// Defaults applied by New when a Config field is left zero.
const (
	DefaultAPIVersion        = VersionV3
	DefaultRequestTimeout    = 30 * time.Second
	DefaultMaxRetries        = 5
	DefaultRequestsPerSecond = 10.0
	DefaultRetryWaitMin      = 1 * time.Second
	DefaultRetryWaitMax      = 30 * time.Second

	// MaxRetryAfter caps how long the client honours a Retry-After header, so that a gateway
	// asking for an hour cannot silently stall a plan.
	MaxRetryAfter = 5 * time.Minute

	// maxResponseBytes bounds how much of a response body is read into memory. A summaries
	// page of 250 rows is about 10 KiB; anything near this limit is not the API talking.
	maxResponseBytes = 10 << 20
)

// Config holds everything needed to talk to one ISC tenant. BaseURL and either AccessToken or
// ClientID+ClientSecret are required; every other field has a default.
type Config struct {
	BaseURL      string // https://{tenant}.api.identitynow.com, with or without a trailing slash
	TokenURL     string // default BaseURL + /oauth/token
	ClientID     string
	ClientSecret string
	// AccessToken is a bearer token obtained elsewhere. When set, ClientID and ClientSecret
	// are not used and the token is never refreshed.
	AccessToken string
	APIVersion  string

	RequestTimeout    time.Duration // per HTTP attempt, including reading the body
	MaxRetries        int           // retries after the first attempt; 0 disables retries
	RequestsPerSecond float64       // client-side pacing of API calls

	// RetryWaitMin and RetryWaitMax bound the exponential backoff between attempts.
	// Tests shorten them; users have no reason to.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration

	UserAgent string

	// Transport is the innermost round tripper; nil means a clone of http.DefaultTransport
	// (system roots, so SSL_CERT_FILE and SSL_CERT_DIR work; verification is always on).
	Transport http.RoundTripper
}

var tenantPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// TenantBaseURL turns a tenant name such as "acme" into its API base URL.
func TenantBaseURL(tenant string) (string, error) {
	if !tenantPattern.MatchString(tenant) {
		return "", fmt.Errorf("%q is not a tenant name: use the first label of your tenant's host, e.g. \"acme\" for acme.api.identitynow.com, or set base_url for other hosts", tenant)
	}
	return "https://" + strings.ToLower(tenant) + ".api.identitynow.com", nil
}

// IsValidAPIVersion reports whether v is one of APIVersions.
func IsValidAPIVersion(v string) bool {
	for _, known := range APIVersions {
		if v == known {
			return true
		}
	}
	return false
}

// ValidateEndpointURL checks a base or token URL: absolute, https (plain http only for a
// loopback host such as a local test server), no credentials, query or fragment.
func ValidateEndpointURL(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("the URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the whole input; the user already knows it.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("%q is not a valid URL: %v", raw, err) //nolint:errorlint // the cause is shown, not matched
	}
	switch {
	case u.Scheme == "" || u.Host == "":
		return nil, fmt.Errorf("%q is not an absolute URL: include the scheme and host, e.g. https://acme.api.identitynow.com", raw)
	case u.User != nil:
		return nil, fmt.Errorf("%q carries credentials in the URL: remove them and use client_id/client_secret or access_token", u.Redacted())
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("%q has a query or fragment: give only the scheme, host and optional path prefix", raw)
	case u.Scheme == "https":
		return u, nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return u, nil
	case u.Scheme == "http":
		return nil, fmt.Errorf("%q uses plain http: credentials and tokens would cross the network unencrypted; use https (http is accepted only for loopback hosts such as 127.0.0.1)", raw)
	default:
		return nil, fmt.Errorf("%q has scheme %q: use https", raw, u.Scheme)
	}
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// withDefaults returns a copy of c with zero fields defaulted and the whole config validated.
func (c Config) withDefaults() (Config, error) {
	if c.APIVersion == "" {
		c.APIVersion = DefaultAPIVersion
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.RequestsPerSecond == 0 {
		c.RequestsPerSecond = DefaultRequestsPerSecond
	}
	if c.RetryWaitMin == 0 {
		c.RetryWaitMin = DefaultRetryWaitMin
	}
	if c.RetryWaitMax == 0 {
		c.RetryWaitMax = DefaultRetryWaitMax
	}
	if c.MaxRetries < 0 {
		return c, fmt.Errorf("max retries must be 0 or more, got %d", c.MaxRetries)
	}
	if c.RequestTimeout < 0 {
		return c, fmt.Errorf("request timeout must be positive, got %s", c.RequestTimeout)
	}
	if c.RequestsPerSecond < 0 {
		return c, fmt.Errorf("requests per second must be positive, got %g", c.RequestsPerSecond)
	}
	if c.RetryWaitMax < c.RetryWaitMin {
		c.RetryWaitMax = c.RetryWaitMin
	}
	if !IsValidAPIVersion(c.APIVersion) {
		return c, fmt.Errorf("unknown API version %q: use one of %s", c.APIVersion, strings.Join(APIVersions, ", "))
	}
	base, err := ValidateEndpointURL(c.BaseURL)
	if err != nil {
		return c, fmt.Errorf("base URL: %w", err)
	}
	c.BaseURL = strings.TrimRight(base.String(), "/")
	if c.TokenURL == "" {
		c.TokenURL = c.BaseURL + "/oauth/token"
	} else if _, err := ValidateEndpointURL(c.TokenURL); err != nil {
		return c, fmt.Errorf("token URL: %w", err)
	}
	if c.AccessToken == "" && (c.ClientID == "" || c.ClientSecret == "") {
		return c, errors.New("no credentials: set an access token, or both a client id and a client secret")
	}
	return c, nil
}
