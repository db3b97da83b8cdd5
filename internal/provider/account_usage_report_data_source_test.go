package provider

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

const accountReportAddr = "data.sailpoint_account_usage_report.test"

func accountReportConfig(fake *acctest.Fake, sourceID, args string) string {
	return fake.ProviderBlock() + fmt.Sprintf("data \"sailpoint_account_usage_report\" \"test\" {\n  source_id = %q\n  %s\n}\n", sourceID, args)
}

// checkIDs asserts a sorted id list exactly.
func checkIDs(attr string, ids ...string) resource.TestCheckFunc {
	checks := []resource.TestCheckFunc{resource.TestCheckResourceAttr(accountReportAddr, attr+".#", fmt.Sprint(len(ids)))}
	for i, id := range ids {
		checks = append(checks, resource.TestCheckResourceAttr(accountReportAddr, fmt.Sprintf("%s.%d", attr, i), id))
	}
	return resource.ComposeAggregateTestCheckFunc(checks...)
}

// checkAccount asserts attributes of one account of the report.
func checkAccount(id string, want map[string]string) resource.TestCheckFunc {
	var checks []resource.TestCheckFunc
	for k, v := range want {
		if v == "null" {
			checks = append(checks, resource.TestCheckNoResourceAttr(accountReportAddr, "accounts."+id+"."+k))
			continue
		}
		checks = append(checks, resource.TestCheckResourceAttr(accountReportAddr, "accounts."+id+"."+k, v))
	}
	return resource.ComposeAggregateTestCheckFunc(checks...)
}

// checkCalls asserts the calls the fake saw, by operation, token requests left out.
func checkCalls(fake *acctest.Fake, want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := map[string]int{}
		for _, r := range fake.Requests() {
			if r.Op != fakeisc.OpToken {
				got[r.Op]++
			}
		}
		if !maps.Equal(got, want) {
			return fmt.Errorf("calls by operation %v, want %v", got, want)
		}
		return nil
	}
}

// The fixture source Active Directory has a busy, a dormant, a never-used, a threshold-edge,
// two disabled, an orphan, a machine account without the uncorrelated field, and a deleted
// account. The maps and lists are exact, and the requests are the source, its status, one list
// page, one usage call per enabled account, and one lookup that confirms the deleted one gone.
func TestAccAccountUsageReport_mixedSource(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: accountReportConfig(fake, acctest.SourceActiveDirectory, ""),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(accountReportAddr, "source_name", "Active Directory"),
			resource.TestCheckResourceAttr(accountReportAddr, "accounts.%", "8"),
			checkIDs("unused_account_ids", acctest.AccountDormant, acctest.AccountNoUsage),
			checkIDs("disabled_account_ids", acctest.AccountDisabledDormant, acctest.AccountDisabledBusy),
			checkIDs("uncorrelated_account_ids", acctest.AccountOrphan, acctest.AccountNoCorrelationField),
			checkIDs("missing_account_ids", acctest.AccountDeleted),
			checkAccount(acctest.AccountBusy, map[string]string{"name": "jdoe", "native_identity": "CN=John Doe,OU=Users,DC=example,DC=com",
				"identity_id": acctest.IdentityJohnDoe, "identity_name": "John Doe", "disabled": "false", "locked": "false",
				"uncorrelated": "false", "has_entitlements": "true", "created": "2023-03-05T09:00:00Z", "latest_date": "2024-12-01",
				"latest_count": "21", "average_count": "19.6667", "max_count": "22", "unused": "false"}),
			checkAccount(acctest.AccountDormant, map[string]string{"unused": "true", "max_count": "0", "average_count": "0"}),
			// Read, no rows: no recorded activity, so unused, with null aggregates.
			checkAccount(acctest.AccountNoUsage, map[string]string{"unused": "true", "latest_date": "null", "max_count": "null",
				"created": "2024-12-20T10:00:00Z", "origin": "PROVISIONED", "is_machine": "false"}),
			// Its best month is exactly the default threshold of 1 day: used.
			checkAccount(acctest.AccountThreshold, map[string]string{"unused": "false", "max_count": "1", "latest_count": "0",
				"latest_date": "2024-12-01"}),
			// Disabled and not read: no usage claimed either way.
			checkAccount(acctest.AccountDisabledDormant, map[string]string{"disabled": "true", "locked": "true", "unused": "null",
				"latest_date": "null", "average_count": "null", "max_count": "null"}),
			checkAccount(acctest.AccountOrphan, map[string]string{"uncorrelated": "true", "identity_id": "null", "unused": "false"}),
			// The API left uncorrelated out: no identity, so uncorrelated.
			checkAccount(acctest.AccountNoCorrelationField, map[string]string{"uncorrelated": "true", "unused": "false", "max_count": "23",
				"is_machine": "true"}),
			resource.TestCheckNoResourceAttr(accountReportAddr, "accounts."+acctest.AccountDeleted+".name"),
			resource.TestCheckResourceAttr(accountReportAddr, "include_disabled", "false"),
			resource.TestCheckResourceAttr(accountReportAddr, "unused_below", "1"),
			checkCalls(fake, map[string]int{fakeisc.OpGetSource: 1, fakeisc.OpStatus: 1, fakeisc.OpListAccounts: 1,
				fakeisc.OpAccountUsages: 7, fakeisc.OpGetAccount: 1}),
			checkNoUsageCallFor(fake, acctest.AccountDisabledDormant, acctest.AccountDisabledBusy),
			checkEveryInstance(rec, 1, 11),
		),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(accountReportAddr, tfjsonpath.New("accounts").AtMapKey(acctest.AccountBusy).AtMapKey("average_count"),
				knownvalue.NumberExact(hclNumber("19.6667"))),
		},
	})
}

