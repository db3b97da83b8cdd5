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

// API versions. VersionV1 is the per-service form (/sources/v1, /source-usages/v1/{id}/...)
// that SailPoint points every client at since 2026; the others prefix the whole API
// (/v3/sources, /v3/source-usages/{id}/...) and stay served on SailPoint's timeline.
const (
	VersionV1    = "v1"
	VersionV3    = "v3"
	VersionBeta  = "beta"
	VersionV2024 = "v2024"
	VersionV2025 = "v2025"
	VersionV2026 = "v2026"
)

// APIVersions lists every accepted API version, the default first.
var APIVersions = []string{VersionV1, VersionV3, VersionBeta, VersionV2024, VersionV2025, VersionV2026}

const (
	// MaxRetryAfter caps how long the client honours a Retry-After header, so that a gateway
	// asking for an hour cannot silently stall a plan.
	MaxRetryAfter = 5 * time.Minute

	// maxResponseBytes bounds how much of a response body is read into memory. A page of 250
	// sources is about 500 KiB; anything near this limit is not the API talking.
	maxResponseBytes = 10 << 20
)

// Config holds everything needed to talk to one ISC tenant. Start from DefaultConfig: every
// field means what it says, and zero is zero (MaxRetries 0 means no retries; a zero
// RequestTimeout or RequestsPerSecond is invalid).
type Config struct {
	BaseURL string // https://{tenant}.api.identitynow.com, with or without a trailing slash
	// TokenURL is the OAuth token endpoint; empty means BaseURL + /oauth/token, as ISC serves it.
	TokenURL     string
	ClientID     string
	ClientSecret string
	// AccessToken is a bearer token obtained elsewhere. When set, ClientID and ClientSecret
	// are not used and the token is never refreshed.
	AccessToken string
	APIVersion  string

	RequestTimeout    time.Duration // per HTTP attempt, including reading the body
	MaxRetries        int           // retries after the first attempt
	RequestsPerSecond float64       // client-side pacing of API calls, shared by every call

	// RetryWaitMin and RetryWaitMax bound the exponential backoff between attempts.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration

	UserAgent string

	// Transport is the HTTP transport; nil means a clone of http.DefaultTransport (system
	// roots, so SSL_CERT_FILE and SSL_CERT_DIR work; verification is always on).
	Transport http.RoundTripper
}

// DefaultConfig returns the defaults: API version v1, 30 s per attempt, 5 retries waiting 1 to
// 30 s, and 10 requests per second, ISC's limit of 100 requests per access token per 10 s.
func DefaultConfig() Config {
	return Config{
		APIVersion:        VersionV1,
		RequestTimeout:    30 * time.Second,
		MaxRetries:        5,
		RequestsPerSecond: 10,
		RetryWaitMin:      time.Second,
		RetryWaitMax:      30 * time.Second,
	}
}

// Field names a setting in a ConfigError, by the name the provider block gives it.
type Field string

// The fields Validate checks.
const (
	FieldBaseURL           Field = "base_url"
	FieldTokenURL          Field = "token_url"
	FieldCredentials       Field = "client_id"
	FieldAPIVersion        Field = "api_version"
	FieldRequestTimeout    Field = "request_timeout"
	FieldMaxRetries        Field = "max_retries"
	FieldRequestsPerSecond Field = "requests_per_second"
	FieldRetryWait         Field = "retry_wait"
)

// ConfigError is one invalid setting.
type ConfigError struct {
	Field Field
	Err   error
}

func (e *ConfigError) Error() string { return string(e.Field) + ": " + e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Validate checks every field and returns every problem, each a *ConfigError, joined.
func (c Config) Validate() error {
	var errs []error
	bad := func(f Field, err error) { errs = append(errs, &ConfigError{Field: f, Err: err}) }
	if _, err := ValidateBaseURL(c.BaseURL); err != nil {
		bad(FieldBaseURL, err)
	}
	if c.TokenURL != "" {
		if _, err := ValidateEndpointURL(c.TokenURL); err != nil {
			bad(FieldTokenURL, err)
		}
	}
	if c.AccessToken == "" && (c.ClientID == "" || c.ClientSecret == "") {
		bad(FieldCredentials, errors.New("no credentials: set an access token, or both a client id and a client secret"))
	}
	if !isValidAPIVersion(c.APIVersion) {
		bad(FieldAPIVersion, fmt.Errorf("%q is not an API version: use one of %s", c.APIVersion, strings.Join(APIVersions, ", ")))
	}
	if c.RequestTimeout <= 0 {
		bad(FieldRequestTimeout, fmt.Errorf("must be more than zero, got %s", c.RequestTimeout))
	}
	if c.MaxRetries < 0 || c.MaxRetries > 100 {
		bad(FieldMaxRetries, fmt.Errorf("must be between 0 and 100, got %d", c.MaxRetries))
	}
	if !(c.RequestsPerSecond >= 0.01) { // also refuses NaN
		bad(FieldRequestsPerSecond, fmt.Errorf("must be at least 0.01, got %g", c.RequestsPerSecond))
	}
	if c.RetryWaitMin <= 0 || c.RetryWaitMax < c.RetryWaitMin {
		bad(FieldRetryWait, fmt.Errorf("need 0 < min <= max, got %s and %s", c.RetryWaitMin, c.RetryWaitMax))
	}
	return errors.Join(errs...)
}

// normalized returns c with the base URL's trailing slash dropped and the token URL filled in.
func (c Config) normalized() Config {
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.TokenURL == "" {
		c.TokenURL = c.BaseURL + "/oauth/token"
	}
	return c
}

var tenantPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// TenantBaseURL turns a tenant name such as "acme" into its API base URL.
func TenantBaseURL(tenant string) (string, error) {
	if !tenantPattern.MatchString(tenant) {
		return "", fmt.Errorf("%q is not a tenant name: use the first label of your tenant's host, e.g. \"acme\" for acme.api.identitynow.com, or set base_url for other hosts", tenant)
	}
	return "https://" + strings.ToLower(tenant) + ".api.identitynow.com", nil
}

// isValidAPIVersion reports whether v is one of APIVersions.
func isValidAPIVersion(v string) bool {
	for _, known := range APIVersions {
		if v == known {
			return true
		}
	}
	return false
}

// versionSegment matches a path segment that names an API version: v1, v3, v2024, beta.
var versionSegment = regexp.MustCompile(`(?i)^(v[0-9]+|beta)$`)

// ValidateBaseURL checks a base URL: an endpoint URL (see ValidateEndpointURL) whose path does
// not end in an API version. SailPoint's docs show API URLs such as
// https://acme.api.identitynow.com/v3/sources, so a pasted https://acme.api.identitynow.com/v3
// is a likely mistake; every call would then miss, the token request first. A proxy's own
// path prefix, such as https://proxy.example.com/isc, stays allowed.
func ValidateBaseURL(raw string) (*url.URL, error) {
	u, err := ValidateEndpointURL(raw)
	if err != nil {
		return nil, err
	}
	path := strings.TrimRight(u.Path, "/")
	if last := path[strings.LastIndex(path, "/")+1:]; versionSegment.MatchString(last) {
		without := *u
		without.Path, without.RawPath = strings.TrimSuffix(path, last), ""
		return nil, fmt.Errorf("%q ends in the API version segment /%s: give the API base URL without it, %q; "+
			"the provider adds each call's path itself, and api_version chooses the version",
			raw, last, strings.TrimRight(without.String(), "/"))
	}
	return u, nil
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
