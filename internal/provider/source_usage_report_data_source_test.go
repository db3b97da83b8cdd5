package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

const reportAddr = "data.sailpoint_source_usage_report.test"

func reportConfig(fake *acctest.Fake, args string, providerLines ...string) string {
	return fake.ProviderBlock(providerLines...) + fmt.Sprintf(`
data "sailpoint_source_usage_report" "test" {
  %s
}
`, args)
}

// Sources for the report tests besides the fixtures: all-zero counts, a source deleted after
// the list (listed, but its usage calls answer 404), and rows with null fields.
const (
	reportZero    = "rep-zero"
	reportDeleted = "rep-deleted"
	reportSparse  = "rep-sparse"
)

func reportSources() fakeisc.Option {
	return fakeisc.WithSources(
		fakeisc.Source{ID: reportZero, Name: "Zero", UsageStatus: "COMPLETE", Usages: []fakeisc.Usage{
			fakeisc.Row("2024-10-01", "0"), fakeisc.Row("2024-11-01", "0.00"), fakeisc.Row("2024-12-01", "0")}},
		fakeisc.Source{ID: reportDeleted, Name: "Deleted", UsageStatus: "COMPLETE", Deleted: true},
		fakeisc.Source{ID: reportSparse, Name: "Sparse", UsageStatus: "COMPLETE", Usages: []fakeisc.Usage{
			fakeisc.Row("2024-11-01", "").WithNullCount(), fakeisc.Row("", "3").WithNullDate(), fakeisc.Row("2024-12-01", "0.5")}},
	)
}

// A tenant of more than 250 sources, COMPLETE and INCOMPLETE, all-zero counts, a deleted
// source and null fields: the maps and lists are exact, and the requests are exactly the
// list pages, one status per source and one summaries call per readable COMPLETE source
// (Salesforce's 300 rows take two pages).
func TestAccSourceUsageReport_mixedTenant(t *testing.T) {
	const generated = 260 // 78 COMPLETE (i%10 < 3), 182 INCOMPLETE
	fake := acctest.NewFake(t, reportSources(), fakeisc.WithGeneratedSources(generated))
	rec := acctest.NewRecorder()
	sources := 4 + 3 + generated
	listPages, status, summaries := 2, sources, 78+3+1+1 // generated, AD SF SN, Zero, Sparse
	summaries++                                          // Salesforce's second page
	accTest(t, rec, resource.TestStep{
		Config: reportConfig(fake, "", "requests_per_second = 1000"),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(reportAddr, "sources.%", fmt.Sprint(sources-1)),
			resource.TestCheckResourceAttr(reportAddr, "missing_source_ids.#", "1"),
			resource.TestCheckResourceAttr(reportAddr, "missing_source_ids.0", reportDeleted),
			resource.TestCheckResourceAttr(reportAddr, "without_insights_source_ids.#", "183"),
			resource.TestCheckTypeSetElemAttr(reportAddr, "without_insights_source_ids.*", acctest.SourceWorkday),
			resource.TestCheckResourceAttr(reportAddr, "unused_source_ids.#", "1"),
			resource.TestCheckResourceAttr(reportAddr, "unused_source_ids.0", reportZero),
			checkReportSource(acctest.SourceActiveDirectory, map[string]string{
				"name": "Active Directory", "status": "COMPLETE", "insights_available": "true", "unused": "false",
				"usages.#": "12", "usages.0.date": "2024-12-01", "usages.0.count": "13.6", "latest_date": "2024-12-01",
				"latest_count": "13.6", "max_count": "16"}),
			checkReportSource(acctest.SourceWorkday, map[string]string{
				"name": "Workday", "status": "INCOMPLETE", "insights_available": "false", "unused": "false", "usages.#": "0"}),
			checkReportSource(acctest.SourceSalesforce, map[string]string{"usages.#": "300", "unused": "false"}),
			checkReportSource(reportZero, map[string]string{"unused": "true", "usages.#": "3", "max_count": "0", "average_count": "0"}),
			// Without months every row counts, the undated 3 too.
			checkReportSource(reportSparse, map[string]string{"unused": "false", "usages.#": "3", "latest_date": "2024-12-01",
				"latest_count": "0.5", "max_count": "3"}),
			checkReportRequests(fake, listPages, status, summaries, 1), // the lookup that confirms rep-deleted is gone
			checkEveryInstance(rec, 1, int64(listPages+status+summaries+1)),
		),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(reportAddr, tfjsonpath.New("sources").AtMapKey(acctest.SourceActiveDirectory).AtMapKey("average_count"),
				knownvalue.NumberExact(hclNumber("12.5158"))),
			statecheck.ExpectKnownValue(reportAddr, tfjsonpath.New("sources").AtMapKey(reportSparse).AtMapKey("usages").AtSliceIndex(2).AtMapKey("count"),
				knownvalue.Null()),
			statecheck.ExpectKnownValue(reportAddr, tfjsonpath.New("sources").AtMapKey(acctest.SourceWorkday).AtMapKey("latest_count"), knownvalue.Null()),
			statecheck.ExpectKnownValue(reportAddr, tfjsonpath.New("unused_below"), knownvalue.NumberExact(hclNumber("1"))),
		},
	})
}

