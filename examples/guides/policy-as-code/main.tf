# Policy as code over source usage: the configuration the policy-as-code guide walks through.
# The plan reads every source; check blocks warn about the ones that break a rule, and
# `terraform show -json` of the saved plan feeds the OPA policy in policy/.

terraform {
  required_providers {
    sailpoint = {
      source  = "sailpoint-community/sailpoint"
      version = "~> 0.1"
    }
  }
}

# Configured from SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET.
provider "sailpoint" {}

variable "sources" {
  description = "The ISC sources under policy, by a name of your choice. The default holds the ids of the fake tenant the tests run against."
  type        = map(string)
  default = {
    active_directory = "2c9180835d191a86015d28455b4a2329"
    workday          = "2c91808b6ef1d43e016efba0ce470904"
    salesforce       = "2c91808c7d0e6f1a017d1b2c3d4e5f60"
    servicenow       = "2c9180877a9e3c5f017aa1b2c3d4e5f6"
  }
}

variable "min_active_days" {
  description = "Average number of days accounts must have been active in a source in its newest month."
  type        = number
  default     = 5
}

data "sailpoint_source_usage_status" "source" {
  for_each  = var.sources
  source_id = each.value
}

data "sailpoint_source_usages" "source" {
  for_each  = var.sources
  source_id = each.value
}

locals {
  without_insights = sort([for name, s in data.sailpoint_source_usage_status.source : name if !s.insights_available])
  # Sources without insights have no rows at all; they are reported above, not here.
  rarely_used = sort([
    for name, u in data.sailpoint_source_usages.source : name
    if data.sailpoint_source_usage_status.source[name].insights_available && coalesce(u.latest_count, 0) < var.min_active_days
  ])
}

check "usage_insights_available" {
  assert {
    condition     = length(local.without_insights) == 0
    error_message = "Usage insights are not set up for: ${join(", ", local.without_insights)}."
  }
}

check "sources_are_used" {
  assert {
    condition     = length(local.rarely_used) == 0
    error_message = "Accounts were active fewer than ${var.min_active_days} days on average in the newest month in: ${join(", ", local.rarely_used)}."
  }
}

output "latest_usage" {
  description = "Per source: the newest month the API reports and its average number of active days (null without insights)."
  value = {
    for name, u in data.sailpoint_source_usages.source : name => {
      month = u.latest_date
      count = u.latest_count
    }
  }
}