// checkNoUsageCallFor asserts that no usage call named these accounts.
func checkNoUsageCallFor(fake *acctest.Fake, ids ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range fake.Requests() {
			for _, id := range ids {
				if r.Op == fakeisc.OpAccountUsages && r.AccountID == id {
					return fmt.Errorf("a usage call for %s, which is disabled", id)
				}
			}
		}
		return nil
	}
}

// include_disabled, months and unused_below at their edges.
func TestAccAccountUsageReport_edges(t *testing.T) {
	fake := acctest.NewFake(t)
	ad := acctest.SourceActiveDirectory
	step := func(args string, unused ...string) resource.TestStep {
		return resource.TestStep{Config: accountReportConfig(fake, ad, args), Check: checkIDs("unused_account_ids", unused...)}
	}
	accTest(t, acctest.NewRecorder(),
		// Disabled accounts read: the dormant one is unused; the busy one gets its aggregates.
		resource.TestStep{
			Config: accountReportConfig(fake, ad, "include_disabled = true"),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkIDs("unused_account_ids", acctest.AccountDormant, acctest.AccountNoUsage, acctest.AccountDisabledDormant),
				checkIDs("disabled_account_ids", acctest.AccountDisabledDormant, acctest.AccountDisabledBusy),
				checkAccount(acctest.AccountDisabledBusy, map[string]string{"unused": "false", "max_count": "18", "latest_count": "15"}),
			),
		},
		// The threshold account's only active month is March, the tenth newest of twelve.
		step("months = 10", acctest.AccountDormant, acctest.AccountNoUsage),
		step("months = 9", acctest.AccountDormant, acctest.AccountNoUsage, acctest.AccountThreshold),
		step("months = 1", acctest.AccountDormant, acctest.AccountNoUsage, acctest.AccountThreshold),
		step("months = 24", acctest.AccountDormant, acctest.AccountNoUsage),
		// Busy's best month is exactly 22: used at 22, unused just above it.
		step("unused_below = 22", acctest.AccountDormant, acctest.AccountNoUsage, acctest.AccountThreshold, acctest.AccountOrphan),
		step("unused_below = 22.0001", acctest.AccountBusy, acctest.AccountDormant, acctest.AccountNoUsage, acctest.AccountThreshold, acctest.AccountOrphan),
		// Zero: only an account without any row is unused.
		step("unused_below = 0", acctest.AccountNoUsage),
	)
}

// The user's filter is sent ANDed with the source, parenthesized, and narrows the accounts.
func TestAccAccountUsageReport_filters(t *testing.T) {
	fake := acctest.NewFake(t)
	accTest(t, acctest.NewRecorder(), resource.TestStep{
		Config: accountReportConfig(fake, acctest.SourceActiveDirectory, `filters = "name sw \"j\" or name sw \"m\""`),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(accountReportAddr, "accounts.%", "2"),
			checkIDs("unused_account_ids", acctest.AccountDormant),
			checkFilters(fake, fakeisc.OpListAccounts, `sourceId eq "`+acctest.SourceActiveDirectory+`" and (name sw "j" or name sw "m")`),
		),
	})
}

// A source without usage insights: the report fails, naming the source and its status, with
// no account call. A source that does not exist fails with its 404.
func TestAccAccountUsageReport_sourceErrors(t *testing.T) {
	fake := acctest.NewFake(t)
	accTest(t, acctest.NewRecorder(), resource.TestStep{
		Config: accountReportConfig(fake, acctest.SourceWorkday, ""),
		ExpectError: expectError(`Source "`+acctest.SourceWorkday+`" (Workday) has no usage insights`,
			"The source's usage has status INCOMPLETE, not COMPLETE", "the report made no account request",
			"data.sailpoint_source_usage_status"),
	})
	for _, r := range fake.Requests() {
		if r.Op == fakeisc.OpListAccounts || r.Op == fakeisc.OpAccountUsages || r.Op == fakeisc.OpGetAccount {
			t.Errorf("an account call for a source without insights: %s", r.RequestURI)
		}
	}
	t.Run("no such source", func(t *testing.T) {
		fake := acctest.NewFake(t)
		accTest(t, acctest.NewRecorder(), resource.TestStep{
			Config: accountReportConfig(fake, "2c9180835d191a86015d28455b4aFFFF", ""),
			ExpectError: expectError(`Unable to build the account usage report of source "2c9180835d191a86015d28455b4aFFFF"`,
				"Call: GET /sources/v1/2c9180835d191a86015d28455b4aFFFF", "HTTP status: 404 Not Found", "no source in this tenant"),
		})
		if n := fake.Stats().APIRequests; n != 1 {
			t.Errorf("%d API requests, want the one lookup", n)
		}
	})
}

