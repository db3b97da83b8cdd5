package fakeisc

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is a clock tests move by hand, so nothing in them sleeps to expire a token or
// slide a rate window.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2025, time.March, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// call hands one request straight to h and returns the recorded answer. The target is
// parsed as a server parses a request line, so escapes survive as they would on the wire.
func call(t *testing.T, h http.Handler, method, target string, header http.Header, body string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequestWithContext(t.Context(), method, target, rd)
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// get calls GET target with a bearer token (none when token is "").
func get(t *testing.T, h http.Handler, token, target string) *httptest.ResponseRecorder {
	t.Helper()
	header := http.Header{}
	if token != "" {
		header.Set("Authorization", "Bearer "+token)
	}
	return call(t, h, http.MethodGet, target, header, "")
}

// postToken calls the token endpoint with a form body.
func postToken(t *testing.T, h http.Handler, target, form string) *httptest.ResponseRecorder {
	t.Helper()
	return call(t, h, http.MethodPost, target, http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, form)
}

// defaultForm is a good client-credentials form for the default client.
const defaultForm = "grant_type=client_credentials&client_id=" + DefaultClientID + "&client_secret=" + DefaultClientSecret

// decodeJSON decodes a response body into a fresh T.
func decodeJSON[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return v
}

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

// checkErrorDto checks that body is an ErrorResponseDto with the given detail code, a
// 32-hex tracking id, one en-US message containing text, and empty causes.
func checkErrorDto(t *testing.T, body []byte, detailCode, text string) errorResponseDto {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatalf("error body %q is not a JSON object: %v", body, err)
	}
	for _, k := range []string{"detailCode", "trackingId", "messages", "causes"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("error body %s lacks %q", body, k)
		}
	}
	dto := decodeJSON[errorResponseDto](t, body)
	if dto.DetailCode != detailCode {
		t.Errorf("detailCode = %q, want %q", dto.DetailCode, detailCode)
	}
	if !hex32.MatchString(dto.TrackingID) {
		t.Errorf("trackingId = %q, want 32 hex characters", dto.TrackingID)
	}
	if len(dto.Messages) != 1 || dto.Messages[0].Locale != "en-US" || dto.Messages[0].LocaleOrigin != "DEFAULT" ||
		!strings.Contains(dto.Messages[0].Text, text) {
		t.Errorf("messages = %+v, want one en-US DEFAULT message containing %q", dto.Messages, text)
	}
	if dto.Causes == nil || len(dto.Causes) != 0 {
		t.Errorf("causes = %#v, want []", dto.Causes)
	}
	return dto
}

// checkAnswer checks that w answered wantCode with, for a 200, exactly wantBody, and
// otherwise an ErrorResponseDto whose message contains wantBody.
func checkAnswer(t *testing.T, w *httptest.ResponseRecorder, wantCode int, wantBody string) {
	t.Helper()
	if w.Code != wantCode {
		t.Fatalf("status = %d, want %d; body %s", w.Code, wantCode, w.Body)
	}
	if wantCode != 200 {
		checkErrorDto(t, w.Body.Bytes(), map[int]string{400: detailBadRequest, 403: detailForbidden, 404: detailNotFound}[wantCode], wantBody)
	} else if w.Body.String() != wantBody {
		t.Errorf("body\n%s\nwant\n%s", w.Body, wantBody)
	}
}

// lastRequest returns the newest log entry.
func lastRequest(t *testing.T, tenant *Tenant) Request {
	t.Helper()
	log := tenant.Requests()
	if len(log) == 0 {
		t.Fatal("request log is empty")
	}
	return log[len(log)-1]
}

// Test sources, by the case each stands for. The ids are real-looking 32-hex ids.
const (
	srcAD         = "2c9180835d191a86015d28455b4a2329" // COMPLETE, 12 monthly rows for 2024, every field
	srcWorkday    = "2c91808b6ef1d43e016efba0ce470904" // INCOMPLETE, no rows
	srcSalesforce = "2c91808c7d0e6f1a017d1b2c3d4e5f60" // COMPLETE, 300 daily rows from 2024-01-01
	srcServiceNow = "2c9180877a9e3c5f017aa1b2c3d4e5f6" // COMPLETE, 12 monthly rows newest first
	srcIDN        = "2c91808a7b1c2d3e4f5a6b7c8d9e0f1a" // the IdentityNow source
)

