# One read per source. The provider shares one access token and one rate limiter between all
# of them, so hundreds of sources are fine.
variable "status_sources" {
  description = "ISC sources to check, by a name of your choice."
  type        = map(string)
  default = {
    active_directory = "2c9180835d191a86015d28455b4a2329"
    workday          = "2c91808b6ef1d43e016efba0ce470904"
    salesforce       = "2c91808c7d0e6f1a017d1b2c3d4e5f60"
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
