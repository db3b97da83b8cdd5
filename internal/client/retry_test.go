package client

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"1", time.Second, true},
		{" 7 ", 7 * time.Second, true},
		{"-3", 0, false},
		{"soon", 0, false},
		{"1.5", 0, false},
		{"99999999999", MaxRetryAfter, true},
		{now.Add(3 * time.Second).Format(http.TimeFormat), 3 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{now.Add(24 * time.Hour).Format(http.TimeFormat), MaxRetryAfter, true},
		{"Wed, 25 Nov 2026 12:00:02 GMT", 2 * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	minWait, maxWait := 100*time.Millisecond, 2*time.Second
	for attempt := 0; attempt < 10; attempt++ {
		ceiling := minWait << attempt
		if ceiling > maxWait {
			ceiling = maxWait
		}
		for i := 0; i < 50; i++ {
			got := backoff(minWait, maxWait, attempt, nil)
			if got < minWait || got > ceiling {
				t.Fatalf("attempt %d: backoff %v outside [%v, %v]", attempt, got, minWait, ceiling)
			}
		}
	}
	resp := &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"3"}}}
	if got := backoff(minWait, maxWait, 0, resp); got != 3*time.Second {
		t.Errorf("429 with Retry-After 3: waited %v", got)
	}
	resp = &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"2"}}}
	if got := backoff(minWait, maxWait, 0, resp); got != 2*time.Second {
		t.Errorf("503 with Retry-After 2: waited %v", got)
	}
	resp = &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{}}
	if got := backoff(minWait, maxWait, 0, resp); got < minWait || got > minWait {
		t.Errorf("429 without Retry-After: waited %v, want the first backoff step", got)
	}
}

func TestCheckRetry(t *testing.T) {
	ctx := context.Background()
	for code, want := range map[int]bool{200: false, 400: false, 401: false, 403: false, 404: false, 409: false, 429: true, 500: true, 501: false, 502: true, 503: true, 504: true} {
		got, err := checkRetry(ctx, &http.Response{StatusCode: code}, nil)
		if got != want || err != nil {
			t.Errorf("status %d: retry=%v err=%v, want retry=%v", code, got, err, want)
		}
	}
	if got, _ := checkRetry(ctx, nil, &url.Error{Op: "Get", URL: "https://x", Err: errors.New("connection reset by peer")}); !got {
		t.Error("a connection error must be retried")
	}
	if got, _ := checkRetry(ctx, nil, &url.Error{Op: "Get", URL: "https://x", Err: &attemptTimeoutError{timeout: time.Second}}); !got {
		t.Error("an attempt timeout must be retried")
	}
	certErr := &url.Error{Op: "Get", URL: "https://x", Err: fmt.Errorf("tls: %w", x509.UnknownAuthorityError{})}
	if got, _ := checkRetry(ctx, nil, certErr); got {
		t.Error("a certificate error must not be retried")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if got, err := checkRetry(cancelled, &http.Response{StatusCode: 503}, nil); got || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: retry=%v err=%v", got, err)
	}
}

// TestLimiterNeverExceedsGatewayWindow replays the limiter over simulated time: however the
// requests bunch up, no 10 s window may hold more than the tenant's 100 requests, and the
// pacing must still use most of them.
func TestLimiterNeverExceedsGatewayWindow(t *testing.T) {
	lim := newLimiter(DefaultRequestsPerSecond)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var sent []time.Time
	// A caller that asks every millisecond for 60 simulated seconds.
	for now := start; now.Before(start.Add(60 * time.Second)); now = now.Add(time.Millisecond) {
		if lim.AllowN(now, 1) {
			sent = append(sent, now)
		}
	}
	most := 0
	for i := range sent {
		j := i
		for j < len(sent) && sent[j].Sub(sent[i]) < 10*time.Second {
			j++
		}
		most = max(most, j-i)
	}
	if most > 100 {
		t.Errorf("a 10 s window held %d requests; the tenant allows 100", most)
	}
	if most < 90 {
		t.Errorf("a 10 s window held only %d requests; the pacing wastes the tenant's limit", most)
	}
}
