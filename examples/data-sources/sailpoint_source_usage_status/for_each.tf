# One read per source. The provider shares one access token and one rate limiter between all
# of them, so hundreds of sources are fine.
variable "status_sources" {
  description = "ISC sources to check, by a name of your choice."
  type        = map(string)
  default = {
    active_directory = "04afeed6c1a4683924c04714e01a24c7"
    workday          = "dc1eedf21caea8aa80ae54336b6872d4"
    salesforce       = "1f52fe168b65afacf18d4c8628e861f4"
  }
}

data "sailpoint_source_usage_status" "each" {
  for_each  = var.status_sources
  source_id = each.value
}

output "sources_without_insights" {
  description = "Names of the sources whose usage insights are not set up."
  value       = sort([for name, s in data.sailpoint_source_usage_status.each : name if !s.insights_available])
}
