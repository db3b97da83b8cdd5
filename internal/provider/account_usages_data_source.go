package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// NewAccountUsagesDataSource returns the sailpoint_account_usages data source: the same
// implementation as sailpoint_source_usages, over the Account Usages API.
func NewAccountUsagesDataSource() datasource.DataSource {
	return &usagesDataSource{usages: usagesOf{
		subject: accountUsage,
		idAttr: schema.StringAttribute{
			MarkdownDescription: "Id of the ISC account, e.g. `2c9180835d2e5168015d32f890ca1581` (`data.sailpoint_accounts` " +
				"lists them). Checked at plan time like a source id: not empty, not `.` or `..`, no white space or control " +
				"characters. Always percent-encoded in the request path.",
			Required:   true,
			Validators: []validator.String{accountID()},
		},
		path:    "/account-usages/v1/{accountId}/summaries",
		altPath: "/{api_version}/account-usages/{accountId}/summaries",
		about: "for each month, the number of days that month on which the account was active in its source. The data " +
			"comes from the activity data source of the account's source: an account of a source without usage insights " +
			"has no rows.",
		list: (*client.Client).ListAccountUsages,
	}}
}
