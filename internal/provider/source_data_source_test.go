package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

const sourceAddr = "data.sailpoint_source.test"

func sourceConfig(fake *acctest.Fake, arg string, value string) string {
	return fake.ProviderBlock() + fmt.Sprintf("data \"sailpoint_source\" \"test\" {\n  %s = %q\n}\n", arg, value)
}

func TestAccSource_byIDAndByName(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec,
		resource.TestStep{
			Config: sourceConfig(fake, "id", acctest.SourceActiveDirectory),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkSourceFields(sourceAddr, ""),
				checkPaths(fake, "/sources/v1/"+acctest.SourceActiveDirectory),
				checkEveryInstance(rec, 1, 1),
			),
		},
		resource.TestStep{
			// The API compares names case-insensitively.
			Config: sourceConfig(fake, "name", "active directory"),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkSourceFields(sourceAddr, ""),
				checkEveryInstance(rec, 1, 1),
			),
		},
	)
}

// A name holding quotes, backslashes, #, %, &, spaces or non-ASCII letters finds exactly
// that source, with one request whose filter escapes them by the grammar's rules.
func TestAccSource_nameWithEveryAwkwardCharacter(t *testing.T) {
	for _, name := range []string{
		`Say "hello"`, `C:\Shares\HR`, `#1 & only`, `100% sure`, `Zürich Ünïcødé 東京`, `\"`, `trailing space `,
	} {
		t.Run(name, func(t *testing.T) {
			fake := acctest.NewFake(t)
			fake.PutSource(fakeisc.Source{ID: "src-awkward", Name: name})
			fake.PutSource(fakeisc.Source{ID: "src-decoy", Name: name + "x"})
			rec := acctest.NewRecorder()
			accTest(t, rec, resource.TestStep{
				Config: sourceConfig(fake, "name", name),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(sourceAddr, "id", "src-awkward"),
					resource.TestCheckResourceAttr(sourceAddr, "name", name),
					checkEveryInstance(rec, 1, 1),
					func(*terraform.State) error {
						for _, r := range fake.Requests() {
							if r.Op == fakeisc.OpListSources && r.Query.Get("filters") != nameFilterFor(name) {
								return fmt.Errorf("filters %q", r.Query.Get("filters"))
							}
						}
						return nil
					},
				),
			})
		})
	}
}

// nameFilterFor is the filter the grammar's rules give for name, written out by hand.
func nameFilterFor(name string) string {
	escaped := ""
	for _, r := range name {
		if r == '"' || r == '\\' {
			escaped += `\`
		}
		escaped += string(r)
	}
	return `name eq "` + escaped + `"`
}

func TestAccSource_errors(t *testing.T) {
	tests := []struct {
		name, arg, value string
		want             []string
		requests         int64
	}{
		{name: "no such id", arg: "id", value: "2c9180835d191a86015d28455b4aFFFF", requests: 1, want: []string{
			`Unable to read source "2c9180835d191a86015d28455b4aFFFF"`, "Call: GET /sources/v1/2c9180835d191a86015d28455b4aFFFF",
			"HTTP status: 404 Not Found", "trackingId:", "no source in this tenant"}},
		{name: "no such name", arg: "name", value: "Nope", requests: 1, want: []string{
			`No single source named "Nope"`, `no source in this tenant has the name "Nope"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := acctest.NewFake(t)
			accTest(t, acctest.NewRecorder(), resource.TestStep{
				Config:      sourceConfig(fake, tt.arg, tt.value),
				ExpectError: expectError(tt.want...),
			})
			if n := fake.Stats().APIRequests; int64(n) != tt.requests {
				t.Errorf("%d API requests, want %d", n, tt.requests)
			}
		})
	}
}

