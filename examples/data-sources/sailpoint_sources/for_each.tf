# Usage checks on every Active Directory source, without a hard-coded id. ids maps each
# source's name to its id: a map, as for_each wants, whose keys name the sources in messages.
# Each source costs two requests, about 0.2 s at the default pacing; to check every source of
# the tenant, sailpoint_source_usage_report does it in one read.
data "sailpoint_sources" "directories" {
  filters = "type sw \"Active Directory\""
}

data "sailpoint_source_usage_status" "directory" {
  for_each  = data.sailpoint_sources.directories.ids
  source_id = each.value
}

data "sailpoint_source_usages" "directory" {
  for_each  = data.sailpoint_sources.directories.ids
  source_id = each.value
}

locals {
  directories_without_insights = sort([
    for name, s in data.sailpoint_source_usage_status.directory : name if !s.insights_available
  ])
  directories_barely_used = sort([
    for name, u in data.sailpoint_source_usages.directory : name
    if data.sailpoint_source_usage_status.directory[name].insights_available && coalesce(u.max_count, 0) < 1
  ])
}

check "directories_have_usage_insights" {
  assert {
    condition     = length(local.directories_without_insights) == 0
    error_message = "Usage insights are not set up for: ${join(", ", local.directories_without_insights)}."
  }
}

check "directories_are_used" {
  assert {
    condition     = length(local.directories_barely_used) == 0
    error_message = "Accounts were active less than one day on average in every month of the past year in: ${join(", ", local.directories_barely_used)}."
  }
}
