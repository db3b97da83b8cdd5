package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

var (
	_ datasource.DataSource              = (*accountsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*accountsDataSource)(nil)
)

// defaultAccountSorters keeps the list, and so the plan, in the same order from run to run.
const defaultAccountSorters = "id"

// NewAccountsDataSource returns the sailpoint_accounts data source.
func NewAccountsDataSource() datasource.DataSource {
	return &accountsDataSource{}
}

type accountsDataSource struct {
	dataSourceBase
}

func (d *accountsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_accounts"
}

// accountFiltersDescription says what an account filter may hold; sailpoint_accounts and the
// account usage report share it.
const accountFiltersDescription = "SailPoint's filter grammar, sent to the API as is: e.g. `sourceId eq \"2c91...\"`, " +
	"`name sw \"svc-\"`, `uncorrelated eq true and hasEntitlements eq true`, `created gt 2025-01-01T00:00:00Z`. Strings are " +
	"double-quoted, with `\\\"` and `\\\\` escapes. Filterable fields: `id`, `identityId`, `name`, `nativeIdentity`, " +
	"`sourceId` (`eq`, `in`, `sw`); `hasEntitlements`, `uncorrelated`, `manuallyCorrelated`, `entitlements`, " +
	"`identity.correlated`, `source.authoritative` (`eq`); `origin`, `identity.identityState`, `source.displayableName`, " +
	"`source.connectionType` (`eq`, `in`); `identity.name` (`eq`, `in`, `sw`); `recommendation.method` (`eq`, `in`, " +
	"`isnull`); `created`, `modified` (`eq`, `ge`, `gt`, `le`, `lt`). `disabled` and `locked` are not filterable: " +
	"filter on them in HCL."

func (d *accountsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists ISC accounts that a filter selects, every page of them (250 a page), from `GET /accounts/v1` " +
			"(or `/{api_version}/accounts`), at `detailLevel=SLIM`: the fields below without the accounts' aggregated " +
			"attributes, which can be kilobytes each. The list is never partial: a failed page fails the read. The " +
			"credentials need the scope `idn:accounts:read`.",
		Attributes: map[string]schema.Attribute{
			"filters": schema.StringAttribute{
				MarkdownDescription: "Which accounts (required): " + accountFiltersDescription + " A list without a filter " +
					"would be every account of the tenant, often hundreds of thousands, which does not belong in a plan.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"sorters": schema.StringAttribute{
				MarkdownDescription: "Sort order, sent to the API: comma-separated fields, `-` for descending, e.g. " +
					"`-created`. Sortable: `id`, `name`, `created`, `modified`, `sourceId`, `identityId`, `nativeIdentity`, " +
					"`uuid`, `manuallyCorrelated`, `entitlements`, `origin`, `identity.name`, `identity.identityState`, " +
					"`identity.correlated`, `source.displayableName`, `source.authoritative`, `source.connectionType`. " +
					"Default `id`. The provider adds `id` as the last key when the sorters do not name it, so that " +
					"accounts that tie keep one order from page to page.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{sortersSyntax()},
			},
			"limit": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("The most accounts to return, from 1 to %d. Default: every account the filter selects.", client.MaxAccounts),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, client.MaxAccounts)},
			},
			"accounts": schema.ListNestedAttribute{
				MarkdownDescription: "The accounts, in the order of `sorters`. A field the API leaves out is null.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: accountAttributes()},
			},
		},
	}
}

func (d *accountsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var filters, sorters types.String
	var limit types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("filters"), &filters)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sorters"), &sorters)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("limit"), &limit)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := d.client(req, resp)
	if c == nil {
		return
	}
	if sorters.IsNull() || sorters.IsUnknown() {
		sorters = types.StringValue(defaultAccountSorters)
	}
	opts := client.AccountsOptions{Filters: filters.ValueString(), Sorters: sorters.ValueString(), Limit: int(limit.ValueInt64())}
	accounts, err := c.ListAccounts(ctx, opts)
	if err != nil {
		readFailure{summary: "Unable to list accounts", err: err, data: d.data,
			context: []client.Fact{{Label: "Filters", Value: opts.Filters}, {Label: "Sorters", Value: opts.Sorters}}}.
			add(&resp.Diagnostics, path.Root("filters"))
		return
	}
	accountType := schema.NestedAttributeObject{Attributes: accountAttributes()}.Type().TerraformType(ctx)
	values := make([]tftypes.Value, len(accounts))
	for i, a := range accounts {
		values[i] = tftypes.NewValue(accountType, accountValues(a))
	}
	setState(req, resp, map[string]tftypes.Value{
		"sorters":  tftypes.NewValue(tftypes.String, sorters.ValueString()),
		"accounts": tftypes.NewValue(tftypes.List{ElementType: accountType}, values),
	})
}
