package provider

import (
	"encoding/json"
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
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

const sourcesAddr = "data.sailpoint_sources.test"

func sourcesConfig(fake *acctest.Fake, args string) string {
	return fake.ProviderBlock() + fmt.Sprintf(`
data "sailpoint_sources" "test" {
  %s
}
`, args)
}

// checkSourceFields asserts every field of the Active Directory fixture at prefix
// ("sources.0." in a list, "" for sailpoint_source).
func checkSourceFields(addr, prefix string) resource.TestCheckFunc {
	want := map[string]string{
		"id": acctest.SourceActiveDirectory, "name": "Active Directory", "description": "Employee accounts and groups",
		"type": "Active Directory", "connector_name": "Active Directory", "connection_type": "direct",
		"category": "CredentialProvider", "authoritative": "false", "healthy": "true", "status": "SOURCE_STATE_HEALTHY",
		"since": "2024-12-31T23:45:00.123Z", "created": "2023-03-01T09:30:00Z", "modified": "2024-11-15T14:05:27.5Z",
		"owner_id": "2c9180a46faadee4016fb4e018c20639", "owner_name": "Dana Whitfield",
		"cluster_id": "2c9180866166b5b0016167c32ef31a66", "cluster_name": "Corporate Cluster",
		"features.#": "4", "features.0": "AUTHENTICATE", "features.3": "UNLOCK",
	}
	var checks []resource.TestCheckFunc
	for k, v := range want {
		checks = append(checks, resource.TestCheckResourceAttr(addr, prefix+k, v))
	}
	return resource.ComposeAggregateTestCheckFunc(checks...)
}

func TestAccSources_everyFieldAndIDs(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: sourcesConfig(fake, ""),
		Check: resource.ComposeAggregateTestCheckFunc(
			// Sorted by name, the default; the IdentityNow source is left out.
			resource.TestCheckResourceAttr(sourcesAddr, "sorters", "name"),
			resource.TestCheckResourceAttr(sourcesAddr, "include_idn_source", "false"),
			resource.TestCheckResourceAttr(sourcesAddr, "sources.#", "4"),
			checkSourceFields(sourcesAddr, "sources.0."),
			resource.TestCheckResourceAttr(sourcesAddr, "sources.1.name", "Salesforce"),
			resource.TestCheckResourceAttr(sourcesAddr, "sources.3.name", "Workday"),
			resource.TestCheckResourceAttr(sourcesAddr, "ids.%", "4"),
			resource.TestCheckResourceAttr(sourcesAddr, "ids.Active Directory", acctest.SourceActiveDirectory),
			resource.TestCheckResourceAttr(sourcesAddr, "ids.Workday", acctest.SourceWorkday),
			checkEveryInstance(rec, 1, 1),
			checkQuery(fake, fakeisc.OpListSources, "count=true&limit=250&offset=0&sorters=name%2Cid"),
		),
		ConfigStateChecks: []statecheck.StateCheck{
			// A field the API leaves out is null, not "".
			statecheck.ExpectKnownValue(sourcesAddr, tfjsonpath.New("sources").AtSliceIndex(2).AtMapKey("description"), knownvalue.Null()),
			statecheck.ExpectKnownValue(sourcesAddr, tfjsonpath.New("sources").AtSliceIndex(2).AtMapKey("features"), knownvalue.Null()),
			statecheck.ExpectKnownValue(sourcesAddr, tfjsonpath.New("sources").AtSliceIndex(2).AtMapKey("authoritative"), knownvalue.Null()),
			statecheck.ExpectKnownValue(sourcesAddr, tfjsonpath.New("sources").AtSliceIndex(2).AtMapKey("owner_id"), knownvalue.Null()),
		},
	})
}

// checkFilters asserts the filters parameter of every call of op, decoded.
func checkFilters(fake *acctest.Fake, op, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range fake.Requests() {
			if r.Op == op && r.Query.Get("filters") != want {
				return fmt.Errorf("the API got filters %q, want %q", r.Query.Get("filters"), want)
			}
		}
		return nil
	}
}

