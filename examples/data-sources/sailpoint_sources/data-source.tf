# Every source of the tenant, every page of them, sorted by name (the default).
data "sailpoint_sources" "all" {}

output "source_count" {
  value = length(data.sailpoint_sources.all.sources)
}

output "unhealthy_sources" {
  description = "Sources whose last health check failed, with their health status."
  value = {
    for s in data.sailpoint_sources.all.sources : s.name => s.status
    if s.healthy == false
  }
}
