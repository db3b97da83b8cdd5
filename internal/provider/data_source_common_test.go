package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// A provider block whose values come from a resource that does not exist yet is known only
// after apply. That is no error: a data source that also waits for the resource is read
// during apply, after Terraform configured the provider again; one that does not is told why
// it cannot be read during plan.
func TestAccDataSourceCommon_unknownProviderConfig(t *testing.T) {
	fake := acctest.NewFake(t)
	provider := fmt.Sprintf(`
resource "terraform_data" "tenant" {
  input = %q
}

provider "sailpoint" {
  base_url      = terraform_data.tenant.output
  client_id     = %q
  client_secret = %q
}
`, fake.URL, fakeisc.DefaultClientID, fakeisc.DefaultClientSecret)
	accTest(t, acctest.NewRecorder(),
		resource.TestStep{
			Config: provider + `
data "sailpoint_source_usage_status" "after_apply" {
  source_id = terraform_data.tenant.output == "" ? "" : "` + acctest.SourceActiveDirectory + `"
}

output "status" {
  value = data.sailpoint_source_usage_status.after_apply.status
}
`,
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("status", knownvalue.StringExact("COMPLETE"))},
		},
		resource.TestStep{
			Config: provider + `
data "sailpoint_source_usage_status" "during_plan" {
  source_id = "` + acctest.SourceActiveDirectory + `"
}
`,
			// Replacing the resource makes its output, and so base_url, unknown again.
			Taint: []string{"terraform_data.tenant"},
			ExpectError: expectError("SailPoint provider configuration not known until apply",
				"The provider block's base_url depends on values known only after apply"),
		},
	)
}
