package provider

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/usagereport"
)

// reportCriteria are the arguments by which both reports judge usage (usagereport.Criteria).
type reportCriteria struct {
	Months      types.Int64  `tfsdk:"months"`
	UnusedBelow types.Number `tfsdk:"unused_below"`
}

// criteria returns the criteria, after giving unused_below its default of 1.
func (r *reportCriteria) criteria() usagereport.Criteria {
	if r.UnusedBelow.IsNull() || r.UnusedBelow.IsUnknown() {
		r.UnusedBelow = types.NumberValue(big.NewFloat(1))
	}
	return usagereport.Criteria{Months: int(r.Months.ValueInt64()), UnusedBelow: r.UnusedBelow.ValueBigFloat()}
}

// criteriaAttributes are the schema of reportCriteria, for a report on nouns; unusedBelow says
// what the threshold and its default mean for them.
func criteriaAttributes(noun, unusedBelow string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"months": schema.Int64Attribute{
			MarkdownDescription: "Only the newest `months` rows of each " + noun + " (one row a month), from 1 to 24, count " +
				"towards its aggregates and `unused`. Default: every row the API returns, about 12.",
			Optional:   true,
			Validators: []validator.Int64{int64validator.Between(1, 24)},
		},
		"unused_below": schema.NumberAttribute{
			MarkdownDescription: unusedBelow,
			Optional:            true,
			Computed:            true,
			Validators:          []validator.Number{nonNegativeNumber()},
		},
	}
}

// sortedIDList is a computed list of ids, empty rather than null when there are none.
func sortedIDList(description string) schema.ListAttribute {
	return schema.ListAttribute{MarkdownDescription: description + " Sorted.", ElementType: types.StringType, Computed: true}
}

// logProgress logs a report's progress at INFO: "<report>: 30 of 300 <nouns> read".
func logProgress(ctx context.Context, report, nouns string, fields map[string]any) usagereport.Progress {
	return func(done, total int, elapsed time.Duration) {
		f := map[string]any{"done": done, "total": total, "elapsed": elapsed.Round(time.Second).String()}
		for k, v := range fields {
			f[k] = v
		}
		tflog.Info(ctx, fmt.Sprintf("%s: %d of %d %s read", report, done, total, nouns), f)
	}
}
