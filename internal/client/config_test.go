package client

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// validConfig is DefaultConfig with the settings it leaves to the user.
func validConfig() Config {
	cfg := DefaultConfig()
	cfg.BaseURL = "https://acme.api.identitynow.com"
	cfg.ClientID, cfg.ClientSecret = "id", "secret"
	return cfg
}

// configFields lists the Field of every *ConfigError in err, in order, and fails the test
// if err holds anything else.
func configFields(t *testing.T, err error) []Field {
	t.Helper()
	if err == nil {
		return nil
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("err %v (%T) is not a joined error", err, err)
	}
	var fields []Field
	for _, e := range joined.Unwrap() {
		var ce *ConfigError
		if !errors.As(e, &ce) {
			t.Fatalf("%v (%T) is not a *ConfigError", e, e)
		}
		if !strings.HasPrefix(ce.Error(), string(ce.Field)+": ") || ce.Unwrap() == nil {
			t.Errorf("ConfigError %q does not name its field %s", ce.Error(), ce.Field)
		}
		fields = append(fields, ce.Field)
	}
	return fields
}

func TestDefaultConfig(t *testing.T) {
	got := DefaultConfig()
	want := Config{APIVersion: VersionV1, RequestTimeout: 30 * time.Second, MaxRetries: 5, RequestsPerSecond: 10,
		RetryWaitMin: time.Second, RetryWaitMax: 30 * time.Second}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("DefaultConfig() = %+v, want %+v", got, want)
	}
	if got.APIVersion != APIVersions[0] {
		t.Errorf("the default API version %s is not listed first", got.APIVersion)
	}
	if err := validConfig().Validate(); err != nil {
		t.Errorf("the defaults with a base URL and credentials do not validate: %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(*Config)
		want    []Field
		wantErr string // a part of the error
	}{
		{name: "valid", mutate: func(*Config) {}},
		{name: "access token alone", mutate: func(c *Config) { c.ClientID, c.ClientSecret, c.AccessToken = "", "", "tok" }},
		{name: "access token and credentials", mutate: func(c *Config) { c.AccessToken = "tok" }},
		{name: "no credentials", mutate: func(c *Config) { c.ClientID, c.ClientSecret = "", "" }, want: []Field{FieldCredentials}, wantErr: "no credentials"},
		{name: "id without secret", mutate: func(c *Config) { c.ClientSecret = "" }, want: []Field{FieldCredentials}},
		{name: "secret without id", mutate: func(c *Config) { c.ClientID = "" }, want: []Field{FieldCredentials}},
		{name: "no base URL", mutate: func(c *Config) { c.BaseURL = "" }, want: []Field{FieldBaseURL}, wantErr: "base_url: the URL is empty"},
		{name: "plain http base URL", mutate: func(c *Config) { c.BaseURL = "http://acme.api.identitynow.com" }, want: []Field{FieldBaseURL}, wantErr: "plain http"},
		{name: "loopback http base URL", mutate: func(c *Config) { c.BaseURL = "http://127.0.0.1:8080" }},
		// SailPoint's docs show API URLs with the version; a pasted one would miss on every call.
		{name: "base URL ending in /v3", mutate: func(c *Config) { c.BaseURL = "https://acme.api.identitynow.com/v3" }, want: []Field{FieldBaseURL},
			wantErr: `base_url: "https://acme.api.identitynow.com/v3" ends in the API version segment /v3: give the API base URL without it, "https://acme.api.identitynow.com"`},
		{name: "base URL ending in /beta/", mutate: func(c *Config) { c.BaseURL = "https://acme.api.identitynow.com/beta/" }, want: []Field{FieldBaseURL}, wantErr: "segment /beta:"},
		{name: "base URL ending in /v1", mutate: func(c *Config) { c.BaseURL = "https://proxy.example.com/isc/v1" }, want: []Field{FieldBaseURL},
			wantErr: `without it, "https://proxy.example.com/isc"`},
		{name: "base URL ending in /v2026", mutate: func(c *Config) { c.BaseURL = "http://127.0.0.1:9/v2026" }, want: []Field{FieldBaseURL}, wantErr: "segment /v2026:"},
		{name: "proxy path prefix", mutate: func(c *Config) { c.BaseURL = "https://proxy.example.com/isc/" }},
		{name: "prefix that only looks like a version", mutate: func(c *Config) { c.BaseURL = "https://proxy.example.com/v3api" }},
		{name: "version segment in a token URL", mutate: func(c *Config) { c.TokenURL = "https://sso.example.com/v1" }},
		{name: "plain http token URL", mutate: func(c *Config) { c.TokenURL = "http://sso.example.com/token" }, want: []Field{FieldTokenURL}, wantErr: "token_url:"},
		{name: "token URL with a query", mutate: func(c *Config) { c.TokenURL = "https://sso.example.com/token?x=1" }, want: []Field{FieldTokenURL}},
		{name: "custom token URL", mutate: func(c *Config) { c.TokenURL = "https://sso.example.com/token" }},
		{name: "no API version", mutate: func(c *Config) { c.APIVersion = "" }, want: []Field{FieldAPIVersion}, wantErr: `"" is not an API version: use one of v1, v3, beta, v2024, v2025, v2026`},
		{name: "unknown API version", mutate: func(c *Config) { c.APIVersion = "v4" }, want: []Field{FieldAPIVersion}},
		{name: "API version in capitals", mutate: func(c *Config) { c.APIVersion = "V3" }, want: []Field{FieldAPIVersion}},
		{name: "request timeout 0", mutate: func(c *Config) { c.RequestTimeout = 0 }, want: []Field{FieldRequestTimeout}, wantErr: "must be more than zero, got 0s"},
		{name: "negative request timeout", mutate: func(c *Config) { c.RequestTimeout = -time.Second }, want: []Field{FieldRequestTimeout}},
		{name: "max retries 0 means no retries", mutate: func(c *Config) { c.MaxRetries = 0 }},
		{name: "max retries 100", mutate: func(c *Config) { c.MaxRetries = 100 }},
		{name: "max retries 101", mutate: func(c *Config) { c.MaxRetries = 101 }, want: []Field{FieldMaxRetries}, wantErr: "between 0 and 100, got 101"},
		{name: "negative max retries", mutate: func(c *Config) { c.MaxRetries = -1 }, want: []Field{FieldMaxRetries}},
		{name: "requests per second 0", mutate: func(c *Config) { c.RequestsPerSecond = 0 }, want: []Field{FieldRequestsPerSecond}, wantErr: "at least 0.01, got 0"},
		{name: "requests per second NaN", mutate: func(c *Config) { c.RequestsPerSecond = math.NaN() }, want: []Field{FieldRequestsPerSecond}, wantErr: "got NaN"},
		{name: "negative requests per second", mutate: func(c *Config) { c.RequestsPerSecond = -1 }, want: []Field{FieldRequestsPerSecond}},
		{name: "requests per second under 0.01", mutate: func(c *Config) { c.RequestsPerSecond = 0.009 }, want: []Field{FieldRequestsPerSecond}},
		{name: "requests per second 0.01", mutate: func(c *Config) { c.RequestsPerSecond = 0.01 }},
		{name: "retry wait min 0", mutate: func(c *Config) { c.RetryWaitMin = 0 }, want: []Field{FieldRetryWait}, wantErr: "need 0 < min <= max, got 0s and 30s"},
		{name: "retry wait max under min", mutate: func(c *Config) { c.RetryWaitMax = c.RetryWaitMin / 2 }, want: []Field{FieldRetryWait}},
		{name: "retry wait min equal to max", mutate: func(c *Config) { c.RetryWaitMin, c.RetryWaitMax = time.Second, time.Second }},
		{name: "two problems, both reported", mutate: func(c *Config) { c.APIVersion, c.MaxRetries = "v9", -1 }, want: []Field{FieldAPIVersion, FieldMaxRetries}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.mutate(&c)
			err := c.Validate()
			if got := configFields(t, err); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("fields %v, want %v (err %v)", got, tt.want, err)
			}
			if tt.wantErr != "" {
				checkErr(t, err, tt.wantErr)
			}
			if _, newErr := New(c); (newErr == nil) != (err == nil) {
				t.Errorf("New: %v, Validate: %v", newErr, err)
			}
		})
	}
}