func testSources() []Source {
	month := func(m int) string {
		return time.Date(2024, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	owner := &Ref{Type: "IDENTITY", ID: "2c9180a46faadee4016fb4e018c20639", Name: "Dana Whitfield"}
	ad := Source{ID: srcAD, Name: "Active Directory", Description: "Employee accounts", Owner: owner,
		Cluster:  &Ref{Type: "CLUSTER", ID: "2c9180866166b5b0016167c32ef31a66", Name: "Corporate Cluster"},
		Features: []string{"AUTHENTICATE", "SEARCH"}, Type: "Active Directory", Connector: "active-directory",
		Authoritative: new(false), ManagementWorkgroup: &Ref{Type: "GOVERNANCE_GROUP", ID: "2c91808568c529c60168cca6f90c2222", Name: "Admins"},
		Healthy: new(true), Status: "SOURCE_STATE_HEALTHY", Since: "2024-12-31T23:45:00.123Z", ConnectorName: "Active Directory",
		ConnectionType: "direct", Created: "2023-03-01T09:30:00Z", Modified: "2024-11-15T14:05:27.5Z", Category: "CredentialProvider",
		UsageStatus: "COMPLETE"}
	for i, count := range []string{"12.30", "11.87", "10.45", "13.02", "14.50", "9.95", "8.40", "10.10", "15.25", "16.00", "14.75", "13.60"} {
		ad.Usages = append(ad.Usages, Row(month(i+1), count))
	}
	sf := Source{ID: srcSalesforce, Name: "Salesforce", Owner: owner, Type: "Salesforce", Connector: "salesforce", UsageStatus: "COMPLETE"}
	for day := range 300 {
		sf.Usages = append(sf.Usages, Row(time.Date(2024, time.January, 1+day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), strconv.Itoa(day%31)))
	}
	sn := Source{ID: srcServiceNow, Name: "ServiceNow", Owner: owner, Type: "ServiceNow", Connector: "servicenow", UsageStatus: "COMPLETE"}
	for i, count := range []string{"4.25", "3.90", "0", "5.10", "6.75", "7", "6.20", "5.55", "4.80", "3.35", "2.95", "3.05"} {
		sn.Usages = append(sn.Usages, Row(month(12-i), count))
	}
	return []Source{ad, sf, sn,
		{ID: srcWorkday, Name: "Workday", Owner: owner, Type: "Workday", Connector: "workday", Authoritative: new(true), UsageStatus: "INCOMPLETE"},
		{ID: srcIDN, Name: "IdentityNow", Owner: owner, Type: "IdentityNowConnector", Connector: "identitynow", IdentityNow: true},
	}
}

// apiPath returns the path of op (for id, the source's or the account's, unless op is a
// list) in version, with the id escaped as one path segment, the way a correct client
// builds it.
func apiPath(version, op, id string) string {
	service, rest := "source-usages", "/"+url.PathEscape(id)+"/"+op
	switch op {
	case OpListSources, OpListAccounts:
		service, rest = op, ""
	case OpGetSource, OpGetAccount:
		service, rest = op+"s", "/"+url.PathEscape(id)
	case OpAccountUsages:
		service, rest = "account-usages", "/"+url.PathEscape(id)+"/summaries"
	}
	if version == "v1" {
		return "/" + service + "/v1" + rest
	}
	return "/" + version + "/" + service + rest
}

func TestParseRoute(t *testing.T) {
	tests := []struct {
		path string
		want route
	}{
		{"/oauth/token", route{op: OpToken}},
		{"/__fake/stats", route{op: OpUnknown}},
		{"/v3/source-usages/abc/status", route{op: OpStatus, version: "v3", sourceID: "abc"}},
		{"/beta/source-usages/abc/summaries", route{op: OpSummaries, version: "beta", sourceID: "abc"}},
		{"/v2024/source-usages/abc/status", route{op: OpStatus, version: "v2024", sourceID: "abc"}},
		{"/v2025/source-usages/abc/status", route{op: OpStatus, version: "v2025", sourceID: "abc"}},
		{"/v2026/source-usages/abc/summaries", route{op: OpSummaries, version: "v2026", sourceID: "abc"}},
		{"/source-usages/v1/abc/status", route{op: OpStatus, version: "v1", sourceID: "abc"}},
		{"/source-usages/v1/abc/summaries", route{op: OpSummaries, version: "v1", sourceID: "abc"}},
		{"/v3/source-usages/v1/status", route{op: OpStatus, version: "v3", sourceID: "v1"}},
		{"/v3/sources", route{op: OpListSources, version: "v3"}},
		{"/v2026/sources", route{op: OpListSources, version: "v2026"}},
		{"/sources/v1", route{op: OpListSources, version: "v1"}},
		{"/beta/sources/abc", route{op: OpGetSource, version: "beta", sourceID: "abc"}},
		{"/sources/v1/a%2Fb", route{op: OpGetSource, version: "v1", sourceID: "a/b"}},
		{"/v3/sources/v1", route{op: OpGetSource, version: "v3", sourceID: "v1"}},
		{"/v3/accounts", route{op: OpListAccounts, version: "v3"}},
		{"/accounts/v1", route{op: OpListAccounts, version: "v1"}},
		{"/v2025/accounts/a%2Fb", route{op: OpGetAccount, version: "v2025", accountID: "a/b"}},
		{"/accounts/v1/abc", route{op: OpGetAccount, version: "v1", accountID: "abc"}},
		{"/beta/account-usages/abc/summaries", route{op: OpAccountUsages, version: "beta", accountID: "abc"}},
		{"/account-usages/v1/..%2F/summaries", route{op: OpAccountUsages, version: "v1", accountID: "../"}},
		{"/v2026/account-usages/v1/summaries", route{op: OpAccountUsages, version: "v2026", accountID: "v1"}},
		// The id is one raw segment, percent-decoded.
		{"/v3/source-usages/a%2Fb/status", route{op: OpStatus, version: "v3", sourceID: "a/b"}},
		{"/v3/source-usages/..%2F/status", route{op: OpStatus, version: "v3", sourceID: "../"}},
		{"/v3/source-usages/../status", route{op: OpStatus, version: "v3", sourceID: ".."}},
		{"/v3/source-usages/%3F/status", route{op: OpStatus, version: "v3", sourceID: "?"}},
		{"/v3/source-usages/a%20b/status", route{op: OpStatus, version: "v3", sourceID: "a b"}},
		{"/v3/source-usages/a+b/status", route{op: OpStatus, version: "v3", sourceID: "a+b"}},
		{"/v3/source-usages/%C3%A9t%C3%A9/status", route{op: OpStatus, version: "v3", sourceID: "été"}},
		{"/v3/source-usages/%25/status", route{op: OpStatus, version: "v3", sourceID: "%"}},
		// Not routes.
		{"/v1/source-usages/abc/status", route{op: OpUnknown}},
		{"/V3/source-usages/abc/status", route{op: OpUnknown}},
		{"/v4/source-usages/abc/status", route{op: OpUnknown}},
		{"/v3/source-usages/abc", route{op: OpUnknown}},
		{"/v3/source-usages/abc/status/", route{op: OpUnknown}},
		{"/v3/source-usages/abc/usage", route{op: OpUnknown}},
		{"/v3/source-usages//status", route{op: OpUnknown}},
		{"/v3/source-usages/a/b/status", route{op: OpUnknown}},
		{"/v3/source-usages/%zz/status", route{op: OpUnknown}},
		{"/source-usages/v2/abc/status", route{op: OpUnknown}},
		{"/v1/sources", route{op: OpUnknown}},
		{"/v3/sources/", route{op: OpUnknown}},
		{"/sources/v1/", route{op: OpUnknown}},
		{"/v3/sources/a/b", route{op: OpUnknown}},
		{"/v3/sources/%zz", route{op: OpUnknown}},
		{"/source-usages/v1", route{op: OpUnknown}},
		{"/v1/accounts", route{op: OpUnknown}},
		{"/v3/accounts/", route{op: OpUnknown}},
		{"/v3/accounts/a/b", route{op: OpUnknown}},
		{"/v3/account-usages/abc/status", route{op: OpUnknown}},
		{"/v3/account-usages/abc", route{op: OpUnknown}},
		{"/v3/account-usages//summaries", route{op: OpUnknown}},
		{"/account-usages/v1", route{op: OpUnknown}},
		{"/accounts/v2/abc", route{op: OpUnknown}},
		{"/identities/v1", route{op: OpUnknown}},
		{"/v1/v1", route{op: OpUnknown}},
		{"/v3/v1", route{op: OpUnknown}},
		{"/sources", route{op: OpUnknown}},
		{"/oauth/token/", route{op: OpUnknown}},
		{"/", route{op: OpUnknown}},
		{"", route{op: OpUnknown}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := parseRoute(tt.path); got != tt.want {
				t.Errorf("parseRoute(%q) = %+v, want %+v", tt.path, got, tt.want)
			}
		})
	}
}

// TestEscapedIDsOverTheWire sends raw request-targets over a real connection, so the
// escapes are exactly what a client would put on the wire.
func TestEscapedIDsOverTheWire(t *testing.T) {
	ids := []string{"a/b", "../", "..", "?", "a b", "été", "%", "#frag", "2c9180835d191a86015d28455b4a2329"}
	tenant := New()
	for _, id := range ids {
		tenant.PutSource(Source{ID: id, UsageStatus: "COMPLETE"})
		tenant.PutAccount(Account{ID: id, SourceID: id, Usages: []Usage{Row("2024-01-01", "1")}})
	}
	srv := httptest.NewServer(tenant)
	defer srv.Close()
	token := tenant.IssueToken(DefaultClientID, 0)

	for _, version := range versions {
		for _, id := range ids {
			for op, want := range map[string]string{OpStatus: `{"status":"COMPLETE"}`, OpGetSource: `{"id":` + strconv.Quote(id) + `}`,
				OpAccountUsages: `[{"date":"2024-01-01","count":1}]`} {
				target := apiPath(version, op, id)
				t.Run(version+" "+target, func(t *testing.T) {
					req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+target+"?x=1", nil)
					if err != nil {
						t.Fatal(err)
					}
					req.Header.Set("Authorization", "Bearer "+token)
					resp, err := srv.Client().Do(req)
					if err != nil {
						t.Fatal(err)
					}
					body, _ := io.ReadAll(resp.Body)
					_ = resp.Body.Close()
					if resp.StatusCode != 200 || string(body) != want {
						t.Fatalf("%d %s, want 200 %s", resp.StatusCode, body, want)
					}
					e := lastRequest(t, tenant)
					if e.SourceID+e.AccountID != id || e.Version != version || e.Op != op ||
						e.RequestURI != target+"?x=1" || e.EscapedPath != target || e.Query.Get("x") != "1" {
						t.Errorf("log entry = %+v", e)
					}
				})
			}
		}
	}
}

