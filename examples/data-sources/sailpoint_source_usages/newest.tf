# Only the newest month: sort newest first and keep one row.
data "sailpoint_source_usages" "servicenow_last_month" {
  source_id = "2c9180877a9e3c5f017aa1b2c3d4e5f6"
  sorters   = "-date"
  limit     = 1
}

output "servicenow_last_month" {
  value = one(data.sailpoint_source_usages.servicenow_last_month.usages)
}
