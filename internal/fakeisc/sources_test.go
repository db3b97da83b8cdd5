package fakeisc

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// names returns the names of a list answer (sources or accounts), in order.
func names(t *testing.T, body []byte) string {
	t.Helper()
	var out []string
	for _, s := range decodeJSON[[]struct{ Name string }](t, body) {
		out = append(out, s.Name)
	}
	return strings.Join(out, ",")
}

func TestListSources(t *testing.T) {
	tenant := New(WithSources(testSources()...),
		WithSources(Source{ID: "0-forbidden", Name: "Forbidden", Forbidden: true}, Source{ID: "1-deleted", Name: "Deleted", Deleted: true}))
	token := tenant.IssueToken(DefaultClientID, 0)

	tests := []listCase{
		// Id order, without the forbidden and IdentityNow sources; a deleted one still shows.
		{"", "Deleted,Active Directory,ServiceNow,Workday,Salesforce", ""},
		{"?includeIDNSource=true", "Deleted,Active Directory,ServiceNow,IdentityNow,Workday,Salesforce", ""},
		{"?includeIDNSource=false&count=true", "Deleted,Active Directory,ServiceNow,Workday,Salesforce", "5"},
		{"?sorters=name", "Active Directory,Deleted,Salesforce,ServiceNow,Workday", ""},
		{"?sorters=-name", "Workday,ServiceNow,Salesforce,Deleted,Active Directory", ""},
		// Absent values sort last ascending; ties keep id order.
		{"?sorters=authoritative,name", "Active Directory,Workday,Deleted,Salesforce,ServiceNow", ""},
		{"?sorters=-authoritative", "Deleted,ServiceNow,Salesforce,Workday,Active Directory", ""},
		{"?sorters=owner.name,-type", "Workday,ServiceNow,Salesforce,Active Directory,Deleted", ""},
		{"?sorters=managerCorrelationRule.name", "Deleted,Active Directory,ServiceNow,Workday,Salesforce", ""},
		{"?sorters=name&limit=2&offset=1&count=true", "Deleted,Salesforce", "5"},
		{"?offset=5", "", ""},
		{"?filters=" + query(`type eq "workday" or name sw "Serv"`) + "&count=true", "ServiceNow,Workday", "2"},
		{"?filters=" + query(`type eq "IdentityNowConnector"`) + "&includeIDNSource=true", "IdentityNow", ""},
		{"?filters=" + query(`type eq "IdentityNowConnector"`), "", ""},
		{"?for-subadmin=me&sorters=name&limit=1", "Active Directory", ""},
	}
	checkLists(t, tenant, token, OpListSources, tests)
}

// listCase is a list call's query, and the names its answer must list, in order, and its
// X-Total-Count ("": absent).
type listCase struct{ query, want, wantHeader string }

// checkLists makes the list calls of op and checks their answers.
func checkLists(t *testing.T, tenant *Tenant, token, op string, tests []listCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			w := get(t, tenant, token, apiPath("v3", op, "")+tt.query)
			if w.Code != 200 {
				t.Fatalf("status = %d; body %s", w.Code, w.Body)
			}
			if got := names(t, w.Body.Bytes()); got != tt.want {
				t.Errorf("names = %s\nwant      %s", got, tt.want)
			}
			if tt.want == "" && w.Body.String() != "[]" {
				t.Errorf("empty page = %s, want []", w.Body)
			}
			h, present := w.Header()[http.CanonicalHeaderKey(headerTotalCount)]
			if tt.wantHeader == "" && present || tt.wantHeader != "" && (len(h) != 1 || h[0] != tt.wantHeader) {
				t.Errorf("X-Total-Count = %v, want %q", h, tt.wantHeader)
			}
		})
	}
}

// query escapes a filter for a query string.
func query(filter string) string {
	return strings.NewReplacer(" ", "%20", `"`, "%22", "#", "%23", "&", "%26", "+", "%2B").Replace(filter)
}

func TestListSourcesBadParameters(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	token := tenant.IssueToken(DefaultClientID, 0)
	tests := []badRequestCase{
		{"?sorters=nme", "Sort field 'nme' is not supported. Supported fields: type, created, modified, name,"},
		{"?sorters=features", "Sort field 'features' is not supported."},
		{"?includeIDNSource=yes", "Invalid value 'yes' for query parameter 'includeIDNSource'"},
		{"?limit=-1", "'limit'"},
		{"?filters=" + query(`nme eq "x"`), "Filtering is not supported for field 'nme'."},
		{"?filters=" + query(`name eq "x`), "Invalid filter"},
	}
	checkBadRequests(t, tenant, token, apiPath("beta", OpListSources, ""), tests)
}

// More than one page of sources, read with every version form: every source exactly once.
func TestListSourcesPages(t *testing.T) {
	tenant := New(WithGeneratedSources(600))
	token := tenant.IssueToken(DefaultClientID, 0)
	for _, version := range versions {
		seen := map[string]bool{}
		for offset := 0; ; offset += maxLimit {
			w := get(t, tenant, token, apiPath(version, OpListSources, "")+"?sorters=name&count=true&offset="+strconv.Itoa(offset))
			page := decodeJSON[[]Source](t, w.Body.Bytes())
			if w.Code != 200 || w.Header().Get(headerTotalCount) != "600" {
				t.Fatalf("%s offset %d: %d, X-Total-Count %q", version, offset, w.Code, w.Header().Get(headerTotalCount))
			}
			for i, s := range page {
				if want := "Generated Source " + leftPad(offset+i); s.Name != want || seen[s.ID] {
					t.Fatalf("%s offset %d row %d: %s, want %s once", version, offset, i, s.Name, want)
				}
				seen[s.ID] = true
			}
			if len(page) < maxLimit {
				break
			}
		}
		if len(seen) != 600 {
			t.Errorf("%s: %d sources, want 600", version, len(seen))
		}
	}
}

