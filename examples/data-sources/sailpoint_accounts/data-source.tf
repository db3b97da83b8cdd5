# The accounts of one source, found by the source's name: every page of them, in id order.
data "sailpoint_source" "corporate_ad" {
  name = "Corporate Active Directory"
}

data "sailpoint_accounts" "corporate_ad" {
  filters = "sourceId eq \"${data.sailpoint_source.corporate_ad.id}\""
}

output "corporate_ad_account_count" {
  value = length(data.sailpoint_accounts.corporate_ad.accounts)
}

# disabled and locked cannot be filtered on: select on them in HCL.
output "corporate_ad_disabled_accounts" {
  value = sort([for a in data.sailpoint_accounts.corporate_ad.accounts : a.name if a.disabled])
}