// checkQuery asserts the encoded query of the fake's first call of op.
func checkQuery(fake *acctest.Fake, op, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range fake.Requests() {
			if r.Op == op {
				if got := r.Query.Encode(); got != want {
					return fmt.Errorf("the list call's query is %s, want %s", got, want)
				}
				return nil
			}
		}
		return fmt.Errorf("no list call")
	}
}

// 520 sources: three pages, exactly three requests, every source once, in order.
func TestAccSources_everyPage(t *testing.T) {
	fake := acctest.NewFake(t, fakeisc.WithGeneratedSources(520))
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: sourcesConfig(fake, `filters = "name sw \"Generated\""`),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(sourcesAddr, "sources.#", "520"),
			resource.TestCheckResourceAttr(sourcesAddr, "ids.%", "520"),
			resource.TestCheckResourceAttr(sourcesAddr, "sources.0.name", "Generated Source 0000"),
			resource.TestCheckResourceAttr(sourcesAddr, "sources.250.name", "Generated Source 0250"),
			resource.TestCheckResourceAttr(sourcesAddr, "sources.519.name", "Generated Source 0519"),
			resource.TestCheckResourceAttr(sourcesAddr, "sources.519.id", fakeisc.GeneratedSourceID(519)),
			checkEveryInstance(rec, 1, 3),
		),
	})
}

// Filters reach the API byte for byte, whatever they hold.
func TestAccSources_filtersReachTheAPIExactly(t *testing.T) {
	fake := acctest.NewFake(t)
	fake.PutSource(fakeisc.Source{ID: "src-odd", Name: `R&D "Lab" #1 \ Zürich 東京`, UsageStatus: "INCOMPLETE"})
	rec := acctest.NewRecorder()
	filter := `name eq "R&D \"Lab\" #1 \\ Zürich 東京"`
	accTest(t, rec, resource.TestStep{
		Config: sourcesConfig(fake, fmt.Sprintf("filters = %q", filter)),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(sourcesAddr, "sources.#", "1"),
			resource.TestCheckResourceAttr(sourcesAddr, "sources.0.id", "src-odd"),
			checkFilters(fake, fakeisc.OpListSources, filter),
		),
	})
}

func TestAccSources_arguments(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec,
		resource.TestStep{
			Config: sourcesConfig(fake, "include_idn_source = true\n  sorters = \"-name\"\n  limit = 2\n  for_subadmin = \"me\""),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(sourcesAddr, "sources.#", "2"),
				resource.TestCheckResourceAttr(sourcesAddr, "sources.0.name", "Workday"),
				resource.TestCheckResourceAttr(sourcesAddr, "sources.1.name", "ServiceNow"),
				checkQuery(fake, fakeisc.OpListSources, "count=true&for-subadmin=me&includeIDNSource=true&limit=2&offset=0&sorters=-name%2Cid"),
			),
		},
		resource.TestStep{
			Config: sourcesConfig(fake, "include_idn_source = true"),
			Check:  resource.TestCheckResourceAttr(sourcesAddr, "ids.IdentityNow", acctest.SourceIdentityNow),
		},
	)
}

// ids feeds for_each in the same plan: every source's usage status, keyed by name. Run with
// the CLI directly: the test harness's state shim cannot read string for_each keys.
func TestAccSources_forEachOverIDs(t *testing.T) {
	fake := acctest.NewFake(t)
	w := acctest.NewWorkdir(t, acctest.RequiredProviders+`
provider "sailpoint" {}

data "sailpoint_sources" "all" {}

data "sailpoint_source_usage_status" "each" {
  for_each  = data.sailpoint_sources.all.ids
  source_id = each.value
}

output "insights" {
  value = { for name, s in data.sailpoint_source_usage_status.each : name => s.insights_available }
}
`)
	w.Env = sailEnv(fake)
	w.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	out := w.MustRun("output", "-json", "insights")
	var got map[string]bool
	if err := json.Unmarshal([]byte(out.Stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, out.Stdout)
	}
	want := map[string]bool{"Active Directory": true, "Salesforce": true, "ServiceNow": true, "Workday": false}
	if !maps.Equal(got, want) {
		t.Errorf("insights = %v, want %v", got, want)
	}
	// One token; one list call and one status call per source, all in the one plan.
	if st := fake.Stats(); st.TokenRequests != 1 || st.APIRequests != 5 {
		t.Errorf("%d token and %d API requests, want 1 and 5", st.TokenRequests, st.APIRequests)
	}
}