// Zero means zero: a zero Config is not quietly defaulted, it reports every field it lacks.
func TestValidateZeroConfig(t *testing.T) {
	err := Config{}.Validate()
	want := []Field{FieldBaseURL, FieldCredentials, FieldAPIVersion, FieldRequestTimeout, FieldRequestsPerSecond, FieldRetryWait}
	if got := configFields(t, err); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	c, newErr := New(Config{})
	if c != nil || newErr == nil || newErr.Error() != err.Error() {
		t.Errorf("New(Config{}) = %v, %v", c, newErr)
	}
}

func TestNewNormalizes(t *testing.T) {
	for _, tt := range []struct {
		name, base, token   string
		wantBase, wantToken string
		accessToken         string
		wantUsesAccessToken bool
	}{
		{name: "trailing slash", base: "https://acme.api.identitynow.com/", wantBase: "https://acme.api.identitynow.com",
			wantToken: "https://acme.api.identitynow.com/oauth/token"},
		{name: "path prefix", base: "https://gw.example.com/isc//", wantBase: "https://gw.example.com/isc",
			wantToken: "https://gw.example.com/isc/oauth/token"},
		{name: "custom token URL", base: "https://acme.api.identitynow.com", token: "https://sso.example.com/token",
			wantBase: "https://acme.api.identitynow.com", wantToken: "https://sso.example.com/token"},
		{name: "access token", base: "https://acme.api.identitynow.com", accessToken: "tok", wantUsesAccessToken: true,
			wantBase: "https://acme.api.identitynow.com", wantToken: "https://acme.api.identitynow.com/oauth/token"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := validConfig()
			cfg.BaseURL, cfg.TokenURL, cfg.AccessToken = tt.base, tt.token, tt.accessToken
			c, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := c.Config()
			if got.BaseURL != tt.wantBase || got.TokenURL != tt.wantToken {
				t.Errorf("base %q, token %q; want %q, %q", got.BaseURL, got.TokenURL, tt.wantBase, tt.wantToken)
			}
			if c.UsesAccessToken() != tt.wantUsesAccessToken {
				t.Errorf("UsesAccessToken %v", c.UsesAccessToken())
			}
			if got.RequestTimeout != cfg.RequestTimeout || got.MaxRetries != cfg.MaxRetries || got.APIVersion != cfg.APIVersion {
				t.Errorf("settings changed: %+v", got)
			}
		})
	}
}

