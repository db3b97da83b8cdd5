# The strict variant: a postcondition on the report turns the rule into an error, so
# `terraform plan` fails (exit status 1) while any account of the source is dormant, except
# those on the allow-list.

terraform {
  required_providers {
    sailpoint = {
      source  = "sailpoint-community/sailpoint"
      version = "~> 0.1"
    }
  }
}

provider "sailpoint" {}

variable "allowed_dormant" {
  description = "Names or ids of accounts known to be dormant for a reason (a leave, an emergency account)."
  type        = set(string)
  default     = []
}

data "sailpoint_source" "checked" {
  name = "Corporate Active Directory"
}

locals {
  # The first day of the oldest of the 6 months that count.
  plan_month   = tonumber(formatdate("YYYY", plantimestamp())) * 12 + tonumber(formatdate("M", plantimestamp())) - 1
  window_start = format("%04d-%02d-01T00:00:00Z", floor((local.plan_month - 6) / 12), (local.plan_month - 6) % 12 + 1)
}

data "sailpoint_account_usage_report" "source" {
  source_id = data.sailpoint_source.checked.id
  months    = 6
  # Only accounts created before the window: a newer one cannot have gone 6 months unused, so
  # the report does not read it.
  filters = "created lt ${local.window_start}"

  lifecycle {
    postcondition {
      condition = alltrue([
        for id in self.unused_account_ids : contains(var.allowed_dormant, id) || contains(var.allowed_dormant, coalesce(self.accounts[id].name, id))
      ])
      error_message = "Dormant accounts of ${self.source_name}: ${join(", ", sort([
        for id in self.unused_account_ids : "${coalesce(self.accounts[id].name, "(no name)")} (${id})"
        if !contains(var.allowed_dormant, id) && !contains(var.allowed_dormant, coalesce(self.accounts[id].name, id))
      ]))}."
    }
  }
}
