package provider

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

const usagesAddr = "data.sailpoint_source_usages.test"

func usagesConfig(fake *acctest.Fake, sourceID, args string) string {
	return fake.ProviderBlock() + fmt.Sprintf(`
data "sailpoint_source_usages" "test" {
  source_id = %q
  %s
}

output "march" {
  value = try(data.sailpoint_source_usages.test.usages[2].count, null)
}
`, sourceID, args)
}

func TestAccSourceUsages_allAttributes(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	checks := []resource.TestCheckFunc{
		resource.TestCheckResourceAttr(usagesAddr, "id", acctest.SourceActiveDirectory),
		resource.TestCheckResourceAttr(usagesAddr, "source_id", acctest.SourceActiveDirectory),
		resource.TestCheckNoResourceAttr(usagesAddr, "sorters"),
		resource.TestCheckNoResourceAttr(usagesAddr, "limit"),
		resource.TestCheckResourceAttr(usagesAddr, "usages.#", "12"),
		resource.TestCheckResourceAttr(usagesAddr, "latest_date", "2024-12-01"),
		resource.TestCheckResourceAttr(usagesAddr, "latest_count", "13.6"),
		resource.TestCheckResourceAttr(usagesAddr, "max_count", "16"),
		resource.TestCheckResourceAttr(usagesAddr, "average_count", "12.5158"),
		checkPaths(fake, "/source-usages/v1/"+acctest.SourceActiveDirectory+"/summaries"),
		checkEveryInstance(rec, 1, 1), // 12 rows: one page, one request
	}
	for i, count := range []string{"12.3", "11.87", "10.45", "13.02", "14.5", "9.95", "8.4", "10.1", "15.25", "16", "14.75", "13.6"} {
		checks = append(checks,
			resource.TestCheckResourceAttr(usagesAddr, fmt.Sprintf("usages.%d.date", i), fmt.Sprintf("2024-%02d-01", i+1)),
			resource.TestCheckResourceAttr(usagesAddr, fmt.Sprintf("usages.%d.count", i), count))
	}
	accTest(t, rec, resource.TestStep{
		Config: usagesConfig(fake, acctest.SourceActiveDirectory, ""),
		Check:  resource.ComposeAggregateTestCheckFunc(checks...),
		ConfigStateChecks: []statecheck.StateCheck{
			// HCL's 10.45, not the float64 nearest to it nor the 10.449999809265137 of a 32-bit decode.
			statecheck.ExpectKnownValue(usagesAddr, tfjsonpath.New("usages").AtSliceIndex(2).AtMapKey("count"), knownvalue.NumberExact(hclNumber("10.45"))),
			statecheck.ExpectKnownOutputValue("march", knownvalue.NumberExact(hclNumber("10.45"))),
			// (12.30 + 11.87 + ... + 13.60) / 12 = 150.19 / 12 = 12.51583..., rounded once, half to
			// even, to four places: not 155 digits in every plan.
			statecheck.ExpectKnownValue(usagesAddr, tfjsonpath.New("average_count"), knownvalue.NumberExact(hclNumber("12.5158"))),
		},
	})
}

