# METADATA
# title: SailPoint unused sources
# description: |
#   Fails on unused sources and on sources without usage insights, as reported by the
#   sailpoint_source_usage_report data sources of a plan. Input: the JSON of a saved plan,
#   `terraform show -json tfplan`. Rego v1 syntax: OPA 1.0 or later, or OPA 0.59 and later
#   thanks to `import rego.v1`. With conftest: conftest test --namespace sailpoint.unused_sources.
package sailpoint.unused_sources

import rego.v1

# A report may not call a source unused at a lower threshold than this: a configuration that
# lowers unused_below to let its sources pass fails instead.
min_unused_below := 1

# Every report the plan read, in the root module or any child module.
reports contains r if {
	walk(input.prior_state.values.root_module, [_, module])
	some r in module.resources
	r.mode == "data"
	r.type == "sailpoint_source_usage_report"
}

name(r, id) := r.values.sources[id].name if {
	is_string(r.values.sources[id].name)
} else := "(no name)"

deny contains msg if {
	some r in reports
	some id in r.values.unused_source_ids
	msg := sprintf("%s: source %s (%s) is unused: %s, below %v", [r.address, name(r, id), id, activity(r.values.sources[id]), r.values.unused_below])
}

activity(s) := sprintf("its most active month averaged %v active days", [s.max_count]) if {
	is_number(s.max_count)
} else := "it has no usage rows"

deny contains msg if {
	some r in reports
	some id in r.values.without_insights_source_ids
	msg := sprintf("%s: usage insights are not set up for source %s (%s), status %v", [r.address, name(r, id), id, r.values.sources[id].status])
}

deny contains msg if {
	some r in reports
	r.values.unused_below < min_unused_below
	msg := sprintf("%s: unused_below is %v; this policy needs at least %v", [r.address, r.values.unused_below, min_unused_below])
}

# A source deleted while the report was read, or a wrong id in source_ids: worth a look, not a
# failure.
warn contains msg if {
	some r in reports
	some id in r.values.missing_source_ids
	msg := sprintf("%s: source %s was not found (deleted, or a wrong id)", [r.address, id])
}

# Fail closed: a sailpoint data source whose values the plan does not hold cannot be checked.
# Terraform lists every data source of a check block in resource_changes
# (action_reason "read_because_check_nested"), also when it read it during the plan: that one
# is in prior_state and checked above. Only a check-block read that failed holds unknown
# values in its change.
deny contains msg if {
	some rc in input.resource_changes
	rc.mode == "data"
	startswith(rc.type, "sailpoint_")
	not read_during_plan(rc)
	msg := sprintf("%s: Terraform reads it only at apply time (%v), or its read during the plan failed, so this policy cannot check it", [rc.address, object.get(rc, "action_reason", "no reason given")])
}

read_during_plan(rc) if {
	rc.action_reason == "read_because_check_nested"
	not holds_unknown(rc.change.after_unknown)
}

holds_unknown(after_unknown) if {
	walk(after_unknown, [_, v])
	v == true
}
