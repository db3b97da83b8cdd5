package provider_test

import (
	"strings"
	"testing"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
)

// terraform validate catches every bad value it can see, with no credentials and no network,
// and passes a good configuration without any.
func TestAccValidate_catchesBadValuesOffline(t *testing.T) {
	// Terraform validates the provider block first and stops at its errors, so the data
	// sources get a configuration of their own.
	for name, tc := range map[string]struct {
		hcl  string
		want []string
	}{
		"provider": {
			hcl: `
provider "sailpoint" {
  base_url            = "http://acme.api.identitynow.com"
  api_version         = "v4"
  request_timeout     = "soon"
  max_retries         = -1
  requests_per_second = 0
}

# Terraform validates a provider block only when something uses it.
data "sailpoint_source_usage_status" "a" {
  source_id = "2c9180835d191a86015d28455b4a2329"
}
`,
			want: []string{
				// Terraform and OpenTofu name the provider after their own registry host.
				`sailpoint-community/sailpoint"]`, "plain http", "api_version value must be one of",
				`"soon" is not a duration`, "max_retries value must be between 0 and 100", "requests_per_second value must be at least 0.01",
			},
		},
		"data sources": {
			hcl: `
provider "sailpoint" {}

data "sailpoint_source_usage_status" "a" {
  source_id = "2c91 808"
}

data "sailpoint_source_usages" "b" {
  source_id = "2c9180835d191a86015d28455b4a2329"
  sorters   = "date desc"
  limit     = 0
}
`,
			want: []string{`source_id "2c91 808" contains white space`, `sorters "date desc" is not a sort expression`, "limit value must be at least 1"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			res := acctest.NewWorkdir(t, acctest.RequiredProviders+tc.hcl).Run("validate", "-no-color")
			if res.Err == nil {
				t.Fatalf("validate passed a bad configuration:\n%s", res.Stdout)
			}
			out := strings.Join(strings.Fields(res.Stdout+res.Stderr), " ")
			for _, want := range tc.want {
				if !strings.Contains(out, want) {
					t.Errorf("validate output lacks %q:\n%s", want, res.Stdout+res.Stderr)
				}
			}
		})
	}

	good := acctest.NewWorkdir(t, acctest.RequiredProviders+`
provider "sailpoint" {}

data "sailpoint_source_usages" "b" {
  source_id = "2c9180835d191a86015d28455b4a2329"
  sorters   = "-date"
  limit     = 3
}
`)
	good.MustRun("validate", "-no-color")
}
