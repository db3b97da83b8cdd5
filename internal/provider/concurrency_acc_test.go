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
	var ids []string
	for i := 0; i < 100; i++ {
		ids = append(ids, fmt.Sprintf("%q", fakeisc.GeneratedSourceID(i)))
	}
	accTest(t, rec, resource.TestStep{
		// requests_per_second is raised so the test is about sharing, not pacing.
		Config: fake.ProviderBlock("requests_per_second = 1000") + `
locals {
  ids = [` + strings.Join(ids, ", ") + `]
}

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
`,
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckOutput("complete", "100"),
			resource.TestCheckOutput("rows", "1200"),
			checkEveryInstance(rec, 1, 200),
		),
	})
}
