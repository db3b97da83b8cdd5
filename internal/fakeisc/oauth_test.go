package fakeisc

import (
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestTokenEndpoint(t *testing.T) {
	// multipart is the body SailPoint's TypeScript SDK sends: multipart/form-data.
	multipart := func(fields ...string) (string, http.Header) {
		var body strings.Builder
		mw := multipart.NewWriter(&body)
		for i := 0; i+1 < len(fields); i += 2 {
			_ = mw.WriteField(fields[i], fields[i+1])
		}
		_ = mw.Close()
		return body.String(), http.Header{"Content-Type": {mw.FormDataContentType()}}
	}
	mpGood, mpGoodHeader := multipart("grant_type", "client_credentials", "client_id", DefaultClientID, "client_secret", DefaultClientSecret)
	mpBad, mpBadHeader := multipart("grant_type", "client_credentials", "client_id", DefaultClientID, "client_secret", "nope")
	tests := []struct {
		name      string
		method    string
		target    string
		form      string
		header    http.Header
		wantCode  int
		wantError string // the "error" member; "" for success
		wantDesc  string
	}{
		{name: "form credentials", form: defaultForm, wantCode: 200},
		{name: "multipart form credentials", form: mpGood, header: mpGoodHeader, wantCode: 200},
		{name: "multipart wrong secret", form: mpBad, header: mpBadHeader, wantCode: 401, wantError: "invalid_client"},
		{name: "multipart without its boundary", form: mpGood, header: http.Header{"Content-Type": {"multipart/form-data"}},
			wantCode: 400, wantError: "invalid_request"},
		{name: "wrong secret", form: "grant_type=client_credentials&client_id=" + DefaultClientID + "&client_secret=nope",
			wantCode: 401, wantError: "invalid_client", wantDesc: "Bad credentials"},
		{name: "unknown client", form: "grant_type=client_credentials&client_id=who&client_secret=" + DefaultClientSecret,
			wantCode: 401, wantError: "invalid_client", wantDesc: "Bad credentials"},
		{name: "no credentials", form: "grant_type=client_credentials", wantCode: 401, wantError: "invalid_client"},
		{name: "wrong grant", form: strings.Replace(defaultForm, "client_credentials", "password", 1),
			wantCode: 400, wantError: "unsupported_grant_type"},
		{name: "missing grant", form: "client_id=" + DefaultClientID + "&client_secret=" + DefaultClientSecret,
			wantCode: 400, wantError: "invalid_request"},
		{name: "client id in query", target: "/oauth/token?client_id=" + DefaultClientID,
			form: defaultForm, wantCode: 400, wantError: "invalid_request", wantDesc: "client credentials must not be sent in the URL"},
		{name: "all credentials in query", target: "/oauth/token?" + defaultForm,
			wantCode: 400, wantError: "invalid_request", wantDesc: "client credentials must not be sent in the URL"},
		{name: "GET", method: http.MethodGet, target: "/oauth/token?grant_type=client_credentials",
			wantCode: 405, wantError: "method_not_allowed"},
		{name: "JSON body", form: `{"grant_type":"client_credentials"}`,
			header: http.Header{"Content-Type": {"application/json"}}, wantCode: 400, wantError: "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tenant := New()
			method, target := tt.method, tt.target
			if method == "" {
				method = http.MethodPost
			}
			if target == "" {
				target = "/oauth/token"
			}
			header := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
			for k, v := range tt.header {
				header[k] = v
			}
			w := call(t, tenant, method, target, header, tt.form)
			if w.Code != tt.wantCode {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantCode, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			body := decodeJSON[map[string]any](t, w.Body.Bytes())
			if tt.wantError == "" {
				if tok, _ := body["access_token"].(string); len(tok) < 40 {
					t.Errorf("access_token %q is too short to be unguessable", tok)
				}
				return
			}
			if body["error"] != tt.wantError {
				t.Errorf("error = %v, want %q", body["error"], tt.wantError)
			}
			if tt.wantDesc != "" && body["error_description"] != tt.wantDesc {
				t.Errorf("error_description = %v, want %q", body["error_description"], tt.wantDesc)
			}
			if _, ok := body["access_token"]; ok {
				t.Error("an error response carries an access_token")
			}
		})
	}
}

func TestTokenResponseFields(t *testing.T) {
	tenant := New(WithTokenTTL(2 * time.Second))
	w := postToken(t, tenant, "/oauth/token", defaultForm)
	if w.Code != 200 {
		t.Fatalf("status = %d; body %s", w.Code, w.Body)
	}
	if got := w.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"token_type": `"bearer"`,
		"expires_in": `2`,
		"scope":      `"sp:scopes:all"`,
		"org":        `"fake-tenant"`,
	}
	for k, v := range want {
		if string(raw[k]) != v {
			t.Errorf("%s = %s, want %s", k, raw[k], v)
		}
	}
	for _, k := range []string{"access_token", "jti", "tenant_id", "pod"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("token response lacks %q", k)
		}
	}
	token := decodeJSON[tokenResponse](t, w.Body.Bytes()).AccessToken
	if other := decodeJSON[tokenResponse](t, postToken(t, tenant, "/oauth/token", defaultForm).Body.Bytes()).AccessToken; other == token {
		t.Error("two token requests got the same token")
	}
	if w := get(t, tenant, token, apiPath("v3", OpStatus, "none")); w.Code != 404 {
		t.Errorf("API call with the issued token: %d, want 404 (authenticated, unknown source)", w.Code)
	}
}

