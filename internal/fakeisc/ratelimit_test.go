package fakeisc

import (
	"testing"
	"time"
)

func TestRateLimiter(t *testing.T) {
	clock := newTestClock()
	tenant := New(WithClock(clock.Now), WithRateLimit(3, 10*time.Second), WithDemoSources(),
		WithClient(DefaultClientID, DefaultClientSecret), WithClient("other", "secret"))
	mine := tenant.IssueToken(DefaultClientID, time.Hour)
	theirs := tenant.IssueToken("other", time.Hour)
	status := func(token, version string) (int, string) {
		w := get(t, tenant, token, APIPath(version, OpStatus, DemoSourceActiveDirectory))
		return w.Code, w.Header().Get("Retry-After")
	}
	expect := func(step string, token, version string, wantCode int, wantRetry string) {
		t.Helper()
		code, retry := status(token, version)
		if code != wantCode || retry != wantRetry {
			t.Errorf("%s: %d Retry-After %q, want %d %q", step, code, retry, wantCode, wantRetry)
		}
	}

	for range 3 {
		expect("within the limit", mine, "v3", 200, "")
		clock.Advance(time.Second)
	}
	// Slots were taken at t=0s, 1s, 2s; now is 3s, so the first frees in 7s.
	expect("over the limit", mine, "v3", 429, "7")
	w := get(t, tenant, mine, APIPath("v3", OpSummaries, DemoSourceActiveDirectory))
	if w.Code != 429 || w.Body.String() != `{"message":" Rate Limit Exceeded "}` {
		t.Errorf("429 body: %d %s", w.Code, w.Body)
	}
	expect("another version has its own budget", mine, "beta", 200, "")
	expect("the per-service form has its own budget", mine, "v1", 200, "")
	expect("another client has its own budget", theirs, "v3", 200, "")

	clock.Advance(6500 * time.Millisecond) // 9.5s: the first slot frees at 10s
	expect("half a second before a slot frees: rounded up", mine, "v3", 429, "1")
	clock.Advance(500 * time.Millisecond)
	expect("the first slot has freed", mine, "v3", 200, "")
	// Rejected requests took no slot: the next frees at 11s.
	expect("full again", mine, "v3", 429, "1")

	// Token requests and unauthenticated calls do not count.
	for range 5 {
		if w := postToken(t, tenant, "/oauth/token", defaultForm, nil); w.Code != 200 {
			t.Fatalf("token request: %d", w.Code)
		}
		if w := get(t, tenant, "", APIPath("v3", OpStatus, DemoSourceActiveDirectory)); w.Code != 401 {
			t.Fatalf("unauthenticated: %d", w.Code)
		}
	}

	st := tenant.Stats()
	if st.RateLimited != 4 || st.ByStatus[429] != 4 {
		t.Errorf("RateLimited %d, 429s %d, want 4", st.RateLimited, st.ByStatus[429])
	}
	// For (mine, v3), arrivals at 0, 1, 2, 3, 3, 9.5, 10 and 10s: the seven from 1s to 10s
	// fall within one 10s span. Rejected calls count: the client sent them.
	if st.MaxInWindow != 7 {
		t.Errorf("MaxInWindow = %d, want 7", st.MaxInWindow)
	}

	tenant.SetRateLimit(0, 0)
	for range 10 {
		expect("limit off", mine, "v3", 200, "")
	}
}

func TestRateLimiterReset(t *testing.T) {
	clock := newTestClock()
	tenant := New(WithClock(clock.Now), WithRateLimit(1, time.Minute), WithDemoSources())
	token := tenant.IssueToken(DefaultClientID, 0)
	target := APIPath("v3", OpStatus, DemoSourceActiveDirectory)
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
			tenant := New(WithClock(clock.Now), WithRateLimit(0, tt.window), WithDemoSources())
			token := tenant.IssueToken(DefaultClientID, 24*time.Hour)
			for _, at := range tt.arrival {
				clock.Advance(start.Add(at).Sub(clock.Now()))
				get(t, tenant, token, APIPath("v3", OpStatus, DemoSourceActiveDirectory))
				// Other versions and clients must not add to the count.
				get(t, tenant, token, APIPath("beta", OpStatus, DemoSourceActiveDirectory))
			}
			if got := tenant.Stats().MaxInWindow; got != tt.want {
				t.Errorf("MaxInWindow = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	tests := []struct {
		wait time.Duration
		want int
	}{
		{0, 1}, {-time.Second, 1}, {time.Nanosecond, 1}, {300 * time.Millisecond, 1},
		{time.Second, 1}, {1200 * time.Millisecond, 2}, {10 * time.Second, 10},
	}
	for _, tt := range tests {
		if got := retryAfterSeconds(tt.wait); got != tt.want {
			t.Errorf("retryAfterSeconds(%v) = %d, want %d", tt.wait, got, tt.want)
		}
	}
}
