package client

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// versionPath is where a service's path lives under an API version, the way SailPoint serves it.
func versionPath(version, service, rest string) string {
	if version == VersionV1 {
		return "/" + service + "/v1" + rest
	}
	return "/" + version + "/" + service + rest
}

// idReads are the reads of the client that take an id, each with the path it must request.
var idReads = []struct {
	name    string
	service string
	path    func(id string) string // below the service
	call    func(c *Client, t *testing.T, id string) error
}{
	{"usage status", "source-usages", func(id string) string { return "/" + id + "/status" }, func(c *Client, t *testing.T, id string) error {
		_, err := c.GetSourceUsageStatus(t.Context(), id)
		return err
	}},
	{"usage summaries", "source-usages", func(id string) string { return "/" + id + "/summaries" }, func(c *Client, t *testing.T, id string) error {
		_, err := c.ListSourceUsages(t.Context(), id, UsagesOptions{})
		return err
	}},
	{"get source", "sources", func(id string) string { return "/" + id }, func(c *Client, t *testing.T, id string) error {
		_, err := c.GetSource(t.Context(), id)
		return err
	}},
	{"account usage summaries", "account-usages", func(id string) string { return "/" + id + "/summaries" }, func(c *Client, t *testing.T, id string) error {
		_, err := c.ListAccountUsages(t.Context(), id, UsagesOptions{})
		return err
	}},
	{"get account", "accounts", func(id string) string { return "/" + id }, func(c *Client, t *testing.T, id string) error {
		_, err := c.GetAccount(t.Context(), id)
		return err
	}},
}

// answerByPath answers each read with a body of its published shape. It routes by the escaped
// path, in which an id is always one segment.
func answerByPath(w http.ResponseWriter, r *http.Request) {
	p := r.URL.EscapedPath()
	switch {
	case strings.HasSuffix(p, "/status"):
		writeJSON(w, http.StatusOK, statusComplete)
	case strings.HasSuffix(p, "/summaries"), strings.HasSuffix(p, "/sources"), strings.HasSuffix(p, "/sources/v1"),
		strings.HasSuffix(p, "/accounts"), strings.HasSuffix(p, "/accounts/v1"):
		writeJSON(w, http.StatusOK, `[]`)
	default:
		writeJSON(w, http.StatusOK, `{"id":"x"}`)
	}
}

