# A check block warns, and lets the plan go on, while an enabled account of the source had no
# active day in the newest 6 months. The report is read inside the check block: if the read
# fails, for a source without usage insights for one, that is a warning too.
data "sailpoint_source" "checked_directory" {
  name = "Corporate Active Directory"
}

check "no_dormant_directory_accounts" {
  data "sailpoint_account_usage_report" "checked_directory" {
    source_id = data.sailpoint_source.checked_directory.id
    months    = 6
  }

  assert {
    condition     = length(data.sailpoint_account_usage_report.checked_directory.unused_account_ids) == 0
    error_message = "No active day in 6 months: ${join(", ", sort([for id in data.sailpoint_account_usage_report.checked_directory.unused_account_ids : coalesce(data.sailpoint_account_usage_report.checked_directory.accounts[id].name, id)]))}."
  }
}
