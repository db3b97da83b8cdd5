# Every source of the tenant in one read: which are unused, which lack usage insights, and
# which vanished while the report was read.
data "sailpoint_source_usage_report" "tenant" {}

output "unused_sources" {
  description = "Sources with usage insights whose accounts were active less than one day on average in every month."
  value       = { for id in data.sailpoint_source_usage_report.tenant.unused_source_ids : id => data.sailpoint_source_usage_report.tenant.sources[id].name }
}

output "sources_without_insights" {
  value = { for id in data.sailpoint_source_usage_report.tenant.without_insights_source_ids : id => data.sailpoint_source_usage_report.tenant.sources[id].name }
}
