package fakeisc

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// specFiles are the official specs, each with the version whose server URL it
// describes. The versions without a spec of their own (v2024, v2025, v2026 and the
// per-service v1) serve the same operations (shared/api/NOTES.md), so they are checked
// against the v3 specs.
var specFiles = map[string]string{
	"source-usages.v3.openapi.json":   "v3",
	"source-usages.beta.openapi.json": "beta",
	"sources.v3.openapi.json":         "v3",
	"accounts.v3.openapi.json":        "v3",
	"account-usages.v3.openapi.json":  "v3",
}

// specFor returns the spec file an operation served in version is validated against, and
// that spec's version.
func specFor(version, op string) (file, specVersion string) {
	switch {
	case op == OpListSources || op == OpGetSource:
		return "sources.v3.openapi.json", "v3"
	case op == OpListAccounts || op == OpGetAccount:
		return "accounts.v3.openapi.json", "v3"
	case op == OpAccountUsages:
		return "account-usages.v3.openapi.json", "v3"
	case version == "beta":
		return "source-usages.beta.openapi.json", "beta"
	}
	return "source-usages.v3.openapi.json", "v3"
}

// loadSpec loads and validates one spec, and returns it with a router whose only server
// is baseURL/{its version}, so requests to the fake match its operations.
func loadSpec(t *testing.T, file, baseURL string) (*openapi3.T, routers.Router) {
	t.Helper()
	ctx := context.Background()
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join("testdata", "openapi", file))
	if err != nil {
		t.Fatalf("load %s: %v", file, err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("%s is invalid: %v", file, err)
	}
	doc.Servers = openapi3.Servers{{URL: baseURL + "/" + specFiles[file]}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("router for %s: %v", file, err)
	}
	return doc, router
}

// conformanceCase is one kind of answer to validate.
type conformanceCase struct {
	name     string
	op       string
	id       string // of the source or the account the call names
	query    string
	noToken  bool
	subadmin bool          // call as a SOURCE_SUBADMIN
	setup    func(*Tenant) // run on the freshly Reset tenant before the request
	fill     bool          // make one call first, to fill the token's rate window
	wantCode int
}

