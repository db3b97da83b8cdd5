package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

func statusConfig(fake *acctest.Fake, sourceID string) string {
	return fake.ProviderBlock() + statusData(sourceID)
}

const statusAddr = "data.sailpoint_source_usage_status.test"

func TestAccSourceUsageStatus_complete(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: statusConfig(fake, acctest.SourceActiveDirectory),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(statusAddr, "id", acctest.SourceActiveDirectory),
			resource.TestCheckResourceAttr(statusAddr, "source_id", acctest.SourceActiveDirectory),
			resource.TestCheckResourceAttr(statusAddr, "status", "COMPLETE"),
			resource.TestCheckResourceAttr(statusAddr, "insights_available", "true"),
			checkPaths(fake, "/source-usages/v1/"+acctest.SourceActiveDirectory+"/status"),
			checkEveryInstance(rec, 1, 1),
		),
	})
}

func TestAccSourceUsageStatus_incomplete(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: statusConfig(fake, acctest.SourceWorkday),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(statusAddr, "status", "INCOMPLETE"),
			resource.TestCheckResourceAttr(statusAddr, "insights_available", "false"),
		),
	})
}

// A status the provider does not know yet is passed through, never an error.
func TestAccSourceUsageStatus_unknownStatusPassesThrough(t *testing.T) {
	fake := acctest.NewFake(t)
	fake.PutSource(fakeisc.Source{ID: "src-new-status", UsageStatus: "PENDING_REVIEW"})
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: statusConfig(fake, "src-new-status"),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(statusAddr, "status", "PENDING_REVIEW"),
			resource.TestCheckResourceAttr(statusAddr, "insights_available", "false"),
		),
	})
}

// A status response without a status field gives a null status and a warning, not a failure.
func TestAccSourceUsageStatus_missingStatus(t *testing.T) {
	fake := acctest.NewFake(t)
	fake.PutSource(fakeisc.Source{ID: "src-no-status", UsageStatus: ""})
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: statusConfig(fake, "src-no-status"),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckNoResourceAttr(statusAddr, "status"),
			resource.TestCheckResourceAttr(statusAddr, "insights_available", "false"),
		),
	})
}

func TestAccSourceUsageStatus_notFound(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: statusConfig(fake, "2c9180835d191a86015d28455b4aFFFF"),
		ExpectError: expectError(
			`Unable to read the usage status of source "2c9180835d191a86015d28455b4aFFFF"`,
			"Call: GET /source-usages/v1/2c9180835d191a86015d28455b4aFFFF/status",
			"HTTP status: 404 Not Found",
			"detailCode: 404 Not found",
			"Message: The requested source was not found",
			"trackingId: ",
			"What to do: check that",
		),
	})
	if got := fake.Stats().APIRequests; got != 1 {
		t.Errorf("a 404 must not be retried: %d API requests", got)
	}
}

func TestAccSourceUsageStatus_forbidden(t *testing.T) {
	fake := acctest.NewFake(t)
	fake.PutSource(fakeisc.Source{ID: "src-forbidden", UsageStatus: "COMPLETE", Forbidden: true})
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: statusConfig(fake, "src-forbidden"),
		ExpectError: expectError(
			"HTTP status: 403 Forbidden",
			"detailCode: 403 Forbidden",
			"trackingId: ",
			"idn:identity-history:manage",
		),
	})
}

// source_id is checked at plan time: no request may reach the API.
func TestAccSourceUsageStatus_sourceIDValidation(t *testing.T) {
	for name, id := range map[string]string{
		"empty":    ``,
		"space":    `2c91 808`,
		"newline":  `2c91808\n`,
		"tab":      `\t2c91808`,
		"control":  `2c91\u0007808`,
		"dot":      `.`,
		"dot dot":  `..`,
		"bidi":     `2c91\u202e808`,
		"trailing": `2c91808 `,
	} {
		t.Run(name, func(t *testing.T) {
			fake := acctest.NewFake(t)
			rec := acctest.NewRecorder()
			accTest(t, rec, resource.TestStep{
				Config: fake.ProviderBlock() + `
data "sailpoint_source_usage_status" "test" {
  source_id = "` + id + `"
}
`,
				PlanOnly:    true,
				ExpectError: expectError("Invalid source id"),
			})
			if n := fake.Stats().APIRequests + fake.Stats().TokenRequests; n != 0 {
				t.Errorf("an invalid source_id reached the fake: %d requests", n)
			}
		})
	}
}

// Any other id is sent, escaped into one path segment, to the status endpoint and nowhere else.
func TestAccSourceUsageStatus_pathEscaping(t *testing.T) {
	for id, want := range map[string]string{
		"../../v3/sources":  "/source-usages/v1/..%2F..%2Fv3%2Fsources/status",
		"a?limit=1#frag":    "/source-usages/v1/a%3Flimit=1%23frag/status",
		"a%2Fb":             "/source-usages/v1/a%252Fb/status",
		"источник-é-ü":      "/source-usages/v1/%D0%B8%D1%81%D1%82%D0%BE%D1%87%D0%BD%D0%B8%D0%BA-%C3%A9-%C3%BC/status",
		"..%2F..%2Fsources": "/source-usages/v1/..%252F..%252Fsources/status",
	} {
		t.Run(id, func(t *testing.T) {
			fake := acctest.NewFake(t)
			fake.PutSource(fakeisc.Source{ID: id, UsageStatus: "COMPLETE"})
			rec := acctest.NewRecorder()
			accTest(t, rec, resource.TestStep{
				Config: statusConfig(fake, id),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(statusAddr, "id", id),
					resource.TestCheckResourceAttr(statusAddr, "status", "COMPLETE"),
					func(*terraform.State) error {
						for _, r := range fake.Requests() {
							if r.Op == "token" {
								continue
							}
							if r.RequestURI != want || r.SourceID != id {
								return fmt.Errorf("the fake received %s (source %q), want %s", r.RequestURI, r.SourceID, want)
							}
						}
						return nil
					},
				),
			})
		})
	}
}
