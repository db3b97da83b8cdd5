package client

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// TestLimiterNeverExceedsGatewayWindow replays the default pacing over simulated time: however
// the requests bunch up, no 10 s window may hold more than the tenant's 100 requests, and the
// pacing must still use most of them.
func TestLimiterNeverExceedsGatewayWindow(t *testing.T) {
	t.Parallel() // slow: let it overlap the others
	p := newPacer(DefaultConfig().RequestsPerSecond)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var sent []time.Time
	// A caller that asks every millisecond for 60 simulated seconds.
	for now := start; now.Before(start.Add(60 * time.Second)); now = now.Add(time.Millisecond) {
		if p.limiter.AllowN(now, 1) {
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

func TestPacerRate(t *testing.T) {
	for _, rps := range []float64{0.01, 1, 10, 250} {
		p := newPacer(rps)
		if got, want := p.limiter.Limit(), rate.Limit(rps*pacingMargin); got != want || p.limiter.Burst() != 1 {
			t.Errorf("newPacer(%v): limit %v burst %d, want %v burst 1", rps, got, p.limiter.Burst(), want)
		}
	}
}

// Calls go out one slot apart: a lower bound only, as the machine may be slower.
func TestPacerSpacesCalls(t *testing.T) {
	t.Parallel()      // slow: let it overlap the others
	p := newPacer(50) // a slot every 20.4 ms
	start := time.Now()
	for range 6 {
		if err := p.wait(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took < 5*20*time.Millisecond {
		t.Errorf("6 calls at 50 per second went out within %v", took)
	}
}

func TestPacerPauseHoldsEveryCaller(t *testing.T) {
	t.Parallel() // slow: let it overlap the others
	p := newPacer(1e6)
	p.pause(300 * time.Millisecond)
	until := p.pausedUntil()
	p.pause(10 * time.Millisecond) // a shorter pause never shortens a longer one
	if !p.pausedUntil().Equal(until) {
		t.Errorf("a shorter pause moved the end from %v to %v", until, p.pausedUntil())
	}
	done := make(chan time.Time, 3)
	for range 3 {
		go func() {
			if err := p.wait(t.Context()); err != nil {
				t.Error(err)
			}
			done <- time.Now()
		}()
	}
	for range 3 {
		select {
		case at := <-done:
			if at.Before(until) {
				t.Errorf("a caller went %v before the pause ended", until.Sub(at))
			}
		case <-time.After(30 * time.Second):
			t.Fatal("a caller never went")
		}
	}
}

func TestPacerWaitCancelled(t *testing.T) {
	p := newPacer(1e6)
	p.pause(time.Hour)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := p.wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// A deadline that the pacing cannot meet ends the wait with an error that says so, one a
// caller can test with errors.Is like any other deadline.
func TestPacerWaitPastDeadline(t *testing.T) {
	p := newPacer(0.01)
	if err := p.wait(t.Context()); err != nil { // the first slot is free
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	err := p.wait(ctx) // the next slot is 100 s away
	if err == nil {
		t.Fatal("want an error")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("pacer.wait returns %q, which does not match context.DeadlineExceeded", err)
	}
}
