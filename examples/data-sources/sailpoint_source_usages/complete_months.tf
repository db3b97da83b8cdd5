# The newest row the API returns may be the current month, still in progress: SailPoint does
# not document whether it can be. Checked as is, a source would look unused only because the
# month has just begun. Leave out every row from the month the plan runs in (plantimestamp()
# is UTC) and check the newest complete month.
data "sailpoint_source_usages" "servicenow_monthly" {
  source_id = "33b22b4a3606e5b8ba969f1b197e7e7d"
  sorters   = "-date" # newest first
}

locals {
  # The first day of the month the plan runs in, e.g. "2025-03-01T00:00:00Z".
  this_month = formatdate("YYYY-MM-01'T00:00:00Z'", plantimestamp())
  # A row without a date counts as not complete: try() turns its error into false.
  servicenow_complete_months = [
    for row in data.sailpoint_source_usages.servicenow_monthly.usages : row
    if try(timecmp("${row.date}T00:00:00Z", local.this_month) < 0, false)
  ]
  servicenow_newest_complete = try(local.servicenow_complete_months[0], null)
}

check "servicenow_used_in_newest_complete_month" {
  assert {
    condition     = coalesce(try(local.servicenow_newest_complete.count, null), 0) >= 1
    error_message = "Accounts in ServiceNow were active less than one day on average in ${try(local.servicenow_newest_complete.date, "every complete month")}."
  }
}

output "servicenow_newest_complete_month" {
  value = local.servicenow_newest_complete
}
