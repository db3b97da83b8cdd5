# Every monthly row of the past year, newest first.
data "sailpoint_source_usages" "active_directory" {
  source_id = "04afeed6c1a4683924c04714e01a24c7"
  sorters   = "-date"
}

output "active_directory_latest" {
  value = {
    month         = data.sailpoint_source_usages.active_directory.latest_date
    active_days   = data.sailpoint_source_usages.active_directory.latest_count
    yearly_avg    = data.sailpoint_source_usages.active_directory.average_count
    rows_returned = length(data.sailpoint_source_usages.active_directory.usages)
  }
}
