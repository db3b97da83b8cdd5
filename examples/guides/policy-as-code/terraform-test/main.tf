# Rules on usage data that `terraform test` can check without a tenant: tests/usage.tftest.hcl
# mocks the provider and gives the report the data of each case. Against a real tenant this
# plans like any other configuration.

terraform {
  required_providers {
    sailpoint = {
      source  = "sailpoint-community/sailpoint"
      version = "~> 0.1"
    }
  }
}

provider "sailpoint" {}

data "sailpoint_source_usage_report" "tenant" {
  lifecycle {
    # Enforced: an unused source fails the plan.
    postcondition {
      condition = length(self.unused_source_ids) == 0
      # try(): a mocked report has no `sources` to name them by (see tests/usage.tftest.hcl).
      error_message = "Unused sources: ${join(", ", [for id in self.unused_source_ids : try("${self.sources[id].name} (${id})", id)])}."
    }
  }
}

# On probation: a source without usage insights is a warning.
check "usage_insights_everywhere" {
  assert {
    condition     = length(data.sailpoint_source_usage_report.tenant.without_insights_source_ids) == 0
    error_message = "Usage insights are not set up for: ${join(", ", data.sailpoint_source_usage_report.tenant.without_insights_source_ids)}."
  }
}
