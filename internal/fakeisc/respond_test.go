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
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// specFiles are the official specs, by the version whose server URL they describe. The
// versions without a spec of their own (v2024, v2025, v2026 and the per-service v1) serve
// the same operations (shared/api/NOTES.md), so they are checked against the v3 spec.
var specFiles = map[string]string{
	"v3":   "source-usages.v3.openapi.json",
	"beta": "source-usages.beta.openapi.json",
}

// specFor returns the spec version a served version is validated against.
func specFor(version string) string {
	if version == "beta" {
		return "beta"
	}
	return "v3"
}

// loadSpec loads and validates one spec, and returns it with a router whose only server
// is baseURL/{version}, so requests to the fake match its operations.
func loadSpec(t *testing.T, version, baseURL string) (*openapi3.T, routers.Router) {
	t.Helper()
	ctx := context.Background()
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join("testdata", "openapi", specFiles[version]))
	if err != nil {
		t.Fatalf("load %s spec: %v", version, err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("%s spec is invalid: %v", version, err)
	}
	doc.Servers = openapi3.Servers{{URL: baseURL + "/" + version}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("router for the %s spec: %v", version, err)
	}
	return doc, router
}

// conformanceCase is one kind of answer to validate.
type conformanceCase struct {
	name     string
	op       string
	sourceID string
	query    string
	noToken  bool
	setup    func(*Tenant) // run on the freshly Reset tenant before the request
	fill     bool          // make one call first, to fill the token's rate window
	wantCode int
}

func conformanceCases() []conformanceCase {
	return []conformanceCase{
		{name: "status COMPLETE", op: OpStatus, sourceID: srcAD, wantCode: 200},
		{name: "status INCOMPLETE", op: OpStatus, sourceID: srcWorkday, wantCode: 200},
		{name: "summaries empty", op: OpSummaries, sourceID: srcWorkday, wantCode: 200},
		{name: "summaries 12 rows", op: OpSummaries, sourceID: srcAD, query: "?count=true", wantCode: 200},
		{name: "summaries first page", op: OpSummaries, sourceID: srcSalesforce, query: "?count=true", wantCode: 200},
		{name: "summaries second page", op: OpSummaries, sourceID: srcSalesforce, query: "?offset=250&limit=250", wantCode: 200},
		{name: "summaries sorted", op: OpSummaries, sourceID: srcServiceNow, query: "?sorters=-date", wantCode: 200},
		{name: "summaries sorted ascending", op: OpSummaries, sourceID: srcSalesforce, query: "?sorters=date&limit=20", wantCode: 200},
		{name: "400 bad sorter", op: OpSummaries, sourceID: srcAD, query: "?sorters=count", wantCode: 400},
		{name: "400 bad limit", op: OpSummaries, sourceID: srcAD, query: "?limit=-1", wantCode: 400},
		{name: "401 status", op: OpStatus, sourceID: srcAD, noToken: true, wantCode: 401},
		{name: "401 summaries", op: OpSummaries, sourceID: srcAD, noToken: true, wantCode: 401},
		{name: "403 status", op: OpStatus, sourceID: "forbidden", wantCode: 403},
		{name: "403 summaries", op: OpSummaries, sourceID: "forbidden", wantCode: 403},
		{name: "404 status", op: OpStatus, sourceID: "2c91808a000000000000000000000000", wantCode: 404},
		{name: "404 summaries", op: OpSummaries, sourceID: "2c91808a000000000000000000000000", wantCode: 404},
		{name: "429 rate limiter", op: OpSummaries, sourceID: srcAD, wantCode: 429, fill: true},
		{name: "429 fault", op: OpStatus, sourceID: srcAD, wantCode: 429,
			setup: func(tn *Tenant) { tn.Inject(TooManyRequests("1")) }},
		{name: "500 status", op: OpStatus, sourceID: srcAD, wantCode: 500,
			setup: func(tn *Tenant) { tn.Inject(ServerError(500)) }},
		{name: "500 summaries", op: OpSummaries, sourceID: srcAD, wantCode: 500,
			setup: func(tn *Tenant) { tn.Inject(ServerError(500)) }},
		{name: "400 fault", op: OpSummaries, sourceID: srcAD, wantCode: 400,
			setup: func(tn *Tenant) { tn.Inject(ErrorDto(400, detailBadRequest, "bad")) }},
	}
}

// TestConformsToSpec validates every kind of answer the fake gives, in every version
// form, against the official spec: the status is declared for the operation, and the
// body matches the declared schema and content type. 404 is not declared by the spec
// (the real API sends it all the same), so its body is validated against ErrorResponseDto
// directly.
func TestConformsToSpec(t *testing.T) {
	// A fresh token per case, each allowed one request an hour.
	tenant := New(WithSources(testSources()...), WithSources(Source{ID: "forbidden", Status: "COMPLETE", Forbidden: true}),
		WithRateLimit(1, time.Hour))
	srv := httptest.NewServer(tenant)
	defer srv.Close()

	type spec struct {
		doc    *openapi3.T
		router routers.Router
	}
	specs := map[string]spec{}
	for version := range specFiles {
		doc, router := loadSpec(t, version, srv.URL)
		specs[version] = spec{doc, router}
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
				if tc.setup != nil {
					tc.setup(tenant)
				}
				if tc.fill {
					get(t, tenant, token, apiPath(version, tc.op, tc.sourceID))
				}

				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+apiPath(version, tc.op, tc.sourceID)+tc.query, nil)
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
				s := specs[specFor(version)]
				routeReq, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+apiPath(specFor(version), tc.op, tc.sourceID)+tc.query, nil)
				if err != nil {
					t.Fatal(err)
				}
				route, params, err := s.router.FindRoute(routeReq)
				if err != nil {
					t.Fatalf("no spec operation for %s: %v", routeReq.URL, err)
				}
				if params["sourceId"] != tc.sourceID {
					t.Errorf("spec router read sourceId %q, want %q", params["sourceId"], tc.sourceID)
				}

				if tc.wantCode == http.StatusNotFound {
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
					t.Errorf("response does not conform to the %s spec: %v\nbody: %s", specFor(version), err, body)
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
	_, router := loadSpec(t, "v3", srvURL)
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srvURL+apiPath("v3", tt.op, "x"), nil)
			route, params, err := router.FindRoute(req)
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
			if err == nil {
				t.Errorf("%d %s passed validation", tt.code, tt.body)
			}
		})
	}
}

// TestSpecCopiesMatchShared checks that testdata/openapi holds exact copies of the specs
// in the project's shared/api directory, when that directory is present (CI checkouts
// of this repository alone do not have it).
func TestSpecCopiesMatchShared(t *testing.T) {
	root := moduleRoot(t)
	shared := filepath.Join(root, "..", "shared", "api")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("no shared spec directory at %s", shared)
	}
	for _, name := range specFiles {
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

// moduleRoot returns the directory holding go.mod, above the package directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package directory")
		}
		dir = parent
	}
}
