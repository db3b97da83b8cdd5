# People's accounts only (correlated to an identity), disabled ones read too, judged on the
# newest 6 months: unused means fewer than 2 active days in every one of them.
data "sailpoint_source" "directory" {
  name = "Corporate Active Directory"
}

data "sailpoint_account_usage_report" "people" {
  source_id        = data.sailpoint_source.directory.id
  filters          = "uncorrelated eq false"
  months           = 6
  unused_below     = 2
  include_disabled = true
}

output "dormant_people" {
  value = sort([
    for id in data.sailpoint_account_usage_report.people.unused_account_ids :
    coalesce(data.sailpoint_account_usage_report.people.accounts[id].name, id)
  ])
}

output "dormant_and_still_enabled" {
  value = sort([
    for id in data.sailpoint_account_usage_report.people.unused_account_ids :
    coalesce(data.sailpoint_account_usage_report.people.accounts[id].name, id)
    if !data.sailpoint_account_usage_report.people.accounts[id].disabled
  ])
}
