package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

var (
	_ datasource.DataSource              = (*sourceUsageStatusDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*sourceUsageStatusDataSource)(nil)
)

// statusComplete is the status that means usage insights are available.
const statusComplete = "COMPLETE"

var sourceIDPath = path.Root("source_id")

// NewSourceUsageStatusDataSource returns the sailpoint_source_usage_status data source.
func NewSourceUsageStatusDataSource() datasource.DataSource {
	return &sourceUsageStatusDataSource{}
}

type sourceUsageStatusDataSource struct {
	dataSourceBase
}

func (d *sourceUsageStatusDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_source_usage_status"
}

func (d *sourceUsageStatusDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Tells whether usage insights are set up for an ISC source, from " +
			"`GET /source-usages/v1/{sourceId}/status` (or `/{api_version}/source-usages/{sourceId}/status`). Insights need an " +
			"activity data source for the source; without one, `sailpoint_source_usages` has no rows for it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The source id, the same as `source_id`.",
				Computed:            true,
			},
			"source_id": sourceIDAttribute(),
			"status": schema.StringAttribute{
				MarkdownDescription: "The status exactly as the API returns it: `COMPLETE` (an activity data source is set up and " +
					"usage insights are available) or `INCOMPLETE` (none is set up). A value the API adds later is passed " +
					"through unchanged. Null only if the API's answer has no status at all (a warning says so).",
				Computed: true,
			},
			"insights_available": schema.BoolAttribute{
				MarkdownDescription: "`true` when `status` is `COMPLETE`, otherwise `false`. Convenient in `check` blocks and conditions.",
				Computed:            true,
			},
		},
	}
}

// sourceIDAttribute is the source_id argument both usage data sources share.
func sourceIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Id of the ISC source, e.g. `2c9180835d191a86015d28455b4a2329` (32 hexadecimal characters; " +
			"`data.sailpoint_sources` lists them and `data.sailpoint_source` looks one up by name). Checked at plan time: not " +
			"empty, not `.` or `..`, no white space or control characters (`trimspace()` a value read from a file). Always " +
			"percent-encoded in the request path.",
		Required:   true,
		Validators: []validator.String{sourceID()},
	}
}

func (d *sourceUsageStatusDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var sourceID types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, sourceIDPath, &sourceID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := d.client(req, resp)
	if c == nil {
		return
	}
	id := sourceID.ValueString()
	ctx = tflog.SetField(ctx, "source_id", id)

	st, err := c.GetSourceUsageStatus(ctx, id)
	if err != nil {
		readFailure{summary: fmt.Sprintf("Unable to read the usage status of source %q", id), err: err, data: d.data}.
			add(&resp.Diagnostics, sourceIDPath)
		return
	}
	if st.Status == nil {
		resp.Diagnostics.AddAttributeWarning(sourceIDPath, fmt.Sprintf("No status for source %q", id),
			"The API answered without a status field, so status is null and insights_available is false. "+
				"If this persists, report it to SailPoint support.")
	}
	setState(req, resp, map[string]tftypes.Value{
		"id":                 tftypes.NewValue(tftypes.String, id),
		"status":             tftypes.NewValue(tftypes.String, st.Status),
		"insights_available": tftypes.NewValue(tftypes.Bool, st.Status != nil && *st.Status == statusComplete),
	})
}
