# Find unused sources: the configuration the guide walks through. One report reads every
# source of the tenant; check blocks warn about unused sources and sources without usage
# insights, and `terraform show -json` of the saved plan feeds the OPA policy in policy/.

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

variable "unused_below" {
  description = "A source with usage insights is unused when no month of the past year reached this many active days on average."
  type        = number
  default     = 1
}

data "sailpoint_source_usage_report" "tenant" {
  unused_below = var.unused_below
}

locals {
  report = data.sailpoint_source_usage_report.tenant
  # Names for the messages; a source the API sent without a name shows its id.
  unused           = sort([for id in local.report.unused_source_ids : coalesce(local.report.sources[id].name, id)])
  without_insights = sort([for id in local.report.without_insights_source_ids : coalesce(local.report.sources[id].name, id)])
}

check "no_unused_sources" {
  assert {
    condition     = length(local.unused) == 0
    error_message = "No month of the past year reached ${var.unused_below} active ${var.unused_below == 1 ? "day" : "days"} on average in: ${join(", ", local.unused)}."
  }
}

check "usage_insights_everywhere" {
  assert {
    condition     = length(local.without_insights) == 0
    error_message = "Usage insights are not set up for: ${join(", ", local.without_insights)}."
  }
}

output "unused_sources" {
  description = "Unused sources, by id, with their name and the most active month's count."
  value = {
    for id in local.report.unused_source_ids : id => {
      name      = local.report.sources[id].name
      max_count = local.report.sources[id].max_count
    }
  }
}

output "sources_without_insights" {
  value = { for id in local.report.without_insights_source_ids : id => local.report.sources[id].name }
}
