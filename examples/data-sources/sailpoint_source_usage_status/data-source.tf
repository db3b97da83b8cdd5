data "sailpoint_source_usage_status" "active_directory" {
  source_id = "2c9180835d191a86015d28455b4a2329"
}

output "active_directory_insights" {
  value = data.sailpoint_source_usage_status.active_directory.insights_available
}
