# A check block reports a failed assertion as a warning: the plan still succeeds, so a
# missing activity data source is flagged without blocking anything else. The data source
# inside the check block is scoped to it: if the read itself fails (a wrong id, a 403), that
# is a warning too.
check "workday_usage_insights" {
  data "sailpoint_source_usage_status" "workday" {
    source_id = "dc1eedf21caea8aa80ae54336b6872d4"
  }

  assert {
    condition     = data.sailpoint_source_usage_status.workday.insights_available
    error_message = "Usage insights are not set up for Workday (status ${coalesce(data.sailpoint_source_usage_status.workday.status, "unknown")}): set up an activity data source for it in ISC."
  }
}
