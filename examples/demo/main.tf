# The configuration `make demo` plans against the fake tenant. The provider block is empty:
# the URL and credentials come from SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET, which
# is how CI pipelines usually configure it too.

terraform {
  required_providers {
    sailpoint = {
      source = "sailpoint-community/sailpoint"
    }
  }
}

provider "sailpoint" {}

locals {
  # Ids of the fake tenant's demo sources (internal/fakeisc/demo.go).
  sources = {
    active_directory = "2c9180835d191a86015d28455b4a2329"
    workday          = "2c91808b6ef1d43e016efba0ce470904"
    salesforce       = "2c91808c7d0e6f1a017d1b2c3d4e5f60"
    servicenow       = "2c9180877a9e3c5f017aa1b2c3d4e5f6"
  }
}

data "sailpoint_source_usage_status" "all" {
  for_each  = local.sources
  source_id = each.value
}

data "sailpoint_source_usages" "all" {
  for_each  = local.sources
  source_id = each.value
}

# The three newest months of one source.
data "sailpoint_source_usages" "active_directory_recent" {
  source_id = local.sources.active_directory
  sorters   = "-date"
  limit     = 3
}

output "usage_report" {
  description = "One line per source: insight status, number of rows and the aggregates."
  value = join("\n", concat(
    [format("%-17s %-11s %5s  %-11s %7s %8s %7s", "source", "status", "rows", "latest", "count", "average", "max")],
    [for name, u in data.sailpoint_source_usages.all : format("%-17s %-11s %5d  %-11s %7s %8s %7s",
      name,
      data.sailpoint_source_usage_status.all[name].status,
      length(u.usages),
      coalesce(u.latest_date, "-"),
      u.latest_count == null ? "-" : format("%.2f", u.latest_count),
      u.average_count == null ? "-" : format("%.2f", u.average_count),
      u.max_count == null ? "-" : format("%.2f", u.max_count),
    )],
  ))
}

output "active_directory_months" {
  description = "Every month of one source, counts exactly as the API sent them: 10.45 stays 10.45."
  value       = { for row in data.sailpoint_source_usages.all["active_directory"].usages : row.date => row.count }
}

output "active_directory_newest_three" {
  description = "sorters = \"-date\" with limit = 3, in the API's order."
  value       = [for row in data.sailpoint_source_usages.active_directory_recent.usages : "${row.date}: ${row.count}"]
}

# A policy check: Terraform reports a warning (not an error) when it fails. Here it fails
# on purpose, for the demo's Workday source, which has no activity data source set up.
check "usage_insights_available" {
  assert {
    condition     = alltrue([for s in data.sailpoint_source_usage_status.all : s.insights_available])
    error_message = "Usage insights are not set up for: ${join(", ", sort([for name, s in data.sailpoint_source_usage_status.all : name if !s.insights_available]))}."
  }
}