func TestAPIPaths(t *testing.T) {
	for _, version := range APIVersions {
		t.Run(version, func(t *testing.T) {
			isc := newTestISC(t, answerByPath)
			c := isc.client(t, func(c *Config) { c.APIVersion = version })
			var want []string
			for _, call := range idReads {
				if err := call.call(c, t, "src-1"); err != nil {
					t.Fatalf("%s: %v", call.name, err)
				}
				want = append(want, versionPath(version, call.service, call.path("src-1")))
			}
			if _, err := c.ListSources(t.Context(), SourcesOptions{}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.ListAccounts(t.Context(), AccountsOptions{Filters: `sourceId eq "s"`}); err != nil {
				t.Fatal(err)
			}
			want = append(want, versionPath(version, "sources", ""), versionPath(version, "accounts", ""))
			var got []string
			for _, r := range isc.apiRequests() {
				got = append(got, r.path)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("paths %q, want %q", got, want)
			}
		})
	}
	if got := versionPath(VersionV1, "source-usages", "/a/status"); got != "/source-usages/v1/a/status" {
		t.Errorf("v1 path %s", got)
	}
	if got := versionPath(VersionBeta, "sources", ""); got != "/beta/sources" {
		t.Errorf("beta path %s", got)
	}
}

// Every id is one path segment, escaped, whatever it holds, under every API version.
func TestRequestPathIsEscaped(t *testing.T) {
	ids := map[string]string{
		"../../v3/sources": "..%2F..%2Fv3%2Fsources",
		"a?b=1#c":          "a%3Fb=1%23c",
		"a%2Fb":            "a%252Fb",
		"a b":              "a%20b",
		"ключ":             "%D0%BA%D0%BB%D1%8E%D1%87",
		"quelle-é":         "quelle-%C3%A9",
		"..a":              "..a",
	}
	for _, version := range APIVersions {
		t.Run(version, func(t *testing.T) {
			isc := newTestISC(t, answerByPath)
			c := isc.client(t, func(c *Config) { c.APIVersion = version })
			for id, escaped := range ids {
				for _, call := range idReads {
					before := len(isc.apiRequests())
					if err := call.call(c, t, id); err != nil {
						t.Fatalf("%s %q: %v", call.name, id, err)
					}
					reqs := isc.apiRequests()[before:]
					if len(reqs) != 1 {
						t.Fatalf("%s %q: %d requests", call.name, id, len(reqs))
					}
					gotPath, _, _ := strings.Cut(reqs[0].requestURI, "?")
					if want := versionPath(version, call.service, call.path(escaped)); gotPath != want {
						t.Errorf("%s %q: server saw %s, want %s", call.name, id, gotPath, want)
					}
					if want := versionPath(version, call.service, call.path(id)); reqs[0].path != want {
						t.Errorf("%s %q: the path decodes to %s, want %s", call.name, id, reqs[0].path, want)
					}
				}
			}
		})
	}
}

// Ids that would change the meaning of the path are refused without a request.
func TestInvalidIDsAreRefused(t *testing.T) {
	isc := newTestISC(t, answerByPath)
	c := isc.client(t)
	for _, id := range []string{"", ".", ".."} {
		for _, call := range idReads {
			err := call.call(c, t, id)
			if err == nil {
				t.Errorf("%s %q: no error", call.name, id)
			}
			if ValidateID(id) == nil {
				t.Errorf("ValidateID(%q) passed", id)
			}
		}
	}
	checkErr(t, ValidateID(""), "the id is empty")
	checkErr(t, ValidateID(".."), `".." is not an id`)
	for _, id := range []string{"a", "...", ".a", "a/..", "%2e%2e"} {
		if err := ValidateID(id); err != nil {
			t.Errorf("ValidateID(%q): %v", id, err)
		}
	}
	if isc.apiCalls.Load() != 0 || isc.tokenCalls.Load() != 0 {
		t.Errorf("%d API calls and %d token requests for refused ids", isc.apiCalls.Load(), isc.tokenCalls.Load())
	}
}

// A limit above what the page ceiling allows, or below zero, is refused without a request.
func TestLimitsAreBounded(t *testing.T) {
	isc := newTestISC(t, answerByPath)
	c := isc.client(t)
	for _, tt := range []struct {
		name    string
		call    func() error
		wantErr string
	}{
		{"summaries above MaxSummaryRows", func() error {
			_, err := c.ListSourceUsages(t.Context(), "a", UsagesOptions{Limit: MaxSummaryRows + 1})
			return err
		}, "limit must be between 0 (every row) and 10000, got 10001"},
		{"summaries below zero", func() error {
			_, err := c.ListSourceUsages(t.Context(), "a", UsagesOptions{Limit: -1})
			return err
		}, "got -1"},
		{"sources above MaxSources", func() error {
			_, err := c.ListSources(t.Context(), SourcesOptions{Limit: MaxSources + 1})
			return err
		}, "limit must be between 0 (every source) and 100000, got 100001"},
		{"sources below zero", func() error {
			_, err := c.ListSources(t.Context(), SourcesOptions{Limit: -5})
			return err
		}, "got -5"},
		{"accounts above MaxAccounts", func() error {
			_, err := c.ListAccounts(t.Context(), AccountsOptions{Limit: MaxAccounts + 1})
			return err
		}, "limit must be between 0 (every account) and 100000, got 100001"},
		{"account usages above MaxSummaryRows", func() error {
			_, err := c.ListAccountUsages(t.Context(), "a", UsagesOptions{Limit: MaxSummaryRows + 1})
			return err
		}, "got 10001"},
	} {
		checkErr(t, tt.call(), tt.wantErr)
	}
	if isc.apiCalls.Load() != 0 || isc.tokenCalls.Load() != 0 {
		t.Errorf("%d API calls and %d token requests for refused limits", isc.apiCalls.Load(), isc.tokenCalls.Load())
	}
	if MaxSummaryRows != maxSummaryPages*pageSize || MaxSources != maxSourcePages*pageSize || MaxAccounts != maxAccountPages*pageSize {
		t.Errorf("the limits %d and %d do not match the page ceilings", MaxSummaryRows, MaxSources)
	}
}

func TestBaseURLWithPathPrefix(t *testing.T) {
	isc := newTestISC(t, answerByPath)
	c := newTestClient(t, isc.srv.URL+"/isc/")
	if _, err := c.GetSourceUsageStatus(t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	if reqs := isc.tokenRequests(); len(reqs) != 1 || reqs[0].path != "/isc/oauth/token" {
		t.Errorf("token requests %+v", reqs)
	}
	if reqs := isc.apiRequests(); len(reqs) != 1 || reqs[0].requestURI != "/isc/source-usages/v1/a/status" {
		t.Errorf("API requests %+v", reqs)
	}
}

func TestGetSourceUsageStatus(t *testing.T) {
	for _, tt := range []struct {
		body string
		want *string
	}{
		{`{"status":"COMPLETE"}`, ptr("COMPLETE")},
		{`{"status":"INCOMPLETE"}`, ptr("INCOMPLETE")},
		{`{"status":"SOMETHING_NEW","extra":1}`, ptr("SOMETHING_NEW")},
		{`{"status":null}`, nil},
		{`{}`, nil},
	} {
		isc := newTestISC(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, tt.body) })
		st, err := isc.client(t).GetSourceUsageStatus(t.Context(), "a")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(st.Status, tt.want) {
			t.Errorf("%s: status %v, want %v", tt.body, deref(st.Status, "<nil>"), deref(tt.want, "<nil>"))
		}
	}
}