func TestUnroutedAndWrongMethod(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	token := tenant.IssueToken(DefaultClientID, 0)
	auth := http.Header{"Authorization": {"Bearer " + token}}

	tests := []struct {
		name, method, target string
		wantCode             int
		wantDetail, wantText string
		wantOp               string
	}{
		{"unknown path", http.MethodGet, "/v3/identities", 404, detailNotFound, "/v3/identities", OpUnknown},
		{"v1 in the wrong place", http.MethodGet, "/v1/source-usages/" + srcWorkday + "/status", 404, detailNotFound, "No resource", OpUnknown},
		{"unescaped slash in id", http.MethodGet, "/v3/source-usages/a/b/status", 404, detailNotFound, "No resource", OpUnknown},
		{"POST status", http.MethodPost, apiPath("v3", OpStatus, srcWorkday), 405, detailMethod, "'POST'", OpStatus},
		{"DELETE summaries", http.MethodDelete, apiPath("v1", OpSummaries, srcWorkday), 405, detailMethod, "'DELETE'", OpSummaries},
		{"HEAD status", http.MethodHead, apiPath("beta", OpStatus, srcWorkday), 405, detailMethod, "'HEAD'", OpStatus},
		{"POST sources", http.MethodPost, apiPath("v1", OpListSources, ""), 405, detailMethod, "'POST'", OpListSources},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := call(t, tenant, tt.method, tt.target, auth, "")
			if w.Code != tt.wantCode {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantCode, w.Body)
			}
			if tt.wantCode == 405 && w.Header().Get("Allow") != http.MethodGet {
				t.Errorf("Allow = %q", w.Header().Get("Allow"))
			}
			if tt.method != http.MethodHead {
				checkErrorDto(t, w.Body.Bytes(), tt.wantDetail, tt.wantText)
			}
			if e := lastRequest(t, tenant); e.Op != tt.wantOp {
				t.Errorf("logged op %q, want %q", e.Op, tt.wantOp)
			}
		})
	}
	if st := tenant.Stats(); st.APIRequests != 4 || st.ByStatus[404] != 3 || st.ByStatus[405] != 4 {
		t.Errorf("Stats = %+v, want 4 API requests (the 405s) and three 404s", st)
	}
}

