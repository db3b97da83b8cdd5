package client

import (
	"strings"
	"testing"
	"time"
)

func TestValidateEndpointURL(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string
	}{
		{in: "https://acme.api.identitynow.com"},
		{in: "https://acme.api.identitynow.com/"},
		{in: "https://acme.example.com/prefix"},
		{in: "http://127.0.0.1:8080"},
		{in: "http://localhost:9000"},
		{in: "http://[::1]:9000"},
		{in: "", wantErr: "empty"},
		{in: "acme.api.identitynow.com", wantErr: "not an absolute URL"},
		{in: "http://acme.api.identitynow.com", wantErr: "plain http"},
		{in: "http://10.0.0.1", wantErr: "plain http"},
		{in: "ftp://acme.example.com", wantErr: "use https"},
		{in: "https://user:pw@acme.example.com", wantErr: "credentials"},
		{in: "https://acme.example.com/?x=1", wantErr: "query or fragment"},
		{in: "https://acme.example.com/#frag", wantErr: "query or fragment"},
		{in: "https://acme example.com", wantErr: "not a valid URL"},
		{in: "https://%zz", wantErr: "not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ValidateEndpointURL(tt.in)
			checkErr(t, err, tt.wantErr)
		})
	}
}

func TestValidateEndpointURLHidesPassword(t *testing.T) {
	_, err := ValidateEndpointURL("https://user:s3cr3t@acme.example.com")
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("error must not repeat the password: %v", err)
	}
}

func TestTenantBaseURL(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{in: "acme", want: "https://acme.api.identitynow.com"},
		{in: "Acme-SB", want: "https://acme-sb.api.identitynow.com"},
		{in: "", wantErr: "not a tenant name"},
		{in: "acme.api.identitynow.com", wantErr: "not a tenant name"},
		{in: "-acme", wantErr: "not a tenant name"},
		{in: "ac me", wantErr: "not a tenant name"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := TenantBaseURL(tt.in)
			checkErr(t, err, tt.wantErr)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestConfigWithDefaults(t *testing.T) {
	ok := Config{BaseURL: "https://acme.api.identitynow.com/", ClientID: "id", ClientSecret: "secret"}
	got, err := ok.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if got.BaseURL != "https://acme.api.identitynow.com" || got.TokenURL != "https://acme.api.identitynow.com/oauth/token" ||
		got.APIVersion != "v3" || got.RequestTimeout != 30*time.Second || got.RequestsPerSecond != 10 ||
		got.RetryWaitMin != time.Second || got.RetryWaitMax != 30*time.Second {
		t.Errorf("defaults not applied: %+v", got)
	}

	tests := []struct {
		name    string
		mutate  func(*Config)
		wantErr string
	}{
		{"access token alone", func(c *Config) { c.ClientID, c.ClientSecret, c.AccessToken = "", "", "tok" }, ""},
		{"no credentials", func(c *Config) { c.ClientID, c.ClientSecret = "", "" }, "no credentials"},
		{"id without secret", func(c *Config) { c.ClientSecret = "" }, "no credentials"},
		{"bad version", func(c *Config) { c.APIVersion = "v4" }, "unknown API version"},
		{"every version", func(c *Config) { c.APIVersion = "v1" }, ""},
		{"negative retries", func(c *Config) { c.MaxRetries = -1 }, "max retries"},
		{"negative timeout", func(c *Config) { c.RequestTimeout = -time.Second }, "request timeout"},
		{"negative rate", func(c *Config) { c.RequestsPerSecond = -1 }, "requests per second"},
		{"plain http base", func(c *Config) { c.BaseURL = "http://acme.api.identitynow.com" }, "base URL"},
		{"plain http token url", func(c *Config) { c.TokenURL = "http://sso.example.com/token" }, "token URL"},
		{"custom token url", func(c *Config) { c.TokenURL = "https://sso.example.com/token" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.mutate(&c)
			_, err := c.withDefaults()
			checkErr(t, err, tt.wantErr)
		})
	}
}

func TestSourceUsagesPath(t *testing.T) {
	tests := []struct {
		version, id, op string
		want            string
		wantErr         string
	}{
		{"v3", "2c9180835d191a86015d28455b4a2329", OpStatus, "/v3/source-usages/2c9180835d191a86015d28455b4a2329/status", ""},
		{"beta", "abc", OpSummaries, "/beta/source-usages/abc/summaries", ""},
		{"v2026", "abc", OpStatus, "/v2026/source-usages/abc/status", ""},
		{"v1", "abc", OpSummaries, "/source-usages/v1/abc/summaries", ""},
		{"v3", "../../v3/sources", OpStatus, "/v3/source-usages/..%2F..%2Fv3%2Fsources/status", ""},
		{"v3", "a?b#c", OpStatus, "/v3/source-usages/a%3Fb%23c/status", ""},
		{"v3", "a%2Fb", OpStatus, "/v3/source-usages/a%252Fb/status", ""},
		{"v3", "a b", OpStatus, "/v3/source-usages/a%20b/status", ""},
		{"v3", "quelle-é", OpStatus, "/v3/source-usages/quelle-%C3%A9/status", ""},
		{"v3", "", OpStatus, "", "empty"},
		{"v3", ".", OpStatus, "", "not a source id"},
		{"v3", "..", OpStatus, "", "not a source id"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, err := SourceUsagesPath(tt.version, tt.id, tt.op)
			checkErr(t, err, tt.wantErr)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("want an error containing %q, got none", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("error %q does not contain %q", err, want)
	}
}
