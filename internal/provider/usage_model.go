package provider

import (
	"math/big"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/usagestats"
)

// usageRowType is the Terraform type of a row of usages (see usageSummaryAttributes).
var usageRowType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"date": tftypes.String, "count": tftypes.Number}}

// usageSubject is what usage rows are about: a source or an account. Rows and aggregates have
// the same attributes, types and semantics for both; only what a count counts differs.
type usageSubject struct {
	noun  string // "source" or "account"
	count string // what a row's count is, for its description: a noun phrase
	exact string // how exactly it compares in HCL, for its description: a sentence
}

var (
	sourceUsage = usageSubject{noun: "source",
		count: "the average number of days that accounts were active in the source that month, from `0` to `31`",
		exact: "It is exactly the number the API wrote: `10.45` is the number HCL means by `10.45`, so `count == 10.45` " +
			"holds and `count < 10.45` does not."}
	accountUsage = usageSubject{noun: "account",
		count: "the number of days that month on which the account was active in its source, a whole number from `0` to `31`",
		exact: "It is exactly the number the API wrote, so comparisons such as `count == 0` or `count >= 1` hold as written."}
)

// usageAggregateValues are the aggregates of usage rows, the attributes of
// usageAggregateAttributes. Counts are Terraform numbers built from the API's decimal text
// (see usagestats), so they compare in HCL exactly as the API wrote them; a missing date or
// count is null.
func usageAggregateValues(rows []client.Usage) map[string]tftypes.Value {
	s := usagestats.Summarize(rows)
	return map[string]tftypes.Value{
		"latest_date":   tftypes.NewValue(tftypes.String, s.LatestDate),
		"latest_count":  tftypes.NewValue(tftypes.Number, s.LatestCount),
		"average_count": tftypes.NewValue(tftypes.Number, s.AverageCount),
		"max_count":     tftypes.NewValue(tftypes.Number, s.MaxCount),
	}
}

// usageSummaryValues are usage rows and their aggregates, the attributes of
// usageSummaryAttributes.
func usageSummaryValues(rows []client.Usage) map[string]tftypes.Value {
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
	values := usageAggregateValues(rows)
	values["usages"] = tftypes.NewValue(tftypes.List{ElementType: usageRowType}, usages)
	return values
}

// usageSummaryAttributes are the schema of usageSummaryValues; rowsAre says which rows usages
// holds.
func usageSummaryAttributes(subject usageSubject, rowsAre string) map[string]schema.Attribute {
	attrs := usageAggregateAttributes(subject, "the rows of `usages`", "")
	attrs["usages"] = schema.ListNestedAttribute{
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
					MarkdownDescription: upperFirst(subject.count) + ". " + subject.exact + " Null if the API sent none.",
					Computed:            true,
				},
			},
		},
	}
	return attrs
}

// usageAggregateAttributes are the schema of usageAggregateValues over rows, a noun phrase
// such as "the rows of `usages`"; alsoNull, when set, is one more case in which they are null,
// such as " or the account was not read".
func usageAggregateAttributes(subject usageSubject, rows, alsoNull string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"latest_date": schema.StringAttribute{
			MarkdownDescription: "Date (`YYYY-MM-DD`) of the row with the greatest date among " + rows + ", whatever " +
				"their order: the newest month the API has data for. The API does not document whether that month is " +
				"complete; see the guides for a check that ignores the current month. Null when there are no rows" + alsoNull + ".",
			Computed: true,
		},
		"latest_count": schema.NumberAttribute{
			MarkdownDescription: "`count` of the row with the greatest date (see `latest_date`): " + subject.count + ". Null " +
				"when there are no rows or that row has no count" + alsoNull + "; use `coalesce(latest_count, 0)` in conditions.",
			Computed: true,
		},
		"average_count": schema.NumberAttribute{
			MarkdownDescription: "Average `count` of " + rows + ", over those that have a count, computed exactly, then " +
				"rounded once, half to even, to 4 decimal places: three months of `1`, `0` and `0` average `0.3333`; " +
				"`10.00005` rounds to `10` and `10.00015` to `10.0002`. Every average the provider computes follows this " +
				"rule. Null when no row has a count" + alsoNull + ".",
			Computed: true,
		},
		"max_count": schema.NumberAttribute{
			MarkdownDescription: "Greatest `count` of " + rows + ". Null when no row has a count" + alsoNull + ".",
			Computed:            true,
		},
	}
}

// upperFirst capitalizes a noun phrase's first letter, to start a sentence with it.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