// The filter travels byte for byte: quotes, backslashes, #, &, + and unicode included.
func TestListSourcesQuery(t *testing.T) {
	const filter = `name co "a \"quoted\" name" and description sw "back\\slash #1 & co + 50% ünïcødé ✓" or type in ("Active Directory","Okta")`
	for _, tt := range []struct {
		name string
		opts SourcesOptions
		want url.Values
	}{
		{"every option", SourcesOptions{Filters: filter, Sorters: "-name,owner.name", ForSubadmin: "me", IncludeIDNSource: true},
			url.Values{"filters": {filter}, "sorters": {"-name,owner.name,id"}, "for-subadmin": {"me"}, "includeIDNSource": {"true"},
				"count": {"true"}, "limit": {"250"}, "offset": {"0"}}},
		// Sorting on id always: offset paging over ties is otherwise free to repeat and drop rows.
		{"no option", SourcesOptions{}, url.Values{"sorters": {"id"}, "count": {"true"}, "limit": {"250"}, "offset": {"0"}}},
		{"descending id already", SourcesOptions{Sorters: "type,-id"}, url.Values{"sorters": {"type,-id"}, "count": {"true"}, "limit": {"250"}, "offset": {"0"}}},
		{"id first", SourcesOptions{Sorters: "id,name"}, url.Values{"sorters": {"id,name"}, "count": {"true"}, "limit": {"250"}, "offset": {"0"}}},
		{"a field that only starts with id", SourcesOptions{Sorters: "identity"}, url.Values{"sorters": {"identity,id"}, "count": {"true"}, "limit": {"250"}, "offset": {"0"}}},
		{"a limit", SourcesOptions{ForSubadmin: "2c9180835d191a86015d28455b4a2329", Limit: 20},
			url.Values{"for-subadmin": {"2c9180835d191a86015d28455b4a2329"}, "sorters": {"id"}, "count": {"true"}, "limit": {"20"}, "offset": {"0"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			isc := newTestISC(t, answerByPath)
			if _, err := isc.client(t).ListSources(t.Context(), tt.opts); err != nil {
				t.Fatal(err)
			}
			reqs := isc.apiRequests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			got, err := url.ParseQuery(reqs[0].rawQuery)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("query %q decodes to %v, want %v", reqs[0].rawQuery, got, tt.want)
			}
		})
	}
}

