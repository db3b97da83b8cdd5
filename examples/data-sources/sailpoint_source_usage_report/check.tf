# A check block warns, and lets the plan go on, while any source is unused or lacks usage
# insights. The report inside the check block is scoped to it: if the read itself fails, that
# is a warning too.
check "tenant_sources" {
  data "sailpoint_source_usage_report" "check" {}

  assert {
    condition     = length(data.sailpoint_source_usage_report.check.unused_source_ids) == 0
    error_message = "Unused sources: ${join(", ", sort([for id in data.sailpoint_source_usage_report.check.unused_source_ids : coalesce(data.sailpoint_source_usage_report.check.sources[id].name, id)]))}."
  }

  assert {
    condition     = length(data.sailpoint_source_usage_report.check.without_insights_source_ids) == 0
    error_message = "Sources without usage insights: ${join(", ", sort([for id in data.sailpoint_source_usage_report.check.without_insights_source_ids : coalesce(data.sailpoint_source_usage_report.check.sources[id].name, id)]))}."
  }
}
