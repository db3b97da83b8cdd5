package sailpoint.unused_sources_test

import rego.v1

import data.sailpoint.unused_sources.deny
import data.sailpoint.unused_sources.warn

report(values) := {"prior_state": {"values": {"root_module": {"resources": [{
	"address": "data.sailpoint_source_usage_report.tenant",
	"mode": "data",
	"type": "sailpoint_source_usage_report",
	"values": object.union(
		{"unused_below": 1, "unused_source_ids": [], "without_insights_source_ids": [], "missing_source_ids": [], "sources": {}},
		values,
	),
}]}}}}

used := {"name": "Okta", "status": "COMPLETE", "max_count": 21.3}

test_all_sources_used if {
	count(deny) == 0 with input as report({"sources": {"a1": used}})
}

test_unused_source if {
	deny == {"data.sailpoint_source_usage_report.tenant: source GitHub (b2) is unused: its most active month averaged 0 active days, below 1"} with input as report({
		"unused_source_ids": ["b2"],
		"sources": {"a1": used, "b2": {"name": "GitHub", "status": "COMPLETE", "max_count": 0}},
	})
}

test_unused_source_without_rows_or_name if {
	deny == {"data.sailpoint_source_usage_report.tenant: source (no name) (b2) is unused: it has no usage rows, below 1"} with input as report({
		"unused_source_ids": ["b2"],
		"sources": {"b2": {"name": null, "status": "COMPLETE", "max_count": null}},
	})
}

test_source_without_insights if {
	deny == {"data.sailpoint_source_usage_report.tenant: usage insights are not set up for source Workday (c3), status INCOMPLETE"} with input as report({
		"without_insights_source_ids": ["c3"],
		"sources": {"c3": {"name": "Workday", "status": "INCOMPLETE", "max_count": null}},
	})
}

test_lowered_threshold if {
	count(deny) == 1 with input as report({"unused_below": 0.5})
}

test_missing_source_warns if {
	count(deny) == 0 with input as report({"missing_source_ids": ["d4"]})
	warn == {"data.sailpoint_source_usage_report.tenant: source d4 was not found (deleted, or a wrong id)"} with input as report({"missing_source_ids": ["d4"]})
}

change(reason, after_unknown) := {"resource_changes": [{
	"address": "data.sailpoint_source_usage_report.tenant",
	"mode": "data",
	"type": "sailpoint_source_usage_report",
	"action_reason": reason,
	"change": {"actions": ["read"], "after_unknown": after_unknown},
}]}

test_check_block_read_during_plan if {
	count(deny) == 0 with input as change("read_because_check_nested", {"sources": {"a1": {"usages": [{}]}}})
}

test_check_block_read_failed if {
	count(deny) == 1 with input as change("read_because_check_nested", {"sources": true, "unused_source_ids": true})
}

test_read_at_apply if {
	count(deny) == 1 with input as change("read_because_config_unknown", {"sources": true})
}
