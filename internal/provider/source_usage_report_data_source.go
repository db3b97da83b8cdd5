package provider

import (
	"context"
	"errors"
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
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
	_ datasource.DataSource              = (*sourceUsageReportDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*sourceUsageReportDataSource)(nil)
)

// NewSourceUsageReportDataSource returns the sailpoint_source_usage_report data source.
func NewSourceUsageReportDataSource() datasource.DataSource {
	return &sourceUsageReportDataSource{}
}

type sourceUsageReportDataSource struct {
	dataSourceBase
}

// sourceUsageReportModel is the configuration; the state is written by setState.
type sourceUsageReportModel struct {
	SourceIDs   []types.String `tfsdk:"source_ids"` // null elements are refused, not converted
	Filters     types.String   `tfsdk:"filters"`
	ForSubadmin types.String   `tfsdk:"for_subadmin"`
	reportCriteria
	Sources                  types.Map `tfsdk:"sources"`
	UnusedSourceIDs          []string  `tfsdk:"unused_source_ids"`
	WithoutInsightsSourceIDs []string  `tfsdk:"without_insights_source_ids"`
	MissingSourceIDs         []string  `tfsdk:"missing_source_ids"`
}

func (d *sourceUsageReportDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_source_usage_report"
}

// reportSource is the schema of a value of sources.
func reportSource() schema.NestedAttributeObject {
	perSource := map[string]schema.Attribute{
		"name": schema.StringAttribute{MarkdownDescription: "Name of the source; null for an id in `source_ids` that the sources list does not know.", Computed: true},
		"status": schema.StringAttribute{
			MarkdownDescription: "Usage status as the API returns it: `COMPLETE` or `INCOMPLETE` (see `sailpoint_source_usage_status`).",
			Computed:            true,
		},
		"insights_available": schema.BoolAttribute{MarkdownDescription: "`true` when `status` is `COMPLETE`.", Computed: true},
		"unused": schema.BoolAttribute{
			MarkdownDescription: "`true` when insights are available and no counted month has a `count` at or above `unused_below`.",
			Computed:            true,
		},
	}
	maps.Copy(perSource, usageSummaryAttributes(sourceUsage, "The rows that count (see `months`), newest first."))
	return schema.NestedAttributeObject{Attributes: perSource}
}

func (d *sourceUsageReportDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := criteriaAttributes("source", "A source with insights is unused when no counted month has a `count` at or "+
		"above this value, so a month exactly at it counts as used. Default `1`: on average, accounts were active less than "+
		"one day in every month.")
	maps.Copy(attrs, map[string]schema.Attribute{
		"source_ids": schema.SetAttribute{
			MarkdownDescription: "The sources to report on, by id. Conflicts with `filters`; with neither, the report " +
				"covers every source but the tenant's built-in IdentityNow source. The ids are looked up in the sources " +
				"list (`id in (...)`, 50 ids a request, the IdentityNow source included), to learn their names and that " +
				"they exist; an id the list does not return is in `missing_source_ids`, and costs no usage request. A " +
				"403 from that list fails the read (a source sub-admin sets `for_subadmin`).",
			ElementType: types.StringType,
			Optional:    true,
			Validators: []validator.Set{
				setvalidator.ConflictsWith(path.MatchRoot("filters")),
				setvalidator.SizeAtLeast(1),
				setvalidator.NoNullValues(),
				setvalidator.ValueStringsAre(sourceID()),
			},
		},
		"filters":      filtersAttribute(),
		"for_subadmin": forSubadminAttribute("every list of sources the report makes"),
		"sources": schema.MapNestedAttribute{
			MarkdownDescription: "The sources, keyed by id; missing ones are left out. The numbers have exactly the " +
				"types and meaning of `sailpoint_source_usages`.",
			Computed:     true,
			NestedObject: reportSource(),
		},
		"unused_source_ids":           sortedIDList("Ids of the sources that are `unused`."),
		"without_insights_source_ids": sortedIDList("Ids of the sources whose usage insights are not set up (status not `COMPLETE`)."),
		"missing_source_ids": sortedIDList("Ids of the sources that do not exist: ids in `source_ids` that the sources " +
			"list does not return, and listed sources whose usage calls answered 404 and that `GET /sources/{id}` then " +
			"did not find either (deleted while the report was read). A 404 from a usage call for a source that still " +
			"exists fails the read instead (the usage API is not answering, often a matter of `api_version`): " +
			"missing sources are never a way for a check to pass on nothing."),
	})
	resp.Schema = schema.Schema{
		MarkdownDescription: "Answers for many sources in one read: which lack usage insights, which go unused, which do " +
			"not exist. It lists the sources (`GET /sources/v1`), then reads each one's usage status and, for those with " +
			"insights, its monthly summaries, as fast as the provider's rate limit allows. One object in the plan instead " +
			"of two per source; `INCOMPLETE` sources cost no summaries request. It fails closed: a source is missing only " +
			"when the Sources API says so, and any other failure fails the read, so the report is never partial.",
		Attributes: attrs,
	}
}

