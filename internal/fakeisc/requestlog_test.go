package fakeisc

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"
)

func TestRequestLog(t *testing.T) {
	clock := newTestClock()
	tenant := New(WithClock(clock.Now), WithDemoSources())
	token := tenant.IssueToken(DefaultClientID, 0)

	call(t, tenant, http.MethodGet, APIPath("v2024", OpSummaries, DemoSourceSalesforce)+"?limit=5&access_token=oops",
		http.Header{"Authorization": {"Bearer " + token}, "User-Agent": {"tf-provider/1.0"}}, "")
	clock.Advance(time.Second)
	get(t, tenant, "", "/nowhere")

	log := tenant.Requests()
	if len(log) != 2 {
		t.Fatalf("%d entries, want 2", len(log))
	}
	api, unknown := log[0], log[1]
	want := Request{
		Time:               clock.Now().Add(-time.Second),
		Method:             http.MethodGet,
		RequestURI:         "/v2024/source-usages/" + DemoSourceSalesforce + "/summaries?limit=5&access_token=oops",
		EscapedPath:        "/v2024/source-usages/" + DemoSourceSalesforce + "/summaries",
		Op:                 OpSummaries,
		Version:            "v2024",
		SourceID:           DemoSourceSalesforce,
		ClientID:           DefaultClientID,
		Token:              token,
		UserAgent:          "tf-provider/1.0",
		StatusCode:         200,
		CredentialsInQuery: true,
	}
	if api.Query.Get("limit") != "5" {
		t.Errorf("Query = %v", api.Query)
	}
	api.Query, api.Duration = nil, 0
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
	tenant := New(WithDemoSources())
	tenant.Inject(ServerError(500))
	token := tenant.IssueToken(DefaultClientID, 0)
	target := APIPath("v3", OpStatus, DemoSourceActiveDirectory)
	get(t, tenant, token, target)
	postToken(t, tenant, "/oauth/token", defaultForm, nil)

	tenant.Reset()
	if log := tenant.Requests(); len(log) != 0 {
		t.Errorf("log after Reset has %d entries", len(log))
	}
	if st := tenant.Stats(); st.APIRequests != 0 || st.TokenRequests != 0 || st.TokensIssued != 0 || len(st.ByStatus) != 0 || st.MaxInWindow != 0 {
		t.Errorf("Stats after Reset = %+v", st)
	}
	if w := get(t, tenant, token, target); w.Code != 200 {
		t.Errorf("after Reset (fault cleared, token kept, source kept): %d", w.Code)
	}
	if w := postToken(t, tenant, "/oauth/token", defaultForm, nil); w.Code != 200 {
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
	r := httptest.NewRequestWithContext(ctx, http.MethodGet, APIPath("v3", OpStatus, DemoSourceActiveDirectory), nil)
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
	tenant := New(WithDemoSources())
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

func TestWaitIdle(t *testing.T) {
	tenant := New(WithDemoSources())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tenant.WaitIdle(ctx); err != nil {
		t.Fatalf("idle tenant: %v", err)
	}

	release := startHeld(t, tenant)
	short, cancelShort := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancelShort()
	if err := tenant.WaitIdle(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitIdle during a held request: %v, want a deadline error", err)
	}
	go release()
	if err := tenant.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	if e := tenant.Requests()[0]; e.StatusCode != statusClientClosed {
		t.Errorf("after WaitIdle the entry has status %d, want %d", e.StatusCode, statusClientClosed)
	}
	// Idle, busy and idle again: the idle signal is re-armed.
	release = startHeld(t, tenant)
	if err := tenant.WaitIdle(short); err == nil {
		t.Error("WaitIdle returned during the second held request")
	}
	release()
	if err := tenant.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
}