// Accounts are always asked for SLIM, sorted on id last, with the filter byte for byte.
func TestListAccountsQuery(t *testing.T) {
	const filter = `sourceId eq "2c9180835d191a86015d28455b4a2329" and (name sw "a \"b\"")`
	for _, tt := range []struct {
		name string
		opts AccountsOptions
		want url.Values
	}{
		{"every option", AccountsOptions{Filters: filter, Sorters: "-created", Limit: 10},
			url.Values{"filters": {filter}, "sorters": {"-created,id"}, "detailLevel": {"SLIM"}, "count": {"true"}, "limit": {"10"}, "offset": {"0"}}},
		{"no sorters: by id", AccountsOptions{Filters: filter},
			url.Values{"filters": {filter}, "sorters": {"id"}, "detailLevel": {"SLIM"}, "count": {"true"}, "limit": {"250"}, "offset": {"0"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			isc := newTestISC(t, answerByPath)
			if _, err := isc.client(t).ListAccounts(t.Context(), tt.opts); err != nil {
				t.Fatal(err)
			}
			reqs := isc.apiRequests()
			got, err := url.ParseQuery(reqs[0].rawQuery)
			if err != nil || len(reqs) != 1 {
				t.Fatal(len(reqs), err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("query %q decodes to %v, want %v", reqs[0].rawQuery, got, tt.want)
			}
		})
	}
}

// An account's fields, SLIM as the list answers them; a field left out or null is nil, and an
// account without the uncorrelated field is uncorrelated when it names no identity.
func TestAccountDecodesEveryField(t *testing.T) {
	const slim = `[
  {"id": "a1", "name": "jdoe", "nativeIdentity": "CN=jdoe", "uuid": "{b0dce506}", "sourceId": "s1", "sourceName": "AD",
   "identityId": "i1", "identity": {"type": "IDENTITY", "id": "i1", "name": "John Doe"}, "disabled": false, "locked": true,
   "uncorrelated": false, "manuallyCorrelated": true, "hasEntitlements": true, "isMachine": false, "origin": "AGGREGATED",
   "created": "2024-01-02T03:04:05Z", "modified": "2024-06-07T08:09:10.5Z", "attributes": null, "systemAccount": false},
  {"id": "a2", "name": "svc", "uncorrelated": null, "identity": null, "sourceName": null},
  {"id": "a3", "name": "orphan", "uncorrelated": true, "identityId": "i9"},
  {"id": "a4", "name": "no field, an identity", "identity": {"id": "i2"}}
]`
	isc := newTestISC(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, slim) })
	accounts, err := isc.client(t).ListAccounts(t.Context(), AccountsOptions{Filters: "x"})
	if err != nil || len(accounts) != 4 {
		t.Fatalf("%d accounts, %v", len(accounts), err)
	}
	a := accounts[0]
	got := fmt.Sprint(*a.ID, *a.Name, *a.NativeIdentity, *a.UUID, *a.SourceID, *a.SourceName, *a.IdentityID, *a.Identity.Name,
		*a.Disabled, *a.Locked, *a.Uncorrelated, *a.ManuallyCorrelated, *a.HasEntitlements, *a.IsMachine, *a.Origin, *a.Created, *a.Modified)
	if want := "a1jdoeCN=jdoe{b0dce506}s1ADi1John Doefalse true false true true falseAGGREGATED2024-01-02T03:04:05Z2024-06-07T08:09:10.5Z"; got != want {
		t.Errorf("fields %s\nwant %s", got, want)
	}
	if b := accounts[1]; b.Uncorrelated != nil || b.Identity != nil || b.SourceName != nil || b.Disabled != nil || b.Created != nil {
		t.Errorf("missing and null fields are not nil: %+v", b)
	}
	for i, want := range []bool{false, true, true, false} {
		if got := accounts[i].IsUncorrelated(); got != want {
			t.Errorf("account %s IsUncorrelated = %v, want %v", *accounts[i].ID, got, want)
		}
	}
}

