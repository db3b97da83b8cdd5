package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/usagereport"
)

var (
	_ datasource.DataSource              = (*accountUsageReportDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*accountUsageReportDataSource)(nil)
)

// NewAccountUsageReportDataSource returns the sailpoint_account_usage_report data source.
func NewAccountUsageReportDataSource() datasource.DataSource {
	return &accountUsageReportDataSource{}
}

type accountUsageReportDataSource struct {
	dataSourceBase
}

// accountUsageReportModel is the configuration; the state is written by setState.
type accountUsageReportModel struct {
	SourceID types.String `tfsdk:"source_id"`
	Filters  types.String `tfsdk:"filters"`
	reportCriteria
	IncludeDisabled types.Bool   `tfsdk:"include_disabled"`
	SourceName      types.String `tfsdk:"source_name"`
	Accounts        types.Map    `tfsdk:"accounts"`
	Unused          types.List   `tfsdk:"unused_account_ids"`
	Disabled        types.List   `tfsdk:"disabled_account_ids"`
	Uncorrelated    types.List   `tfsdk:"uncorrelated_account_ids"`
	Missing         types.List   `tfsdk:"missing_account_ids"`
}

func (d *accountUsageReportDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account_usage_report"
}

// reportAccountFields are the fields of an account that each value of accounts shows.
var reportAccountFields = []string{"name", "native_identity", "identity_id", "identity_name", "disabled", "locked",
	"uncorrelated", "has_entitlements", "is_machine", "origin", "created"}

// reportAccount is the schema of a value of accounts.
func reportAccount() schema.NestedAttributeObject {
	attrs := accountFields(reportAccountFields...)
	attrs["uncorrelated"] = schema.BoolAttribute{
		MarkdownDescription: "Whether the account is correlated to no identity (an orphan account); where the API leaves " +
			"the field out, whether it has no identity.",
		Computed: true,
	}
	attrs["unused"] = schema.BoolAttribute{
		MarkdownDescription: "`true` when no counted month (see `months`) has a `count` at or above `unused_below`, or the " +
			"account has no rows at all: no recorded activity. Null for a disabled account that was not read " +
			"(`include_disabled`): nothing is claimed about it.",
		Computed: true,
	}
	maps.Copy(attrs, usageAggregateAttributes(accountUsage, "the rows that count (see `months`)",
		" or the account was not read (see `include_disabled`)"))
	return schema.NestedAttributeObject{Attributes: attrs}
}

func (d *accountUsageReportDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := criteriaAttributes("account", "An account is unused when no counted month has a `count` (days active) at "+
		"or above this value, so a month exactly at it counts as used. Default `1`: not one day of activity in any counted "+
		"month. An account that was read and has no rows has no recorded activity, so it is unused: compare its `created` "+
		"with the window to leave out accounts newer than it.")
	maps.Copy(attrs, map[string]schema.Attribute{
		"source_id": sourceIDAttribute(),
		"filters": schema.StringAttribute{
			MarkdownDescription: "Which of the source's accounts, sent ANDed with `sourceId eq \"<source_id>\"`: " +
				accountFiltersDescription + " Default: every account of the source.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"include_disabled": schema.BoolAttribute{
			MarkdownDescription: "Whether to read the usage of disabled accounts too. Default `false`: a disabled " +
				"account costs no usage request; it stays in `accounts` with null aggregates and a null `unused`, and " +
				"in `disabled_account_ids`.",
			Optional: true,
			Computed: true,
		},
		"source_name": schema.StringAttribute{MarkdownDescription: "Name of the source.", Computed: true},
		"accounts": schema.MapNestedAttribute{
			MarkdownDescription: "The source's accounts, keyed by id; missing ones are left out. No monthly rows: " +
				"`sailpoint_account_usages` gives the rows of one account. The numbers have the types and meaning of " +
				"`sailpoint_account_usages`.",
			Computed:     true,
			NestedObject: reportAccount(),
		},
		"unused_account_ids":       sortedIDList("Ids of the accounts that were read and are `unused`."),
		"disabled_account_ids":     sortedIDList("Ids of every listed disabled account, read or not."),
		"uncorrelated_account_ids": sortedIDList("Ids of every listed account correlated to no identity (orphan accounts), disabled or not."),
		"missing_account_ids": sortedIDList("Ids of accounts that were listed but no longer exist: their usage call " +
			"answered 404, and `GET /accounts/{id}` did too (deleted while the report was read). A usage 404 for an " +
			"account that still exists fails the read instead. A missing account is in no other list and not in `accounts`."),
	})
	resp.Schema = schema.Schema{
		MarkdownDescription: "One source's accounts and how each is used, in one read: which are dormant (`unused`), " +
			"disabled, orphaned (uncorrelated) or gone. It reads the source (`GET /sources/v1/{id}`) and its usage status, " +
			"then its accounts (`GET /accounts/v1`, SLIM, every page), then one usage request per account " +
			"(`GET /account-usages/v1/{id}/summaries`), as fast as the provider's rate limit allows. A source without " +
			"usage insights fails the read before any account request: no account could be judged. It fails closed, " +
			"as `sailpoint_source_usage_report` does: any failure fails the read, so the report is never partial. The " +
			"credentials need the scopes `idn:sources:read`, `idn:accounts:read` and `idn:identity-history:manage`.",
		Attributes: attrs,
	}
}

