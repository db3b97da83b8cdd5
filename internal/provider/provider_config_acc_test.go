package provider_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

const adStatusData = `
data "sailpoint_source_usage_status" "test" {
  source_id = "` + fakeisc.DemoSourceActiveDirectory + `"
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
		ProtoV6ProviderFactories: rec.Factories(),
		Steps: []resource.TestStep{{
			Config: `provider "sailpoint" {}` + adStatusData,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(statusAddr, "status", "COMPLETE"),
				checkPaths(fake, "/beta/source-usages/"+fakeisc.DemoSourceActiveDirectory+"/status"),
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
			checkPaths(fake, "/source-usages/v1/"+fakeisc.DemoSourceActiveDirectory+"/status"),
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

func TestAccProvider_expiredAccessToken(t *testing.T) {
	fake := acctest.NewFake(t)
	token := fake.IssueToken(fakeisc.DefaultClientID, time.Hour)
	fake.RevokeTokens()
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: fmt.Sprintf("provider \"sailpoint\" {\n  base_url = %q\n  access_token = %q\n}\n", fake.URL, token) + adStatusData,
		ExpectError: expectError(
			"HTTP status: 401 Unauthorized",
			"Message:",
			"access token was rejected",
			"SAIL_ACCESS_TOKEN",
		),
	})
}

func TestAccProvider_invalidClient(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: fmt.Sprintf("provider \"sailpoint\" {\n  base_url = %q\n  client_id = %q\n  client_secret = \"wrong-secret\"\n}\n", fake.URL, fakeisc.DefaultClientID) + adStatusData,
		ExpectError: expectError(
			"Call: POST "+fake.URL+"/oauth/token",
			"HTTP status: 401 Unauthorized",
			"invalid_client",
			"client_id and client_secret",
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
			want: []string{`Attribute api_version value must be one of`, `"v3"`, `"v1"`},
		},
		"unknown api version from environment": {
			provider: `base_url = "https://acme.api.identitynow.com"
  access_token = "t"`,
			env:  map[string]string{"SAIL_API_VERSION": "v4"},
			want: []string{"Invalid API version", `SAIL_API_VERSION is "v4"`},
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
