package sailpoint.dormant_accounts_test

import rego.v1

import data.sailpoint.dormant_accounts.deny
import data.sailpoint.dormant_accounts.warn

# A plan made on 7 December 2026 with one report of 6 months: the oldest month that counts is
# June 2026.
plan(values) := {
	"timestamp": "2026-12-07T18:00:00Z",
	"prior_state": {"values": {"root_module": {"resources": [report(values)]}}},
}

report(values) := {
	"address": "data.sailpoint_account_usage_report.source",
	"mode": "data",
	"type": "sailpoint_account_usage_report",
	"values": object.union(
		{
			"source_name": "AD", "months": 6, "unused_below": 1, "accounts": {},
			"unused_account_ids": [], "disabled_account_ids": [], "uncorrelated_account_ids": [], "missing_account_ids": [],
		},
		values,
	),
}

dormant := {"name": "mgarcia", "created": "2025-02-14T10:00:00Z", "max_count": 0}

no_rows := {"name": "rpatel", "created": "2024-12-07T10:00:00Z", "max_count": null}

test_no_dormant_account if {
	count(deny) == 0 with input as plan({"accounts": {"a1": {"name": "jdoe", "max_count": 21}}})
}

test_dormant_account if {
	deny == {"data.sailpoint_account_usage_report.source: account mgarcia (a1) of AD is dormant: its most active of the newest 6 months had 0 active days, below 1"} with input as plan({"accounts": {"a1": dormant}, "unused_account_ids": ["a1"]})
}

test_account_without_rows if {
	deny == {"data.sailpoint_account_usage_report.source: account rpatel (a2) of AD is dormant: it has no usage rows at all"} with input as plan({"accounts": {"a2": no_rows}, "unused_account_ids": ["a2"]})
}

test_allowed_by_name_or_id if {
	unused := plan({"accounts": {"a1": dormant, "a2": no_rows}, "unused_account_ids": ["a1", "a2"]})
	count(deny) == 0 with input as object.union(unused, {"variables": {"allowed_dormant": {"value": ["mgarcia", "a2"]}}})
	count(deny) == 1 with input as object.union(unused, {"variables": {"allowed_dormant": {"value": ["a1"]}}})
}

# Created on or after 1 June 2026, within the 6 months that count: too new to judge.
test_new_accounts_left_out if {
	count(deny) == 0 with input as plan({"accounts": {"a3": {"name": "new", "created": "2026-06-01T00:00:00Z"}}, "unused_account_ids": ["a3"]})
	count(deny) == 1 with input as plan({"accounts": {"a3": {"name": "old", "created": "2026-05-31T23:59:59Z"}}, "unused_account_ids": ["a3"]})
}

# Across a year: a plan in January 2027 counts July 2026 to December 2026.
january(created) := object.union(
	plan({"accounts": {"a3": {"name": "x", "created": created}}, "unused_account_ids": ["a3"]}),
	{"timestamp": "2027-01-15T08:00:00Z"},
)

test_window_across_a_year if {
	count(deny) == 0 with input as january("2026-07-01T00:00:00Z")
	count(deny) == 1 with input as january("2026-06-30T23:59:59Z")
}

# Fail closed: no plan timestamp, or no valid created date, and the account is judged.
test_no_timestamp_or_created_judges_the_account if {
	unused := plan({"accounts": {"a3": {"name": "new", "created": "2026-11-01T00:00:00Z"}}, "unused_account_ids": ["a3"]})
	count(deny) == 1 with input as object.remove(unused, ["timestamp"])
	count(deny) == 1 with input as plan({"accounts": {"a3": {"name": "x", "created": null}}, "unused_account_ids": ["a3"]})
	count(deny) == 1 with input as plan({"accounts": {"a3": {"name": "x", "created": "yesterday"}}, "unused_account_ids": ["a3"]})
}

test_loosened_report if {
	deny == {"data.sailpoint_account_usage_report.source: unused_below is 0; this policy needs at least 1"} with input as plan({"unused_below": 0})
	deny == {"data.sailpoint_account_usage_report.source: it counts 12 months; this policy counts at most 6, so set months = 6 or fewer"} with input as plan({"months": 12})
	count(deny) == 1 with input as plan({"months": null})
}

test_missing_account_warns if {
	count(deny) == 0 with input as plan({"missing_account_ids": ["a9"]})
	warn == {"data.sailpoint_account_usage_report.source: account a9 was deleted while the report was read"} with input as plan({"missing_account_ids": ["a9"]})
}

test_child_modules if {
	count(deny) == 1 with input as {
		"timestamp": "2026-12-07T18:00:00Z",
		"prior_state": {"values": {"root_module": {"child_modules": [{"resources": [report({"accounts": {"a1": dormant}, "unused_account_ids": ["a1"]})]}]}}},
	}
}

change(reason, after_unknown) := {"resource_changes": [{
	"address": "data.sailpoint_account_usage_report.x",
	"mode": "data",
	"type": "sailpoint_account_usage_report",
	"action_reason": reason,
	"change": {"actions": ["read"], "after_unknown": after_unknown},
}]}

test_check_block_read_during_plan if {
	count(deny) == 0 with input as change("read_because_check_nested", {"accounts": {"a1": {}}})
}

test_check_block_read_failed if {
	count(deny) == 1 with input as change("read_because_check_nested", {"accounts": true, "unused_account_ids": true})
}

test_read_at_apply if {
	count(deny) == 1 with input as change("read_because_config_unknown", {"accounts": true})
}
