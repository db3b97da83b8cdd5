# One account by id. Replace the id with your account's: data.sailpoint_accounts lists ids
# (this one is jdoe on Corporate Active Directory in the demo tenant).
data "sailpoint_account_usages" "by_id" {
  account_id = "10d6fc7a082ce4cabea17d83a441572c"
}

output "by_id_average" {
  value = data.sailpoint_account_usages.by_id.average_count
}
