# A postcondition fails the plan (an error, not a warning) when the source has no usage
# insights, so nothing downstream is planned on top of a source nobody can measure.
data "sailpoint_source_usage_status" "active_directory_required" {
  source_id = "04afeed6c1a4683924c04714e01a24c7"

  lifecycle {
    postcondition {
      condition     = self.insights_available
      error_message = "Usage insights must be set up for Active Directory (source ${self.source_id}); its status is ${coalesce(self.status, "unknown")}."
    }
  }
}