func checkReportSource(id string, want map[string]string) resource.TestCheckFunc {
	var checks []resource.TestCheckFunc
	for k, v := range want {
		checks = append(checks, resource.TestCheckResourceAttr(reportAddr, "sources."+id+"."+k, v))
	}
	return resource.ComposeAggregateTestCheckFunc(checks...)
}

// checkReportRequests asserts the calls the fake saw: the list pages, one status call per
// source, the summaries calls, none for a source that is not COMPLETE (the fixtures' Workday
// and IdentityNow, and 7 in 10 generated sources), and the lookups by id that confirm a
// source whose usage calls answered 404 is gone.
func checkReportRequests(fake *acctest.Fake, lists, status, summaries, gets int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		incomplete := map[string]bool{acctest.SourceWorkday: true, acctest.SourceIdentityNow: true}
		for i := range 1000 {
			if i%10 >= 3 {
				incomplete[fakeisc.GeneratedSourceID(i)] = true
			}
		}
		got := map[string]int{}
		for _, r := range fake.Requests() {
			got[r.Op]++
			if r.Op == fakeisc.OpSummaries && incomplete[r.SourceID] {
				return fmt.Errorf("a summaries call for %s, which has no insights", r.SourceID)
			}
		}
		if got[fakeisc.OpListSources] != lists || got[fakeisc.OpStatus] != status || got[fakeisc.OpSummaries] != summaries ||
			got[fakeisc.OpGetSource] != gets {
			return fmt.Errorf("calls %v, want %d list, %d status, %d summaries and %d get", got, lists, status, summaries, gets)
		}
		return nil
	}
}

