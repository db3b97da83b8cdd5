package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
)

const accountUsagesAddr = "data.sailpoint_account_usages.test"

func accountUsagesConfig(fake *acctest.Fake, accountID, args string) string {
	return fake.ProviderBlock() + fmt.Sprintf("data \"sailpoint_account_usages\" \"test\" {\n  account_id = %q\n  %s\n}\n", accountID, args)
}

// An account's rows are whole days, with the same attributes and aggregates as a source's:
// every row, the newest month whatever the order, and the average rounded to four places.
func TestAccAccountUsages_rowsAndAggregates(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	checks := []resource.TestCheckFunc{
		resource.TestCheckResourceAttr(accountUsagesAddr, "id", acctest.AccountBusy),
		resource.TestCheckResourceAttr(accountUsagesAddr, "usages.#", "12"),
		resource.TestCheckResourceAttr(accountUsagesAddr, "latest_date", "2024-12-01"),
		resource.TestCheckResourceAttr(accountUsagesAddr, "latest_count", "21"),
		resource.TestCheckResourceAttr(accountUsagesAddr, "max_count", "22"),
		resource.TestCheckResourceAttr(accountUsagesAddr, "average_count", "19.6667"), // 236 / 12
		checkPaths(fake, "/account-usages/v1/"+acctest.AccountBusy+"/summaries"),
		checkEveryInstance(rec, 1, 1),
	}
	for i, count := range []string{"20", "18", "21", "19", "22", "20", "17", "21", "19", "20", "18", "21"} {
		checks = append(checks,
			resource.TestCheckResourceAttr(accountUsagesAddr, fmt.Sprintf("usages.%d.date", i), fmt.Sprintf("2024-%02d-01", i+1)),
			resource.TestCheckResourceAttr(accountUsagesAddr, fmt.Sprintf("usages.%d.count", i), count))
	}
	accTest(t, rec,
		resource.TestStep{
			Config: accountUsagesConfig(fake, acctest.AccountBusy, ""),
			Check:  resource.ComposeAggregateTestCheckFunc(checks...),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(accountUsagesAddr, tfjsonpath.New("average_count"), knownvalue.NumberExact(hclNumber("19.6667"))),
				statecheck.ExpectKnownValue(accountUsagesAddr, tfjsonpath.New("usages").AtSliceIndex(4).AtMapKey("count"), knownvalue.NumberExact(hclNumber("22"))),
			},
		},
		resource.TestStep{
			// ServiceNow's account comes newest first; sorters = "date" asks for oldest first,
			// and limit = 2 for the first two.
			Config: accountUsagesConfig(fake, acctest.AccountServiceNow, `sorters = "date"`+"\n  limit = 2"),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(accountUsagesAddr, "usages.#", "2"),
				resource.TestCheckResourceAttr(accountUsagesAddr, "usages.0.date", "2024-01-01"),
				resource.TestCheckResourceAttr(accountUsagesAddr, "usages.0.count", "3"),
				resource.TestCheckResourceAttr(accountUsagesAddr, "latest_date", "2024-02-01"),
				resource.TestCheckResourceAttr(accountUsagesAddr, "average_count", "2.5"),
			),
		},
		resource.TestStep{
			// No recorded activity: no rows, null aggregates.
			Config: accountUsagesConfig(fake, acctest.AccountNoUsage, ""),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(accountUsagesAddr, "usages.#", "0"),
				resource.TestCheckNoResourceAttr(accountUsagesAddr, "latest_date"),
				resource.TestCheckNoResourceAttr(accountUsagesAddr, "average_count"),
				resource.TestCheckNoResourceAttr(accountUsagesAddr, "max_count"),
			),
		},
	)
}

// A deleted account's 404, and an invalid id refused before any request.
func TestAccAccountUsages_errors(t *testing.T) {
	fake := acctest.NewFake(t)
	accTest(t, acctest.NewRecorder(), resource.TestStep{
		Config: accountUsagesConfig(fake, acctest.AccountDeleted, ""),
		ExpectError: expectError(`Unable to read the usage summaries of account "`+acctest.AccountDeleted+`"`,
			"Call: GET /account-usages/v1/"+acctest.AccountDeleted+"/summaries", "HTTP status: 404 Not Found", "trackingId:",
			"What to do: check that the id is the id of an account in this tenant", "data.sailpoint_accounts lists them"),
	})
	t.Run("invalid id", func(t *testing.T) {
		fake := acctest.NewFake(t)
		accTest(t, acctest.NewRecorder(), resource.TestStep{
			Config:      accountUsagesConfig(fake, "a b", ""),
			PlanOnly:    true,
			ExpectError: expectError("Invalid account id", `the account id "a b" contains white space`),
		})
		if n := fake.Stats().APIRequests; n != 0 {
			t.Errorf("%d API requests for an invalid id", n)
		}
	})
}
