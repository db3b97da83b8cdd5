# Fail the plan when the HR source of record is unhealthy or no longer authoritative: the
# rest of the configuration should not be planned on top of it.
data "sailpoint_source" "hr" {
  name = "Workday"

  lifecycle {
    postcondition {
      condition     = self.healthy == true
      error_message = "Source ${self.name} (${self.id}) is not healthy: ${coalesce(self.status, "no status")} since ${coalesce(self.since, "an unknown time")}."
    }
    postcondition {
      condition     = self.authoritative == true
      error_message = "Source ${self.name} (${self.id}) is no longer authoritative."
    }
  }
}
