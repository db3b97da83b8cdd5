# The strict variant: a postcondition on the report turns the rule into an error, so
# `terraform plan` fails (exit status 1) while any source is unused.

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
    postcondition {
      condition     = length(self.unused_source_ids) == 0
      error_message = "Unused sources: ${join(", ", sort([for id in self.unused_source_ids : "${coalesce(self.sources[id].name, "(no name)")} (${id})"]))}."
    }
  }
}
