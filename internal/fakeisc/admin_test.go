package fakeisc

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestAdminEndpoints(t *testing.T) {
	tenant := New(WithDemoSources())
	token := tenant.IssueToken(DefaultClientID, 0)
	get(t, tenant, token, APIPath("v3", OpStatus, DemoSourceActiveDirectory))
	postToken(t, tenant, "/oauth/token", defaultForm, nil)

	w := call(t, tenant, http.MethodGet, "/__fake/stats", nil, "")
	if w.Code != 200 {
		t.Fatalf("stats: %d", w.Code)
	}
	st := decodeJSON[Stats](t, w.Body.Bytes())
	if st.APIRequests != 1 || st.TokenRequests != 1 || st.TokensIssued != 2 || st.ByStatus[200] != 2 || st.MaxInWindow != 1 {
		t.Errorf("stats = %+v", st)
	}

	w = call(t, tenant, http.MethodGet, "/__fake/requests", nil, "")
	if w.Code != 200 {
		t.Fatalf("requests: %d", w.Code)
	}
	if body := w.Body.String(); strings.Contains(body, token) || strings.Contains(body, `"token":`) || strings.Contains(body, `"issuedToken":`) {
		t.Errorf("requests JSON holds a token: %s", body)
	}
	var log []map[string]json.RawMessage
	if err := json.Unmarshal(w.Body.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	// Two API/token requests, plus the stats call logged on completion (not this one).
	if len(log) != 3 || string(log[0]["op"]) != `"status"` || string(log[2]["op"]) != `"admin"` {
		t.Errorf("requests = %s", w.Body)
	}

	if w := call(t, tenant, http.MethodPost, "/__fake/revoke-tokens", nil, ""); w.Code != 204 {
		t.Errorf("revoke-tokens: %d", w.Code)
	}
	if w := get(t, tenant, token, APIPath("v3", OpStatus, DemoSourceActiveDirectory)); w.Code != 401 {
		t.Errorf("after revoke-tokens: %d", w.Code)
	}

	if w := call(t, tenant, http.MethodPost, "/__fake/reset", nil, ""); w.Code != 204 {
		t.Errorf("reset: %d", w.Code)
	}
	if n := len(tenant.Requests()); n != 0 {
		t.Errorf("after reset the log has %d entries", n)
	}

	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/__fake/reset", 405},
		{http.MethodPost, "/__fake/stats", 405},
		{http.MethodDelete, "/__fake/requests", 405},
		{http.MethodGet, "/__fake/nothing", 404},
		{http.MethodGet, "/__fake/", 404},
	} {
		if w := call(t, tenant, tt.method, tt.path, nil, ""); w.Code != tt.want {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.path, w.Code, tt.want)
		}
	}
	if st := tenant.Stats(); st.APIRequests != 0 || st.TokenRequests != 0 || len(st.ByStatus) != 0 {
		t.Errorf("admin requests were counted: %+v", st)
	}
}