func (d *sourceUsageReportDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m sourceUsageReportModel
	c := d.read(ctx, req, resp, &m)
	if c == nil {
		return
	}
	started := time.Now()
	sourceIDs, ok := knownStrings(&resp.Diagnostics, path.Root("source_ids"), m.SourceIDs)
	if !ok {
		return
	}
	report, err := usagereport.Sources(ctx, c, usagereport.SourcesOptions{
		SourceIDs:   sourceIDs,
		Filters:     m.Filters.ValueString(),
		ForSubadmin: m.ForSubadmin.ValueString(),
		Criteria:    m.criteria(),
		Progress:    logProgress(ctx, "source usage report", "sources", nil),
	})
	if err != nil {
		d.fail(resp, m, err)
		return
	}
	tflog.Info(ctx, "source usage report done", map[string]any{"sources": len(report.Sources), "missing": len(report.Missing),
		"elapsed": time.Since(started).Round(time.Millisecond).String()})

	sourceType := reportSource().Type().TerraformType(ctx)
	sources := make(map[string]tftypes.Value, len(report.Sources))
	for _, s := range report.Sources {
		attrs := usageSummaryValues(s.Rows)
		attrs["name"] = tftypes.NewValue(tftypes.String, s.Name)
		attrs["status"] = tftypes.NewValue(tftypes.String, s.Status)
		attrs["insights_available"] = tftypes.NewValue(tftypes.Bool, s.InsightsAvailable)
		attrs["unused"] = tftypes.NewValue(tftypes.Bool, s.Unused)
		sources[s.ID] = tftypes.NewValue(sourceType, attrs)
	}
	setState(req, resp, map[string]tftypes.Value{
		"unused_below":                tftypes.NewValue(tftypes.Number, m.UnusedBelow.ValueBigFloat()),
		"sources":                     tftypes.NewValue(tftypes.Map{ElementType: sourceType}, sources),
		"unused_source_ids":           stringList(report.Unused),
		"without_insights_source_ids": stringList(report.WithoutInsights),
		"missing_source_ids":          stringList(report.Missing),
	})
}

// fail explains a failed report, naming the source whose read failed.
func (d *sourceUsageReportDataSource) fail(resp *datasource.ReadResponse, m sourceUsageReportModel, err error) {
	f := readFailure{summary: "Unable to build the source usage report", err: err, data: d.data}
	var se *usagereport.SourceError
	if errors.As(err, &se) {
		f.summary = "Unable to read the usage of source " + describe(se.ID, se.Name)
		f.context = []client.Fact{{Label: "Report", Value: "stopped: a report is never partial"}}
	} else {
		f.context = listContext(client.SourcesOptions{Filters: m.Filters.ValueString(), ForSubadmin: m.ForSubadmin.ValueString()})
	}
	f.add(&resp.Diagnostics, path.Root("sources"))
}

// stringList is a list of strings, empty rather than null when there are none, so that
// length() works on it.
func stringList(ids []string) tftypes.Value {
	values := make([]tftypes.Value, len(ids))
	for i, id := range ids {
		values[i] = tftypes.NewValue(tftypes.String, id)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, values)
}
