# Every Active Directory source. filters goes to the API as is, in SailPoint's filter grammar:
# sw (starts with) also matches types such as "Active Directory - Direct".
data "sailpoint_sources" "active_directory" {
  filters = "type sw \"Active Directory\""
}

output "active_directory_sources" {
  value = {
    for s in data.sailpoint_sources.active_directory.sources : s.name => {
      id      = s.id
      owner   = s.owner_name
      cluster = s.cluster_name
      healthy = s.healthy
    }
  }
}
