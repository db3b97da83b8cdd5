# METADATA
# title: SailPoint source usage
# description: |
#   Checks the ISC sources read by a Terraform plan. Input: the JSON of a saved plan,
#   `terraform show -json tfplan`. Data sources read during the plan are in its prior_state.
#   Rego v1 syntax: OPA 1.0 or later reads it as is; OPA 0.59 to 0.70 read it thanks to the
#   `import rego.v1` below. With conftest: conftest test --namespace sailpoint.source_usage.
package sailpoint.source_usage

import rego.v1

# Average number of days accounts must have been active in a source in its newest month: the
# plan's min_active_days variable when it has one, else 5. The plan records a value given with
# -var as the string typed ("4"), a default as a number: to_number takes both.
default min_active_days := 5

min_active_days := to_number(input.variables.min_active_days.value)

# Every sailpoint data source the plan read, in the root module or any child module.
read(type) := {r |
	walk(input.prior_state.values.root_module, [_, module])
	some r in module.resources
	r.mode == "data"
	r.type == type
}

deny contains msg if {
	some r in read("sailpoint_source_usage_status")
	r.values.insights_available == false
	msg := sprintf("%s: usage insights are not set up for source %s (status %v)", [r.address, r.values.source_id, r.values.status])
}

deny contains msg if {
	some r in read("sailpoint_source_usages")
	is_number(r.values.latest_count)
	r.values.latest_count < min_active_days
	msg := sprintf("%s: accounts in source %s were active %v days on average in the month of %s, fewer than %v", [r.address, r.values.source_id, r.values.latest_count, r.values.latest_date, min_active_days])
}

# Fail closed: a sailpoint data source whose values the plan does not hold cannot be checked,
# so it is a violation. Terraform lists every data source it will read during apply in
# resource_changes, with the reason. A data source declared inside a check block is always
# there too (action_reason "read_because_check_nested": Terraform reads it again at apply), but
# it was also read during the plan: its values are in prior_state, and the policy checks them
# like any other. Only when that read failed (the check block warns why) does the change hold
# unknown values, and only then is it a violation.
deny contains msg if {
	some rc in input.resource_changes
	rc.mode == "data"
	startswith(rc.type, "sailpoint_")
	not read_during_plan(rc)
	msg := sprintf("%s: %s", [rc.address, unseen_because(rc)])
}

read_during_plan(rc) if {
	rc.action_reason == "read_because_check_nested"
	not holds_unknown(rc.change.after_unknown)
}

holds_unknown(after_unknown) if {
	walk(after_unknown, [_, v])
	v == true
}

unseen_because(rc) := "its read during the plan failed (see the check block's warning), so this policy cannot check it" if {
	rc.action_reason == "read_because_check_nested"
} else := "its arguments are known only after apply, so Terraform reads it then and this policy cannot check it; give them values known at plan time" if {
	rc.action_reason == "read_because_config_unknown"
} else := "it depends on a resource with changes pending, so Terraform reads it only at apply time and this policy cannot check it; remove that dependency (depends_on)" if {
	rc.action_reason == "read_because_dependency_pending"
} else := sprintf("Terraform reads it only at apply time (%v), so this policy cannot check it", [object.get(rc, "action_reason", "no reason given")])
