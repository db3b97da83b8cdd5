# The strict variant: a postcondition turns the rule into an error, so `terraform plan` fails
# (exit code 1) while any source under policy has no usage insights.

terraform {
  required_providers {
    sailpoint = {
      source  = "sailpoint-community/sailpoint"
      version = "~> 0.1"
    }
  }
}

provider "sailpoint" {}

# Replace the ids with your sources' (data.sailpoint_sources lists them). The defaults are
# sources of the demo tenant that `make demo` and internal/cmd/fakeisc serve.
variable "sources" {
  description = "The ISC sources under policy: a name of your choice to the source id."
  type        = map(string)
  default = {
    active_directory = "04afeed6c1a4683924c04714e01a24c7"
    workday          = "dc1eedf21caea8aa80ae54336b6872d4"
  }
}

data "sailpoint_source_usage_status" "source" {
  for_each  = var.sources
  source_id = each.value

  lifecycle {
    postcondition {
      condition     = self.insights_available
      error_message = "Usage insights are not set up for source ${each.key} (${self.source_id}): its status is ${coalesce(self.status, "unknown")}."
    }
  }
}