func TestTokenRequestLog(t *testing.T) {
	tenant := New()
	postToken(t, tenant, "/oauth/token", defaultForm)
	postToken(t, tenant, "/oauth/token?client_secret=leaked", defaultForm)

	log := tenant.Requests()
	if len(log) != 2 {
		t.Fatalf("%d log entries, want 2", len(log))
	}
	ok, leaked := log[0], log[1]
	if ok.Op != OpToken || ok.Version != "" || ok.ClientID != DefaultClientID || ok.StatusCode != 200 {
		t.Errorf("entry = %+v", ok)
	}
	if ok.IssuedToken == "" || ok.CredentialsInQuery {
		t.Errorf("IssuedToken %q, CredentialsInQuery %v", ok.IssuedToken, ok.CredentialsInQuery)
	}
	for _, e := range log {
		js, _ := json.Marshal(e)
		if strings.Contains(string(js), DefaultClientSecret) {
			t.Errorf("log entry JSON holds the form's client secret: %s", js)
		}
	}
	if !leaked.CredentialsInQuery || leaked.StatusCode != 400 || leaked.IssuedToken != "" {
		t.Errorf("leaking entry = %+v", leaked)
	}
	if leaked.Query.Get("client_secret") != "leaked" || leaked.RequestURI != "/oauth/token?client_secret=leaked" {
		t.Errorf("leaking entry query %v, URI %q", leaked.Query, leaked.RequestURI)
	}
	st := tenant.Stats()
	if st.TokenRequests != 2 || st.APIRequests != 0 || st.ByStatus[200] != 1 || st.ByStatus[400] != 1 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestTokenRequestBodyLimit(t *testing.T) {
	tenant := New()
	form := defaultForm + "&pad=" + url.QueryEscape(strings.Repeat("x", maxTokenRequestBody))
	if w := postToken(t, tenant, "/oauth/token", form); w.Code != 400 {
		t.Errorf("oversized form: %d, want 400", w.Code)
	}
}

func TestBearerAuthentication(t *testing.T) {
	clock := newTestClock()
	tenant := New(withClock(clock.Now), WithTokenTTL(time.Second), WithSources(testSources()...))
	long := tenant.IssueToken("other-client", time.Hour)
	expired := tenant.IssueToken(DefaultClientID, 0)
	clock.Advance(time.Second) // exactly the TTL: expired
	valid := tenant.IssueToken(DefaultClientID, 0)
	target := apiPath("v3", OpStatus, srcAD)

	tests := []struct {
		name       string
		header     string
		wantCode   int
		wantError  string
		wantClient string
	}{
		{"valid", "Bearer " + valid, 200, "", DefaultClientID},
		{"scheme is case-insensitive", "bearer " + valid, 200, "", DefaultClientID},
		{"other client, long TTL", "Bearer " + long, 200, "", "other-client"},
		{"missing", "", 401, "JWT validation failed: no Authorization header", ""},
		{"basic scheme", "Basic Zm9vOmJhcg==", 401, "JWT validation failed: Authorization header is not a bearer token", ""},
		{"empty bearer", "Bearer ", 401, "JWT validation failed: Authorization header is not a bearer token", ""},
		{"unknown", "Bearer not-a-token", 401, "JWT validation failed: JWT is invalid", ""},
		{"expired", "Bearer " + expired, 401, "JWT validation failed: JWT is expired", DefaultClientID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := http.Header{}
			if tt.header != "" {
				header.Set("Authorization", tt.header)
			}
			w := call(t, tenant, http.MethodGet, target, header, "")
			if w.Code != tt.wantCode {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantCode, w.Body)
			}
			if tt.wantError != "" {
				if got := decodeJSON[map[string]string](t, w.Body.Bytes()); len(got) != 1 || got["error"] != tt.wantError {
					t.Errorf("body = %s, want {\"error\":%q}", w.Body, tt.wantError)
				}
			}
			if e := lastRequest(t, tenant); e.ClientID != tt.wantClient || e.StatusCode != tt.wantCode {
				t.Errorf("log: client %q status %d, want %q %d", e.ClientID, e.StatusCode, tt.wantClient, tt.wantCode)
			}
		})
	}
}