func TestListSourcesPages(t *testing.T) {
	for _, tt := range []struct {
		n         int
		withTotal bool
	}{{501, true}, {501, false}, {750, true}} {
		t.Run(fmt.Sprint(tt.n, " total ", tt.withTotal), func(t *testing.T) {
			p := &pager{pageSpec: pageSpec{n: tt.n, withTotal: tt.withTotal}, row: sourceRow}
			isc := newTestISC(t, p.serve)
			sources, err := isc.client(t).ListSources(t.Context(), SourcesOptions{Sorters: "name"})
			if err != nil {
				t.Fatal(err)
			}
			if len(sources) != tt.n {
				t.Fatalf("%d sources, want %d", len(sources), tt.n)
			}
			for i, s := range sources {
				if s.ID == nil || *s.ID != fmt.Sprint("s-", i) || s.Name == nil || *s.Name != fmt.Sprint("Source ", i) {
					t.Fatalf("source %d is %v", i, s.ID)
				}
			}
			want := []string{"count=true&limit=250&offset=0&sorters=name%2Cid", "limit=250&offset=250&sorters=name%2Cid", "limit=250&offset=500&sorters=name%2Cid"}
			if got := p.requests(); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("requests %q, want %q", got, want)
			}
		})
	}
}

const fullSource = `{
  "id": "2c91808568c529c60168cca6f90c1324",
  "name": "Corporate \"AD\"",
  "description": "This is the corporate directory.",
  "owner": {"type": "IDENTITY", "id": "2c91808568c529c60168cca6f90c1313", "name": "MyName"},
  "cluster": {"type": "CLUSTER", "id": "2c9180866166b5b0016167c32ef31a66", "name": "Corporate Cluster"},
  "features": ["PROVISIONING", "NO_PERMISSIONS_PROVISIONING", "GROUPS_HAVE_MEMBERS"],
  "type": "Active Directory - Direct",
  "connector": "active-directory",
  "connectorName": "Active Directory",
  "connectionType": "direct",
  "category": "CredentialProvider",
  "authoritative": false,
  "healthy": true,
  "status": "SOURCE_STATE_HEALTHY",
  "since": "2021-09-28T15:48:29.3801666300Z",
  "created": "2022-02-08T14:50:03.827Z",
  "modified": "2024-01-23T18:08:50.897Z",
  "managementWorkgroup": {"type": "GOVERNANCE_GROUP", "id": "2c91808568c529c60168cca6f90c2222", "name": "My Management Workgroup"},
  "schemas": [{"type": "CONNECTOR_SCHEMA", "id": "2c9180835d191a86015d28455b4b232a", "name": "account"}],
  "connectorAttributes": {"healthCheckTimeout": 30},
  "deleteThreshold": 10
}`

