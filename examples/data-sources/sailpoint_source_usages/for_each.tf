# The usage of many sources at once, and the ones below a threshold.
variable "usage_sources" {
  description = "ISC sources to report on, by a name of your choice."
  type        = map(string)
  default = {
    active_directory = "2c9180835d191a86015d28455b4a2329"
    salesforce       = "2c91808c7d0e6f1a017d1b2c3d4e5f60"
    servicenow       = "2c9180877a9e3c5f017aa1b2c3d4e5f6"
  }
}

variable "min_active_days" {
  description = "Average number of days accounts must have been active in a source in the newest month the API reports."
  type        = number
  default     = 5
}

data "sailpoint_source_usages" "each" {
  for_each  = var.usage_sources
  source_id = each.value
}

output "usage_by_source" {
  description = "The newest month's count and the yearly average of every source."
  value = {
    for name, u in data.sailpoint_source_usages.each : name => {
      month   = u.latest_date
      count   = u.latest_count
      average = u.average_count
    }
  }
}

output "rarely_used_sources" {
  description = "Sources whose accounts were active fewer than min_active_days days on average in the newest month."
  value = sort([
    for name, u in data.sailpoint_source_usages.each : name
    if coalesce(u.latest_count, 0) < var.min_active_days
  ])
}
