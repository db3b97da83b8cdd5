package fakeisc

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// Test accounts, by the case each stands for.
const (
	acctJdoe      = "2c9180857d3b1a0e017d3b2c4e5f0001" // on srcAD (COMPLETE), correlated, every field, 3 rows unsorted
	acctOrphan    = "2c9180857d3b1a0e017d3b2c4e5f0002" // on srcAD, uncorrelated, machine, no rows
	acctWorkday   = "2c9180857d3b1a0e017d3b2c4e5f0003" // on srcWorkday (INCOMPLETE), with rows that are not served
	acctNoSource  = "2c9180857d3b1a0e017d3b2c4e5f0004" // on a source the tenant lacks, rows not served
	acctBare      = "2c9180857d3b1a0e017d3b2c4e5f0005" // on srcServiceNow, no uncorrelated field, no identity
	acctMany      = "2c9180857d3b1a0e017d3b2c4e5f0006" // on srcSalesforce, 30 daily rows
	acctDeleted   = "2c9180857d3b1a0e017d3b2c4e5f0007" // on srcAD, Deleted
	acctForbidden = "2c9180857d3b1a0e017d3b2c4e5f0008" // on srcAD, Forbidden
)

func testAccounts() []Account {
	jdoe := Account{ID: acctJdoe, Name: "jdoe", NativeIdentity: "CN=John Doe,OU=Users,DC=example,DC=com",
		UUID: "{b0dce506-d6d4-44d2-8a32-d9a5b21fb175}", SourceID: srcAD, IdentityID: "2c9180a46faadee4016fb4e018c2aaaa",
		IdentityName: "John Doe", Locked: true, Uncorrelated: new(false), ManuallyCorrelated: true, HasEntitlements: true,
		Origin: "AGGREGATED", Created: "2023-04-01T08:00:00Z", Modified: "2024-12-01T10:00:00.5Z",
		Attributes: map[string]any{"displayName": "John Doe", "memberOf": []string{"CN=Staff", "CN=VPN"}, "logonCount": 12},
		Usages:     []Usage{Row("2024-02-01", "20"), Row("2024-01-01", "18"), Row("2024-03-01", "0")}}
	orphan := Account{ID: acctOrphan, Name: "svc-backup", NativeIdentity: "svc-backup", SourceID: srcAD, Uncorrelated: new(true),
		IsMachine: true, Origin: "PROVISIONED", Created: "2022-01-01T00:00:00Z"}
	workday := Account{ID: acctWorkday, Name: "100234", NativeIdentity: "100234", SourceID: srcWorkday,
		IdentityID: "2c9180a46faadee4016fb4e018c2aaaa", IdentityName: "John Doe", Uncorrelated: new(false), Disabled: true,
		Usages: []Usage{Row("2024-01-01", "3")}}
	many := Account{ID: acctMany, Name: "a.kowalski@example.com", NativeIdentity: "005A", SourceID: srcSalesforce,
		IdentityID: "2c9180a46faadee4016fb4e018c2bbbb", IdentityName: "Anna Kowalski", Uncorrelated: new(false)}
	for day := range 30 {
		many.Usages = append(many.Usages, Row(fmt.Sprintf("2024-01-%02d", day+1), "1"))
	}
	return []Account{jdoe, orphan, workday, many,
		{ID: acctNoSource, Name: "lost", NativeIdentity: "lost", SourceID: "gone", Uncorrelated: new(true), Usages: []Usage{Row("2024-01-01", "1")}},
		{ID: acctBare, Name: "Bare", NativeIdentity: "bare", SourceID: srcServiceNow},
		{ID: acctDeleted, Name: "old.user", NativeIdentity: "old.user", SourceID: srcAD, Uncorrelated: new(true), Deleted: true},
		{ID: acctForbidden, Name: "secret", NativeIdentity: "secret", SourceID: srcAD, Uncorrelated: new(true), Forbidden: true},
	}
}

