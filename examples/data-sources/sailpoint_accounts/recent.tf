# Accounts that ISC provisioned in the last 90 days. Dates in filters are unquoted RFC 3339
# times; plantimestamp() is the time of the plan (Terraform 1.5 or later, OpenTofu).
data "sailpoint_accounts" "recently_provisioned" {
  filters = "origin eq \"PROVISIONED\" and created gt ${timeadd(plantimestamp(), "-2160h")}"
  sorters = "-created"
}

output "recently_provisioned" {
  value = [for a in data.sailpoint_accounts.recently_provisioned.accounts : "${a.created} ${a.source_name}: ${a.name}"]
}
