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

variable "sources" {
  description = "The ISC sources under policy, by a name of your choice."
  type        = map(string)
  default = {
    active_directory = "2c9180835d191a86015d28455b4a2329"
    workday          = "2c91808b6ef1d43e016efba0ce470904"
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
