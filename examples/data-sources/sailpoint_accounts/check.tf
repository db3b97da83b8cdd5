# A check block warns, and lets the plan go on, while any account of the tenant is correlated
# to no identity, machine accounts aside. The list is read inside the check block, so a failed
# read is a warning too.
check "no_orphan_accounts" {
  data "sailpoint_accounts" "orphans" {
    filters = "uncorrelated eq true"
  }

  assert {
    condition     = alltrue([for a in data.sailpoint_accounts.orphans.accounts : coalesce(a.is_machine, false)])
    error_message = "Accounts correlated to no identity: ${join(", ", sort([for a in data.sailpoint_accounts.orphans.accounts : "${a.name} (${a.source_name})" if !coalesce(a.is_machine, false)]))}."
  }
}