func TestListAccounts(t *testing.T) {
	tenant := New(WithSources(testSources()...), WithAccounts(testAccounts()...))
	token := tenant.IssueToken(DefaultClientID, 0)
	tests := []listCase{
		// Id order, without the forbidden account; the deleted one still shows.
		{"?count=true", "jdoe,svc-backup,100234,lost,Bare,a.kowalski@example.com,old.user", "7"},
		{"?sorters=name", "100234,a.kowalski@example.com,Bare,jdoe,lost,old.user,svc-backup", ""},
		{"?sorters=-source.displayableName,name", "lost,100234,Bare,a.kowalski@example.com,jdoe,old.user,svc-backup", ""}, // absent first, as descending
		{"?sorters=identity.name,-id&limit=3&offset=1", "100234,jdoe,old.user", ""},
		{"?sorters=source.authoritative,identity.correlated", "jdoe,svc-backup,old.user,100234,a.kowalski@example.com,lost,Bare", ""},
		{"?filters=" + query(`sourceId eq "`+srcAD+`"`) + "&count=true&limit=1", "jdoe", "3"},
		{"?filters=" + query(`uncorrelated eq true`), "svc-backup,lost,old.user", ""},
		{"?filters=" + query(`uncorrelated eq false`), "jdoe,100234,a.kowalski@example.com", ""},
		{"?filters=" + query(`identity.correlated eq true and not manuallyCorrelated eq true`), "100234,a.kowalski@example.com", ""},
		{"?filters=" + query(`name sw "A." or nativeIdentity in ("bare", "LOST")`), "lost,Bare,a.kowalski@example.com", ""},
		{"?filters=" + query(`identity.name eq "john doe"`), "jdoe,100234", ""},
		{"?filters=" + query(`source.displayableName in ("Workday","ServiceNow")`), "100234,Bare", ""},
		{"?filters=" + query(`source.authoritative eq true or source.connectionType eq "direct"`), "jdoe,svc-backup,100234,old.user", ""},
		{"?filters=" + query(`origin in ("PROVISIONED") or hasEntitlements eq true`), "jdoe,svc-backup", ""},
		{"?filters=" + query(`entitlements eq true`), "jdoe", ""},
		{"?filters=" + query(`created ge 2023-01-01T00:00:00Z and created lt 2024-01-01T00:00:00+01:00`), "jdoe", ""},
		{"?filters=" + query(`modified gt 2024-12-01T10:00:00Z`), "jdoe", ""},
		{"?filters=" + query(`recommendation.method isnull and id sw "2C9180857D3B1A0E017D3B2C4E5F000"`) + "&limit=2", "jdoe,svc-backup", ""},
		{"?filters=" + query(`identity.identityState eq "ACTIVE"`), "", ""},
		{"?offset=7&count=true", "", "7"},
	}
	checkLists(t, tenant, token, OpListAccounts, tests)
}

func TestListAccountsBadParameters(t *testing.T) {
	tenant := New(WithSources(testSources()...), WithAccounts(testAccounts()...))
	token := tenant.IssueToken(DefaultClientID, 0)
	tests := []badRequestCase{
		{"?filters=" + query(`disabled eq true`), "Filtering is not supported for field 'disabled'."},
		{"?filters=" + query(`locked eq false`), "Filtering is not supported for field 'locked'."},
		{"?filters=" + query(`uuid eq "x"`), "Filtering is not supported for field 'uuid'."},
		{"?filters=" + query(`name co "x"`), "Filter operator 'co' is not supported for field 'name'. Supported operators: eq in sw."},
		{"?filters=" + query(`created ne 2024-01-01T00:00:00Z`), "Filter operator 'ne' is not supported for field 'created'."},
		{"?filters=" + query(`uncorrelated eq "true"`), "Invalid value true for field 'uncorrelated'."},
		{"?filters=" + query(`origin eq true`), "Invalid value true for field 'origin'."},
		{"?filters=" + query(`name eq "x`), "Invalid filter"},
		{"?sorters=disabled", "Sort field 'disabled' is not supported. Supported fields: id, name, created,"},
		{"?sorters=name,type", "Sort field 'type' is not supported."},
		{"?detailLevel=slim", "Invalid value 'slim' for query parameter 'detailLevel': must be SLIM or FULL."},
		{"?detailLevel=", "Invalid value '' for query parameter 'detailLevel'"},
		{"?limit=x", "'limit'"},
		{"?count=maybe", "'count'"},
	}
	checkBadRequests(t, tenant, token, apiPath("v1", OpListAccounts, ""), tests)
}

