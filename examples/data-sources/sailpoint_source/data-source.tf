# Look a source up by its name, then read its usage by its id.
data "sailpoint_source" "workday" {
  name = "Workday"
}

data "sailpoint_source_usage_status" "workday" {
  source_id = data.sailpoint_source.workday.id
}

output "workday" {
  value = {
    id                 = data.sailpoint_source.workday.id
    type               = data.sailpoint_source.workday.type
    owner              = data.sailpoint_source.workday.owner_name
    authoritative      = data.sailpoint_source.workday.authoritative
    insights_available = data.sailpoint_source_usage_status.workday.insights_available
  }
}