func TestAccSourceUsages_sorted(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec,
		resource.TestStep{
			// ServiceNow rows come newest first; "date" asks the API for oldest first.
			Config: usagesConfig(fake, acctest.SourceServiceNow, `sorters = "date"`),
			ConfigStateChecks: []statecheck.StateCheck{
				// 52.9 / 12 = 4.408333...: the twelve counts' exact average, rounded once to four places.
				statecheck.ExpectKnownValue(usagesAddr, tfjsonpath.New("average_count"), knownvalue.NumberExact(hclNumber("4.4083"))),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(usagesAddr, "sorters", "date"),
				checkDates(12, func(i int) string { return fmt.Sprintf("2024-%02d-01", i+1) }),
				resource.TestCheckResourceAttr(usagesAddr, "latest_date", "2024-12-01"),
				resource.TestCheckResourceAttr(usagesAddr, "latest_count", "4.25"),
				resource.TestCheckResourceAttr(usagesAddr, "max_count", "7"),
			),
		},
		resource.TestStep{
			Config: usagesConfig(fake, acctest.SourceActiveDirectory, `sorters = "-date"`),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkDates(12, func(i int) string { return fmt.Sprintf("2024-%02d-01", 12-i) }),
				// The latest row is the same whatever the order.
				resource.TestCheckResourceAttr(usagesAddr, "latest_date", "2024-12-01"),
				resource.TestCheckResourceAttr(usagesAddr, "latest_count", "13.6"),
				func(*terraform.State) error {
					for _, r := range fake.Requests() {
						if r.Op == "summaries" && r.Query.Get("sorters") == "-date" {
							return nil
						}
					}
					return fmt.Errorf("no summaries request carried sorters=-date")
				},
			),
		},
	)
}

// checkDates asserts usages.#, and the date of each row.
func checkDates(n int, date func(i int) string) resource.TestCheckFunc {
	checks := []resource.TestCheckFunc{resource.TestCheckResourceAttr(usagesAddr, "usages.#", strconv.Itoa(n))}
	for i := 0; i < n; i++ {
		checks = append(checks, resource.TestCheckResourceAttr(usagesAddr, fmt.Sprintf("usages.%d.date", i), date(i)))
	}
	return resource.ComposeAggregateTestCheckFunc(checks...)
}

// A source with more than one page: every row arrives exactly once, in order, at the cost of
// one request per page.
func TestAccSourceUsages_paging(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	var want []fakeisc.Usage
	for _, s := range acctest.FixtureSources() {
		if s.ID == acctest.SourceSalesforce {
			want = s.Usages
		}
	}
	if len(want) != 300 {
		t.Fatalf("the demo Salesforce source has %d rows; this test needs 300", len(want))
	}
	checks := []resource.TestCheckFunc{
		resource.TestCheckResourceAttr(usagesAddr, "usages.#", "300"),
		resource.TestCheckResourceAttr(usagesAddr, "latest_date", "2024-10-26"),
		resource.TestCheckResourceAttr(usagesAddr, "latest_count", "14.63"),
		resource.TestCheckResourceAttr(usagesAddr, "max_count", "30.9"),
		checkEveryInstance(rec, 1, 2),
	}
	for i, row := range want {
		f, err := strconv.ParseFloat(row.Count.String(), 64)
		if err != nil {
			t.Fatal(err)
		}
		checks = append(checks,
			resource.TestCheckResourceAttr(usagesAddr, fmt.Sprintf("usages.%d.date", i), row.Date),
			resource.TestCheckResourceAttr(usagesAddr, fmt.Sprintf("usages.%d.count", i), strconv.FormatFloat(f, 'f', -1, 64)))
	}
	checks = append(checks, func(*terraform.State) error {
		var queries []string
		for _, r := range fake.Requests() {
			if r.Op == "summaries" {
				queries = append(queries, r.Query.Encode())
			}
		}
		if len(queries) < 2 || queries[0] != "count=true&limit=250&offset=0" || queries[1] != "limit=250&offset=250" {
			return fmt.Errorf("pages requested: %v", queries)
		}
		return nil
	})
	// Every one of the 300 rows counts: their exact average is 15.6016666..., rounded once, half
	// to even, to four places.
	if avg := exactAverage(t, want); avg.FloatString(7) != "15.6016667" {
		t.Fatalf("the fixture's exact average is %s: update the rounded value below", avg.FloatString(10))
	}
	accTest(t, rec, resource.TestStep{
		Config: usagesConfig(fake, acctest.SourceSalesforce, ""),
		Check:  resource.ComposeAggregateTestCheckFunc(checks...),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(usagesAddr, tfjsonpath.New("average_count"), knownvalue.NumberExact(hclNumber("15.6017"))),
		},
	})
}