// jdoeFull is the exact FULL answer for acctJdoe; jdoeSlim the SLIM one.
const (
	jdoeCommon = `"id":"2c9180857d3b1a0e017d3b2c4e5f0001","name":"jdoe","nativeIdentity":"CN=John Doe,OU=Users,DC=example,DC=com",` +
		`"uuid":"{b0dce506-d6d4-44d2-8a32-d9a5b21fb175}","sourceId":"2c9180835d191a86015d28455b4a2329",` +
		`"identityId":"2c9180a46faadee4016fb4e018c2aaaa","disabled":false,"locked":true,"uncorrelated":false,` +
		`"manuallyCorrelated":true,"hasEntitlements":true,"isMachine":false,"systemAccount":false,"origin":"AGGREGATED",` +
		`"created":"2023-04-01T08:00:00Z","modified":"2024-12-01T10:00:00.5Z",`
	jdoeSource = `"sourceName":"Active Directory","authoritative":false,` +
		`"identity":{"type":"IDENTITY","id":"2c9180a46faadee4016fb4e018c2aaaa","name":"John Doe"}`
	jdoeFull = `{` + jdoeCommon + `"attributes":{"displayName":"John Doe","logonCount":12,"memberOf":["CN=Staff","CN=VPN"]},` +
		jdoeSource + `,"connectionType":"direct",` +
		`"sourceOwner":{"type":"IDENTITY","id":"2c9180a46faadee4016fb4e018c20639","name":"Dana Whitfield"},"features":"AUTHENTICATE,SEARCH"}`
	jdoeSlim = `{` + jdoeCommon + `"attributes":null,` + jdoeSource + `}`
)

func TestAccountDetailLevels(t *testing.T) {
	tenant := New(WithSources(testSources()...), WithAccounts(testAccounts()...))
	token := tenant.IssueToken(DefaultClientID, 0)
	filter := "&filters=" + query(`id eq "`+acctJdoe+`"`)
	for query, want := range map[string]string{
		"?detailLevel=FULL" + filter: "[" + jdoeFull + "]",
		"?" + filter:                 "[" + jdoeFull + "]",
		"?detailLevel=SLIM" + filter: "[" + jdoeSlim + "]",
	} {
		if w := get(t, tenant, token, apiPath("v2024", OpListAccounts, "")+query); w.Code != 200 || w.Body.String() != want {
			t.Errorf("%s: %d\n%s\nwant\n%s", query, w.Code, w.Body, want)
		}
	}
	// Without an identity, a source or an uncorrelated field, those members are left out
	// or null.
	for id, want := range map[string]string{
		acctBare: `{"id":"2c9180857d3b1a0e017d3b2c4e5f0005","name":"Bare","nativeIdentity":"bare","sourceId":"2c9180877a9e3c5f017aa1b2c3d4e5f6",` +
			`"disabled":false,"locked":false,"manuallyCorrelated":false,"hasEntitlements":false,"isMachine":false,"systemAccount":false,` +
			`"attributes":null,"sourceName":"ServiceNow","authoritative":false,` +
			`"sourceOwner":{"type":"IDENTITY","id":"2c9180a46faadee4016fb4e018c20639","name":"Dana Whitfield"}}`,
		acctNoSource: `{"id":"2c9180857d3b1a0e017d3b2c4e5f0004","name":"lost","nativeIdentity":"lost","sourceId":"gone",` +
			`"disabled":false,"locked":false,"uncorrelated":true,"manuallyCorrelated":false,"hasEntitlements":false,"isMachine":false,` +
			`"systemAccount":false,"attributes":null,"sourceName":null,"authoritative":false}`,
	} {
		if w := get(t, tenant, token, apiPath("v3", OpGetAccount, id)); w.Body.String() != want {
			t.Errorf("%s:\n%s\nwant\n%s", id, w.Body, want)
		}
	}
}