func conformanceCases() []conformanceCase {
	return []conformanceCase{
		{name: "status COMPLETE", op: OpStatus, id: srcAD, wantCode: 200},
		{name: "status INCOMPLETE", op: OpStatus, id: srcWorkday, wantCode: 200},
		{name: "summaries empty", op: OpSummaries, id: srcWorkday, wantCode: 200},
		{name: "summaries 12 rows", op: OpSummaries, id: srcAD, query: "?count=true", wantCode: 200},
		{name: "summaries first page", op: OpSummaries, id: srcSalesforce, query: "?count=true", wantCode: 200},
		{name: "summaries second page", op: OpSummaries, id: srcSalesforce, query: "?offset=250&limit=250", wantCode: 200},
		{name: "summaries sorted", op: OpSummaries, id: srcServiceNow, query: "?sorters=-date", wantCode: 200},
		{name: "summaries sorted ascending", op: OpSummaries, id: srcSalesforce, query: "?sorters=date&limit=20", wantCode: 200},
		{name: "400 bad sorter", op: OpSummaries, id: srcAD, query: "?sorters=count", wantCode: 400},
		{name: "400 bad limit", op: OpSummaries, id: srcAD, query: "?limit=-1", wantCode: 400},
		{name: "401 status", op: OpStatus, id: srcAD, noToken: true, wantCode: 401},
		{name: "401 summaries", op: OpSummaries, id: srcAD, noToken: true, wantCode: 401},
		{name: "403 status", op: OpStatus, id: "forbidden", wantCode: 403},
		{name: "403 summaries", op: OpSummaries, id: "forbidden", wantCode: 403},
		{name: "404 status", op: OpStatus, id: "2c91808a000000000000000000000000", wantCode: 404},
		{name: "404 summaries", op: OpSummaries, id: "2c91808a000000000000000000000000", wantCode: 404},
		{name: "429 rate limiter", op: OpSummaries, id: srcAD, wantCode: 429, fill: true},
		{name: "429 fault", op: OpStatus, id: srcAD, wantCode: 429,
			setup: func(tn *Tenant) { tn.Inject(TooManyRequests("1")) }},
		{name: "500 status", op: OpStatus, id: srcAD, wantCode: 500,
			setup: func(tn *Tenant) { tn.Inject(ServerError(500)) }},
		{name: "500 summaries", op: OpSummaries, id: srcAD, wantCode: 500,
			setup: func(tn *Tenant) { tn.Inject(ServerError(500)) }},
		{name: "400 fault", op: OpSummaries, id: srcAD, wantCode: 400,
			setup: func(tn *Tenant) { tn.Inject(ErrorDto(400, detailBadRequest, "bad")) }},
		{name: "list", op: OpListSources, query: "?count=true&sorters=-name", wantCode: 200},
		{name: "list with the IdentityNow source, paged", op: OpListSources, query: "?includeIDNSource=true&limit=2&offset=3", wantCode: 200},
		{name: "list filtered", op: OpListSources, query: "?filters=" + query(`type in ("Workday","Salesforce") and not authoritative eq true`), wantCode: 200},
		{name: "list empty", op: OpListSources, query: "?filters=" + query(`name eq "none"`), wantCode: 200},
		{name: "list as a sub-admin", op: OpListSources, query: "?for-subadmin=me", subadmin: true, wantCode: 200},
		{name: "get", op: OpGetSource, id: srcAD, wantCode: 200},
		{name: "get with few fields", op: OpGetSource, id: srcWorkday, wantCode: 200},
		{name: "400 bad filter", op: OpListSources, query: "?filters=" + query(`type co "x"`), wantCode: 400},
		{name: "400 filter syntax", op: OpListSources, query: "?filters=" + query(`name eq`), wantCode: 400},
		{name: "400 bad source sorter", op: OpListSources, query: "?sorters=size", wantCode: 400},
		{name: "401 list", op: OpListSources, noToken: true, wantCode: 401},
		{name: "403 sub-admin", op: OpListSources, subadmin: true, wantCode: 403},
		{name: "403 get", op: OpGetSource, id: "forbidden", wantCode: 403},
		{name: "404 get", op: OpGetSource, id: "2c91808a000000000000000000000000", wantCode: 404},
		{name: "429 list", op: OpListSources, fill: true, wantCode: 429},
		{name: "500 list", op: OpListSources, wantCode: 500, setup: func(tn *Tenant) { tn.Inject(ServerError(500)) }},

		{name: "accounts SLIM", op: OpListAccounts, query: "?detailLevel=SLIM&count=true", wantCode: 200},
		{name: "accounts FULL", op: OpListAccounts, query: "?detailLevel=FULL&sorters=-name,id", wantCode: 200},
		{name: "accounts by default", op: OpListAccounts, query: "?limit=2&offset=1", wantCode: 200},
		{name: "accounts filtered", op: OpListAccounts, wantCode: 200,
			query: "?detailLevel=SLIM&filters=" + query(`sourceId in ("`+srcAD+`","`+srcWorkday+`") and uncorrelated eq false`)},
		{name: "accounts uncorrelated", op: OpListAccounts, query: "?filters=" + query(`uncorrelated eq true`), wantCode: 200},
		{name: "accounts empty", op: OpListAccounts, query: "?filters=" + query(`name eq "none"`), wantCode: 200},
		{name: "get account", op: OpGetAccount, id: acctJdoe, wantCode: 200},
		{name: "get uncorrelated account", op: OpGetAccount, id: acctOrphan, wantCode: 200},
		{name: "get account of an unknown source", op: OpGetAccount, id: acctNoSource, wantCode: 200},
		{name: "account usages", op: OpAccountUsages, id: acctJdoe, query: "?sorters=-date&count=true", wantCode: 200},
		{name: "account usages of an INCOMPLETE source", op: OpAccountUsages, id: acctWorkday, wantCode: 200},
		{name: "account usages paged", op: OpAccountUsages, id: acctMany, query: "?offset=10&limit=5", wantCode: 200},
		{name: "account usages of the demo", op: OpAccountUsages, id: hexID("fakeisc/demo/account/Corporate Active Directory/svc-backup"), wantCode: 200},
		{name: "account usages generated", op: OpAccountUsages, id: GeneratedAccountID(GeneratedSourceID(0), 2), wantCode: 200},
		{name: "400 accounts filter on disabled", op: OpListAccounts, query: "?filters=" + query(`disabled eq true`), wantCode: 400},
		{name: "400 accounts filter operator", op: OpListAccounts, query: "?filters=" + query(`name co "j"`), wantCode: 400},
		{name: "400 accounts sorter", op: OpListAccounts, query: "?sorters=disabled", wantCode: 400},
		{name: "400 detail level", op: OpListAccounts, query: "?detailLevel=MEDIUM", wantCode: 400},
		{name: "400 account usages sorter", op: OpAccountUsages, id: acctJdoe, query: "?sorters=count", wantCode: 400},
		{name: "401 accounts", op: OpListAccounts, noToken: true, wantCode: 401},
		{name: "401 get account", op: OpGetAccount, id: acctJdoe, noToken: true, wantCode: 401},
		{name: "401 account usages", op: OpAccountUsages, id: acctJdoe, noToken: true, wantCode: 401},
		{name: "403 get account", op: OpGetAccount, id: acctForbidden, wantCode: 403},
		{name: "403 account usages", op: OpAccountUsages, id: acctForbidden, wantCode: 403},
		{name: "404 get account", op: OpGetAccount, id: "2c91808a000000000000000000000000", wantCode: 404},
		{name: "404 get deleted account", op: OpGetAccount, id: acctDeleted, wantCode: 404},
		{name: "404 account usages", op: OpAccountUsages, id: "2c91808a000000000000000000000000", wantCode: 404},
		{name: "404 usages of a deleted account", op: OpAccountUsages, id: acctDeleted, wantCode: 404},
		{name: "429 accounts", op: OpListAccounts, fill: true, wantCode: 429},
		{name: "429 account usages fault", op: OpAccountUsages, id: acctJdoe, wantCode: 429,
			setup: func(tn *Tenant) { tn.Inject(TooManyRequests("1").WithAccount(acctJdoe)) }},
		{name: "500 accounts", op: OpListAccounts, wantCode: 500, setup: func(tn *Tenant) { tn.Inject(ServerError(500)) }},
		{name: "500 get account", op: OpGetAccount, id: acctJdoe, wantCode: 500, setup: func(tn *Tenant) { tn.Inject(ServerError(500)) }},
		{name: "500 account usages", op: OpAccountUsages, id: acctJdoe, wantCode: 500,
			setup: func(tn *Tenant) { tn.Inject(ServerError(500).WithOp(OpAccountUsages)) }},
	}
}

