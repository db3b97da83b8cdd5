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

# One source's accounts and how each is used, in one read: dormant, disabled and orphan
# accounts. Dormant: no active day in the newest 6 months.
data "sailpoint_source" "corporate_ad" {
  name = "Corporate Active Directory"
}

data "sailpoint_account_usage_report" "corporate_ad" {
  source_id = data.sailpoint_source.corporate_ad.id
  months    = 6
}

locals {
  sources      = { for s in data.sailpoint_sources.all.sources : s.name => s }
  corporate_ad = data.sailpoint_account_usage_report.corporate_ad
  account_name = { for id, a in local.corporate_ad.accounts : id => coalesce(a.name, id) }
  dormant_summary = format(
    "%s: %d accounts, %d read; dormant: no active day in the newest 6 months",
    coalesce(local.corporate_ad.source_name, "-"),
    length(local.corporate_ad.accounts),
    length([for a in local.corporate_ad.accounts : a if a.unused != null]),
  )
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

output "dormant_accounts" {
  description = "The dormant accounts of one source, one line each, then its disabled and orphan accounts."
  value = join("\n", concat(
    [local.dormant_summary, format("%-16s %-16s %-10s  %-10s  %8s", "account", "identity", "created", "newest row", "max days")],
    sort([for id in local.corporate_ad.unused_account_ids : format("%-16s %-16s %-10s  %-10s  %8s",
      local.account_name[id],
      coalesce(local.corporate_ad.accounts[id].identity_name, "-"),
      substr(coalesce(local.corporate_ad.accounts[id].created, "-"), 0, 10),
      coalesce(local.corporate_ad.accounts[id].latest_date, "-"),
      local.corporate_ad.accounts[id].max_count == null ? "-" : tostring(local.corporate_ad.accounts[id].max_count),
    )]),
    ["disabled, not judged: ${join(", ", sort([for id in local.corporate_ad.disabled_account_ids : local.account_name[id]]))}"],
    ["orphans, no identity: ${join(", ", sort([for id in local.corporate_ad.uncorrelated_account_ids : local.account_name[id]]))}"],
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