func TestGetAccount(t *testing.T) {
	tenant := New(WithSources(testSources()...), WithAccounts(testAccounts()...), WithAccounts(Account{ID: "a/b?c", Name: "odd id"}))
	token := tenant.IssueToken(DefaultClientID, 0)
	tests := []struct {
		id       string
		wantCode int
		wantBody string // exact for 200, the error text otherwise
	}{
		{acctJdoe, 200, jdoeFull},
		{"a/b?c", 200, `{"id":"a/b?c","name":"odd id","nativeIdentity":"","sourceId":"","disabled":false,"locked":false,` +
			`"manuallyCorrelated":false,"hasEntitlements":false,"isMachine":false,"systemAccount":false,"attributes":null,` +
			`"sourceName":null,"authoritative":false}`},
		{"missing", 404, "The requested account was not found: missing"},
		{acctDeleted, 404, "The requested account was not found: " + acctDeleted},
		{acctForbidden, 403, textForbidden},
		{srcAD, 404, "The requested account was not found: " + srcAD}, // a source id is not an account id
	}
	for _, tt := range tests {
		for _, version := range versions {
			t.Run(version+"/"+tt.id, func(t *testing.T) {
				// The get has no detail level: the parameter changes nothing.
				checkAnswer(t, get(t, tenant, token, apiPath(version, OpGetAccount, tt.id)+"?detailLevel=SLIM"), tt.wantCode, tt.wantBody)
				if e := lastRequest(t, tenant); e.Op != OpGetAccount || e.AccountID != tt.id || e.SourceID != "" || e.Version != version {
					t.Errorf("log entry = %+v", e)
				}
			})
		}
	}
}

func TestAccountUsages(t *testing.T) {
	tenant := New(WithSources(testSources()...), WithAccounts(testAccounts()...))
	token := tenant.IssueToken(DefaultClientID, 0)
	tests := []struct {
		id, query  string
		wantCode   int
		wantBody   string // exact for 200, the error text otherwise
		wantHeader string
	}{
		{acctJdoe, "", 200, `[{"date":"2024-02-01","count":20},{"date":"2024-01-01","count":18},{"date":"2024-03-01","count":0}]`, ""},
		{acctJdoe, "?sorters=date&count=true", 200, `[{"date":"2024-01-01","count":18},{"date":"2024-02-01","count":20},{"date":"2024-03-01","count":0}]`, "3"},
		{acctJdoe, "?sorters=-date&limit=1&offset=1", 200, `[{"date":"2024-02-01","count":20}]`, ""},
		{acctMany, "?offset=28&count=true", 200, `[{"date":"2024-01-29","count":1},{"date":"2024-01-30","count":1}]`, "30"},
		{acctOrphan, "?count=true", 200, `[]`, "0"},
		// The source's usage status is not COMPLETE, or the source is unknown: no usage.
		{acctWorkday, "?count=true", 200, `[]`, "0"},
		{acctNoSource, "", 200, `[]`, ""},
		{acctWorkday, "?sorters=count", 400, "Sort field 'count' is not supported. Supported fields: date", ""},
		{acctJdoe, "?filters=" + query(`date eq "x"`) + "&limit=-1", 400, "'limit'", ""},
		{"missing", "", 404, "The requested account was not found: missing", ""},
		{acctDeleted, "", 404, "The requested account was not found: " + acctDeleted, ""},
		{acctForbidden, "?limit=bad", 403, textForbidden, ""},
	}
	for _, tt := range tests {
		for _, version := range versions {
			t.Run(version+"/"+tt.id+tt.query, func(t *testing.T) {
				w := get(t, tenant, token, apiPath(version, OpAccountUsages, tt.id)+tt.query)
				checkAnswer(t, w, tt.wantCode, tt.wantBody)
				if got := w.Header().Get(headerTotalCount); got != tt.wantHeader {
					t.Errorf("X-Total-Count = %q, want %q", got, tt.wantHeader)
				}
				if e := lastRequest(t, tenant); e.Op != OpAccountUsages || e.AccountID != tt.id || e.Version != version {
					t.Errorf("log entry = %+v", e)
				}
			})
		}
	}
}