// TestConformsToSpec validates every kind of answer the fake gives, in every version
// form, against the official spec: the status is declared for the operation, and the
// body matches the declared schema and content type. The Source Usages and Account
// Usages specs do not declare 404 (the real API sends it all the same), so such bodies
// are validated against ErrorResponseDto directly.
func TestConformsToSpec(t *testing.T) {
	// The test accounts but the one sent without its required uncorrelated field, and the
	// demo's and generated ones, so that lists show every kind the fake makes.
	accounts := slices.DeleteFunc(testAccounts(), func(a Account) bool { return a.Uncorrelated == nil })
	// A fresh token per case, each allowed one request an hour.
	tenant := New(WithSources(testSources()...), WithSources(Source{ID: "forbidden", UsageStatus: "COMPLETE", Forbidden: true}),
		WithAccounts(accounts...), WithDemoSources(), WithGeneratedSources(1), WithGeneratedAccounts(GeneratedSourceID(0), 30),
		WithRateLimit(1, time.Hour), WithSourceSubadmin("sub", "sub-secret"))
	srv := httptest.NewServer(tenant)
	defer srv.Close()

	type spec struct {
		doc    *openapi3.T
		router routers.Router
	}
	specs := map[string]spec{}
	for file := range specFiles {
		doc, router := loadSpec(t, file, srv.URL)
		specs[file] = spec{doc, router}
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
	}
	ctx := context.Background()

	for _, version := range versions {
		for _, tc := range conformanceCases() {
			t.Run(version+"/"+tc.name, func(t *testing.T) {
				tenant.Reset()
				token := tenant.IssueToken(DefaultClientID, 0)
				if tc.subadmin {
					token = tenant.IssueToken("sub", 0)
				}
				if tc.setup != nil {
					tc.setup(tenant)
				}
				if tc.fill {
					get(t, tenant, token, apiPath(version, tc.op, tc.id))
				}

				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+apiPath(version, tc.op, tc.id)+tc.query, nil)
				if err != nil {
					t.Fatal(err)
				}
				if !tc.noToken {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, err := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode != tc.wantCode {
					t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, tc.wantCode, body)
				}

				// Map the served path onto the spec's operation: the same path under the
				// spec's own version.
				file, specVersion := specFor(version, tc.op)
				s := specs[file]
				routeReq, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+apiPath(specVersion, tc.op, tc.id)+tc.query, nil)
				if err != nil {
					t.Fatal(err)
				}
				route, params, err := s.router.FindRoute(routeReq)
				if err != nil {
					t.Fatalf("no spec operation for %s: %v", routeReq.URL, err)
				}
				if got := params["sourceId"] + params["accountId"] + params["id"]; got != tc.id {
					t.Errorf("spec router read the id %q, want %q", got, tc.id)
				}

				if route.Operation.Responses.Status(resp.StatusCode) == nil {
					validateErrorDto(t, s.doc, resp.Header, body)
					return
				}
				err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
					RequestValidationInput: &openapi3filter.RequestValidationInput{
						Request: routeReq, PathParams: params, Route: route, Options: opts,
					},
					Status:  resp.StatusCode,
					Header:  resp.Header,
					Body:    io.NopCloser(bytes.NewReader(body)),
					Options: opts,
				})
				if err != nil {
					t.Errorf("response does not conform to %s: %v\nbody: %s", file, err, body)
				}
				if ref := route.Operation.Responses.Status(resp.StatusCode); ref != nil && ref.Value != nil {
					if s := ref.Value.Content.Get("application/json"); s != nil && s.Schema != nil &&
						strings.HasSuffix(s.Schema.Ref, "/ErrorResponseDto") {
						requireAllErrorMembers(t, body)
					}
				}
			})
		}
	}
}