func wantFullSource() Source {
	return Source{
		ID: ptr("2c91808568c529c60168cca6f90c1324"), Name: ptr(`Corporate "AD"`), Description: ptr("This is the corporate directory."),
		Type: ptr("Active Directory - Direct"), ConnectorName: ptr("Active Directory"), ConnectionType: ptr("direct"),
		Category: ptr("CredentialProvider"), Authoritative: ptr(false), Healthy: ptr(true), Status: ptr("SOURCE_STATE_HEALTHY"),
		Since: ptr("2021-09-28T15:48:29.3801666300Z"), Created: ptr("2022-02-08T14:50:03.827Z"), Modified: ptr("2024-01-23T18:08:50.897Z"),
		Owner:    &Ref{Type: ptr("IDENTITY"), ID: ptr("2c91808568c529c60168cca6f90c1313"), Name: ptr("MyName")},
		Cluster:  &Ref{Type: ptr("CLUSTER"), ID: ptr("2c9180866166b5b0016167c32ef31a66"), Name: ptr("Corporate Cluster")},
		Features: &[]string{"PROVISIONING", "NO_PERMISSIONS_PROVISIONING", "GROUPS_HAVE_MEMBERS"},
	}
}

func TestSourceDecodesEveryField(t *testing.T) {
	nulls := `{"id":null,"name":null,"description":null,"owner":null,"cluster":null,"features":null,"type":null,"connectorName":null,
		"connectionType":null,"category":null,"authoritative":null,"healthy":null,"status":null,"since":null,"created":null,"modified":null}`
	tests := []struct {
		name, body string
		want       Source
	}{
		{"every field", fullSource, wantFullSource()},
		{"nulls", nulls, Source{}},
		{"missing", `{}`, Source{}},
		{"partial references and an empty list", `{"id":"s1","owner":{"id":"o1"},"cluster":{},"features":[]}`,
			Source{ID: ptr("s1"), Owner: &Ref{ID: ptr("o1")}, Cluster: &Ref{}, Features: &[]string{}}},
	}
	// The fields this test checks are every field of the model.
	if n := reflect.TypeFor[Source]().NumField(); n != 16 {
		t.Fatalf("Source has %d fields: check them all here", n)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isc := newTestISC(t, func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/v1") {
					writeJSON(w, http.StatusOK, "["+tt.body+"]")
					return
				}
				writeJSON(w, http.StatusOK, tt.body)
			})
			c := isc.client(t)
			got, err := c.GetSource(t.Context(), "s1")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("GetSource:\n got %s\nwant %s", showSource(got), showSource(tt.want))
			}
			list, err := c.ListSources(t.Context(), SourcesOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 || !reflect.DeepEqual(list[0], tt.want) {
				t.Errorf("ListSources: got %d sources, first %s", len(list), showSource(list[0]))
			}
		})
	}
}

// showSource prints the values behind a Source's pointers.
func showSource(s Source) string {
	v := reflect.ValueOf(s)
	var parts []string
	for i := range v.NumField() {
		f := v.Field(i)
		val := "<nil>"
		if !f.IsNil() {
			val = fmt.Sprintf("%+v", f.Elem().Interface())
			if r, ok := f.Interface().(*Ref); ok {
				val = fmt.Sprintf("{%s %s %s}", deref(r.Type, "<nil>"), deref(r.ID, "<nil>"), deref(r.Name, "<nil>"))
			}
		}
		parts = append(parts, v.Type().Field(i).Name+"="+val)
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

func TestGetSource(t *testing.T) {
	isc := newTestISC(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/sources/v1/2c91808568c529c60168cca6f90c1324" {
			writeJSON(w, http.StatusNotFound, `{"detailCode":"404 Not found","trackingId":"t-404","messages":[{"locale":null,"localeOrigin":"OTHER","text":"The requested source was not found"}]}`)
			return
		}
		writeJSON(w, http.StatusOK, fullSource)
	})
	c := isc.client(t)
	got, err := c.GetSource(t.Context(), "2c91808568c529c60168cca6f90c1324")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, wantFullSource()) {
		t.Errorf("got %s", showSource(got))
	}
	_, err = c.GetSource(t.Context(), "a/b?c")
	if !IsNotFound(err) {
		t.Fatalf("err = %v, want a 404", err)
	}
	e := asError(t, err)
	if e.Op != OpGetSource || e.Target != "/sources/v1/a%2Fb%3Fc" || e.TrackingID != "t-404" || e.Attempts != 1 {
		t.Errorf("got %#v", e)
	}
}

