package fakeisc

import (
	"net/http"
	"testing"
	"time"
)

func TestBearerAuthentication(t *testing.T) {
	clock := newTestClock()
	tenant := New(WithClock(clock.Now), WithTokenTTL(time.Second), WithDemoSources())
	long := tenant.IssueToken("other-client", time.Hour)
	expired := tenant.IssueToken(DefaultClientID, 0)
	clock.Advance(time.Second) // exactly the TTL: expired
	valid := tenant.IssueToken(DefaultClientID, 0)
	target := APIPath("v3", OpStatus, DemoSourceActiveDirectory)

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
	tenant := New(WithClock(clock.Now), WithTokenTTL(2*time.Second), WithDemoSources())
	token := decodeJSON[tokenResponse](t, postToken(t, tenant, "/oauth/token", defaultForm, nil).Body.Bytes()).AccessToken
	target := APIPath("beta", OpSummaries, DemoSourceActiveDirectory)

	clock.Advance(1999 * time.Millisecond)
	if w := get(t, tenant, token, target); w.Code != 200 {
		t.Fatalf("just before expiry: %d, want 200", w.Code)
	}
	// A TTL change applies to tokens issued later, not to this one.
	tenant.SetTokenTTL(time.Hour)
	clock.Advance(time.Millisecond)
	if w := get(t, tenant, token, target); w.Code != 401 || w.Body.String() != `{"error":"JWT validation failed: JWT is expired"}` {
		t.Fatalf("at expiry: %d %s, want 401 JWT is expired", w.Code, w.Body)
	}
	fresh := decodeJSON[tokenResponse](t, postToken(t, tenant, "/oauth/token", defaultForm, nil).Body.Bytes())
	if fresh.ExpiresIn != 3600 {
		t.Errorf("expires_in after SetTokenTTL(1h) = %d", fresh.ExpiresIn)
	}
}

func TestRealClockExpiry(t *testing.T) {
	// One test on the wall clock, to show WithTokenTTL(1s) works without WithClock.
	t.Parallel()
	tenant := New(WithTokenTTL(time.Second), WithDemoSources())
	token := tenant.IssueToken(DefaultClientID, 0)
	target := APIPath("v3", OpStatus, DemoSourceWorkday)
	if w := get(t, tenant, token, target); w.Code != 200 {
		t.Fatalf("fresh token: %d", w.Code)
	}
	time.Sleep(1100 * time.Millisecond)
	if w := get(t, tenant, token, target); w.Code != 401 {
		t.Fatalf("after the TTL: %d, want 401", w.Code)
	}
}

func TestRevokeTokens(t *testing.T) {
	tenant := New(WithDemoSources())
	target := APIPath("v2025", OpStatus, DemoSourceActiveDirectory)
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
