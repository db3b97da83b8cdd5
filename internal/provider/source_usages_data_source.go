package provider

import (
	"context"
	"fmt"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

var (
	_ datasource.DataSource              = (*usagesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*usagesDataSource)(nil)
)

// NewSourceUsagesDataSource returns the sailpoint_source_usages data source.
func NewSourceUsagesDataSource() datasource.DataSource {
	return &usagesDataSource{usages: usagesOf{
		subject: sourceUsage,
		idAttr:  sourceIDAttribute(),
		path:    "/source-usages/v1/{sourceId}/summaries",
		altPath: "/{api_version}/source-usages/{sourceId}/summaries",
		about:   "for each month, the average number of days that accounts were active in the source that month.",
		list:    (*client.Client).ListSourceUsages,
	}}
}

// usagesOf says whose monthly usage a usages data source reads.
type usagesOf struct {
	subject usageSubject
	idAttr  schema.StringAttribute // the required <noun>_id argument
	path    string                 // the call under the default api_version, for the description
	altPath string                 // the same under the other versions
	about   string                 // what a row says, and more about the data, for the description
	list    func(c *client.Client, ctx context.Context, id string, opts client.UsagesOptions) ([]client.Usage, error)
}

// usagesDataSource is sailpoint_source_usages and sailpoint_account_usages: the monthly usage
// rows of one source or one account, and their aggregates. Both are one implementation, so
// that their attributes, types and semantics are the same.
type usagesDataSource struct {
	dataSourceBase
	usages usagesOf
}

func (d *usagesDataSource) idPath() path.Path { return path.Root(d.usages.subject.noun + "_id") }

func (d *usagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.usages.subject.noun + "_usages"
}

func (d *usagesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	noun := d.usages.subject.noun
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("The %s id, the same as `%s_id`.", noun, noun),
			Computed:            true,
		},
		noun + "_id": d.usages.idAttr,
		"sorters": schema.StringAttribute{
			MarkdownDescription: "Sort order, passed to the API: comma-separated field names, each optionally prefixed " +
				"with `-` for descending order, e.g. `-date` for newest first. The API sorts on `date` only; another field " +
				"is rejected by the API with HTTP 400. Default: the API's own order.",
			Optional:   true,
			Validators: []validator.String{sortersSyntax()},
		},
		"limit": schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("The most rows to return, from 1 to %d (with `sorters = \"-date\"`, `limit = 1` is "+
				"the newest month; without `sorters`, the first rows in the API's order). Default: every row, about 12.", client.MaxSummaryRows),
			Optional:   true,
			Validators: []validator.Int64{int64validator.Between(1, client.MaxSummaryRows)},
		},
	}
	maps.Copy(attrs, usageSummaryAttributes(d.usages.subject, "The rows, in the order the API returned them."))
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Reads the monthly usage summaries of an ISC %s for the past year, from `GET %s` "+
			"(or `%s`): %s Every page is read (250 rows a page), so no row is lost; the aggregates make policy checks one-liners.",
			noun, d.usages.path, d.usages.altPath, d.usages.about),
		Attributes: attrs,
	}
}

func (d *usagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var objectID, sorters types.String
	var limit types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, d.idPath(), &objectID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sorters"), &sorters)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("limit"), &limit)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := d.client(req, resp)
	if c == nil {
		return
	}
	noun, id := d.usages.subject.noun, objectID.ValueString()
	ctx = tflog.SetField(ctx, noun+"_id", id)

	rows, err := d.usages.list(c, ctx, id, client.UsagesOptions{Sorters: sorters.ValueString(), Limit: int(limit.ValueInt64())})
	if err != nil {
		readFailure{summary: fmt.Sprintf("Unable to read the usage summaries of %s %q", noun, id), err: err, data: d.data}.
			add(&resp.Diagnostics, d.idPath())
		return
	}
	computed := usageSummaryValues(rows)
	computed["id"] = tftypes.NewValue(tftypes.String, id)
	setState(req, resp, computed)
}