func leftPad(n int) string {
	return strings.Repeat("0", 4-len(strconv.Itoa(n))) + strconv.Itoa(n)
}

func TestGetSource(t *testing.T) {
	tenant := New(WithSources(testSources()...), WithSources(
		Source{ID: "a/b?c", Name: "odd id"},
		Source{ID: "hidden", Name: "hidden", Forbidden: true},
		Source{ID: "gone", Name: "gone", Deleted: true}))
	token := tenant.IssueToken(DefaultClientID, 0)
	tests := []struct {
		id       string
		wantCode int
		wantBody string // exact for 200, the error text otherwise
	}{
		{srcAD, 200, `{"id":"2c9180835d191a86015d28455b4a2329","name":"Active Directory","description":"Employee accounts",` +
			`"owner":{"type":"IDENTITY","id":"2c9180a46faadee4016fb4e018c20639","name":"Dana Whitfield"},` +
			`"cluster":{"type":"CLUSTER","id":"2c9180866166b5b0016167c32ef31a66","name":"Corporate Cluster"},` +
			`"features":["AUTHENTICATE","SEARCH"],"type":"Active Directory","connector":"active-directory","authoritative":false,` +
			`"managementWorkgroup":{"type":"GOVERNANCE_GROUP","id":"2c91808568c529c60168cca6f90c2222","name":"Admins"},` +
			`"healthy":true,"status":"SOURCE_STATE_HEALTHY","since":"2024-12-31T23:45:00.123Z","connectorName":"Active Directory",` +
			`"connectionType":"direct","created":"2023-03-01T09:30:00Z","modified":"2024-11-15T14:05:27.5Z","category":"CredentialProvider"}`},
		{"a/b?c", 200, `{"id":"a/b?c","name":"odd id"}`},
		{srcIDN, 200, `{"id":"2c91808a7b1c2d3e4f5a6b7c8d9e0f1a","name":"IdentityNow",` +
			`"owner":{"type":"IDENTITY","id":"2c9180a46faadee4016fb4e018c20639","name":"Dana Whitfield"},"type":"IdentityNowConnector","connector":"identitynow"}`},
		{"missing", 404, "The requested source was not found: missing"},
		{"gone", 404, "The requested source was not found: gone"},
		{"hidden", 403, textForbidden},
	}
	for _, tt := range tests {
		for _, version := range versions {
			t.Run(version+"/"+tt.id, func(t *testing.T) {
				checkAnswer(t, get(t, tenant, token, apiPath(version, OpGetSource, tt.id)), tt.wantCode, tt.wantBody)
				if e := lastRequest(t, tenant); e.Op != OpGetSource || e.SourceID != tt.id || e.Version != version {
					t.Errorf("log entry = %+v", e)
				}
			})
		}
	}
	// A deleted source's usage calls answer 404 too.
	if w := get(t, tenant, token, apiPath("v3", OpStatus, "gone")); w.Code != 404 {
		t.Errorf("status of a deleted source: %d, want 404", w.Code)
	}
}

func TestSourceSubadmin(t *testing.T) {
	tenant := New(WithSources(testSources()...), WithSourceSubadmin("sub", "sub-secret"))
	tokenResponse := decodeJSON[tokenResponse](t, postToken(t, tenant, "/oauth/token",
		"grant_type=client_credentials&client_id=sub&client_secret=sub-secret").Body.Bytes())
	sub, admin := tokenResponse.AccessToken, tenant.IssueToken(DefaultClientID, 0)
	tests := []struct {
		name, token, query string
		wantCode           int
	}{
		{"sub-admin without for-subadmin", sub, "", 403},
		{"sub-admin with an empty for-subadmin", sub, "?for-subadmin=", 403},
		{"sub-admin for me", sub, "?for-subadmin=me", 200},
		{"sub-admin for an identity", sub, "?for-subadmin=2c9180a46faadee4016fb4e018c20639", 200},
		{"admin", admin, "", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(t, tenant, tt.token, apiPath("v1", OpListSources, "")+tt.query)
			if w.Code != tt.wantCode {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantCode, w.Body)
			}
			if tt.wantCode == 403 {
				checkErrorDto(t, w.Body.Bytes(), detailForbidden, "for-subadmin")
			} else if got := names(t, w.Body.Bytes()); got != "Active Directory,ServiceNow,Workday,Salesforce" {
				t.Errorf("names = %s", got)
			}
		})
	}
	// A sub-admin reads a source by id, and its usage, like anyone.
	if w := get(t, tenant, sub, apiPath("v3", OpGetSource, srcAD)); w.Code != 200 {
		t.Errorf("get by a sub-admin: %d", w.Code)
	}
}

func TestPutSourceCopiesTheSourcesAPIFields(t *testing.T) {
	src := Source{ID: "s", Name: "n", Owner: &Ref{Name: "a"}, Healthy: new(true), Features: []string{"SEARCH"}}
	tenant := New(WithSources(src))
	src.Owner.Name, *src.Healthy, src.Features[0] = "changed", false, "changed"
	body := get(t, tenant, tenant.IssueToken(DefaultClientID, 0), apiPath("v3", OpGetSource, "s")).Body.Bytes()
	if got := decodeJSON[map[string]json.RawMessage](t, body); string(got["owner"]) != `{"name":"a"}` ||
		string(got["healthy"]) != "true" || string(got["features"]) != `["SEARCH"]` {
		t.Errorf("the tenant shares memory with its caller: %s", body)
	}
}
