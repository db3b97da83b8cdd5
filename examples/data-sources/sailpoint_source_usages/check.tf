# A check block reports a failed assertion as a warning and lets the plan go on.
check "servicenow_is_used" {
  data "sailpoint_source_usages" "servicenow" {
    source_id = "33b22b4a3606e5b8ba969f1b197e7e7d"
  }

  assert {
    # latest_count is null when the source has no usage rows: coalesce treats that as 0.
    condition     = coalesce(data.sailpoint_source_usages.servicenow.latest_count, 0) >= 1
    error_message = "Accounts in ServiceNow were active less than one day on average in ${coalesce(data.sailpoint_source_usages.servicenow.latest_date, "any month")}."
  }
}
