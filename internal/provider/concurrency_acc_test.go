package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// 100 sources, both data sources, at Terraform's default parallelism of 10, with the provider
// in this test process under -race: each provider instance fetches exactly one token and
// sends exactly one request per read.
func TestAccConcurrency_hundredSourcesOneToken(t *testing.T) {
	fake := acctest.NewFake(t, fakeisc.WithGeneratedSources(100))
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		// requests_per_second is raised so the test is about sharing, not pacing.
		Config: fake.ProviderBlock("requests_per_second = 1000") + generatedSourcesConfig(100),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckOutput("complete", "100"),
			resource.TestCheckOutput("rows", "1200"),
			checkEveryInstance(rec, 1, 200),
		),
	})
}

// generatedSourcesConfig reads both data sources for the fake's first n generated sources,
// and outputs how many are COMPLETE ("complete") and how many rows they have ("rows").
func generatedSourcesConfig(n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", fakeisc.GeneratedSourceID(i))
	}
	return `
locals {
  ids = [` + strings.Join(ids, ", ") + `]
}

# count rather than for_each: the test harness's state shim supports only numeric indexes.
data "sailpoint_source_usage_status" "all" {
  count     = length(local.ids)
  source_id = local.ids[count.index]
}

data "sailpoint_source_usages" "all" {
  count     = length(local.ids)
  source_id = local.ids[count.index]
}

output "complete" {
  value = length([for s in data.sailpoint_source_usage_status.all : s if s.insights_available])
}

output "rows" {
  value = sum([for u in data.sailpoint_source_usages.all : length(u.usages)])
}
`
}
