package provider

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/usagestats"
)

// usageRowType is the Terraform type of a row of usages (see usageSummaryAttributes).
var usageRowType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"date": tftypes.String, "count": tftypes.Number}}

// usageSummaryValues are a source's usage rows and their aggregates, the attributes of
// usageSummaryAttributes, as sailpoint_source_usages and every source of
// sailpoint_source_usage_report show them. Counts are Terraform numbers built from the API's
// decimal text (see usagestats), so they compare in HCL exactly as the API wrote them; a
// missing date or count is null.
func usageSummaryValues(rows []client.Usage) map[string]tftypes.Value {
	s := usagestats.Summarize(rows)
	usages := make([]tftypes.Value, len(rows))
	for i, r := range rows {
		var count *big.Float
		if r.Count != nil {
			count = usagestats.Number(*r.Count)
		}
		usages[i] = tftypes.NewValue(usageRowType, map[string]tftypes.Value{
			"date":  tftypes.NewValue(tftypes.String, r.Date),
			"count": tftypes.NewValue(tftypes.Number, count),
		})
	}
	return map[string]tftypes.Value{
		"usages":        tftypes.NewValue(tftypes.List{ElementType: usageRowType}, usages),
		"latest_date":   tftypes.NewValue(tftypes.String, s.LatestDate),
		"latest_count":  tftypes.NewValue(tftypes.Number, s.LatestCount),
		"average_count": tftypes.NewValue(tftypes.Number, s.AverageCount),
		"max_count":     tftypes.NewValue(tftypes.Number, s.MaxCount),
	}
}

// usageSummaryAttributes are the schema of usageSummaryValues; rowsAre says which rows usages holds.
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
			MarkdownDescription: "Average of `count` over the rows that have one, computed exactly, then rounded once, half " +
				"to even, to 4 decimal places: three months of `1`, `0` and `0` average `0.3333`; `10.00005` rounds to `10` " +
				"and `10.00015` to `10.0002`. Every average the provider computes follows this rule. Null when no row has a count.",
			Computed: true,
		},
		"max_count": schema.NumberAttribute{
			MarkdownDescription: "Greatest `count` of the rows. Null when no row has a count.",
			Computed:            true,
		},
	}
}
