# terraform test (Terraform 1.7 or later, OpenTofu 1.8 or later) with the provider mocked: no
# tenant, no credentials, no network. Each run gives the report the data of one case through
# override_data. Give the id lists the rules read: Terraform leaves a mocked map of nested
# attributes, such as `sources`, empty whatever the override says.

mock_provider "sailpoint" {}

# An unused source fails the plan: this run passes only if the postcondition fails.
run "unused_source_fails_the_plan" {
  command = plan

  override_data {
    target = data.sailpoint_source_usage_report.tenant
    values = {
      unused_source_ids           = ["bf2ee265d8d1cc7f483df93fa6489c0d"]
      without_insights_source_ids = []
    }
  }

  expect_failures = [data.sailpoint_source_usage_report.tenant]
}

# A source without usage insights is only a warning: the check block fails, the plan does not.
run "source_without_insights_warns" {
  command = plan

  override_data {
    target = data.sailpoint_source_usage_report.tenant
    values = {
      unused_source_ids           = []
      without_insights_source_ids = ["dc1eedf21caea8aa80ae54336b6872d4"]
    }
  }

  expect_failures = [check.usage_insights_everywhere]
}

# Every source used and with insights: the postcondition and the check both hold.
run "every_source_used_passes" {
  command = plan

  override_data {
    target = data.sailpoint_source_usage_report.tenant
    values = {
      unused_source_ids           = []
      without_insights_source_ids = []
    }
  }
}
