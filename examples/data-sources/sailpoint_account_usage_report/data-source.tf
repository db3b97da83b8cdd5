# One source's accounts and how each is used, in one read. The source is found by name.
data "sailpoint_source" "corporate_ad" {
  name = "Corporate Active Directory"
}

data "sailpoint_account_usage_report" "corporate_ad" {
  source_id = data.sailpoint_source.corporate_ad.id
}

locals {
  corporate_ad = data.sailpoint_account_usage_report.corporate_ad
}

output "unused_accounts" {
  description = "Enabled accounts without one active day in any month the API reports, by id, with their name."
  value       = { for id in local.corporate_ad.unused_account_ids : id => local.corporate_ad.accounts[id].name }
}

output "orphan_accounts" {
  description = "Accounts correlated to no identity, disabled or not."
  value       = { for id in local.corporate_ad.uncorrelated_account_ids : id => local.corporate_ad.accounts[id].name }
}

output "disabled_accounts" {
  description = "Disabled accounts: not read, so their unused and aggregates are null."
  value       = { for id in local.corporate_ad.disabled_account_ids : id => local.corporate_ad.accounts[id].name }
}
