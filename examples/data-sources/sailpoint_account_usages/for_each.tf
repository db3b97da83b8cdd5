# The usage of every service account of the tenant, found by a name prefix: one request per
# account, about 0.1 s each at the default pacing. Keyed by id, since a name can repeat on
# another source.
locals {
  service_accounts = {
    for a in data.sailpoint_accounts.service_accounts.accounts : a.id => "${a.name} (${a.source_name})"
  }
}

data "sailpoint_accounts" "service_accounts" {
  filters = "name sw \"svc-\""
}

data "sailpoint_account_usages" "service_account" {
  for_each   = local.service_accounts
  account_id = each.key
}

output "service_account_usage" {
  value = {
    for id, u in data.sailpoint_account_usages.service_account : id => {
      account      = local.service_accounts[id]
      newest_month = u.latest_date
      active_days  = u.latest_count
      busiest      = u.max_count
    }
  }
}

output "idle_service_accounts" {
  description = "Service accounts without one active day in any month the API reports."
  value       = sort([for id, u in data.sailpoint_account_usages.service_account : local.service_accounts[id] if coalesce(u.max_count, 0) < 1])
}
