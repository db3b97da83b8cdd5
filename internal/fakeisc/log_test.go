package fakeisc

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"
)

func TestRequestLog(t *testing.T) {
	clock := newTestClock()
	tenant := New(withClock(clock.Now), WithSources(testSources()...))
	token := tenant.IssueToken(DefaultClientID, 0)

	call(t, tenant, http.MethodGet, apiPath("v2024", OpSummaries, srcSalesforce)+"?limit=5&access_token=oops",
		http.Header{"Authorization": {"Bearer " + token}}, "")
	clock.Advance(time.Second)
	get(t, tenant, "", "/nowhere")

	log := tenant.Requests()
	if len(log) != 2 {
		t.Fatalf("%d entries, want 2", len(log))
	}
	api, unknown := log[0], log[1]
	want := Request{
		Time:               clock.Now().Add(-time.Second),
		RequestURI:         "/v2024/source-usages/" + srcSalesforce + "/summaries?limit=5&access_token=oops",
		EscapedPath:        "/v2024/source-usages/" + srcSalesforce + "/summaries",
		Op:                 OpSummaries,
		Version:            "v2024",
		SourceID:           srcSalesforce,
		ClientID:           DefaultClientID,
		Token:              token,
		StatusCode:         200,
		CredentialsInQuery: true,
	}
	if api.Query.Get("limit") != "5" {
		t.Errorf("Query = %v", api.Query)
	}
	api.Query = nil
	if !api.Time.Equal(want.Time) {
		t.Errorf("Time = %v, want %v", api.Time, want.Time)
	}
	api.Time = want.Time
	if !reflect.DeepEqual(api, want) {
		t.Errorf("entry\n%+v\nwant\n%+v", api, want)
	}
	if unknown.Op != OpUnknown || unknown.StatusCode != 404 || unknown.Version != "" || unknown.ClientID != "" {
		t.Errorf("unknown entry = %+v", unknown)
	}

	// Requests returns a copy.
	log[0].Query.Set("limit", "999")
	if got := tenant.Requests()[0].Query.Get("limit"); got != "5" {
		t.Errorf("changing a returned entry changed the log: %q", got)
	}
}

func TestResetKeepsSourcesClientsAndTokens(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	tenant.Inject(ServerError(500))
	token := tenant.IssueToken(DefaultClientID, 0)
	target := apiPath("v3", OpStatus, srcAD)
	get(t, tenant, token, target)
	postToken(t, tenant, "/oauth/token", defaultForm)

	tenant.Reset()
	if log := tenant.Requests(); len(log) != 0 {
		t.Errorf("log after Reset has %d entries", len(log))
	}
	if st := tenant.Stats(); st.APIRequests != 0 || st.TokenRequests != 0 || len(st.ByStatus) != 0 || st.MaxInWindow != 0 {
		t.Errorf("Stats after Reset = %+v", st)
	}
	if w := get(t, tenant, token, target); w.Code != 200 {
		t.Errorf("after Reset (fault cleared, token kept, source kept): %d", w.Code)
	}
	if w := postToken(t, tenant, "/oauth/token", defaultForm); w.Code != 200 {
		t.Errorf("client after Reset: %d", w.Code)
	}
}

// startHeld starts a request that a Delay(time.Minute) fault holds until release is
// called, and waits until the tenant has logged its arrival. release returns once the
// handler has returned.
func startHeld(t *testing.T, tenant *Tenant) (release func()) {
	t.Helper()
	tenant.Inject(Delay(time.Minute).Once())
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequestWithContext(ctx, http.MethodGet, apiPath("v3", OpStatus, srcAD), nil)
	r.Header.Set("Authorization", "Bearer "+tenant.IssueToken(DefaultClientID, 0))
	before := len(tenant.Requests())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tenant.ServeHTTP(httptest.NewRecorder(), r)
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		if len(tenant.Requests()) > before {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the held request never arrived")
		}
	}
	return func() { cancel(); <-done }
}

func TestRequestInFlightAcrossReset(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	release := startHeld(t, tenant)
	if e := tenant.Requests()[0]; e.StatusCode != 0 {
		t.Errorf("in-flight entry has status %d, want 0", e.StatusCode)
	}
	tenant.Reset()
	release()
	if n, st := len(tenant.Requests()), tenant.Stats(); n != 0 || st.APIRequests != 0 || len(st.ByStatus) != 0 {
		t.Errorf("a request begun before Reset leaked into the new log (%d) or Stats (%+v)", n, st)
	}
}