// months and unused_below at their edges: a month exactly at the threshold counts as used.
func TestAccSourceUsageReport_monthsAndThreshold(t *testing.T) {
	fake := acctest.NewFake(t, fakeisc.WithSources(
		// Newest first: 2024-12 is 0.99, 2024-11 is exactly 1.
		fakeisc.Source{ID: "rep-edge", Name: "Edge", UsageStatus: "COMPLETE", Usages: []fakeisc.Usage{
			fakeisc.Row("2024-10-01", "5"), fakeisc.Row("2024-11-01", "1"), fakeisc.Row("2024-12-01", "0.99")}},
	))
	rec := acctest.NewRecorder()
	step := func(args string, unused []string, rows string) resource.TestStep {
		checks := []resource.TestCheckFunc{
			resource.TestCheckResourceAttr(reportAddr, "unused_source_ids.#", fmt.Sprint(len(unused))),
			resource.TestCheckResourceAttr(reportAddr, "sources.rep-edge.usages.#", rows),
		}
		for i, id := range unused {
			checks = append(checks, resource.TestCheckResourceAttr(reportAddr, fmt.Sprintf("unused_source_ids.%d", i), id))
		}
		return resource.TestStep{
			Config: reportConfig(fake, `filters = "id eq \"rep-edge\""`+"\n  "+args),
			Check:  resource.ComposeAggregateTestCheckFunc(checks...),
		}
	}
	accTest(t, rec,
		step(``, nil, "3"), // 5 and 1 reach the default 1
		step(`months = 1`, []string{"rep-edge"}, "1"), // only 0.99 counts
		step(`months = 2`, nil, "2"),                  // 1 is exactly at the threshold: used
		step(`months = 2`+"\n  unused_below = 1.0000001", []string{"rep-edge"}, "2"),
		step(`months = 24`+"\n  unused_below = 5", nil, "3"),   // 5 is exactly at it
		step(`unused_below = 5.01`, []string{"rep-edge"}, "3"), // nothing reaches 5.01
		step(`unused_below = 0`, nil, "3"),
	)
}

func TestAccSourceUsageReport_argumentErrors(t *testing.T) {
	for name, tc := range map[string]struct{ args, want string }{
		"both selections":    {`source_ids = ["a"]` + "\n  " + `filters = "name eq \"a\""`, "Invalid Attribute Combination"},
		"months zero":        {`months = 0`, "months value must be between 1 and 24"},
		"months 25":          {`months = 25`, "months value must be between 1 and 24"},
		"negative threshold": {`unused_below = -1`, "must be zero or more"},
		"empty source_ids":   {`source_ids = []`, "source_ids set must contain at least 1 elements"},
		"blank id":           {`source_ids = [" a"]`, "Invalid source id"},
		// Before: "Value Conversion Error ... This is always an error in the provider".
		"null id":          {`source_ids = toset(["a", null])`, "Null Set Value"},
		"empty filters":    {`filters = ""`, "filters string length must be at least 1"},
		"unknown argument": {`months_back = 3`, `An argument named "months_back" is not expected here`},
	} {
		t.Run(name, func(t *testing.T) {
			fake := acctest.NewFake(t)
			accTest(t, acctest.NewRecorder(), resource.TestStep{
				Config:      reportConfig(fake, tc.args),
				PlanOnly:    true,
				ExpectError: expectError(tc.want),
			})
			if n := fake.Stats().APIRequests; n != 0 {
				t.Errorf("%d API requests for an invalid configuration", n)
			}
		})
	}
}

// For source_ids, names come from `id in (...)` list calls, 50 ids a call; a wrong id is
// missing, not an error, and costs no usage call: the list already said it does not exist.
func TestAccSourceUsageReport_sourceIDs(t *testing.T) {
	fake := acctest.NewFake(t, fakeisc.WithGeneratedSources(60))
	rec := acctest.NewRecorder()
	ids := []string{`"no-such-source"`}
	for i := range 60 {
		ids = append(ids, fmt.Sprintf("%q", fakeisc.GeneratedSourceID(i)))
	}
	accTest(t, rec, resource.TestStep{
		Config: reportConfig(fake, "source_ids = ["+strings.Join(ids, ", ")+"]", "requests_per_second = 1000"),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(reportAddr, "sources.%", "60"),
			resource.TestCheckResourceAttr(reportAddr, "missing_source_ids.#", "1"),
			resource.TestCheckResourceAttr(reportAddr, "missing_source_ids.0", "no-such-source"),
			resource.TestCheckResourceAttr(reportAddr, "sources."+fakeisc.GeneratedSourceID(7)+".name", "Generated Source 0007"),
			checkReportRequests(fake, 2, 60, 18, 0), // 61 ids in 2 list calls; 18 of the 60 are COMPLETE
		),
	})
}

