package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

func TestResolveConfig(t *testing.T) {
	str := types.StringValue
	tests := []struct {
		name    string
		model   providerModel
		env     map[string]string
		check   func(t *testing.T, c client.Config)
		from    *origin // where the URLs and credentials came from, when not nil
		wantErr string
		errors  int // exactly this many errors, when not 0
	}{
		{
			name:  "environment only",
			model: nullModel(),
			env:   map[string]string{"SAIL_BASE_URL": "https://acme.api.identitynow.com", "SAIL_CLIENT_ID": "id", "SAIL_CLIENT_SECRET": "s"},
			check: func(t *testing.T, c client.Config) {
				want(t, c.BaseURL, "https://acme.api.identitynow.com")
				want(t, c.ClientID, "id")
				want(t, c.APIVersion, "v1")
			},
			from: &origin{baseURL: "SAIL_BASE_URL", credentials: "SAIL_CLIENT_ID and SAIL_CLIENT_SECRET"},
		},
		{
			name:  "tenant shortcut from environment",
			model: nullModel(),
			env:   map[string]string{"SAIL_TENANT": "acme", "SAIL_ACCESS_TOKEN": "tok"},
			check: func(t *testing.T, c client.Config) {
				want(t, c.BaseURL, "https://acme.api.identitynow.com")
				want(t, c.AccessToken, "tok")
			},
			from: &origin{baseURL: "SAIL_TENANT", credentials: "SAIL_ACCESS_TOKEN"},
		},
		{
			name:  "HCL tenant overrides SAIL_BASE_URL",
			model: with(nullModel(), func(m *providerModel) { m.Tenant = str("acme"); m.AccessToken = str("t") }),
			env:   map[string]string{"SAIL_BASE_URL": "https://other.example.com"},
			check: func(t *testing.T, c client.Config) { want(t, c.BaseURL, "https://acme.api.identitynow.com") },
			from:  &origin{baseURL: "tenant", credentials: "access_token"},
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
			from: &origin{baseURL: "base_url", credentials: "client_id and SAIL_CLIENT_SECRET"},
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
			from: &origin{baseURL: "base_url", tokenURL: "token_url", credentials: "access_token", apiVersion: "api_version"},
		},
		{name: "nothing", model: nullModel(), wantErr: "Missing SailPoint API base URL|Missing SailPoint credentials"},
		{
			// SailPoint's docs show API URLs with the version: the error says what was set, where,
			// and what it must look like, before any request.
			name:    "base URL with an API version from environment",
			model:   nullModel(),
			env:     map[string]string{"SAIL_BASE_URL": "https://acme.api.identitynow.com/v3", "SAIL_ACCESS_TOKEN": "t"},
			wantErr: `Invalid base URL: SAIL_BASE_URL: "https://acme.api.identitynow.com/v3" ends in the API version segment /v3: give the API base URL without it, "https://acme.api.identitynow.com"`,
			errors:  1,
		},
		{
			name: "base URL with an API version in HCL",
			model: with(nullModel(), func(m *providerModel) {
				m.BaseURL, m.AccessToken = str("https://acme.api.identitynow.com/beta/"), str("t")
			}),
			wantErr: `Invalid base URL: base_url: "https://acme.api.identitynow.com/beta/" ends in the API version segment /beta`,
			errors:  1,
		},
		{
			name:    "bad token url from environment",
			model:   with(nullModel(), func(m *providerModel) { m.BaseURL, m.AccessToken = str("https://x.example.com"), str("t") }),
			env:     map[string]string{"SAIL_TOKEN_URL": "http://sso.example.com/token"},
			wantErr: "Invalid token URL: SAIL_TOKEN_URL",
		},
		{
			name:    "bad API version from environment",
			model:   with(nullModel(), func(m *providerModel) { m.BaseURL, m.AccessToken = str("https://x.example.com"), str("t") }),
			env:     map[string]string{"SAIL_API_VERSION": "v4"},
			wantErr: `Invalid API version: SAIL_API_VERSION: "v4" is not an API version: use one of v1, v3, beta, v2024, v2025, v2026`,
		},
		{
			name:    "bad base URL from environment names the variable",
			model:   with(nullModel(), func(m *providerModel) { m.AccessToken = str("t") }),
			env:     map[string]string{"SAIL_BASE_URL": "acme.api.identitynow.com"},
			wantErr: `Invalid base URL: SAIL_BASE_URL: "acme.api.identitynow.com" is not an absolute URL`,
		},
		{
			name:    "bad tenant from environment",
			model:   with(nullModel(), func(m *providerModel) { m.AccessToken = str("t") }),
			env:     map[string]string{"SAIL_TENANT": "acme.example"},
			wantErr: `Invalid tenant: SAIL_TENANT: "acme.example" is not a tenant name`,
		},
		{
			name:    "both SAIL_BASE_URL and SAIL_TENANT",
			model:   with(nullModel(), func(m *providerModel) { m.AccessToken = str("t") }),
			env:     map[string]string{"SAIL_TENANT": "acme", "SAIL_BASE_URL": "https://acme.api.identitynow.com"},
			wantErr: "Conflicting SAIL_BASE_URL and SAIL_TENANT",
		},
		{
			name:    "half a pair",
			model:   with(nullModel(), func(m *providerModel) { m.BaseURL = str("https://x.example.com") }),
			env:     map[string]string{"SAIL_CLIENT_SECRET": "s"},
			wantErr: "Missing client id: A client secret is set (SAIL_CLIENT_SECRET) but no client id",
		},
		{
			name: "a bad value and a missing one are both reported, once each",
			model: with(nullModel(), func(m *providerModel) {
				m.BaseURL, m.RequestTimeout = str("ftp://x.example.com"), str("-1s")
			}),
			wantErr: `Invalid base URL: base_url: "ftp://x.example.com" has scheme "ftp"|Missing SailPoint credentials|Invalid request timeout: "-1s" must be more than zero`,
			errors:  3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, from, diags := resolveConfig(tt.model, func(k string) (string, bool) {
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
			if tt.errors != 0 && len(got) != tt.errors {
				t.Errorf("%d errors, want %d: %s", len(got), tt.errors, joined)
			}
			if tt.check != nil {
				tt.check(t, cfg)
			}
			if tt.from != nil && from != *tt.from {
				t.Errorf("origin %+v, want %+v", from, *tt.from)
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

const adStatusData = `
data "sailpoint_source_usage_status" "test" {
  source_id = "` + acctest.SourceActiveDirectory + `"
}
`

// The whole configuration from the real process environment, as CI systems set it.
// Not parallel: it sets process environment variables.
func TestAccProvider_environmentVariables(t *testing.T) {
	acctest.TerraformPath(t)
	fake := acctest.NewFake(t)
	t.Setenv("SAIL_BASE_URL", fake.URL+"/")
	t.Setenv("SAIL_CLIENT_ID", fakeisc.DefaultClientID)
	t.Setenv("SAIL_CLIENT_SECRET", fakeisc.DefaultClientSecret)
	t.Setenv("SAIL_API_VERSION", "beta")
	t.Setenv("SAIL_TENANT", "")
	t.Setenv("SAIL_ACCESS_TOKEN", "")
	t.Setenv("SAIL_TOKEN_URL", "")
	rec := acctest.NewRecorder().UseProcessEnv()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(rec),
		Steps: []resource.TestStep{{
			Config: `provider "sailpoint" {}` + adStatusData,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(statusAddr, "status", "COMPLETE"),
				checkPaths(fake, "/beta/source-usages/"+acctest.SourceActiveDirectory+"/status"),
				checkEveryInstance(rec, 1, 1),
			),
		}},
	})
}

// A value in HCL wins over its environment variable.
func TestAccProvider_hclWinsOverEnvironment(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder().
		Env("SAIL_BASE_URL", "https://wrong.invalid").
		Env("SAIL_CLIENT_ID", "wrong-id").
		Env("SAIL_API_VERSION", "v2024")
	accTest(t, rec, resource.TestStep{
		Config: fake.ProviderBlock(`api_version = "v1"`) + adStatusData,
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(statusAddr, "status", "COMPLETE"),
			checkPaths(fake, "/source-usages/v1/"+acctest.SourceActiveDirectory+"/status"),
		),
	})
}

// HCL credentials may take the missing half of the pair from the environment.
func TestAccProvider_secretFromEnvironment(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder().Env("SAIL_CLIENT_SECRET", fakeisc.DefaultClientSecret)
	accTest(t, rec, resource.TestStep{
		Config: fmt.Sprintf(`provider "sailpoint" {
  base_url  = %q
  client_id = %q
}
`, fake.URL, fakeisc.DefaultClientID) + adStatusData,
		Check: resource.TestCheckResourceAttr(statusAddr, "status", "COMPLETE"),
	})
}

func TestAccProvider_accessToken(t *testing.T) {
	fake := acctest.NewFake(t)
	token := fake.IssueToken(fakeisc.DefaultClientID, time.Hour)
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: fmt.Sprintf(`provider "sailpoint" {
  base_url     = %q
  access_token = %q
}
`, fake.URL, token) + adStatusData,
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(statusAddr, "status", "COMPLETE"),
			checkEveryInstance(rec, 0, 1),
			func(*terraform.State) error {
				if n := fake.Stats().TokenRequests; n != 0 {
					return fmt.Errorf("an access token must be used as is, but the fake saw %d token requests", n)
				}
				return nil
			},
		),
	})
}

