# A report for each Active Directory source. A source without usage insights fails its report,
# since none of its accounts could be judged: the status data source leaves such sources out.
data "sailpoint_sources" "directories" {
  filters = "type eq \"Active Directory\""
}

data "sailpoint_source_usage_status" "directory" {
  for_each  = data.sailpoint_sources.directories.ids
  source_id = each.value
}

data "sailpoint_account_usage_report" "directory" {
  for_each  = { for name, id in data.sailpoint_sources.directories.ids : name => id if data.sailpoint_source_usage_status.directory[name].insights_available }
  source_id = each.value
  months    = 6
}

output "dormant_accounts_by_directory" {
  value = {
    for name, r in data.sailpoint_account_usage_report.directory :
    name => sort([for id in r.unused_account_ids : coalesce(r.accounts[id].name, id)])
  }
}