func TestAccSources_errors(t *testing.T) {
	tests := []struct {
		name   string
		args   string
		opts   []fakeisc.Option
		client string
		want   []string
	}{
		{
			name: "bad filter",
			args: `filters = "colour eq \"blue\""`,
			want: []string{"Unable to list sources", `Filters: colour eq "blue"`, "HTTP status: 400 Bad Request",
				"detailCode: 400.1 Bad Request Content", "colour", "trackingId:", "What to do: the API rejected the filters"},
		},
		{
			name:   "sub-admin without for_subadmin",
			opts:   []fakeisc.Option{fakeisc.WithSourceSubadmin("subadmin", "subadmin-secret")},
			client: "subadmin",
			want:   []string{"Unable to list sources", "HTTP status: 403 Forbidden", "trackingId:", `for_subadmin = "me"`},
		},
		{
			name: "duplicate names",
			opts: []fakeisc.Option{fakeisc.WithSources(fakeisc.Source{ID: "dup-1", Name: "Twin"}, fakeisc.Source{ID: "dup-2", Name: "Twin"})},
			want: []string{"Two sources have the same name", `"Twin" is the name of dup-1 and dup-2`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := acctest.NewFake(t, tt.opts...)
			block := fake.ProviderBlock()
			if tt.client != "" {
				block = fake.ProviderBlockFor(tt.client, tt.client+"-secret")
			}
			accTest(t, acctest.NewRecorder(), resource.TestStep{
				Config:      block + "data \"sailpoint_sources\" \"test\" {\n  " + tt.args + "\n}\n",
				ExpectError: expectError(tt.want...),
			})
		})
	}
}

// A server may order the sources that tie on the sort key differently from one page to the
// next. Sorting on type alone, offset paging then repeats some sources and drops others (and
// the duplicates made ids blame a source for clashing with itself); the provider sorts on id
// last, so every source arrives exactly once, in type order.
func TestAccSources_unstableTies(t *testing.T) {
	const generated = 600 // 7 types: ties by the hundred, over 3 pages
	fake := acctest.NewFake(t, fakeisc.WithGeneratedSources(generated), fakeisc.WithUnstableTies())
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: sourcesConfig(fake, `sorters = "type"`),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(sourcesAddr, "sources.#", fmt.Sprint(generated+4)),
			resource.TestCheckResourceAttr(sourcesAddr, "ids.%", fmt.Sprint(generated+4)),
			resource.TestCheckResourceAttr(sourcesAddr, "sorters", "type"),
			checkQuery(fake, fakeisc.OpListSources, "count=true&limit=250&offset=0&sorters=type%2Cid"),
			func(s *terraform.State) error {
				attrs := s.RootModule().Resources[sourcesAddr].Primary.Attributes
				seen := map[string]bool{}
				previous := ""
				for i := range generated + 4 {
					id, typ := attrs[fmt.Sprintf("sources.%d.id", i)], attrs[fmt.Sprintf("sources.%d.type", i)]
					if seen[id] {
						return fmt.Errorf("source %s twice", id)
					}
					seen[id] = true
					if typ == "" { // ServiceNow has no type: last, as the API sorts nulls
						continue
					}
					if strings.ToLower(typ) < strings.ToLower(previous) {
						return fmt.Errorf("source %d has type %q after %q", i, typ, previous)
					}
					previous = typ
				}
				return nil
			},
			checkEveryInstance(rec, 1, 3),
		),
	})
}