// SAIL_ACCESS_TOKEN wins over SAIL_CLIENT_ID/SAIL_CLIENT_SECRET when HCL sets no credentials.
func TestAccProvider_accessTokenFromEnvironmentWins(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder().
		Env("SAIL_ACCESS_TOKEN", fake.IssueToken(fakeisc.DefaultClientID, time.Hour)).
		Env("SAIL_CLIENT_ID", "unused").
		Env("SAIL_CLIENT_SECRET", "unused")
	accTest(t, rec, resource.TestStep{
		Config: fmt.Sprintf("provider \"sailpoint\" {\n  base_url = %q\n}\n", fake.URL) + adStatusData,
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(statusAddr, "status", "COMPLETE"),
			checkEveryInstance(rec, 0, 1),
		),
	})
}

// Errors in the configuration are reported against the attribute, with the environment
// variable that could have set it.
func TestAccProvider_configurationErrors(t *testing.T) {
	tests := map[string]struct {
		provider string
		env      map[string]string
		want     []string
	}{
		"missing base url": {
			provider: `client_id = "a"
  client_secret = "b"`,
			want: []string{"Missing SailPoint API base URL", "base_url", "SAIL_BASE_URL"},
		},
		"missing credentials": {
			provider: `base_url = "https://acme.api.identitynow.com"`,
			want:     []string{"Missing SailPoint credentials", "client_id", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET", "SAIL_ACCESS_TOKEN"},
		},
		"missing secret": {
			provider: `base_url = "https://acme.api.identitynow.com"
  client_id = "a"`,
			want: []string{"Missing client secret", "client_secret", "SAIL_CLIENT_SECRET"},
		},
		"unknown api version": {
			provider: `base_url = "https://acme.api.identitynow.com"
  api_version = "v4"`,
			want: []string{`Attribute api_version value must be one of`, `"v1"`, `"v3"`},
		},
		"unknown api version from environment": {
			provider: `base_url = "https://acme.api.identitynow.com"
  access_token = "t"`,
			env:  map[string]string{"SAIL_API_VERSION": "v4"},
			want: []string{"Invalid API version", `SAIL_API_VERSION: "v4" is not an API version`},
		},
		"bad duration": {
			provider: `request_timeout = "soon"`,
			want:     []string{"Invalid duration", `"soon" is not a duration`},
		},
		"zero duration": {
			provider: `request_timeout = "0s"`,
			want:     []string{"Invalid duration", "more than zero"},
		},
		"negative retries": {
			provider: `max_retries = -1`,
			want:     []string{"max_retries value must be between 0 and 100"},
		},
		"negative rate": {
			provider: `requests_per_second = -1`,
			want:     []string{"requests_per_second value must be at least 0.01"},
		},
		"base url not a url": {
			provider: `base_url = "acme"`,
			want:     []string{"Invalid URL", "not an absolute URL"},
		},
		"plain http": {
			provider: `base_url = "http://acme.api.identitynow.com"`,
			want:     []string{"Invalid URL", "plain http"},
		},
		"plain http from environment": {
			provider: `access_token = "t"`,
			env:      map[string]string{"SAIL_BASE_URL": "http://acme.api.identitynow.com"},
			want:     []string{"Invalid base URL", "SAIL_BASE_URL", "plain http"},
		},
		"plain http token url": {
			provider: `token_url = "http://sso.example.com/oauth/token"`,
			want:     []string{"Invalid URL", "plain http"},
		},
		"base url and tenant": {
			provider: `base_url = "https://acme.api.identitynow.com"
  tenant = "acme"`,
			want: []string{"Invalid Attribute Combination", "tenant"},
		},
		"both from environment": {
			provider: `access_token = "t"`,
			env:      map[string]string{"SAIL_BASE_URL": "https://acme.api.identitynow.com", "SAIL_TENANT": "acme"},
			want:     []string{"Conflicting SAIL_BASE_URL and SAIL_TENANT"},
		},
		"bad tenant": {
			provider: `tenant = "acme.api.identitynow.com"`,
			want:     []string{"Invalid tenant", "not a tenant name"},
		},
		"token and client credentials": {
			provider: `base_url = "https://acme.api.identitynow.com"
  access_token = "t"
  client_id = "a"`,
			want: []string{"Invalid Attribute Combination", "access_token"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			rec := acctest.NewRecorder()
			for k, v := range tc.env {
				rec.Env(k, v)
			}
			accTest(t, rec, resource.TestStep{
				Config:      "provider \"sailpoint\" {\n  " + tc.provider + "\n}\n" + adStatusData,
				PlanOnly:    true,
				ExpectError: expectError(tc.want...),
			})
		})
	}
}
