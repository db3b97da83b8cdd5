# The configuration `make demo` plans against the fake tenant. The provider block is empty:
# the URL and credentials come from SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET, which
# is how CI pipelines usually configure it too. No source id is written down: the sources are
# found by filter and by name, as in a real tenant.

terraform {
  required_providers {
    sailpoint = {
      source = "sailpoint-community/sailpoint"
    }
  }
}

provider "sailpoint" {}

# Every source of the tenant, every page, sorted by name. `ids` maps each name to its id.
data "sailpoint_sources" "all" {}

# The sources of one type, found with SailPoint's filter syntax.
data "sailpoint_sources" "active_directory" {
  filters = "type eq \"Active Directory\""
}

# One source, looked up by its name.
data "sailpoint_source" "workday" {
  name = "Workday"
}

# The usage checks, one per source, keyed by source name.
data "sailpoint_source_usage_status" "all" {
  for_each  = data.sailpoint_sources.all.ids
  source_id = each.value
}

data "sailpoint_source_usages" "all" {
  for_each  = data.sailpoint_sources.all.ids
  source_id = each.value
}

# The three newest months of each Active Directory source.
data "sailpoint_source_usages" "active_directory_recent" {
  for_each  = data.sailpoint_sources.active_directory.ids
  source_id = each.value
  sorters   = "-date"
  limit     = 3
}

locals {
  sources = { for s in data.sailpoint_sources.all.sources : s.name => s }
}

output "usage_report" {
  description = "One line per source: its type and health, its usage insights and their aggregates."
  value = join("\n", concat(
    [format("%-28s %-17s %-7s %-11s %4s  %-10s %6s %7s %6s", "source", "type", "healthy", "insights", "rows", "latest", "count", "average", "max")],
    [for name, u in data.sailpoint_source_usages.all : format("%-28s %-17s %-7s %-11s %4d  %-10s %6s %7s %6s",
      name,
      coalesce(local.sources[name].type, "-"),
      local.sources[name].healthy == null ? "-" : (local.sources[name].healthy ? "yes" : "no"),
      data.sailpoint_source_usage_status.all[name].status,
      length(u.usages),
      coalesce(u.latest_date, "-"),
      u.latest_count == null ? "-" : format("%.2f", u.latest_count),
      u.average_count == null ? "-" : format("%.2f", u.average_count),
      u.max_count == null ? "-" : format("%.2f", u.max_count),
    )],
  ))
}

output "active_directory_newest_three" {
  description = "sorters = \"-date\" with limit = 3, in the API's order, for every source the filter found."
  value       = { for name, u in data.sailpoint_source_usages.active_directory_recent : name => [for row in u.usages : "${row.date}: ${row.count}"] }
}

output "workday" {
  description = "One source looked up by name: every field is there, null where the API sent none."
  value = {
    id            = data.sailpoint_source.workday.id
    type          = data.sailpoint_source.workday.type
    authoritative = data.sailpoint_source.workday.authoritative
    owner         = data.sailpoint_source.workday.owner_name
    status        = data.sailpoint_source.workday.status
    cluster       = data.sailpoint_source.workday.cluster_name
  }
}

# A policy check: Terraform reports a warning (not an error) when it fails. Here it fails on
# purpose: two of the demo tenant's sources have no activity data source set up.
check "usage_insights_available" {
  assert {
    condition     = alltrue([for s in data.sailpoint_source_usage_status.all : s.insights_available])
    error_message = "Usage insights are not set up for: ${join(", ", sort([for name, s in data.sailpoint_source_usage_status.all : name if !s.insights_available]))}."
  }
}
