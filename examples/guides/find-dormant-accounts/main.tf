# Find dormant accounts: the configuration the guide walks through. One report reads the
# accounts of one source and their usage; check blocks warn about dormant and orphan accounts,
# and `terraform show -json` of the saved plan feeds the OPA policy in policy/.

terraform {
  required_providers {
    sailpoint = {
      source  = "sailpoint-community/sailpoint"
      version = "~> 0.1"
    }
  }
}

# Configured from SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET.
provider "sailpoint" {}

variable "source_name" {
  description = "The source whose accounts to check. It needs usage insights (an activity data source)."
  type        = string
  default     = "Corporate Active Directory"
}

variable "months" {
  description = "The months that count: an account is dormant when none of its newest this many monthly rows has an active day."
  type        = number
  default     = 6
}

variable "allowed_dormant" {
  description = "Names or ids of accounts known to be dormant for a reason (a leave, an emergency account)."
  type        = set(string)
  default     = []
}

data "sailpoint_source" "checked" {
  name = var.source_name
}

data "sailpoint_account_usage_report" "source" {
  source_id = data.sailpoint_source.checked.id
  months    = var.months
}

locals {
  report = data.sailpoint_account_usage_report.source
  # The first day of the oldest month that can count: `months` months before the plan's month.
  # An account created since then is newer than the window, and is left out.
  plan_month   = tonumber(formatdate("YYYY", plantimestamp())) * 12 + tonumber(formatdate("M", plantimestamp())) - 1
  window_start = format("%04d-%02d-01T00:00:00Z", floor((local.plan_month - var.months) / 12), (local.plan_month - var.months) % 12 + 1)

  # Names for the messages; an account the API sent without a name shows its id. An account
  # without a created date counts as old: it is judged, not left out.
  dormant = sort([
    for id in local.report.unused_account_ids : coalesce(local.report.accounts[id].name, id)
    if !contains(var.allowed_dormant, id) && !contains(var.allowed_dormant, coalesce(local.report.accounts[id].name, id))
    && timecmp(coalesce(local.report.accounts[id].created, "1970-01-01T00:00:00Z"), local.window_start) < 0
  ])
  orphans = sort([for id in local.report.uncorrelated_account_ids : coalesce(local.report.accounts[id].name, id)])
}

check "no_dormant_accounts" {
  assert {
    condition     = length(local.dormant) == 0
    error_message = "Accounts of ${var.source_name} without an active day in ${var.months} months: ${join(", ", local.dormant)}."
  }
}

check "no_orphan_accounts" {
  assert {
    condition     = length(local.orphans) == 0
    error_message = "Accounts of ${var.source_name} correlated to no identity: ${join(", ", local.orphans)}."
  }
}

output "dormant_accounts" {
  description = "Dormant accounts, by id, with their name, identity and creation date."
  value = {
    for id in local.report.unused_account_ids : id => {
      name     = local.report.accounts[id].name
      identity = local.report.accounts[id].identity_name
      created  = local.report.accounts[id].created
    }
  }
}

output "disabled_accounts" {
  description = "Disabled accounts: not read, so neither dormant nor used."
  value       = { for id in local.report.disabled_account_ids : id => local.report.accounts[id].name }
}
