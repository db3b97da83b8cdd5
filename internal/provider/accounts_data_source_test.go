package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

const accountsAddr = "data.sailpoint_accounts.test"

func accountsConfig(fake *acctest.Fake, args string) string {
	return fake.ProviderBlock() + "data \"sailpoint_accounts\" \"test\" {\n  " + args + "\n}\n"
}

// adAccounts selects the fixture accounts of Active Directory.
var adAccounts = `filters = "sourceId eq \"` + acctest.SourceActiveDirectory + `\""`

// Every field of every account, null where the API left it out, in id order, SLIM.
func TestAccAccounts_everyField(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	first := func(attr, value string) resource.TestCheckFunc {
		return resource.TestCheckResourceAttr(accountsAddr, "accounts.0."+attr, value)
	}
	accTest(t, rec, resource.TestStep{
		Config: accountsConfig(fake, adAccounts),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(accountsAddr, "accounts.#", "9"),
			resource.TestCheckResourceAttr(accountsAddr, "sorters", "id"),
			first("id", acctest.AccountBusy), first("name", "jdoe"), first("native_identity", "CN=John Doe,OU=Users,DC=example,DC=com"),
			first("uuid", "{6f1c9f3e-2b7a-4d8e-9c1a-5e3b7d2f4a01}"), first("source_id", acctest.SourceActiveDirectory),
			first("source_name", "Active Directory"), first("identity_id", acctest.IdentityJohnDoe), first("identity_name", "John Doe"),
			first("disabled", "false"), first("locked", "false"), first("uncorrelated", "false"), first("manually_correlated", "false"),
			first("has_entitlements", "true"), first("is_machine", "false"), first("origin", "AGGREGATED"),
			first("created", "2023-03-05T09:00:00Z"), first("modified", "2024-12-02T08:15:00Z"),
			// The orphan has no identity; the machine account comes without the uncorrelated field.
			resource.TestCheckResourceAttr(accountsAddr, "accounts.6.id", acctest.AccountOrphan),
			resource.TestCheckNoResourceAttr(accountsAddr, "accounts.6.identity_id"),
			resource.TestCheckNoResourceAttr(accountsAddr, "accounts.6.identity_name"),
			resource.TestCheckResourceAttr(accountsAddr, "accounts.7.id", acctest.AccountNoCorrelationField),
			resource.TestCheckNoResourceAttr(accountsAddr, "accounts.7.uncorrelated"),
			resource.TestCheckResourceAttr(accountsAddr, "accounts.7.is_machine", "true"),
			resource.TestCheckResourceAttr(accountsAddr, "accounts.4.disabled", "true"),
			resource.TestCheckResourceAttr(accountsAddr, "accounts.4.locked", "true"),
			checkQuery(fake, fakeisc.OpListAccounts, "count=true&detailLevel=SLIM&filters=sourceId+eq+%22"+acctest.SourceActiveDirectory+"%22&limit=250&offset=0&sorters=id"),
			checkEveryInstance(rec, 1, 1),
		),
	})
}

// sorters and limit, with id appended to the sorters as for sources.
func TestAccAccounts_sortersAndLimit(t *testing.T) {
	fake := acctest.NewFake(t)
	accTest(t, acctest.NewRecorder(), resource.TestStep{
		Config: accountsConfig(fake, adAccounts+"\n  sorters = \"-name\"\n  limit = 2"),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(accountsAddr, "accounts.#", "2"),
			resource.TestCheckResourceAttr(accountsAddr, "accounts.0.name", "temp.admin"),
			resource.TestCheckResourceAttr(accountsAddr, "accounts.1.name", "svc-legacy"),
			resource.TestCheckResourceAttr(accountsAddr, "sorters", "-name"),
			checkQuery(fake, fakeisc.OpListAccounts, "count=true&detailLevel=SLIM&filters=sourceId+eq+%22"+acctest.SourceActiveDirectory+"%22&limit=2&offset=0&sorters=-name%2Cid"),
		),
	})
}

// A list without a filter is the whole tenant: refused at plan time, as is an empty one. A
// filter on disabled, which the API cannot filter on, comes back as the API's 400 with the
// advice to filter in HCL.
func TestAccAccounts_filters(t *testing.T) {
	for name, tc := range map[string]struct {
		args string
		want []string
		plan bool
	}{
		"no filters":    {args: "", want: []string{`The argument "filters" is required`}, plan: true},
		"empty filters": {args: `filters = ""`, want: []string{"filters string length must be at least 1"}, plan: true},
		"disabled": {args: `filters = "disabled eq true"`, want: []string{"Unable to list accounts", "Filters: disabled eq true",
			"HTTP status: 400 Bad Request", "Filtering is not supported for field 'disabled'", "disabled and locked cannot be filtered on"}},
	} {
		t.Run(name, func(t *testing.T) {
			fake := acctest.NewFake(t)
			step := resource.TestStep{Config: accountsConfig(fake, tc.args), PlanOnly: tc.plan, ExpectError: expectError(tc.want...)}
			accTest(t, acctest.NewRecorder(), step)
			if n := fake.Stats().APIRequests; tc.plan && n != 0 {
				t.Errorf("%d API requests for a configuration refused at plan time", n)
			}
		})
	}
}
