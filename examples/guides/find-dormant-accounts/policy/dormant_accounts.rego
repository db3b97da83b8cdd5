# METADATA
# title: SailPoint dormant accounts
# description: |
#   Fails on dormant accounts, as reported by the sailpoint_account_usage_report data sources
#   of a plan: accounts without an active day in the months that count, except those on the
#   plan's allowed_dormant list and those created within those months. Input: the JSON of a
#   saved plan, `terraform show -json tfplan`. Rego v1 syntax: OPA 1.0 or later, or OPA 0.59
#   and later thanks to `import rego.v1`. With conftest:
#   conftest test --namespace sailpoint.dormant_accounts.
package sailpoint.dormant_accounts

import rego.v1

# A report may not call an account unused at a lower threshold, or judge it on more months,
# than these: a configuration that loosens either to let its accounts pass fails instead.
min_unused_below := 1

max_months := 6

# Names or ids of accounts known to be dormant for a reason: the plan's allowed_dormant variable,
# empty when the plan has none.
allowed := {a | some a in input.variables.allowed_dormant.value}

# Every report the plan read, in the root module or any child module.
reports contains r if {
	walk(input.prior_state.values.root_module, [_, module])
	some r in module.resources
	r.mode == "data"
	r.type == "sailpoint_account_usage_report"
}

# The months a report counts: its months argument, else every row the API returns, about 12.
months(r) := r.values.months if {
	is_number(r.values.months)
} else := 12

# The first day of the oldest month that can count: months(r) months before the plan's month.
# Undefined when the plan has no timestamp: then no account is left out for being new.
window_start(r) := time.add_date(first_of_plan_month, 0, 0 - months(r), 0)

first_of_plan_month := ns if {
	[y, m, _] := time.date(time.parse_rfc3339_ns(input.timestamp))
	ns := time.parse_rfc3339_ns(sprintf("%d-%02d-01T00:00:00Z", [y, m]))
}

# An account created within the months that count is newer than the window: it cannot have
# gone that long unused. Without a valid created date an account counts as old.
new_account(r, id) if time.parse_rfc3339_ns(r.values.accounts[id].created) >= window_start(r)

excused(_, id) if id in allowed

excused(r, id) if r.values.accounts[id].name in allowed

excused(r, id) if new_account(r, id)

name(r, id) := r.values.accounts[id].name if {
	is_string(r.values.accounts[id].name)
} else := "(no name)"

deny contains msg if {
	some r in reports
	some id in r.values.unused_account_ids
	not excused(r, id)
	msg := sprintf("%s: account %s (%s) of %s is dormant: %s", [r.address, name(r, id), id, r.values.source_name, activity(r, id)])
}

activity(r, id) := sprintf("its most active of the newest %v months had %v active days, below %v", [months(r), r.values.accounts[id].max_count, r.values.unused_below]) if {
	is_number(r.values.accounts[id].max_count)
} else := "it has no usage rows at all"

deny contains msg if {
	some r in reports
	r.values.unused_below < min_unused_below
	msg := sprintf("%s: unused_below is %v; this policy needs at least %v", [r.address, r.values.unused_below, min_unused_below])
}

deny contains msg if {
	some r in reports
	months(r) > max_months
	msg := sprintf("%s: it counts %v months; this policy counts at most %v, so set months = %v or fewer", [r.address, months(r), max_months, max_months])
}

# An account deleted while the report was read: worth a look, not a failure.
warn contains msg if {
	some r in reports
	some id in r.values.missing_account_ids
	msg := sprintf("%s: account %s was deleted while the report was read", [r.address, id])
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
