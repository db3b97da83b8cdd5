# The backup service account should work almost every day: warn when its newest month has
# fewer than 15 active days. Replace the id with your account's (data.sailpoint_accounts finds
# it); the default is svc-backup on Corporate Active Directory in the demo tenant.
variable "backup_account_id" {
  type    = string
  default = "db9850d4206849204cf363917c5f9e13"
}

check "backup_account_works" {
  data "sailpoint_account_usages" "backup" {
    account_id = var.backup_account_id
    sorters    = "-date"
    limit      = 1
  }

  assert {
    condition     = coalesce(data.sailpoint_account_usages.backup.latest_count, 0) >= 15
    error_message = "The backup service account was active ${coalesce(data.sailpoint_account_usages.backup.latest_count, 0)} days in the month of ${coalesce(data.sailpoint_account_usages.backup.latest_date, "(no data)")}, fewer than 15."
  }
}