func TestAccountFaults(t *testing.T) {
	type step struct {
		op, id, query string
		wantCode      int
	}
	tests := []struct {
		name  string
		fault Fault
		steps []step
	}{
		{"by account: get and usage calls, never the list", ServerError(500).WithAccount(acctJdoe), []step{
			{OpGetAccount, acctJdoe, "", 500}, {OpAccountUsages, acctJdoe, "", 500}, {OpListAccounts, "", "", 200},
			{OpGetAccount, acctOrphan, "", 200}, {OpGetSource, srcAD, "", 200},
		}},
		{"by source: never an account call", ServerError(500).WithSource(srcAD), []step{
			{OpGetAccount, acctJdoe, "", 200}, {OpListAccounts, "", "", 200}, {OpGetSource, srcAD, "", 500},
		}},
		{"by op", TooManyRequests("2").WithOp(OpAccountUsages), []step{
			{OpGetAccount, acctJdoe, "", 200}, {OpAccountUsages, acctJdoe, "", 429}, {OpSummaries, srcAD, "", 200},
		}},
		{"by offset: a page of the list", ErrorDto(400, detailBadRequest, "bad").WithOp(OpListAccounts).WithOffset(2), []step{
			{OpListAccounts, "", "?limit=2", 200}, {OpListAccounts, "", "?limit=2&offset=2", 400}, {OpAccountUsages, acctMany, "?offset=2", 200},
		}},
		{"by offset: a page of account usages", ServerError(503).WithOffset(10).Once(), []step{
			{OpAccountUsages, acctMany, "?limit=10", 200}, {OpGetAccount, acctJdoe, "?offset=10", 200},
			{OpAccountUsages, acctMany, "?limit=10&offset=10", 503}, {OpAccountUsages, acctMany, "?limit=10&offset=10", 200},
		}},
		{"after, on every account op", ServerError(500).WithAfter(2).WithTimes(3), []step{
			{OpListAccounts, "", "", 200}, {OpGetAccount, acctJdoe, "", 200},
			{OpAccountUsages, acctJdoe, "", 500}, {OpListAccounts, "", "", 500}, {OpGetAccount, acctBare, "", 500}, {OpGetAccount, acctBare, "", 200},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tenant := New(WithSources(testSources()...), WithAccounts(testAccounts()...))
			tenant.Inject(tt.fault)
			token := tenant.IssueToken(DefaultClientID, 0)
			for i, s := range tt.steps {
				if w := get(t, tenant, token, apiPath("beta", s.op, s.id)+s.query); w.Code != s.wantCode {
					t.Errorf("step %d (%s %s%s): %d, want %d", i, s.op, s.id, s.query, w.Code, s.wantCode)
				}
			}
		})
	}

	// Broken bodies have the shape of the account operations.
	for op, want := range map[string]string{
		OpListAccounts: `[{"id":"2c91808b","name":`, OpGetAccount: `{"id":"2c91808b","name":`, OpAccountUsages: `[{"date":`,
	} {
		tenant := New(WithAccounts(testAccounts()...))
		tenant.Inject(MalformedJSON())
		if w := get(t, tenant, tenant.IssueToken(DefaultClientID, 0), apiPath("v1", op, acctJdoe)); w.Code != 200 || w.Body.String() != want {
			t.Errorf("malformed %s: %d %s, want 200 %s", op, w.Code, w.Body, want)
		}
	}
}

func TestPutAccountCopiesItsInput(t *testing.T) {
	memberOf := []any{"CN=Staff"}
	a := Account{ID: "a", SourceID: srcAD, Uncorrelated: new(true), Attributes: map[string]any{"memberOf": memberOf, "n": json.Number("1.50")},
		Usages: []Usage{Row("2024-01-01", "3").WithExtra("k", `"v"`)}}
	tenant := New(WithSources(testSources()...))
	tenant.PutAccount(a)
	memberOf[0], *a.Uncorrelated, a.Usages[0].Count, a.Usages[0].Extra["k"][1] = "changed", false, "9", 'X'
	a.Attributes["new"] = 1

	token := tenant.IssueToken(DefaultClientID, 0)
	body := get(t, tenant, token, apiPath("v3", OpGetAccount, "a")).Body.Bytes()
	if got := decodeJSON[map[string]json.RawMessage](t, body); string(got["attributes"]) != `{"memberOf":["CN=Staff"],"n":1.50}` ||
		string(got["uncorrelated"]) != "true" {
		t.Errorf("the tenant shares memory with its caller: %s", body)
	}
	if body := get(t, tenant, token, apiPath("v3", OpAccountUsages, "a")).Body.String(); body != `[{"date":"2024-01-01","count":3,"k":"v"}]` {
		t.Errorf("usage body = %s", body)
	}
	// An attribute that is not JSON cannot be sent: the answer says so in the spec's shape.
	tenant.PutAccount(Account{ID: "bad", Attributes: map[string]any{"f": func() {}}})
	if w := get(t, tenant, token, apiPath("v3", OpGetAccount, "bad")); w.Code != http.StatusInternalServerError {
		t.Errorf("unencodable attribute: %d %s", w.Code, w.Body)
	}
}
