package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/usagestats"
)

var (
	_ datasource.DataSource              = (*sourceUsagesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*sourceUsagesDataSource)(nil)
)

const whatUsages = "source usages"

// NewSourceUsagesDataSource returns the sailpoint_source_usages data source.
func NewSourceUsagesDataSource() datasource.DataSource {
	return &sourceUsagesDataSource{}
}

type sourceUsagesDataSource struct {
	data *providerData
}

type sourceUsagesModel struct {
	ID           types.String      `tfsdk:"id"`
	SourceID     types.String      `tfsdk:"source_id"`
	Sorters      types.String      `tfsdk:"sorters"`
	Limit        types.Int64       `tfsdk:"limit"`
	Usages       []sourceUsageItem `tfsdk:"usages"`
	LatestDate   types.String      `tfsdk:"latest_date"`
	LatestCount  types.Float64     `tfsdk:"latest_count"`
	AverageCount types.Float64     `tfsdk:"average_count"`
	MaxCount     types.Float64     `tfsdk:"max_count"`
}

type sourceUsageItem struct {
	Date  types.String  `tfsdk:"date"`
	Count types.Float64 `tfsdk:"count"`
}

func (d *sourceUsagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_source_usages"
}

func (d *sourceUsagesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the monthly usage summaries of an ISC source for the past year, from " +
			"`GET /{api_version}/source-usages/{sourceId}/summaries`: for each month, the average number of days that " +
			"accounts were active in the source. Every page is read (250 rows a page), so no row is lost; the aggregates " +
			"make policy checks one-liners.",
		Attributes: map[string]schema.Attribute{
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
				Validators: []validator.String{sorters()},
			},
			"limit": schema.Int64Attribute{
				MarkdownDescription: "The most rows to return, at least 1 (with `sorters = \"-date\"`, `limit = 1` is the " +
					"newest month; without `sorters`, the first rows in the API's order). Default: every row, about 12.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"usages": schema.ListNestedAttribute{
				MarkdownDescription: "The rows, in the order the API returned them. Empty, not null, when the source has no usage data, " +
					"for example because its usage insights are not set up.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"date": schema.StringAttribute{
							MarkdownDescription: "First day of the month the row aggregates, as the API sends it (`YYYY-MM-DD`). " +
								"Null if the API sent none.",
							Computed: true,
						},
						"count": schema.Float64Attribute{
							MarkdownDescription: "Average number of days that accounts were active in the source that month, so between `0` and `31`, " +
								"exactly as the API sent it (`10.45` stays `10.45`). Null if the API sent none.",
							Computed: true,
						},
					},
				},
			},
			"latest_date": schema.StringAttribute{
				MarkdownDescription: "Date (`YYYY-MM-DD`) of the row with the greatest date among the rows read, whatever `sorters` is; without " +
					"`limit`, the latest month with data. Null when there are no rows.",
				Computed: true,
			},
			"latest_count": schema.Float64Attribute{
				MarkdownDescription: "`count` of the row with the greatest date (see `latest_date`): the average number of days accounts were active in that month. " +
					"Null when there are no rows or that row has no count; use `coalesce(latest_count, 0)` in conditions.",
				Computed: true,
			},
			"average_count": schema.Float64Attribute{
				MarkdownDescription: "Average of `count` over the rows read that have one, computed exactly and then rounded once " +
					"to the nearest float64. Null when no row has a count.",
				Computed: true,
			},
			"max_count": schema.Float64Attribute{
				MarkdownDescription: "Greatest `count` of the rows read. Null when no row has a count.",
				Computed:            true,
			},
		},
	}
}

func (d *sourceUsagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *sourceUsagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m sourceUsagesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !requireConfigured(d.data, &resp.Diagnostics) {
		return
	}
	id := m.SourceID.ValueString()
	ctx = tflog.SetField(ctx, "source_id", id)

	rows, err := d.data.client.ListSourceUsages(ctx, id, client.UsagesOptions{
		Sorters: m.Sorters.ValueString(),
		Limit:   int(m.Limit.ValueInt64()),
	})
	if err != nil {
		f := readFailure{what: whatUsages, sourceID: id, err: err, c: d.data.client}
		resp.Diagnostics.AddAttributeError(sourceIDPath, f.summary(), f.detail())
		return
	}
	tflog.Debug(ctx, fmt.Sprintf("read %d source usage rows", len(rows)))

	m.ID = types.StringValue(id)
	m.Usages = make([]sourceUsageItem, len(rows))
	for i, r := range rows {
		m.Usages[i] = sourceUsageItem{Date: types.StringPointerValue(r.Date), Count: countValue(r)}
	}
	s := usagestats.Summarize(rows)
	m.LatestDate = types.StringPointerValue(s.LatestDate)
	m.LatestCount = types.Float64PointerValue(s.LatestCount)
	m.AverageCount = types.Float64PointerValue(s.AverageCount)
	m.MaxCount = types.Float64PointerValue(s.MaxCount)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func countValue(r client.SourceUsage) types.Float64 {
	f, ok := r.CountFloat64()
	if !ok {
		return types.Float64Null()
	}
	return types.Float64Value(f)
}