// Two sources answering one name (the API compares case-insensitively) and none named
// exactly so: an error listing both.
func TestAccSource_ambiguousName(t *testing.T) {
	fake := acctest.NewFake(t)
	fake.PutSource(fakeisc.Source{ID: "src-upper", Name: "HR LDAP"})
	fake.PutSource(fakeisc.Source{ID: "src-lower", Name: "hr ldap"})
	accTest(t, acctest.NewRecorder(),
		resource.TestStep{
			Config:      sourceConfig(fake, "name", "Hr Ldap"),
			ExpectError: expectError(`No single source named "Hr Ldap"`, `2 sources answer to the name "Hr Ldap"`, `src-lower ("hr ldap")`, `src-upper ("HR LDAP")`),
		},
		resource.TestStep{
			// The one named exactly so wins.
			Config: sourceConfig(fake, "name", "hr ldap"),
			Check:  resource.TestCheckResourceAttr(sourceAddr, "id", "src-lower"),
		},
	)
}

func TestAccSource_exactlyOneOfIDAndName(t *testing.T) {
	for name, body := range map[string]string{
		"neither": ``,
		"both":    `id = "a"` + "\n  " + `name = "b"`,
	} {
		t.Run(name, func(t *testing.T) {
			fake := acctest.NewFake(t)
			accTest(t, acctest.NewRecorder(), resource.TestStep{
				Config:      fake.ProviderBlock() + "data \"sailpoint_source\" \"test\" {\n  " + body + "\n}\n",
				PlanOnly:    true,
				ExpectError: expectError("Invalid Attribute Combination"),
			})
			if n := fake.Stats().APIRequests; n != 0 {
				t.Errorf("%d API requests for an invalid configuration", n)
			}
		})
	}
}

// The tenant's built-in IdentityNow source is left out of lists unless asked for; a lookup by
// its name must still find it rather than say that no source has that name.
func TestAccSource_identityNowByName(t *testing.T) {
	fake := acctest.NewFake(t)
	rec := acctest.NewRecorder()
	accTest(t, rec, resource.TestStep{
		Config: sourceConfig(fake, "name", "IdentityNow"),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(sourceAddr, "id", acctest.SourceIdentityNow),
			resource.TestCheckResourceAttr(sourceAddr, "type", "IdentityNowConnector"),
			checkQuery(fake, fakeisc.OpListSources, "count=true&filters=name+eq+%22IdentityNow%22&includeIDNSource=true&limit=250&offset=0&sorters=name%2Cid"),
			checkEveryInstance(rec, 1, 1),
		),
	})
}

// A source sub-admin gets 403 from the list unless for-subadmin is sent: the hint names the
// data source's own for_subadmin, and setting it finds the source.
func TestAccSource_subadmin(t *testing.T) {
	fake := acctest.NewFake(t, fakeisc.WithSourceSubadmin("subadmin", "subadmin-secret"))
	block := fake.ProviderBlockFor("subadmin", "subadmin-secret")
	accTest(t, acctest.NewRecorder(),
		resource.TestStep{
			Config: block + `data "sailpoint_source" "test" {` + "\n  name = \"Workday\"\n}\n",
			ExpectError: expectError(`Unable to look up source "Workday"`, "HTTP status: 403 Forbidden", "trackingId:",
				`set for_subadmin = "me"`),
		},
		resource.TestStep{
			PreConfig: fake.Reset,
			Config:    block + `data "sailpoint_source" "test" {` + "\n  name = \"Workday\"\n  for_subadmin = \"me\"\n}\n",
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(sourceAddr, "id", acctest.SourceWorkday),
				resource.TestCheckResourceAttr(sourceAddr, "for_subadmin", "me"),
				checkQuery(fake, fakeisc.OpListSources, "count=true&filters=name+eq+%22Workday%22&for-subadmin=me&includeIDNSource=true&limit=250&offset=0&sorters=name%2Cid"),
			),
		},
	)
}

// A lookup by id needs no for-subadmin, so for_subadmin and id conflict.
func TestAccSource_forSubadminConflictsWithID(t *testing.T) {
	fake := acctest.NewFake(t)
	accTest(t, acctest.NewRecorder(), resource.TestStep{
		Config:      fake.ProviderBlock() + `data "sailpoint_source" "test" {` + "\n  id = \"" + acctest.SourceWorkday + "\"\n  for_subadmin = \"me\"\n}\n",
		PlanOnly:    true,
		ExpectError: expectError("Invalid Attribute Combination", `"id"`),
	})
}
