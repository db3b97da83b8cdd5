# The monthly usage of one account, newest month first. The account is found by its name on
# its source; one() fails the plan unless exactly one account matches.
data "sailpoint_source" "corporate_ad" {
  name = "Corporate Active Directory"
}

data "sailpoint_accounts" "jdoe" {
  filters = "sourceId eq \"${data.sailpoint_source.corporate_ad.id}\" and name eq \"jdoe\""
}

data "sailpoint_account_usages" "jdoe" {
  account_id = one(data.sailpoint_accounts.jdoe.accounts).id
  sorters    = "-date"
}

output "jdoe_usage" {
  value = {
    newest_month = data.sailpoint_account_usages.jdoe.latest_date
    active_days  = data.sailpoint_account_usages.jdoe.latest_count
    busiest      = data.sailpoint_account_usages.jdoe.max_count
    months       = length(data.sailpoint_account_usages.jdoe.usages)
  }
}