// A 2xx answer that is not what the API publishes is an error naming the call.
func TestDecodeErrorsNameTheCall(t *testing.T) {
	tests := []struct {
		name, body string
		call       func(*Client, *testing.T) error
		wantOp     Op
		wantTarget string
		wantErr    string
	}{
		{"status as null", `null`, func(c *Client, t *testing.T) error { _, err := c.GetSourceUsageStatus(t.Context(), "a"); return err },
			OpUsageStatus, "/source-usages/v1/a/status", "Call: GET /source-usages/v1/a/status; Error: expected an object, got null; Body: null"},
		{"summaries as an object", `{"status":"COMPLETE"}`, func(c *Client, t *testing.T) error {
			_, err := c.ListSourceUsages(t.Context(), "a", UsagesOptions{Sorters: "-date"})
			return err
		}, OpUsageSummaries, "/source-usages/v1/a/summaries?count=true&limit=250&offset=0&sorters=-date", "Error: expected an array, got an object"},
		{"a count that is not a number", `[{"date":"2024-01-01","count":1},{"date":"2024-02-01","count":"many"}]`, func(c *Client, t *testing.T) error {
			_, err := c.ListSourceUsages(t.Context(), "a", UsagesOptions{})
			return err
		}, OpUsageSummaries, "/source-usages/v1/a/summaries?count=true&limit=250&offset=0", `Error: row 1 (date 2024-02-01): count "many" is not a number`},
		{"sources as an object", `{"id":"s1"}`, func(c *Client, t *testing.T) error {
			_, err := c.ListSources(t.Context(), SourcesOptions{})
			return err
		},
			OpListSources, "/sources/v1?count=true&limit=250&offset=0&sorters=id", "Error: expected an array, got an object"},
		{"source as an array", `[]`, func(c *Client, t *testing.T) error { _, err := c.GetSource(t.Context(), "s1"); return err },
			OpGetSource, "/sources/v1/s1", "Error: expected an object, got an array; Body: []"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isc := newTestISC(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, tt.body) })
			err := tt.call(isc.client(t), t)
			checkErr(t, err, tt.wantErr)
			e := asError(t, err)
			if e.Kind != KindDecode || e.Op != tt.wantOp || e.Target != tt.wantTarget || e.Method != http.MethodGet {
				t.Errorf("got %#v", e)
			}
		})
	}
}

// FuzzAPIURL: whatever the id, the path has exactly the segments of the endpoint, the id is one
// of them and decodes back to itself, and nothing in it starts a query or a fragment or climbs
// a directory.
func FuzzAPIURL(f *testing.F) {
	for _, s := range []string{"2c9180835d191a86015d28455b4a2329", "../../v3/sources", "a?b#c", "a%2Fb", "a b", "ключ", ".", "..", "", "%", "a/./b", "\x00", "%2e%2e"} {
		f.Add(s)
	}
	const base = "https://acme.api.identitynow.com"
	clients := map[string]*Client{}
	for _, version := range APIVersions {
		cfg := testConfig(base)
		cfg.APIVersion = version
		c, err := New(cfg)
		if err != nil {
			f.Fatal(err)
		}
		clients[version] = c
	}
	f.Fuzz(func(t *testing.T, id string) {
		if ValidateID(id) != nil {
			if id != "" && id != "." && id != ".." {
				t.Fatalf("%q refused", id)
			}
			return
		}
		for version, c := range clients {
			for _, tail := range [][]string{{"status"}, {"summaries"}, nil} {
				service := "source-usages"
				if tail == nil {
					service = "sources"
				}
				raw := c.apiURL(service, append([]string{id}, tail...)...)
				if strings.ContainsAny(strings.TrimPrefix(raw, base), "?# ") {
					t.Fatalf("%q: URL %q carries a query, fragment or space", id, raw)
				}
				u, err := url.Parse(raw)
				if err != nil {
					t.Fatalf("%q: URL %q does not parse: %v", id, raw, err)
				}
				segs := strings.Split(strings.TrimPrefix(u.EscapedPath(), "/"), "/")
				prefix := []string{version, service} // /{version}/{service}/{id}/...
				if version == VersionV1 {
					prefix = []string{service, "v1"} // /{service}/v1/{id}/...
				}
				if len(segs) != 3+len(tail) || segs[0] != prefix[0] || segs[1] != prefix[1] || (tail != nil && segs[3] != tail[0]) {
					t.Fatalf("%q: path %q has segments %q", id, u.EscapedPath(), segs)
				}
				got, err := url.PathUnescape(segs[2])
				if err != nil || got != id {
					t.Fatalf("%q: id segment %q decodes to %q (%v)", id, segs[2], got, err)
				}
				if segs[2] == "." || segs[2] == ".." {
					t.Fatalf("%q: a dot segment", id)
				}
			}
		}
	})
}