func TestPutSourceCopiesItsInput(t *testing.T) {
	tenant := New()
	src := Source{ID: "s", UsageStatus: "COMPLETE", Usages: []Usage{Row("2024-01-01", "1").WithExtra("k", `"v"`)}}
	tenant.PutSource(src)
	src.Usages[0].Count = "2"
	src.Usages[0].Extra["k"][1] = 'X'

	body := get(t, tenant, tenant.IssueToken(DefaultClientID, 0), "/v3/source-usages/s/summaries").Body.String()
	if want := `[{"date":"2024-01-01","count":1,"k":"v"}]`; body != want {
		t.Errorf("body = %s, want %s", body, want)
	}
}

func TestRateLimiter(t *testing.T) {
	clock := newTestClock()
	tenant := New(withClock(clock.Now), WithRateLimit(3, 10*time.Second), WithSources(testSources()...))
	mine := tenant.IssueToken(DefaultClientID, time.Hour)
	second := tenant.IssueToken(DefaultClientID, time.Hour)
	expect := func(step, token, version string, wantCode int, wantRetry string) {
		t.Helper()
		w := get(t, tenant, token, apiPath(version, OpStatus, srcAD))
		if w.Code != wantCode || w.Header().Get("Retry-After") != wantRetry {
			t.Errorf("%s: %d Retry-After %q, want %d %q", step, w.Code, w.Header().Get("Retry-After"), wantCode, wantRetry)
		}
	}

	// The budget is per access token, whatever the API version.
	for _, version := range []string{"v3", "beta", "v1"} {
		expect("within the limit", mine, version, 200, "")
		clock.Advance(time.Second)
	}
	// Slots were taken at t=0s, 1s, 2s; now is 3s, so the first frees in 7s.
	expect("over the limit", mine, "v3", 429, "7")
	expect("another version shares the budget", mine, "v2026", 429, "7")
	w := get(t, tenant, mine, apiPath("v3", OpSummaries, srcAD))
	if w.Code != 429 || w.Body.String() != `{"message":" Rate Limit Exceeded "}` {
		t.Errorf("429 body: %d %s", w.Code, w.Body)
	}
	expect("another token of the same client has its own budget", second, "v3", 200, "")

	clock.Advance(6500 * time.Millisecond) // 9.5s: the first slot frees at 10s
	expect("half a second before a slot frees: rounded up", mine, "v3", 429, "1")
	clock.Advance(500 * time.Millisecond)
	expect("the first slot has freed", mine, "v3", 200, "")
	// Rejected requests took no slot: the next frees at 11s.
	expect("full again", mine, "v3", 429, "1")

	// Token requests and unauthenticated calls do not count.
	for range 5 {
		if w := postToken(t, tenant, "/oauth/token", defaultForm); w.Code != 200 {
			t.Fatalf("token request: %d", w.Code)
		}
		if w := get(t, tenant, "", apiPath("v3", OpStatus, srcAD)); w.Code != 401 {
			t.Fatalf("unauthenticated: %d", w.Code)
		}
	}

	st := tenant.Stats()
	if st.RateLimited != 5 || st.ByStatus[429] != 5 {
		t.Errorf("RateLimited %d, 429s %d, want 5", st.RateLimited, st.ByStatus[429])
	}
	// For mine, arrivals at 0, 1, 2, 3, 3, 3, 9.5, 10 and 10s: the eight from 1s to 10s
	// fall within one 10s span. Rejected calls count: the client sent them.
	if st.MaxInWindow != 8 {
		t.Errorf("MaxInWindow = %d, want 8", st.MaxInWindow)
	}
}

