package provider

import (
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// hclNumber is the number HCL makes of a literal.
func hclNumber(literal string) *big.Float {
	f, _, err := big.ParseFloat(literal, 10, 512, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	return f
}

// The conditions users write compare the API's numbers exactly as written: 10.45 from the API
// is the 10.45 of an HCL literal, so == holds, < and > do not, and * 100 is 1045. With counts
// sent as float64 (before the fix), Terraform 1.11 and later found `count < 10.45` true and
// printed 1044.9999999999999 for `count * 100`. The check block and postconditions are the
// forms the examples use; they fail the plan if any comparison is off.
func TestAccUsageModel_conditionsCompareExactly(t *testing.T) {
	fake := acctest.NewFake(t)
	fake.PutSource(fakeisc.Source{ID: "src-exact", UsageStatus: "COMPLETE", Usages: []fakeisc.Usage{
		fakeisc.Row("2024-01-01", "10.45"), fakeisc.Row("2024-02-01", "12.3"),
		fakeisc.Row("2024-03-01", "0.1"), fakeisc.Row("2024-04-01", "7.7"),
	}})
	rec := acctest.NewRecorder()
	config := fake.ProviderBlock() + `
data "sailpoint_source_usages" "x" {
  source_id = "src-exact"
  sorters   = "date"

  lifecycle {
    postcondition {
      condition     = self.max_count == 12.3 && !(self.max_count > 12.3) && !(self.max_count < 12.3)
      error_message = "max_count is not exactly 12.3"
    }
    postcondition {
      condition     = self.latest_count == 7.7 && self.latest_count >= 7.7 && self.latest_count <= 7.7
      error_message = "latest_count is not exactly 7.7"
    }
  }
}

locals {
  counts  = [for u in data.sailpoint_source_usages.x.usages : u.count]
  written = [10.45, 12.3, 0.1, 7.7]
}

output "equal" { value = [for i, c in local.counts : c == local.written[i]] }
output "less" { value = [for i, c in local.counts : c < local.written[i]] }
output "greater" { value = [for i, c in local.counts : c > local.written[i]] }
output "times_100" { value = [for c in local.counts : c * 100] }
output "average_times_4" { value = data.sailpoint_source_usages.x.average_count * 4 }
output "at_threshold" { value = coalesce(data.sailpoint_source_usages.x.usages[0].count, 0) < 10.45 }

check "exact" {
  assert {
    condition     = data.sailpoint_source_usages.x.usages[0].count == 10.45 && !(data.sailpoint_source_usages.x.usages[0].count < 10.45)
    error_message = "10.45 does not compare as 10.45"
  }
}
`
	all := func(b bool) knownvalue.Check {
		return knownvalue.ListExact([]knownvalue.Check{knownvalue.Bool(b), knownvalue.Bool(b), knownvalue.Bool(b), knownvalue.Bool(b)})
	}
	accTest(t, rec, resource.TestStep{
		Config: config,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("equal", all(true)),
			statecheck.ExpectKnownOutputValue("less", all(false)),
			statecheck.ExpectKnownOutputValue("greater", all(false)),
			statecheck.ExpectKnownOutputValue("times_100", knownvalue.ListExact([]knownvalue.Check{
				knownvalue.NumberExact(hclNumber("1045")), knownvalue.NumberExact(hclNumber("1230")),
				knownvalue.NumberExact(hclNumber("10")), knownvalue.NumberExact(hclNumber("770")),
			})),
			// (10.45 + 12.3 + 0.1 + 7.7) / 4 * 4: the exact average, rounded once, times 4.
			statecheck.ExpectKnownOutputValue("average_times_4", knownvalue.NumberExact(hclNumber("30.55"))),
			statecheck.ExpectKnownOutputValue("at_threshold", knownvalue.Bool(false)),
			statecheck.ExpectKnownValue("data.sailpoint_source_usages.x", tfjsonpath.New("max_count"), knownvalue.NumberExact(hclNumber("12.3"))),
		},
	})
}
