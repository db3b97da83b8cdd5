package fakeisc

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestParseRoute(t *testing.T) {
	tests := []struct {
		path string
		want route
	}{
		{"/oauth/token", route{op: OpToken}},
		{"/__fake/stats", route{op: OpAdmin, admin: "stats"}},
		{"/v3/source-usages/abc/status", route{op: OpStatus, version: "v3", sourceID: "abc"}},
		{"/beta/source-usages/abc/summaries", route{op: OpSummaries, version: "beta", sourceID: "abc"}},
		{"/v2024/source-usages/abc/status", route{op: OpStatus, version: "v2024", sourceID: "abc"}},
		{"/v2025/source-usages/abc/status", route{op: OpStatus, version: "v2025", sourceID: "abc"}},
		{"/v2026/source-usages/abc/summaries", route{op: OpSummaries, version: "v2026", sourceID: "abc"}},
		{"/source-usages/v1/abc/status", route{op: OpStatus, version: "v1", sourceID: "abc"}},
		{"/source-usages/v1/abc/summaries", route{op: OpSummaries, version: "v1", sourceID: "abc"}},
		{"/v3/source-usages/v1/status", route{op: OpStatus, version: "v3", sourceID: "v1"}},
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

func TestAPIPath(t *testing.T) {
	tests := []struct{ version, op, id, want string }{
		{"v3", OpStatus, "abc", "/v3/source-usages/abc/status"},
		{"v1", OpSummaries, "abc", "/source-usages/v1/abc/summaries"},
		{"beta", OpStatus, "a/b?c d", "/beta/source-usages/a%2Fb%3Fc%20d/status"},
	}
	for _, tt := range tests {
		if got := APIPath(tt.version, tt.op, tt.id); got != tt.want {
			t.Errorf("APIPath(%q, %q, %q) = %q, want %q", tt.version, tt.op, tt.id, got, tt.want)
		}
		if r := parseRoute(APIPath(tt.version, tt.op, tt.id)); r.sourceID != tt.id || r.version != tt.version || r.op != tt.op {
			t.Errorf("parseRoute(APIPath(...)) = %+v", r)
		}
	}
}

// TestEscapedIDsOverTheWire sends raw request-targets over a real connection, so the
// escapes are exactly what a client would put on the wire.
func TestEscapedIDsOverTheWire(t *testing.T) {
	ids := []string{"a/b", "../", "..", "?", "a b", "été", "%", "#frag", "2c9180835d191a86015d28455b4a2329"}
	tenant := New()
	for _, id := range ids {
		tenant.PutSource(Source{ID: id, Status: "COMPLETE"})
	}
	srv := httptest.NewServer(tenant)
	defer srv.Close()
	token := tenant.IssueToken(DefaultClientID, 0)

	for _, version := range Versions() {
		for _, id := range ids {
			target := APIPath(version, OpStatus, id)
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
				if resp.StatusCode != 200 || string(body) != `{"status":"COMPLETE"}` {
					t.Fatalf("%d %s", resp.StatusCode, body)
				}
				e := lastRequest(t, tenant)
				if e.SourceID != id || e.Version != version || e.Op != OpStatus ||
					e.RequestURI != target+"?x=1" || e.EscapedPath != target || e.Query.Get("x") != "1" {
					t.Errorf("log entry = %+v", e)
				}
			})
		}
	}
}

func TestUnroutedAndWrongMethod(t *testing.T) {
	tenant := New(WithDemoSources())
	token := tenant.IssueToken(DefaultClientID, 0)
	auth := http.Header{"Authorization": {"Bearer " + token}}

	tests := []struct {
		name, method, target string
		wantCode             int
		wantDetail, wantText string
		wantOp               string
	}{
		{"unknown path", http.MethodGet, "/v3/sources", 404, detailNotFound, "/v3/sources", OpUnknown},
		{"v1 in the wrong place", http.MethodGet, "/v1/source-usages/" + DemoSourceWorkday + "/status", 404, detailNotFound, "No resource", OpUnknown},
		{"unescaped slash in id", http.MethodGet, "/v3/source-usages/a/b/status", 404, detailNotFound, "No resource", OpUnknown},
		{"POST status", http.MethodPost, APIPath("v3", OpStatus, DemoSourceWorkday), 405, detailMethod, "'POST'", OpStatus},
		{"DELETE summaries", http.MethodDelete, APIPath("v1", OpSummaries, DemoSourceWorkday), 405, detailMethod, "'DELETE'", OpSummaries},
		{"HEAD status", http.MethodHead, APIPath("beta", OpStatus, DemoSourceWorkday), 405, detailMethod, "'HEAD'", OpStatus},
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
	if st := tenant.Stats(); st.APIRequests != 3 || st.ByStatus[404] != 3 || st.ByStatus[405] != 3 {
		t.Errorf("Stats = %+v, want 3 API requests (the 405s) and three 404s", st)
	}
}
