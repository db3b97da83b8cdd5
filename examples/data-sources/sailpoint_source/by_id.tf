# Read a source by its id, for example to show its name next to an id kept elsewhere.
data "sailpoint_source" "by_id" {
  id = "04afeed6c1a4683924c04714e01a24c7"
}

output "source_name" {
  value = data.sailpoint_source.by_id.name
}
