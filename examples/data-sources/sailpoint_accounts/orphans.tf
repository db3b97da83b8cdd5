# Accounts correlated to no identity, on every source, newest first. Machine accounts are often
# uncorrelated on purpose; is_machine cannot be filtered on, so they are told apart in HCL.
data "sailpoint_accounts" "uncorrelated" {
  filters = "uncorrelated eq true"
  sorters = "-created"
}

output "orphan_accounts" {
  description = "Uncorrelated accounts that are not machine accounts, by id."
  value = {
    for a in data.sailpoint_accounts.uncorrelated.accounts : a.id => "${a.name} on ${a.source_name}"
    if !coalesce(a.is_machine, false)
  }
}
