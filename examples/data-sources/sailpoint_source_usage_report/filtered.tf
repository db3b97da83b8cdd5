# Only the Active Directory sources, only the newest 3 months of each, and a stricter notion
# of unused: no month with accounts active at least 2 days on average.
data "sailpoint_source_usage_report" "directories" {
  filters      = "type sw \"Active Directory\""
  months       = 3
  unused_below = 2
}

output "directory_usage" {
  value = {
    for id, s in data.sailpoint_source_usage_report.directories.sources : s.name => {
      newest_month = s.latest_date
      active_days  = s.latest_count
      average      = s.average_count
      unused       = s.unused
    }
  }
}
