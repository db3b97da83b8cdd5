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
	_ datasource.DataSource              = (*sourceUsagesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*sourceUsagesDataSource)(nil)
)

// NewSourceUsagesDataSource returns the sailpoint_source_usages data source.
func NewSourceUsagesDataSource() datasource.DataSource {
	return &sourceUsagesDataSource{}
}

type sourceUsagesDataSource struct {
	dataSourceBase
}

func (d *sourceUsagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_source_usages"
}

func (d *sourceUsagesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The source id, the same as `source_id`.",
			Computed:            true,
		},
		"source_id": sourceIDAttribute(),
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
	maps.Copy(attrs, usageSummaryAttributes("The rows, in the order the API returned them."))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the monthly usage summaries of an ISC source for the past year, from " +
			"`GET /source-usages/v1/{sourceId}/summaries` (or `/{api_version}/source-usages/{sourceId}/summaries`): for each " +
			"month, the average number of days that accounts were active in the source. Every page is read (250 rows a " +
			"page), so no row is lost; the aggregates make policy checks one-liners.",
		Attributes: attrs,
	}
}

func (d *sourceUsagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var sourceID, sorters types.String
	var limit types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, sourceIDPath, &sourceID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sorters"), &sorters)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("limit"), &limit)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := d.client(req, resp)
	if c == nil {
		return
	}
	id := sourceID.ValueString()
	ctx = tflog.SetField(ctx, "source_id", id)

	rows, err := c.ListSourceUsages(ctx, id, client.UsagesOptions{Sorters: sorters.ValueString(), Limit: int(limit.ValueInt64())})
	if err != nil {
		readFailure{summary: fmt.Sprintf("Unable to read the usage summaries of source %q", id), err: err, data: d.data}.
			add(&resp.Diagnostics, sourceIDPath)
		return
	}
	computed := usageSummaryValues(rows)
	computed["id"] = tftypes.NewValue(tftypes.String, id)
	setState(req, resp, computed)
}
