# A check block reports a failed assertion as a warning and lets the plan go on.
check "servicenow_is_used" {
  data "sailpoint_source_usages" "servicenow" {
    source_id = "2c9180877a9e3c5f017aa1b2c3d4e5f6"
  }

  assert {
    # latest_count is null when the source has no usage rows: coalesce treats that as 0.
    condition     = coalesce(data.sailpoint_source_usages.servicenow.latest_count, 0) >= 1
    error_message = "Accounts in ServiceNow were active less than one day on average in ${coalesce(data.sailpoint_source_usages.servicenow.latest_date, "any month")}."
  }
}