// A source whose status keeps answering 500 fails the whole read, named; a report is never
// partial.
func TestAccSourceUsageReport_failureNamesTheSource(t *testing.T) {
	fake := acctest.NewFake(t)
	fake.Inject(fakeisc.ServerError(500).WithOp(fakeisc.OpStatus).WithSource(acctest.SourceSalesforce))
	accTest(t, acctest.NewRecorder(), resource.TestStep{
		Config: reportConfig(fake, "", "max_retries = 2"),
		ExpectError: expectError(`Unable to read the usage of source "`+acctest.SourceSalesforce+`" (Salesforce)`,
			"Report: stopped: a report is never partial", "Call: GET /source-usages/v1/"+acctest.SourceSalesforce+"/status",
			"HTTP status: 500 Internal Server Error (after 3 attempts)", "trackingId:", "What to do:"),
	})
}

// Tokens that expire every second during a long report are replaced without losing a row.
func TestAccSourceUsageReport_tokensExpireMidRead(t *testing.T) {
	const n = 60
	fake := acctest.NewFake(t, fakeisc.WithGeneratedSources(n), fakeisc.WithTokenTTL(time.Second))
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		// 60 status and 18 summaries calls at 20 a second: about 4 s, four token lifetimes.
		Config: reportConfig(fake, `filters = "name sw \"Generated\""`, "requests_per_second = 20"),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(reportAddr, "sources.%", fmt.Sprint(n)),
			resource.TestCheckResourceAttr(reportAddr, "missing_source_ids.#", "0"),
			resource.TestCheckResourceAttr(reportAddr, "without_insights_source_ids.#", "42"),
			checkReportRequests(fake, 1, n, 18, 0),
			func(*terraform.State) error {
				st := fake.Stats()
				if st.TokenRequests < 3 {
					return fmt.Errorf("%d token requests: the tokens did not expire during the read, so it proves nothing", st.TokenRequests)
				}
				statuses := slices.Sorted(func(yield func(int) bool) {
					for code := range st.ByStatus {
						if !yield(code) {
							return
						}
					}
				})
				if !slices.Equal(statuses, []int{200}) && !slices.Equal(statuses, []int{200, 401}) {
					return fmt.Errorf("answers by status %v", st.ByStatus)
				}
				return nil
			},
		),
	})
}

// Fail closed: a gateway that does not serve the usage paths answers 404 for every source.
// Before, every source went into missing_source_ids and unused_source_ids was empty, so an
// unused-sources check passed on nothing. Now the report asks the Sources API, which still has
// the source, and fails, naming the source, the path that answered 404 and api_version.
func TestAccSourceUsageReport_usageAnswers404ForASourceThatExists(t *testing.T) {
	fake := acctest.NewFake(t)
	noHandler := func(op string) fakeisc.Fault {
		return fakeisc.ErrorDto(404, "404 Not found", "No handler found for GET /source-usages/v1").WithOp(op)
	}
	fake.Inject(noHandler(fakeisc.OpStatus))
	fake.Inject(noHandler(fakeisc.OpSummaries))
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: reportConfig(fake, `filters = "id eq \"`+acctest.SourceActiveDirectory+`\""`),
		ExpectError: expectError(`Unable to read the usage of source "`+acctest.SourceActiveDirectory+`" (Active Directory)`,
			"Report: stopped: a report is never partial",
			"Call: GET /source-usages/v1/"+acctest.SourceActiveDirectory+"/status", "HTTP status: 404 Not Found",
			"detailCode: 404 Not found", "Message: No handler found", "trackingId:",
			"But: the Sources API has this source (GET /sources/{id} answered 200 OK)",
			"What to do: the usage API answered 404 for an object that exists",
			`set api_version (or SAIL_API_VERSION) to "v3" instead of "v1" (the default)`),
	})
	// The list, the status call, and the one lookup that showed the source exists.
	got := map[string]int{}
	for _, r := range fake.Requests() {
		got[r.Op]++
	}
	if want := map[string]int{fakeisc.OpToken: 1, fakeisc.OpListSources: 1, fakeisc.OpStatus: 1, fakeisc.OpGetSource: 1}; !maps.Equal(got, want) {
		t.Errorf("requests by operation %v, want %v", got, want)
	}
	t.Run("every source", func(t *testing.T) {
		fake := acctest.NewFake(t)
		fake.Inject(noHandler(fakeisc.OpStatus))
		accTest(t, acctest.NewRecorder(), resource.TestStep{
			Config:      reportConfig(fake, ""),
			ExpectError: expectError("Unable to read the usage of source", "HTTP status: 404 Not Found", "But: the Sources API has this source"),
		})
	})
}

