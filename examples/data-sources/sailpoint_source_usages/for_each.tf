# The usage of many sources at once, and the ones below a threshold.
variable "usage_sources" {
  description = "ISC sources to report on, by a name of your choice."
  type        = map(string)
  default = {
    active_directory = "04afeed6c1a4683924c04714e01a24c7"
    salesforce       = "1f52fe168b65afacf18d4c8628e861f4"
    servicenow       = "33b22b4a3606e5b8ba969f1b197e7e7d"
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
