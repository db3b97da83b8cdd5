package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// accountAttributes are the schema of an ISC account, as an element of sailpoint_accounts
// shows it: every field computed, null where the API left it out. The account usage report
// shows a subset of them (accountFields).
func accountAttributes() map[string]schema.Attribute {
	str := func(description string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	flag := func(description string) schema.Attribute {
		return schema.BoolAttribute{MarkdownDescription: description, Computed: true}
	}
	return map[string]schema.Attribute{
		"id":                  str("Id of the account."),
		"name":                str("Name of the account, e.g. the account's login name."),
		"native_identity":     str("The account's unique id in the source system, e.g. a distinguished name."),
		"uuid":                str("The account's UUID in the source system, when the source has one."),
		"source_id":           str("Id of the account's source."),
		"source_name":         str("Name of the account's source."),
		"identity_id":         str("Id of the identity the account is correlated to; null for an uncorrelated account."),
		"identity_name":       str("Name of that identity."),
		"disabled":            flag("Whether the account is disabled in its source."),
		"locked":              flag("Whether the account is locked in its source."),
		"uncorrelated":        flag("Whether the account is correlated to no identity (an orphan account). Null if the API left it out."),
		"manually_correlated": flag("Whether the account was correlated to its identity by hand."),
		"has_entitlements":    flag("Whether the account has entitlements."),
		"is_machine":          flag("Whether the account is a machine account."),
		"origin":              str("How the account came to be: `AGGREGATED` or `PROVISIONED`."),
		"created":             str("When the account was created in ISC (RFC 3339)."),
		"modified":            str("When the account was last changed in ISC (RFC 3339)."),
	}
}

// accountFields are some of accountAttributes, for the account usage report.
func accountFields(names ...string) map[string]schema.Attribute {
	all := accountAttributes()
	out := make(map[string]schema.Attribute, len(names))
	for _, n := range names {
		out[n] = all[n]
	}
	return out
}

// accountValues are the values of accountAttributes for a, built as Terraform values: a list
// of accounts can hold thousands, and the framework's struct reflection costs far more per
// value (see setState). names, when given, picks some of them.
func accountValues(a client.Account, names ...string) map[string]tftypes.Value {
	identityID, identityName := a.IdentityID, (*string)(nil)
	if a.Identity != nil {
		identityName = a.Identity.Name
		if identityID == nil {
			identityID = a.Identity.ID
		}
	}
	str := func(s *string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	flag := func(b *bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }
	values := map[string]tftypes.Value{
		"id": str(a.ID), "name": str(a.Name), "native_identity": str(a.NativeIdentity), "uuid": str(a.UUID),
		"source_id": str(a.SourceID), "source_name": str(a.SourceName), "identity_id": str(identityID), "identity_name": str(identityName),
		"disabled": flag(a.Disabled), "locked": flag(a.Locked), "uncorrelated": flag(a.Uncorrelated),
		"manually_correlated": flag(a.ManuallyCorrelated), "has_entitlements": flag(a.HasEntitlements), "is_machine": flag(a.IsMachine),
		"origin": str(a.Origin), "created": str(a.Created), "modified": str(a.Modified),
	}
	if len(names) == 0 {
		return values
	}
	picked := make(map[string]tftypes.Value, len(names))
	for _, n := range names {
		picked[n] = values[n]
	}
	return picked
}