func TestAccSourceUsages_limit(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec,
		resource.TestStep{
			Config: usagesConfig(fake, acctest.SourceSalesforce, "sorters = \"-date\"\n  limit = 5"),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(usagesAddr, "limit", "5"),
				checkDates(5, func(i int) string { return fmt.Sprintf("2024-10-%02d", 26-i) }),
				checkEveryInstance(rec, 1, 1),
			),
		},
		resource.TestStep{
			Config: usagesConfig(fake, acctest.SourceSalesforce, "limit = 260"),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(usagesAddr, "usages.#", "260"),
				resource.TestCheckResourceAttr(usagesAddr, "usages.259.date", "2024-09-16"),
			),
		},
	)
}

// A source without insights has no rows: the list is empty and every aggregate is null.
func TestAccSourceUsages_noRows(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: usagesConfig(fake, acctest.SourceWorkday, ""),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(usagesAddr, "usages.#", "0"),
			resource.TestCheckNoResourceAttr(usagesAddr, "latest_date"),
			resource.TestCheckNoResourceAttr(usagesAddr, "latest_count"),
			resource.TestCheckNoResourceAttr(usagesAddr, "average_count"),
			resource.TestCheckNoResourceAttr(usagesAddr, "max_count"),
		),
	})
}

// Rows with null or missing fields keep a null there; unknown fields are accepted; the
// aggregates use what is present.
func TestAccSourceUsages_nullAndMissingFields(t *testing.T) {
	fake := acctest.NewFake(t)
	fake.PutSource(fakeisc.Source{ID: "src-sparse", UsageStatus: "COMPLETE", Usages: []fakeisc.Usage{
		fakeisc.Row("2024-01-01", "1.5"),
		fakeisc.Row("2024-02-01", "").WithNullCount(),
		fakeisc.Row("", "2.5").WithNullDate(),
		fakeisc.Row("", "4").WithoutDate(),
		fakeisc.Row("2024-03-01", "").WithoutCount().WithExtra("region", `"emea"`),
		fakeisc.Row("2024-02-15", "0.1").WithExtra("nested", `{"a":[1,2,null]}`),
	}})
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: usagesConfig(fake, "src-sparse", ""),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(usagesAddr, "usages.#", "6"),
			resource.TestCheckResourceAttr(usagesAddr, "usages.0.count", "1.5"),
			resource.TestCheckNoResourceAttr(usagesAddr, "usages.1.count"),
			resource.TestCheckResourceAttr(usagesAddr, "usages.1.date", "2024-02-01"),
			resource.TestCheckNoResourceAttr(usagesAddr, "usages.2.date"),
			resource.TestCheckResourceAttr(usagesAddr, "usages.2.count", "2.5"),
			resource.TestCheckNoResourceAttr(usagesAddr, "usages.3.date"),
			resource.TestCheckNoResourceAttr(usagesAddr, "usages.4.count"),
			resource.TestCheckResourceAttr(usagesAddr, "usages.5.count", "0.1"),
			// Latest is 2024-03-01, whose count is missing.
			resource.TestCheckResourceAttr(usagesAddr, "latest_date", "2024-03-01"),
			resource.TestCheckNoResourceAttr(usagesAddr, "latest_count"),
			// (1.5 + 2.5 + 4 + 0.1) / 4 = 2.025 exactly.
			resource.TestCheckResourceAttr(usagesAddr, "average_count", "2.025"),
			resource.TestCheckResourceAttr(usagesAddr, "max_count", "4"),
		),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(usagesAddr, tfjsonpath.New("usages").AtSliceIndex(1).AtMapKey("count"), knownvalue.Null()),
			statecheck.ExpectKnownValue(usagesAddr, tfjsonpath.New("usages").AtSliceIndex(2).AtMapKey("date"), knownvalue.Null()),
		},
	})
}

