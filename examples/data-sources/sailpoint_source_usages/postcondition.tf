# A postcondition fails the plan (an error, not a warning) when accounts were barely active in
# the source in the newest month, or when the source has no usage data at all (latest_count is null).
data "sailpoint_source_usages" "salesforce_required" {
  source_id = "1f52fe168b65afacf18d4c8628e861f4"

  lifecycle {
    postcondition {
      condition     = coalesce(self.latest_count, 0) >= 1
      error_message = "Accounts in source ${self.source_id} were active less than 1 day on average in ${coalesce(self.latest_date, "every month")}: is the source still needed, and are usage insights set up for it?"
    }
  }
}