// A source listed, then deleted before its usage calls, is still missing: its usage calls and
// GET /sources/{id} all answer 404. Exactly one lookup confirms it.
func TestAccSourceUsageReport_deletedAfterTheList(t *testing.T) {
	fake := acctest.NewFake(t, reportSources())
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: reportConfig(fake, `filters = "id in (\"`+reportDeleted+`\", \"`+reportZero+`\")"`),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(reportAddr, "missing_source_ids.#", "1"),
			resource.TestCheckResourceAttr(reportAddr, "missing_source_ids.0", reportDeleted),
			resource.TestCheckResourceAttr(reportAddr, "sources.%", "1"),
			resource.TestCheckResourceAttr(reportAddr, "unused_source_ids.0", reportZero),
			checkReportRequests(fake, 1, 2, 1, 1),
			checkEveryInstance(rec, 1, 5),
		),
	})
}

// A source sub-admin lists with for-subadmin, in every list the report makes; without it the
// 403 names the report's own for_subadmin.
func TestAccSourceUsageReport_subadmin(t *testing.T) {
	fake := acctest.NewFake(t, fakeisc.WithSourceSubadmin("subadmin", "subadmin-secret"))
	block := fake.ProviderBlockFor("subadmin", "subadmin-secret")
	report := func(args string) string {
		return block + "data \"sailpoint_source_usage_report\" \"test\" {\n  " + args + "\n}\n"
	}
	accTest(t, acctest.NewRecorder(),
		resource.TestStep{
			Config:      report(""),
			ExpectError: expectError("Unable to build the source usage report", "HTTP status: 403 Forbidden", `set for_subadmin = "me"`),
		},
		resource.TestStep{
			Config: report(`for_subadmin = "me"`),
			Check:  resource.TestCheckResourceAttr(reportAddr, "sources.%", "4"),
		},
		resource.TestStep{
			PreConfig: fake.Reset,
			Config:    report(`for_subadmin = "me"` + "\n  source_ids = [\"" + acctest.SourceWorkday + "\"]"),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(reportAddr, "sources.%", "1"),
				func(*terraform.State) error {
					for _, r := range fake.Requests() {
						if r.Op == fakeisc.OpListSources && r.Query.Get("for-subadmin") != "me" {
							return fmt.Errorf("a list call without for-subadmin: %s", r.RequestURI)
						}
					}
					return nil
				},
			),
		},
	)
}

// The built-in IdentityNow source, given by id, is found with its name, not called missing.
func TestAccSourceUsageReport_identityNowByID(t *testing.T) {
	fake := acctest.NewFake(t)
	accTest(t, acctest.NewRecorder(), resource.TestStep{
		Config: reportConfig(fake, `source_ids = ["`+acctest.SourceIdentityNow+`"]`),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(reportAddr, "missing_source_ids.#", "0"),
			resource.TestCheckResourceAttr(reportAddr, "sources."+acctest.SourceIdentityNow+".name", "IdentityNow"),
			resource.TestCheckResourceAttr(reportAddr, "without_insights_source_ids.0", acctest.SourceIdentityNow),
		),
	})
}