// benchServer answers like a tenant: a token, a status, and the summaries of a source with
// 12 rows ("year") or 300 rows ("long", two pages).
func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	pages := map[string][]byte{
		"/source-usages/v1/year/summaries 0":   summariesRows(0, 12),
		"/source-usages/v1/long/summaries 0":   summariesRows(0, pageSize),
		"/source-usages/v1/long/summaries 250": summariesRows(pageSize, 300),
	}
	totals := map[string]string{"/source-usages/v1/year/summaries": "12", "/source-usages/v1/long/summaries": "300"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		switch {
		case r.URL.Path == "/oauth/token":
			writeJSON(w, http.StatusOK, `{"access_token":"bench-token","token_type":"bearer","expires_in":749}`)
		case strings.HasSuffix(r.URL.Path, "/status"):
			writeJSON(w, http.StatusOK, statusComplete)
		default:
			page, ok := pages[r.URL.Path+" "+q.Get("offset")]
			if !ok {
				writeJSON(w, http.StatusNotFound, `{"detailCode":"404 Not found"}`)
				return
			}
			if q.Get("count") == "true" {
				w.Header().Set("X-Total-Count", totals[r.URL.Path])
			}
			writeJSON(w, http.StatusOK, string(page))
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchClient(b *testing.B, baseURL string) *Client {
	b.Helper()
	cfg := DefaultConfig()
	cfg.BaseURL, cfg.ClientID, cfg.ClientSecret = baseURL, testClientID, testClientSecret
	cfg.RequestsPerSecond = 1e9 // far above any rate a benchmark reaches, so pacing never waits
	c, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkGetSourceUsageStatus(b *testing.B) {
	c := benchClient(b, benchServer(b).URL)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetSourceUsageStatus(ctx, "src-1"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListSourceUsages(b *testing.B) {
	srv := benchServer(b)
	for _, bc := range []struct {
		name, id string
		rows     int
	}{
		{"rows=12", "year", 12},
		{"rows=300", "long", 300}, // two pages
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := benchClient(b, srv.URL)
			ctx := b.Context()
			b.ReportAllocs()
			for b.Loop() {
				rows, err := c.ListSourceUsages(ctx, bc.id, UsagesOptions{})
				if err != nil || len(rows) != bc.rows {
					b.Fatalf("read %d rows, err %v", len(rows), err)
				}
			}
		})
	}
}

// A string literal of the filter grammar escapes exactly " and \, whatever else it holds.
func TestFilterString(t *testing.T) {
	for in, want := range map[string]string{
		`Workday`:      `"Workday"`,
		`Say "hello"`:  `"Say \"hello\""`,
		`C:\Shares\HR`: `"C:\\Shares\\HR"`,
		`\"`:           `"\\\""`,
		`#1 & 100% ✓ `: `"#1 & 100% ✓ "`,
		``:             `""`,
	} {
		if got := FilterString(in); got != want {
			t.Errorf("FilterString(%q) = %s, want %s", in, got, want)
		}
	}
}
