# Whether usage insights are set up for one source, by its id (32 hexadecimal characters;
# data.sailpoint_source finds the id of a source by its name).
data "sailpoint_source_usage_status" "active_directory" {
  source_id = "04afeed6c1a4683924c04714e01a24c7"
}

output "active_directory_insights" {
  value = data.sailpoint_source_usage_status.active_directory.insights_available
}