func TestAccSourceUsages_argumentValidation(t *testing.T) {
	for name, tc := range map[string]struct{ args, want string }{
		"sorters with space":      {`sorters = "date, -date"`, "Invalid sorters"},
		"sorters with plus":       {`sorters = "+date"`, "Invalid sorters"},
		"sorters empty":           {`sorters = ""`, "Invalid sorters"},
		"sorters trailing comma":  {`sorters = "date,"`, "Invalid sorters"},
		"sorters sql":             {`sorters = "date;drop"`, "Invalid sorters"},
		"limit zero":              {`limit = 0`, "limit value must be between 1 and 10000"},
		"limit negative":          {`limit = -5`, "limit value must be between 1 and 10000"},
		"limit too large":         {`limit = 10001`, "limit value must be between 1 and 10000"},
		"unknown argument (typo)": {`sorter = "date"`, `An argument named "sorter" is not expected here`},
	} {
		t.Run(name, func(t *testing.T) {
			fake := acctest.NewFake(t)
			rec := acctest.NewRecorder()
			accTest(t, rec, resource.TestStep{
				Config:      usagesConfig(fake, acctest.SourceActiveDirectory, tc.args),
				PlanOnly:    true,
				ExpectError: expectError(tc.want),
			})
			if n := fake.Stats().APIRequests; n != 0 {
				t.Errorf("an invalid argument reached the API: %d requests", n)
			}
		})
	}
}

// A field the API cannot sort on passes the syntax check and comes back as the API's own 400.
func TestAccSourceUsages_unsupportedSorter(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: usagesConfig(fake, acctest.SourceActiveDirectory, `sorters = "count"`),
		ExpectError: expectError(
			`Unable to read the usage summaries of source "`+acctest.SourceActiveDirectory+`"`,
			"HTTP status: 400 Bad Request",
			"detailCode: 400.1 Bad Request Content",
			"count",
			"trackingId:",
			"sorters",
		),
	})
}

// exactAverage is the exact average of the rows' counts.
func exactAverage(t *testing.T, rows []fakeisc.Usage) *big.Rat {
	sum := new(big.Rat)
	for _, r := range rows {
		v, ok := new(big.Rat).SetString(string(r.Count))
		if !ok {
			t.Fatalf("count %q", r.Count)
		}
		sum.Add(sum, v)
	}
	return sum.Quo(sum, big.NewRat(int64(len(rows)), 1))
}

// Counts with absurd exponents or lengths are refused with an error naming the row, at
// once: exact arithmetic on 1e-999999 would take minutes, and 1e-1000000000 used to show as
// 0 in usages while the aggregates left it out.
func TestAccSourceUsages_absurdCounts(t *testing.T) {
	for count, why := range map[string]string{
		"1e-999999":                   "has an exponent beyond ±300",
		"1e-1000000000":               "has an exponent beyond ±300",
		"1" + strings.Repeat("0", 70): "has more than 64 characters",
	} {
		t.Run(count[:min(len(count), 14)], func(t *testing.T) {
			fake := acctest.NewFake(t)
			rows := []fakeisc.Usage{fakeisc.Row("2024-01-01", "1.5")}
			for range 249 {
				rows = append(rows, fakeisc.Row("2024-02-01", count))
			}
			fake.PutSource(fakeisc.Source{ID: "src-absurd", UsageStatus: "COMPLETE", Usages: rows})
			accTest(t, acctest.NewRecorder(), resource.TestStep{
				Config: usagesConfig(fake, "src-absurd", ""),
				ExpectError: expectError(`Unable to read the usage summaries of source "src-absurd"`,
					"row 1 (date 2024-02-01): count "+count[:min(len(count), 20)], why),
			})
			if n := fake.Stats().APIRequests; n != 1 {
				t.Errorf("%d API requests, want 1: a refused count is not retried", n)
			}
		})
	}
}
