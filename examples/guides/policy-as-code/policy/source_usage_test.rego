package sailpoint.source_usage_test

import rego.v1

import data.sailpoint.source_usage.deny

plan(resources) := {"prior_state": {"values": {"root_module": {"resources": resources}}}}

status(name, insights) := {
	"address": sprintf("data.sailpoint_source_usage_status.%s", [name]),
	"mode": "data",
	"type": "sailpoint_source_usage_status",
	"values": {"source_id": name, "status": "X", "insights_available": insights},
}

usages(name, latest_count) := {
	"address": sprintf("data.sailpoint_source_usages.%s", [name]),
	"mode": "data",
	"type": "sailpoint_source_usages",
	"values": {"source_id": name, "latest_date": "2024-12-01", "latest_count": latest_count},
}

test_compliant_plan if {
	count(deny) == 0 with input as plan([status("ad", true), usages("ad", 13.6)])
}

test_missing_insights if {
	deny == {"data.sailpoint_source_usage_status.wd: usage insights are not set up for source wd (status X)"} with input as plan([status("wd", false)])
}

test_rarely_used if {
	deny == {"data.sailpoint_source_usages.sn: accounts in source sn were active 4.25 days on average in the month of 2024-12-01, fewer than 5"} with input as plan([usages("sn", 4.25)])
}

test_no_rows_is_not_rarely_used if {
	count(deny) == 0 with input as plan([usages("wd", null)])
}

test_threshold_from_plan_variables if {
	count(deny) == 0 with input as object.union(plan([usages("sn", 4.25)]), {"variables": {"min_active_days": {"value": 4}}})
	count(deny) == 1 with input as object.union(plan([usages("sn", 4.25)]), {"variables": {"min_active_days": {"value": 6}}})
}

# terraform plan -var=min_active_days=4 records the value as the string "4".
test_threshold_given_with_var_flag if {
	count(deny) == 0 with input as object.union(plan([usages("ad", 13.6)]), {"variables": {"min_active_days": {"value": "4"}}})
}

test_child_modules if {
	count(deny) == 1 with input as {"prior_state": {"values": {"root_module": {"child_modules": [{"resources": [status("wd", false)]}]}}}}
}

# A data source the plan reads only at apply time cannot be checked: fail closed, and say why.
change(reason, after_unknown) := {
	"address": "data.sailpoint_source_usages.x",
	"mode": "data",
	"type": "sailpoint_source_usages",
	"action_reason": reason,
	"change": {"actions": ["read"], "after_unknown": after_unknown},
}

test_read_at_apply_config_unknown if {
	deny == {"data.sailpoint_source_usages.x: its arguments are known only after apply, so Terraform reads it then and this policy cannot check it; give them values known at plan time"} with input as {"resource_changes": [change("read_because_config_unknown", {"source_id": true})]}
}

test_read_at_apply_dependency_pending if {
	count(deny) == 1 with input as {"resource_changes": [change("read_because_dependency_pending", {})]}
}

# Terraform lists every data source of a check block as read again at apply, also when it
# read it during the plan: that one is checked through prior_state, not failed.
test_check_block_read_during_plan if {
	count(deny) == 0 with input as {
		"prior_state": {"values": {"root_module": {"resources": [usages("x", 13.6)]}}},
		"resource_changes": [change("read_because_check_nested", {"usages": [{}, {}]})],
	}
}

# ... unless that read failed: then its values are unknown.
test_check_block_read_failed if {
	deny == {"data.sailpoint_source_usages.x: its read during the plan failed (see the check block's warning), so this policy cannot check it"} with input as {"resource_changes": [change("read_because_check_nested", {"latest_count": true, "usages": true})]}
}

test_other_providers_data_sources_are_ignored if {
	count(deny) == 0 with input as {"resource_changes": [object.union(change("read_because_config_unknown", {"id": true}), {"type": "http"})]}
}
