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

# Replace the ids with your sources' (data.sailpoint_sources lists them). The defaults are
# sources of the demo tenant that `make demo` and internal/cmd/fakeisc serve.
variable "sources" {
  description = "The ISC sources under policy: a name of your choice to the source id."
  type        = map(string)
  default = {
    active_directory = "04afeed6c1a4683924c04714e01a24c7"
    workday          = "dc1eedf21caea8aa80ae54336b6872d4"
    salesforce       = "1f52fe168b65afacf18d4c8628e861f4"
    servicenow       = "33b22b4a3606e5b8ba969f1b197e7e7d"
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
