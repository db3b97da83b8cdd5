// Package noopprovider is the baseline of the plan benchmarks: a provider whose data sources
// have the same schemas as the sailpoint provider's and answer with fixed data, without any
// network or client. A plan over N of them costs Terraform and the plugin framework the same
// per-object work as a plan over N sailpoint data sources (schema, config decoding, state of
// the same shape and size), so the difference between the two is what the sailpoint provider
// itself adds: token, HTTP, decoding, aggregates, logging.
package noopprovider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	providerschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TypeName is the provider's local name, and the prefix of its data sources.
const TypeName = "benchnoop"

// Address is the registry address the bench configurations use with dev_overrides. Nothing
// is published there.
const Address = "registry.terraform.io/sailpoint-community/benchnoop"

// New returns the provider.
func New() provider.Provider { return noopProvider{} }

type noopProvider struct{}

var _ provider.Provider = noopProvider{}

func (noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
	resp.Version = "bench"
}

// Schema is empty: the provider block is configured once per plan, not once per object, so
// it does not matter for per-object cost.
func (noopProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerschema.Schema{}
}

func (noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (noopProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (noopProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		func() datasource.DataSource { return statusDataSource{} },
		func() datasource.DataSource { return usagesDataSource{} },
	}
}

// statusDataSource mirrors sailpoint_source_usage_status.
type statusDataSource struct{}

type statusModel struct {
	ID                types.String `tfsdk:"id"`
	SourceID          types.String `tfsdk:"source_id"`
	Status            types.String `tfsdk:"status"`
	InsightsAvailable types.Bool   `tfsdk:"insights_available"`
}

func (statusDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_source_usage_status"
}

func (statusDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                 schema.StringAttribute{Computed: true},
			"source_id":          schema.StringAttribute{Required: true},
			"status":             schema.StringAttribute{Computed: true},
			"insights_available": schema.BoolAttribute{Computed: true},
		},
	}
}

func (statusDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m statusModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.ID = m.SourceID
	m.Status = types.StringValue("COMPLETE")
	m.InsightsAvailable = types.BoolValue(true)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// usagesDataSource mirrors sailpoint_source_usages.
type usagesDataSource struct{}

type usagesModel struct {
	ID           types.String  `tfsdk:"id"`
	SourceID     types.String  `tfsdk:"source_id"`
	Sorters      types.String  `tfsdk:"sorters"`
	Limit        types.Int64   `tfsdk:"limit"`
	Usages       []usageItem   `tfsdk:"usages"`
	LatestDate   types.String  `tfsdk:"latest_date"`
	LatestCount  types.Float64 `tfsdk:"latest_count"`
	AverageCount types.Float64 `tfsdk:"average_count"`
	MaxCount     types.Float64 `tfsdk:"max_count"`
}

type usageItem struct {
	Date  types.String  `tfsdk:"date"`
	Count types.Float64 `tfsdk:"count"`
}

func (usagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_source_usages"
}

func (usagesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":        schema.StringAttribute{Computed: true},
			"source_id": schema.StringAttribute{Required: true},
			"sorters":   schema.StringAttribute{Optional: true},
			"limit":     schema.Int64Attribute{Optional: true},
			"usages": schema.ListNestedAttribute{
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"date":  schema.StringAttribute{Computed: true},
						"count": schema.Float64Attribute{Computed: true},
					},
				},
			},
			"latest_date":   schema.StringAttribute{Computed: true},
			"latest_count":  schema.Float64Attribute{Computed: true},
			"average_count": schema.Float64Attribute{Computed: true},
			"max_count":     schema.Float64Attribute{Computed: true},
		},
	}
}

// rows are the 12 monthly rows every usages read returns: the same number of rows, and
// counts of the same form (two decimals), as the fake tenant's generated sources, so the
// state Terraform handles has the same shape and size.
var rows = fixedRows()

// fixedCounts are the counts of rows: two decimals at most, like the API's.
var fixedCounts = []float64{12.3, 11.87, 10.45, 13.02, 14.5, 9.95, 8.4, 10.1, 15.25, 16, 14.75, 13.6}

// firstMonth is the date of the first row.
var firstMonth = time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)

func fixedRows() []usageItem {
	out := make([]usageItem, len(fixedCounts))
	for i, c := range fixedCounts {
		out[i] = usageItem{Date: types.StringValue(firstMonth.AddDate(0, i, 0).Format(time.DateOnly)), Count: types.Float64Value(c)}
	}
	return out
}

// The aggregates of rows, fixed rather than computed, so that the baseline does no work
// beyond the framework's. A test checks them against the sailpoint provider's own code.
const (
	latestDate   = "2024-12-01"
	latestCount  = 13.6
	averageCount = 12.515833333333333
	maxCount     = 16
)

func (usagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m usagesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.ID = m.SourceID
	m.Usages = rows
	m.LatestDate = types.StringValue(latestDate)
	m.LatestCount = types.Float64Value(latestCount)
	m.AverageCount = types.Float64Value(averageCount)
	m.MaxCount = types.Float64Value(maxCount)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