// validateErrorDto checks an answer the spec does not declare against ErrorResponseDto.
func validateErrorDto(t *testing.T, doc *openapi3.T, header http.Header, body []byte) {
	t.Helper()
	if ct := header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	schema := doc.Components.Schemas["ErrorResponseDto"]
	if schema == nil || schema.Value == nil {
		t.Fatal("the spec has no ErrorResponseDto")
	}
	if err := schema.Value.VisitJSON(value, openapi3.VisitAsResponse(), openapi3.MultiErrors()); err != nil {
		t.Errorf("body does not match ErrorResponseDto: %v\nbody: %s", err, body)
	}
	requireAllErrorMembers(t, body)
}

// requireAllErrorMembers checks that an ErrorResponseDto has every member: the spec
// marks none as required, but the real API always sends all four.
func requireAllErrorMembers(t *testing.T, body []byte) {
	t.Helper()
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	for _, k := range []string{"detailCode", "trackingId", "messages", "causes"} {
		if _, ok := members[k]; !ok {
			t.Errorf("ErrorResponseDto lacks %q: %s", k, body)
		}
	}
}

// TestSpecValidationCatchesViolations makes sure the conformance test can fail: answers
// that break the spec must be reported.
func TestSpecValidationCatchesViolations(t *testing.T) {
	srvURL := "http://127.0.0.1:1"
	byFile := map[string]routers.Router{}
	for file := range specFiles {
		_, byFile[file] = loadSpec(t, file, srvURL)
	}
	const source = `{"id":"x","name":"n","owner":{"type":"IDENTITY","id":"o","name":"O"},"connector":"c"`
	const account = `{"id":"x","name":"n","sourceId":"s","sourceName":null,"attributes":null,"authoritative":false,` +
		`"disabled":false,"locked":false,"nativeIdentity":"x","systemAccount":false,"uncorrelated":true,` +
		`"manuallyCorrelated":false,"hasEntitlements":false`
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
	tests := []struct {
		name, op string
		code     int
		body     string
	}{
		{"status not a string", OpStatus, 200, `{"status":1}`},
		{"status outside the enum", OpStatus, 200, `{"status":"PENDING"}`},
		{"summaries not an array", OpSummaries, 200, `{}`},
		{"bad date", OpSummaries, 200, `[{"date":"2024-13-01","count":1}]`},
		{"count a string", OpSummaries, 200, `[{"date":"2024-01-01","count":"1"}]`},
		{"error members mistyped", OpStatus, 400, `{"detailCode":400}`},
		{"undeclared status", OpStatus, 418, `{}`},
		{"sources not an array", OpListSources, 200, `{}`},
		{"a source is valid, so the next ones prove something", OpGetSource, 200, source + `}`},
		{"source health outside the enum", OpGetSource, 200, source + `,"status":"HEALTHY"}`},
		{"source without a name", OpListSources, 200, `[{"id":"x","owner":{},"connector":"c"}]`},
		{"created not a date-time", OpGetSource, 200, source + `,"created":"2024-01-01"}`},
		{"feature outside the enum", OpGetSource, 200, source + `,"features":["FLY"]}`},
		{"cluster without an id", OpGetSource, 200, source + `,"cluster":{"type":"CLUSTER","name":"c"}}`},
		{"healthy a string", OpGetSource, 200, source + `,"healthy":"true"}`},
		{"a valid account, so the next ones prove something", OpGetAccount, 200, account + `}`},
		{"a valid account list", OpListAccounts, 200, `[` + account + `,"identity":{"type":"IDENTITY","id":"i"}}]`},
		{"a valid account usage", OpAccountUsages, 200, `[{"date":"2024-01-01","count":10},{}]`},
		{"account without uncorrelated", OpGetAccount, 200, strings.Replace(account, `"uncorrelated":true,`, "", 1) + `}`},
		{"account without attributes", OpGetAccount, 200, strings.Replace(account, `"attributes":null,`, "", 1) + `}`},
		{"account origin outside the enum", OpGetAccount, 200, account + `,"origin":"IMPORTED"}`},
		{"account identity of another type", OpGetAccount, 200, account + `,"identity":{"type":"ROLE","id":"i"}}`},
		{"accounts not an array", OpListAccounts, 200, account + `}`},
		{"account usage count a fraction", OpAccountUsages, 200, `[{"date":"2024-01-01","count":10.45}]`},
		{"account usage date not a date", OpAccountUsages, 200, `[{"date":"January","count":1}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srvURL+apiPath("v3", tt.op, "x"), nil)
			file, _ := specFor("v3", tt.op)
			route, params, err := byFile[file].FindRoute(req)
			if err != nil {
				t.Fatal(err)
			}
			err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
				RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts},
				Status:                 tt.code,
				Header:                 http.Header{"Content-Type": {"application/json"}},
				Body:                   io.NopCloser(strings.NewReader(tt.body)),
				Options:                opts,
			})
			if valid := strings.HasPrefix(tt.name, "a source is valid") || strings.HasPrefix(tt.name, "a valid"); (err == nil) != valid {
				t.Errorf("%d %s: validation error %v", tt.code, tt.body, err)
			}
		})
	}
}

// TestSpecCopiesMatchShared checks that testdata/openapi holds exact copies of the specs
// in the project's shared/api directory, when that directory is present (CI checkouts
// of this repository alone do not have it).
func TestSpecCopiesMatchShared(t *testing.T) {
	// This package is internal/fakeisc; shared/ sits beside the repository.
	shared := filepath.Join("..", "..", "..", "shared", "api")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("no shared spec directory at %s", shared)
	}
	for name := range specFiles {
		want, err := os.ReadFile(filepath.Join(shared, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("testdata", "openapi", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("testdata/openapi/%s differs from %s: copy it again", name, filepath.Join(shared, name))
		}
	}
}