func TestValidateEndpointURL(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string
	}{
		{in: "https://acme.api.identitynow.com"},
		{in: "https://acme.api.identitynow.com/"},
		{in: "https://acme.example.com/prefix"},
		{in: "https://acme.example.com:8443"},
		{in: "http://127.0.0.1:8080"},
		{in: "http://127.1.2.3"},
		{in: "http://localhost:9000"},
		{in: "http://LOCALHOST:9000"},
		{in: "http://[::1]:9000"},
		{in: "", wantErr: "the URL is empty"},
		{in: "   ", wantErr: "the URL is empty"},
		{in: "acme.api.identitynow.com", wantErr: "not an absolute URL"},
		{in: "/oauth/token", wantErr: "not an absolute URL"},
		{in: "https://", wantErr: "not an absolute URL"},
		{in: "http://acme.api.identitynow.com", wantErr: "plain http"},
		{in: "http://10.0.0.1", wantErr: "plain http"},
		{in: "http://localhost.example.com", wantErr: "plain http"},
		{in: "ftp://acme.example.com", wantErr: `has scheme "ftp": use https`},
		{in: "https://user:pw@acme.example.com", wantErr: "carries credentials in the URL"},
		{in: "https://acme.example.com/?x=1", wantErr: "query or fragment"},
		{in: "https://acme.example.com/?", wantErr: "query or fragment"},
		{in: "https://acme.example.com/#frag", wantErr: "query or fragment"},
		{in: "https://acme example.com", wantErr: "not a valid URL"},
		{in: "https://%zz", wantErr: "not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := ValidateEndpointURL(tt.in)
			checkErr(t, err, tt.wantErr)
			if (u == nil) != (err != nil) {
				t.Errorf("URL %v with error %v", u, err)
			}
		})
	}
}

func TestValidateEndpointURLHidesPassword(t *testing.T) {
	_, err := ValidateEndpointURL("https://user:s3cr3t@acme.example.com")
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("the error must not repeat the password: %v", err)
	}
	_, err = ValidateEndpointURL("https://acme example.com")
	if err == nil || strings.Count(err.Error(), "acme example.com") != 1 {
		t.Errorf("the error must name the URL once: %v", err)
	}
}

func TestTenantBaseURL(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{in: "acme", want: "https://acme.api.identitynow.com"},
		{in: "Acme-SB", want: "https://acme-sb.api.identitynow.com"},
		{in: "a", want: "https://a.api.identitynow.com"},
		{in: "tenant01", want: "https://tenant01.api.identitynow.com"},
		{in: strings.Repeat("a", 63), want: "https://" + strings.Repeat("a", 63) + ".api.identitynow.com"},
		{in: strings.Repeat("a", 64), wantErr: "not a tenant name"},
		{in: "", wantErr: "not a tenant name"},
		{in: "acme.api.identitynow.com", wantErr: "not a tenant name"},
		{in: "https://acme", wantErr: "not a tenant name"},
		{in: "-acme", wantErr: "not a tenant name"},
		{in: "acme-", wantErr: "not a tenant name"},
		{in: "ac me", wantErr: "not a tenant name"},
		{in: "ac_me", wantErr: "not a tenant name"},
		{in: "acme/../x", wantErr: "not a tenant name"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := TenantBaseURL(tt.in)
			checkErr(t, err, tt.wantErr)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if err == nil {
				if _, verr := ValidateEndpointURL(got); verr != nil {
					t.Errorf("the tenant's base URL does not validate: %v", verr)
				}
			}
		})
	}
}

func TestIsValidAPIVersion(t *testing.T) {
	for _, v := range APIVersions {
		if !isValidAPIVersion(v) {
			t.Errorf("%s refused", v)
		}
	}
	if fmt.Sprint(APIVersions) != "[v1 v3 beta v2024 v2025 v2026]" {
		t.Errorf("APIVersions %v", APIVersions)
	}
	for _, v := range []string{"", "V1", "v2", "v4", "v2023", "Beta", " v3"} {
		if isValidAPIVersion(v) {
			t.Errorf("%q accepted", v)
		}
	}
}
