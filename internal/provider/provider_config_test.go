package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

func TestResolveConfig(t *testing.T) {
	str := types.StringValue
	tests := []struct {
		name    string
		model   providerModel
		env     map[string]string
		check   func(t *testing.T, c client.Config)
		wantErr string
	}{
		{
			name:  "environment only",
			model: nullModel(),
			env:   map[string]string{"SAIL_BASE_URL": "https://acme.api.identitynow.com", "SAIL_CLIENT_ID": "id", "SAIL_CLIENT_SECRET": "s"},
			check: func(t *testing.T, c client.Config) {
				want(t, c.BaseURL, "https://acme.api.identitynow.com")
				want(t, c.ClientID, "id")
				want(t, c.APIVersion, "v3")
			},
		},
		{
			name:  "tenant shortcut from environment",
			model: nullModel(),
			env:   map[string]string{"SAIL_TENANT": "acme", "SAIL_ACCESS_TOKEN": "tok"},
			check: func(t *testing.T, c client.Config) {
				want(t, c.BaseURL, "https://acme.api.identitynow.com")
				want(t, c.AccessToken, "tok")
			},
		},
		{
			name:  "HCL tenant overrides SAIL_BASE_URL",
			model: with(nullModel(), func(m *providerModel) { m.Tenant = str("acme"); m.AccessToken = str("t") }),
			env:   map[string]string{"SAIL_BASE_URL": "https://other.example.com"},
			check: func(t *testing.T, c client.Config) { want(t, c.BaseURL, "https://acme.api.identitynow.com") },
		},
		{
			name:  "HCL base_url overrides SAIL_TENANT",
			model: with(nullModel(), func(m *providerModel) { m.BaseURL = str("https://x.example.com"); m.AccessToken = str("t") }),
			env:   map[string]string{"SAIL_TENANT": "acme"},
			check: func(t *testing.T, c client.Config) { want(t, c.BaseURL, "https://x.example.com") },
		},
		{
			name:  "HCL client credentials beat SAIL_ACCESS_TOKEN",
			model: with(nullModel(), func(m *providerModel) { m.BaseURL = str("https://x.example.com"); m.ClientID = str("id") }),
			env:   map[string]string{"SAIL_ACCESS_TOKEN": "tok", "SAIL_CLIENT_SECRET": "s"},
			check: func(t *testing.T, c client.Config) {
				want(t, c.AccessToken, "")
				want(t, c.ClientID, "id")
				want(t, c.ClientSecret, "s")
			},
		},
		{
			name:  "SAIL_ACCESS_TOKEN beats SAIL_CLIENT_ID",
			model: with(nullModel(), func(m *providerModel) { m.BaseURL = str("https://x.example.com") }),
			env:   map[string]string{"SAIL_ACCESS_TOKEN": "tok", "SAIL_CLIENT_ID": "id", "SAIL_CLIENT_SECRET": "s"},
			check: func(t *testing.T, c client.Config) {
				want(t, c.AccessToken, "tok")
				want(t, c.ClientID, "")
			},
		},
		{
			name: "every setting",
			model: with(nullModel(), func(m *providerModel) {
				m.BaseURL, m.AccessToken, m.TokenURL = str("https://x.example.com/"), str("t"), str("https://sso.example.com/token")
				m.APIVersion, m.RequestTimeout = str("v2025"), str("90s")
				m.MaxRetries, m.RequestsPerSecond = types.Int64Value(0), types.Float64Value(2.5)
			}),
			check: func(t *testing.T, c client.Config) {
				want(t, c.TokenURL, "https://sso.example.com/token")
				want(t, c.APIVersion, "v2025")
				want(t, c.RequestTimeout.String(), "1m30s")
				want(t, c.MaxRetries, 0)
				want(t, c.RequestsPerSecond, 2.5)
			},
		},
		{name: "nothing", model: nullModel(), wantErr: "Missing SailPoint API base URL|Missing SailPoint credentials"},
		{
			name:    "bad token url from environment",
			model:   with(nullModel(), func(m *providerModel) { m.BaseURL, m.AccessToken = str("https://x.example.com"), str("t") }),
			env:     map[string]string{"SAIL_TOKEN_URL": "http://sso.example.com/token"},
			wantErr: "Invalid token URL: SAIL_TOKEN_URL",
		},
		{
			name:    "unknown base_url",
			model:   with(nullModel(), func(m *providerModel) { m.BaseURL, m.AccessToken = types.StringUnknown(), str("t") }),
			wantErr: "Unknown value for base_url: The provider cannot be configured because base_url depends on a value that is known only after apply",
		},
		{
			name: "unknown secret",
			model: with(nullModel(), func(m *providerModel) {
				m.BaseURL, m.ClientSecret = str("https://x.example.com"), types.StringUnknown()
			}),
			wantErr: "Unknown value for client_secret",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := resolveConfig(tt.model, func(k string) (string, bool) {
				v, ok := tt.env[k]
				return v, ok
			})
			var got []string
			for _, d := range diags.Errors() {
				got = append(got, d.Summary()+": "+d.Detail())
			}
			joined := strings.Join(got, "|")
			if tt.wantErr == "" && joined != "" {
				t.Fatalf("unexpected errors: %s", joined)
			}
			for _, w := range strings.Split(tt.wantErr, "|") {
				if w != "" && !strings.Contains(joined, w) {
					t.Errorf("errors %q lack %q", joined, w)
				}
			}
			if tt.check != nil {
				tt.check(t, cfg)
			}
		})
	}
}

func nullModel() providerModel {
	return providerModel{
		BaseURL: types.StringNull(), Tenant: types.StringNull(), ClientID: types.StringNull(), ClientSecret: types.StringNull(),
		AccessToken: types.StringNull(), TokenURL: types.StringNull(), APIVersion: types.StringNull(), RequestTimeout: types.StringNull(),
		MaxRetries: types.Int64Null(), RequestsPerSecond: types.Float64Null(),
	}
}

func with(m providerModel, f func(*providerModel)) providerModel {
	f(&m)
	return m
}

func want[T comparable](t *testing.T, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCheckSourceID(t *testing.T) {
	for id, wantErr := range map[string]string{
		"2c9180835d191a86015d28455b4a2329": "",
		"a/b?c#d%2F":                       "",
		"quelle-é":                         "",
		"":                                 "empty",
		" a":                               "white space at byte 0",
		"a\u00a0b":                         "white space",
		"a\x00b":                           "control character U+0000",
		"a\u200bb":                         "control character U+200B",
		"..":                               "not a source id",
	} {
		err := checkSourceID(id)
		switch {
		case wantErr == "" && err != nil:
			t.Errorf("%q: unexpected %v", id, err)
		case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
			t.Errorf("%q: error %v, want %q", id, err, wantErr)
		}
	}
}

func TestSortersPattern(t *testing.T) {
	for s, ok := range map[string]bool{
		"date": true, "-date": true, "date,-name": true, "a.b_c": true,
		"": false, " date": false, "date ": false, "date,": false, ",date": false, "--date": false, "+date": false, "date desc": false, "-": false, "1date": false,
	} {
		if got := sortersPattern.MatchString(s); got != ok {
			t.Errorf("%q: match %v, want %v", s, got, ok)
		}
	}
}