func (d *accountUsageReportDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m accountUsageReportModel
	c := d.read(ctx, req, resp, &m)
	if c == nil {
		return
	}
	sourceID := m.SourceID.ValueString()
	started := time.Now()
	report, err := usagereport.Accounts(ctx, c, usagereport.AccountsOptions{
		SourceID:        sourceID,
		Filters:         m.Filters.ValueString(),
		IncludeDisabled: m.IncludeDisabled.ValueBool(),
		Criteria:        m.criteria(),
		Progress:        logProgress(ctx, "account usage report", "accounts", map[string]any{"source_id": sourceID}),
	})
	if err != nil {
		d.fail(resp, m, err)
		return
	}
	tflog.Info(ctx, "account usage report done", map[string]any{"source_id": sourceID, "accounts": len(report.Accounts),
		"missing": len(report.Missing), "elapsed": time.Since(started).Round(time.Millisecond).String()})

	accountType := reportAccount().Type().TerraformType(ctx)
	accounts := make(map[string]tftypes.Value, len(report.Accounts))
	for _, a := range report.Accounts {
		attrs := accountValues(a.Account, reportAccountFields...)
		attrs["uncorrelated"] = tftypes.NewValue(tftypes.Bool, a.IsUncorrelated())
		if a.Read {
			maps.Copy(attrs, usageAggregateValues(a.Rows))
			attrs["unused"] = tftypes.NewValue(tftypes.Bool, a.Unused)
		} else {
			maps.Copy(attrs, usageAggregateValues(nil))
			attrs["unused"] = tftypes.NewValue(tftypes.Bool, nil)
		}
		accounts[*a.ID] = tftypes.NewValue(accountType, attrs)
	}
	setState(req, resp, map[string]tftypes.Value{
		"unused_below":             tftypes.NewValue(tftypes.Number, m.UnusedBelow.ValueBigFloat()),
		"include_disabled":         tftypes.NewValue(tftypes.Bool, m.IncludeDisabled.ValueBool()),
		"source_name":              tftypes.NewValue(tftypes.String, report.SourceName),
		"accounts":                 tftypes.NewValue(tftypes.Map{ElementType: accountType}, accounts),
		"unused_account_ids":       stringList(report.Unused),
		"disabled_account_ids":     stringList(report.Disabled),
		"uncorrelated_account_ids": stringList(report.Uncorrelated),
		"missing_account_ids":      stringList(report.Missing),
	})
}

// fail explains a failed report: a source without insights, one account whose read failed, or
// the source or the list.
func (d *accountUsageReportDataSource) fail(resp *datasource.ReadResponse, m accountUsageReportModel, err error) {
	sourceID := m.SourceID.ValueString()
	var noInsights *usagereport.NoInsightsError
	if errors.As(err, &noInsights) {
		status := "no status at all"
		if noInsights.Status != nil {
			status = "status " + *noInsights.Status
		}
		resp.Diagnostics.AddAttributeError(path.Root("source_id"), fmt.Sprintf("Source %s has no usage insights", describe(sourceID, noInsights.Name)),
			fmt.Sprintf("The source's usage has %s, not COMPLETE: no activity data source is set up for it, so there is "+
				"no usage to judge any of its accounts by, and the report made no account request.\n\nWhat to do: set up an "+
				"activity data source for the source in ISC, or leave it out of the report; "+
				"data.sailpoint_source_usage_status tells which sources have usage insights.", status))
		return
	}
	f := readFailure{summary: fmt.Sprintf("Unable to build the account usage report of source %q", sourceID), err: err, data: d.data}
	var ae *usagereport.AccountError
	if errors.As(err, &ae) {
		f.summary = "Unable to read the usage of account " + describe(ae.ID, ae.Name)
		f.context = []client.Fact{{Label: "Source", Value: sourceID}, {Label: "Report", Value: "stopped: a report is never partial"}}
	} else if !m.Filters.IsNull() {
		f.context = []client.Fact{{Label: "Filters", Value: m.Filters.ValueString()}}
	}
	f.add(&resp.Diagnostics, path.Root("accounts"))
}

// describe names an object by its quoted id and, when known, its name: "2c91..." (jdoe).
func describe(id string, name *string) string {
	if name == nil {
		return fmt.Sprintf("%q", id)
	}
	return fmt.Sprintf("%q (%s)", id, *name)
}