func TestTokenExpiresAfterItsTTL(t *testing.T) {
	clock := newTestClock()
	tenant := New(withClock(clock.Now), WithTokenTTL(2*time.Second), WithSources(testSources()...))
	token := decodeJSON[tokenResponse](t, postToken(t, tenant, "/oauth/token", defaultForm).Body.Bytes()).AccessToken
	target := apiPath("beta", OpSummaries, srcAD)

	clock.Advance(1999 * time.Millisecond)
	if w := get(t, tenant, token, target); w.Code != 200 {
		t.Fatalf("just before expiry: %d, want 200", w.Code)
	}
	clock.Advance(time.Millisecond)
	if w := get(t, tenant, token, target); w.Code != 401 || w.Body.String() != `{"error":"JWT validation failed: JWT is expired"}` {
		t.Fatalf("at expiry: %d %s, want 401 JWT is expired", w.Code, w.Body)
	}
	// IssueToken's own lifetime outlives the tenant's.
	long := tenant.IssueToken(DefaultClientID, time.Hour)
	clock.Advance(59 * time.Minute)
	if w := get(t, tenant, long, target); w.Code != 200 {
		t.Fatalf("a token issued for an hour, after 59 minutes: %d", w.Code)
	}
}

func TestRealClockExpiry(t *testing.T) {
	// One test on the wall clock, to show WithTokenTTL(1s) works without withClock.
	t.Parallel()
	tenant := New(WithTokenTTL(time.Second), WithSources(testSources()...))
	token := tenant.IssueToken(DefaultClientID, 0)
	target := apiPath("v3", OpStatus, srcWorkday)
	if w := get(t, tenant, token, target); w.Code != 200 {
		t.Fatalf("fresh token: %d", w.Code)
	}
	time.Sleep(1100 * time.Millisecond)
	if w := get(t, tenant, token, target); w.Code != 401 {
		t.Fatalf("after the TTL: %d, want 401", w.Code)
	}
}

func TestRevokeTokens(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	target := apiPath("v2025", OpStatus, srcAD)
	before := tenant.IssueToken(DefaultClientID, time.Hour)
	if w := get(t, tenant, before, target); w.Code != 200 {
		t.Fatalf("before revocation: %d", w.Code)
	}
	tenant.RevokeTokens()
	w := get(t, tenant, before, target)
	if w.Code != 401 || w.Body.String() != `{"error":"JWT validation failed: JWT has been revoked"}` {
		t.Fatalf("revoked token: %d %s", w.Code, w.Body)
	}
	if e := lastRequest(t, tenant); e.ClientID != DefaultClientID || e.Token != before {
		t.Errorf("log entry of a revoked call: client %q token %q", e.ClientID, e.Token)
	}
	after := tenant.IssueToken(DefaultClientID, time.Hour)
	if w := get(t, tenant, after, target); w.Code != 200 {
		t.Fatalf("token issued after revocation: %d", w.Code)
	}
}