func TestRateLimiterReset(t *testing.T) {
	clock := newTestClock()
	tenant := New(withClock(clock.Now), WithRateLimit(1, time.Minute), WithSources(testSources()...))
	token := tenant.IssueToken(DefaultClientID, 0)
	target := apiPath("v3", OpStatus, srcAD)
	get(t, tenant, token, target)
	if w := get(t, tenant, token, target); w.Code != 429 || w.Header().Get("Retry-After") != "60" {
		t.Fatalf("second call: %d Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	tenant.Reset()
	if w := get(t, tenant, token, target); w.Code != 200 {
		t.Fatalf("after Reset: %d", w.Code)
	}
}

func TestMaxInWindowWithLimiterOff(t *testing.T) {
	tests := []struct {
		name    string
		window  time.Duration // 0: default
		arrival []time.Duration
		want    int
	}{
		{"none", 0, nil, 0},
		{"one", 0, []time.Duration{0}, 1},
		{"burst", 0, []time.Duration{0, 0, 0, 0, 0}, 5},
		{"spread beyond the default 10s", 0, []time.Duration{0, 5 * time.Second, 10 * time.Second, 15 * time.Second}, 2},
		{"just inside the window", 0, []time.Duration{0, 9999 * time.Millisecond}, 2},
		{"configured window", 2 * time.Second, []time.Duration{0, time.Second, 2 * time.Second, 2500 * time.Millisecond}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newTestClock()
			start := clock.Now()
			tenant := New(withClock(clock.Now), WithRateLimit(0, tt.window), WithSources(testSources()...))
			token := tenant.IssueToken(DefaultClientID, 24*time.Hour)
			other := tenant.IssueToken(DefaultClientID, 24*time.Hour)
			for _, at := range tt.arrival {
				clock.Advance(start.Add(at).Sub(clock.Now()))
				get(t, tenant, token, apiPath("v3", OpStatus, srcAD))
				// Another token must not add to the count, nor a call without a valid one.
				get(t, tenant, other, apiPath("v3", OpStatus, srcAD))
				get(t, tenant, "forged", apiPath("v3", OpStatus, srcAD))
			}
			if got := tenant.Stats().MaxInWindow; got != tt.want {
				t.Errorf("MaxInWindow = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestConcurrentUse runs clients, reconfiguration and inspection at once; under -race it
// shows the tenant's state is properly guarded.
func TestConcurrentUse(t *testing.T) {
	const workers, perWorker = 50, 10
	tenant := New(WithSources(testSources()...), WithGeneratedSources(workers), WithGeneratedAccounts(GeneratedSourceID(0), workers),
		WithRateLimit(1000, time.Second))
	srv := httptest.NewServer(tenant)
	defer srv.Close()
	client := srv.Client()

	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := range workers {
		wg.Go(func() {
			form := url.Values{"grant_type": {"client_credentials"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}}
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/oauth/token", strings.NewReader(form.Encode()))
			if err != nil {
				errs <- err
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := client.Do(req)
			if err != nil {
				errs <- err
				return
			}
			var tok tokenResponse
			err = json.NewDecoder(resp.Body).Decode(&tok)
			_ = resp.Body.Close()
			if err != nil {
				errs <- err
				return
			}
			for i := range perWorker {
				op := []string{OpStatus, OpSummaries, OpListSources, OpGetSource, OpListAccounts, OpGetAccount, OpAccountUsages}[i%7]
				version := versions[(w+i)%len(versions)]
				id := GeneratedSourceID(w)
				if i%7 > 3 {
					id = GeneratedAccountID(GeneratedSourceID(0), w)
				}
				req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+apiPath(version, op, id), nil)
				req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != 200 && resp.StatusCode != 500 {
					errs <- fmt.Errorf("%s %s: %d", version, op, resp.StatusCode)
				}
			}
		})
	}
	// Meanwhile: change sources and faults, and read the log and the stats.
	wg.Go(func() {
		for i := range 100 {
			tenant.PutSource(Source{ID: fmt.Sprint("extra-", i), UsageStatus: "COMPLETE", Usages: []Usage{Row("2024-01-01", "1")}})
			tenant.PutAccount(Account{ID: fmt.Sprint("extra-", i), SourceID: GeneratedSourceID(0), Attributes: map[string]any{"a": []any{"b"}}})
			if i%10 == 0 {
				tenant.Inject(ServerError(500).Once())
			}
			_ = tenant.Stats()
			_ = tenant.Requests()
			_ = tenant.IssueToken("x", 0)
		}
	})
	wg.Wait()
	// A client can read a whole answer before the handler has logged it: Close waits for
	// the handlers to return.
	srv.Close()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	st := tenant.Stats()
	if st.TokenRequests != workers || st.APIRequests != workers*perWorker {
		t.Errorf("Stats = %+v, want %d token and %d API requests", st, workers, workers*perWorker)
	}
	if n := len(tenant.Requests()); n != workers+workers*perWorker {
		t.Errorf("log has %d entries, want %d", n, workers+workers*perWorker)
	}
	if faulted := len(slices.DeleteFunc(tenant.Requests(), func(r Request) bool { return r.Fault == "" })); st.ByStatus[500] != faulted ||
		st.ByStatus[200]+st.ByStatus[500] != workers+workers*perWorker {
		t.Errorf("ByStatus = %v, %d faulted", st.ByStatus, faulted)
	}
	for _, e := range tenant.Requests() {
		if e.StatusCode == 0 || e.ClientID != DefaultClientID {
			t.Errorf("incomplete entry %+v", e)
		}
	}
}

// FuzzServeHTTP feeds the tenant arbitrary request lines, headers and bodies, parsed as
// net/http's server parses them: the tenant must never panic, must answer with a final
// status, and every JSON body it sends without a fault must be valid with a matching
// Content-Length.
func FuzzServeHTTP(f *testing.F) {
	seeds := []struct {
		method, target, auth, body string
	}{
		{"GET", "/v3/source-usages/" + srcAD + "/status", "Bearer ", ""},
		{"GET", "/beta/source-usages/" + srcSalesforce + "/summaries?limit=10&offset=5&count=true&sorters=-date", "Bearer ", ""},
		{"GET", "/source-usages/v1/a%2Fb/summaries?sorters=date,count", "Bearer ", ""},
		{"GET", "/v2026/source-usages/%C3%A9/status", "bearer ", ""},
		{"GET", "/v3/source-usages/x/summaries?limit=%zz", "Bearer ", ""},
		{"GET", "/v3/source-usages/x/summaries?offset=99999999999999999999999", "Bearer ", ""},
		{"POST", "/oauth/token", "", defaultForm},
		{"POST", "/oauth/token?client_id=x", "Basic Zm9vOmJhcg==", "grant_type=password"},
		{"DELETE", "/v3/source-usages/x/status", "", ""},
		{"GET", "/v3/sources?filters=name%20eq%20%22a%5C%22b%22%20or%20not%20(type%20in%20(%22x%22,%22y%22))&sorters=-name,id&count=true", "Bearer ", ""},
		{"GET", "/sources/v1?filters=features%20ca%20(%22SEARCH%22)&for-subadmin=me&includeIDNSource=true&limit=1", "Bearer ", ""},
		{"GET", "/v2025/sources/" + srcAD, "Bearer ", ""},
		{"GET", "/sources/v1/%2F..", "Bearer ", ""},
		{"GET", "//..//", "Bearer nope", ""},
		{"GET", "/v3/accounts?detailLevel=SLIM&filters=uncorrelated%20eq%20true%20and%20not%20identity.name%20sw%20%22j%22&sorters=-identity.name,id", "Bearer ", ""},
		{"GET", "/accounts/v1?filters=disabled%20eq%20true&detailLevel=FULL&count=true&offset=1", "Bearer ", ""},
		{"GET", "/v2024/accounts/" + acctJdoe, "Bearer ", ""},
		{"GET", "/account-usages/v1/" + acctMany + "/summaries?sorters=-date&limit=3&offset=2&count=true", "Bearer ", ""},
		{"GET", "/beta/account-usages/%2F..%25/summaries", "Bearer ", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.target, s.auth, s.body)
	}
	tenant := New(WithSources(testSources()...), WithAccounts(testAccounts()...), WithRateLimit(1000, 0))
	token := tenant.IssueToken(DefaultClientID, 0)

	f.Fuzz(func(t *testing.T, method, target, auth, body string) {
		if strings.HasSuffix(auth, " ") && strings.HasPrefix(strings.ToLower(auth), "bearer") {
			auth += token // seeds ending in "Bearer " use a valid token
		}
		raw := method + " " + target + " HTTP/1.1\r\nHost: fake\r\n" +
			"Content-Type: application/x-www-form-urlencoded\r\n" +
			"Content-Length: " + strconv.Itoa(len(body)) + "\r\n"
		if auth != "" {
			raw += "Authorization: " + auth + "\r\n"
		}
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw + "\r\n" + body)))
		if err != nil {
			t.Skip("not a request net/http would serve")
		}
		w := httptest.NewRecorder()
		tenant.ServeHTTP(w, r)

		if w.Code < 200 || w.Code > 599 {
			t.Fatalf("status %d", w.Code)
		}
		if cl := w.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(w.Body.Len()) {
			t.Fatalf("Content-Length %s for a %d-byte body", cl, w.Body.Len())
		}
		if w.Header().Get("Content-Type") == contentTypeJSON && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("invalid JSON body %q", w.Body)
		}
	})
}
