# Only the newest month the API reports: sort newest first and keep one row. It may be the
# current month, still in progress: "Leave out the current month" below shows how to skip it.
data "sailpoint_source_usages" "servicenow_newest_month" {
  source_id = "33b22b4a3606e5b8ba969f1b197e7e7d"
  sorters   = "-date"
  limit     = 1
}

output "servicenow_newest_month" {
  value = one(data.sailpoint_source_usages.servicenow_newest_month.usages)
}
