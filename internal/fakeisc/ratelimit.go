package fakeisc

import (
	"time"
)

// rateKey identifies one budget: ISC limits each client id in each API version separately.
type rateKey struct {
	clientID, version string
}

// rateLimiter is a sliding-window limiter: at most limit requests admitted in any span of
// length window. Rejected requests do not take a slot, so a client that waits as told by
// Retry-After always gets through. It is guarded by Tenant.mu.
type rateLimiter struct {
	limit    int // 0: off
	window   time.Duration
	admitted map[rateKey][]time.Time // admission times within the window, oldest first
}

func newRateLimiter(limit int, window time.Duration) rateLimiter {
	var l rateLimiter
	l.configure(limit, window)
	return l
}

// configure sets the limit (<= 0: off) and the window (<= 0: DefaultRateWindow).
func (l *rateLimiter) configure(limit int, window time.Duration) {
	if window <= 0 {
		window = DefaultRateWindow
	}
	l.limit, l.window = max(limit, 0), window
}

// windowOrDefault returns the configured window.
func (l *rateLimiter) windowOrDefault() time.Duration {
	if l.window <= 0 {
		return DefaultRateWindow
	}
	return l.window
}

// clear forgets every admitted request.
func (l *rateLimiter) clear() {
	l.admitted = nil
}

// admit takes a slot for key at now, or, when the window is full, returns how long until
// the oldest slot frees. Nothing is admitted or rejected while the limiter is off.
func (l *rateLimiter) admit(key rateKey, now time.Time) (wait time.Duration, ok bool) {
	if l.limit <= 0 {
		return 0, true
	}
	times := l.admitted[key]
	drop := 0
	for drop < len(times) && now.Sub(times[drop]) >= l.window {
		drop++
	}
	times = times[drop:]
	if len(times) >= l.limit {
		l.admitted[key] = times
		return times[0].Add(l.window).Sub(now), false
	}
	if l.admitted == nil {
		l.admitted = make(map[rateKey][]time.Time)
	}
	l.admitted[key] = append(times, now)
	return 0, true
}

// retryAfterSeconds renders a wait as the whole seconds of a Retry-After header, rounded
// up and at least 1: waiting "0" seconds would be a busy loop, and rounding down would
// send the client back before its slot frees.
func retryAfterSeconds(wait time.Duration) int {
	secs := int((wait + time.Second - 1) / time.Second)
	return max(secs, 1)
}