// Fail closed: a usage 404 for an account that the Accounts API still has fails the read,
// naming the account; a 403 names the scope the credentials lack.
func TestAccAccountUsageReport_failsClosed(t *testing.T) {
	fake := acctest.NewFake(t)
	fake.Inject(fakeisc.ErrorDto(404, "404 Not found", "No handler found").WithOp(fakeisc.OpAccountUsages).WithAccount(acctest.AccountBusy))
	accTest(t, acctest.NewRecorder(), resource.TestStep{
		Config: accountReportConfig(fake, acctest.SourceActiveDirectory, ""),
		ExpectError: expectError(`Unable to read the usage of account "`+acctest.AccountBusy+`" (jdoe)`,
			"Source: "+acctest.SourceActiveDirectory, "Report: stopped: a report is never partial",
			"Call: GET /account-usages/v1/"+acctest.AccountBusy+"/summaries", "HTTP status: 404 Not Found",
			"But: the Accounts API has this account (GET /accounts/{id} answered 200 OK)", "api_version"),
	})
	t.Run("403 on the list", func(t *testing.T) {
		fake := acctest.NewFake(t)
		fake.Inject(fakeisc.ErrorDto(403, "403 Forbidden", "Forbidden").WithOp(fakeisc.OpListAccounts))
		accTest(t, acctest.NewRecorder(), resource.TestStep{
			Config:      accountReportConfig(fake, acctest.SourceActiveDirectory, ""),
			ExpectError: expectError("HTTP status: 403 Forbidden", "they lack the scope idn:accounts:read"),
		})
	})
	t.Run("403 on usage", func(t *testing.T) {
		fake := acctest.NewFake(t)
		fake.Inject(fakeisc.ErrorDto(403, "403 Forbidden", "Forbidden").WithOp(fakeisc.OpAccountUsages))
		accTest(t, acctest.NewRecorder(), resource.TestStep{
			Config:      accountReportConfig(fake, acctest.SourceActiveDirectory, ""),
			ExpectError: expectError("HTTP status: 403 Forbidden", "they lack the scope idn:identity-history:manage"),
		})
	})
}

// Every api_version calls its own form of every path of the three account data sources.
func TestAccAccountDataSources_everyAPIVersion(t *testing.T) {
	for _, version := range client.APIVersions {
		t.Run(version, func(t *testing.T) {
			fake := acctest.NewFake(t)
			path := func(service, rest string) string {
				if version == client.VersionV1 {
					return "/" + service + "/v1" + rest
				}
				return "/" + version + "/" + service + rest
			}
			config := fake.ProviderBlock(fmt.Sprintf("api_version = %q", version)) + fmt.Sprintf(`
data "sailpoint_account_usage_report" "test" {
  source_id = %q
  filters   = "name eq \"jdoe\""
}

data "sailpoint_accounts" "test" {
  filters = "name eq \"jdoe\""
}

data "sailpoint_account_usages" "test" {
  account_id = %q
}
`, acctest.SourceActiveDirectory, acctest.AccountBusy)
			accTest(t, acctest.NewRecorder(), resource.TestStep{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(accountReportAddr, "accounts."+acctest.AccountBusy+".max_count", "22"),
					resource.TestCheckResourceAttr(accountsAddr, "accounts.0.id", acctest.AccountBusy),
					resource.TestCheckResourceAttr(accountUsagesAddr, "max_count", "22"),
					checkPaths(fake, path("sources", "/"+acctest.SourceActiveDirectory), path("source-usages", "/"+acctest.SourceActiveDirectory+"/status"),
						path("accounts", ""), path("account-usages", "/"+acctest.AccountBusy+"/summaries")),
					func(*terraform.State) error {
						for _, r := range fake.Requests() {
							if r.Version != version && r.Op != fakeisc.OpToken {
								return fmt.Errorf("%s went to version %q", r.EscapedPath, r.Version)
							}
							if strings.Contains(r.RequestURI, "detailLevel=FULL") {
								return fmt.Errorf("a FULL list: %s", r.RequestURI)
							}
						}
						return nil
					},
				),
			})
		})
	}
}
