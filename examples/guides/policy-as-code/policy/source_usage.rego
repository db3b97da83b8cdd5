# METADATA
# title: SailPoint source usage
# description: |
#   Checks the ISC sources read by a Terraform plan. Input: the JSON of a saved plan,
#   `terraform show -json tfplan`. Data sources read during the plan are in its prior_state.
package sailpoint.source_usage

# Average number of days accounts must have been active in a source in its latest month: the
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
	not r.values.insights_available
	msg := sprintf("%s: usage insights are not set up for source %s (status %v)", [r.address, r.values.source_id, r.values.status])
}

deny contains msg if {
	some r in read("sailpoint_source_usages")
	is_number(r.values.latest_count)
	r.values.latest_count < min_active_days
	msg := sprintf("%s: accounts in source %s were active %v days on average in the month of %s, fewer than %v", [r.address, r.values.source_id, r.values.latest_count, r.values.latest_date, min_active_days])
}

# A data source whose arguments are unknown until apply is read then, not during the plan:
# fail closed rather than pass a plan this policy could not see.
deny contains msg if {
	some rc in input.resource_changes
	rc.mode == "data"
	startswith(rc.type, "sailpoint_")
	msg := sprintf("%s: read only at apply time, so this policy cannot check it; give source_id a value known at plan time", [rc.address])
}
