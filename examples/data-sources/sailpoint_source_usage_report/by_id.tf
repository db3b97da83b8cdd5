# Sources kept by id elsewhere: the report reads their names from the sources list in batches,
# and a wrong or deleted id lands in missing_source_ids instead of failing the plan.
data "sailpoint_source_usage_report" "chosen" {
  source_ids = [
    "04afeed6c1a4683924c04714e01a24c7",
    "dc1eedf21caea8aa80ae54336b6872d4",
    "00000000000000000000000000000000",
  ]
}

output "missing_sources" {
  value = data.sailpoint_source_usage_report.chosen.missing_source_ids
}
