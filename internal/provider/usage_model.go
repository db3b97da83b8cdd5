package provider

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/usagestats"
)

// usageSummary is a source's usage rows and their aggregates, as sailpoint_source_usages and
// every source of sailpoint_source_usage_report show them. Counts are Terraform numbers
// built from the API's decimal text (see usagestats), so they compare in HCL exactly as the
// API wrote them.
type usageSummary struct {
	Usages       []usageRow   `tfsdk:"usages"`
	LatestDate   types.String `tfsdk:"latest_date"`
	LatestCount  types.Number `tfsdk:"latest_count"`
	AverageCount types.Number `tfsdk:"average_count"`
	MaxCount     types.Number `tfsdk:"max_count"`
}

type usageRow struct {
	Date  types.String `tfsdk:"date"`
	Count types.Number `tfsdk:"count"`
}

func newUsageSummary(rows []client.SourceUsage) usageSummary {
	s := usagestats.Summarize(rows)
	out := usageSummary{
		Usages:       make([]usageRow, len(rows)),
		LatestDate:   types.StringPointerValue(s.LatestDate),
		LatestCount:  numberValue(s.LatestCount),
		AverageCount: numberValue(s.AverageCount),
		MaxCount:     numberValue(s.MaxCount),
	}
	for i, r := range rows {
		out.Usages[i] = usageRow{Date: types.StringPointerValue(r.Date), Count: types.NumberNull()}
		if r.Count != nil {
			out.Usages[i].Count = numberValue(usagestats.Number(*r.Count))
		}
	}
	return out
}

func numberValue(f *big.Float) types.Number {
	if f == nil {
		return types.NumberNull()
	}
	return types.NumberValue(f)
}

// usageSummaryAttributes are the schema of usageSummary; rowsAre says which rows usages holds.
func usageSummaryAttributes(rowsAre string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"usages": schema.ListNestedAttribute{
			MarkdownDescription: rowsAre + " Empty, not null, when there are none, for example because usage insights are not set up.",
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{
				Attributes: map[string]schema.Attribute{
					"date": schema.StringAttribute{
						MarkdownDescription: "First day of the month the row aggregates, as the API sends it (`YYYY-MM-DD`). " +
							"Null if the API sent none.",
						Computed: true,
					},
					"count": schema.NumberAttribute{
						MarkdownDescription: "Average number of days that accounts were active in the source that month, so " +
							"between `0` and `31`, exactly as the API wrote it: `10.45` is the number HCL means by `10.45`, so " +
							"`count == 10.45` holds and `count < 10.45` does not. Null if the API sent none.",
						Computed: true,
					},
				},
			},
		},
		"latest_date": schema.StringAttribute{
			MarkdownDescription: "Date (`YYYY-MM-DD`) of the row with the greatest date among these rows, whatever their " +
				"order: the newest month the API has data for. The API does not document whether that month is complete; " +
				"see the guides for a check that ignores the current month. Null when there are no rows.",
			Computed: true,
		},
		"latest_count": schema.NumberAttribute{
			MarkdownDescription: "`count` of the row with the greatest date (see `latest_date`). Null when there are no rows " +
				"or that row has no count; use `coalesce(latest_count, 0)` in conditions.",
			Computed: true,
		},
		"average_count": schema.NumberAttribute{
			MarkdownDescription: "Average of `count` over the rows that have one, computed exactly and rounded once to " +
				"Terraform's precision. Null when no row has a count.",
			Computed: true,
		},
		"max_count": schema.NumberAttribute{
			MarkdownDescription: "Greatest `count` of the rows. Null when no row has a count.",
			Computed:            true,
		},
	}
}
