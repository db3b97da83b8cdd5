package results

import (
	"math"
	"testing"
	"time"
)

func TestMedianAndCounts(t *testing.T) {
	s := Scaling{N: 100, Runs: []Run{
		{Wall: 3 * time.Second, ProviderCPU: 300 * time.Millisecond, TerraformCPU: 2 * time.Second, ProviderMaxRSSKiB: 50000, APIRequests: 100, TokenRequests: 1, Reads: 100, ProviderProcesses: 3},
		{Wall: 9 * time.Second, ProviderCPU: 900 * time.Millisecond, TerraformCPU: 6 * time.Second, ProviderMaxRSSKiB: 52000, APIRequests: 100, TokenRequests: 1, Reads: 100, ProviderProcesses: 3},
		{Wall: 4 * time.Second, ProviderCPU: 400 * time.Millisecond, TerraformCPU: 3 * time.Second, ProviderMaxRSSKiB: 51000, APIRequests: 100, TokenRequests: 1, Reads: 100, ProviderProcesses: 3},
	}}
	m := s.Median()
	if m.Wall != 4*time.Second || m.ProviderCPU != 400*time.Millisecond || m.TerraformCPU != 3*time.Second || m.ProviderMaxRSSKiB != 51000 {
		t.Fatalf("median %+v", m)
	}
	if m.APIRequests != 100 || m.TokenRequests != 1 || !s.CountsAgree() {
		t.Fatalf("counts %+v agree=%t", m, s.CountsAgree())
	}
	s.Runs[2].TokenRequests = 2
	if s.CountsAgree() {
		t.Fatal("a second token in one run went unnoticed")
	}
	if m := s.Median(); m.TokenRequests != 2 {
		t.Fatalf("counts report the largest value, got %d", m.TokenRequests)
	}
}

func TestRates(t *testing.T) {
	r := RateLimited{N: 300, Window: 10 * time.Second, Span: 29900 * time.Millisecond, Run: Run{APIRequests: 300, Wall: 31 * time.Second}}
	if got := r.SteadyPerWindow(); math.Abs(got-100) > 1e-9 {
		t.Errorf("SteadyPerWindow = %v, want 100", got)
	}
	if got := r.PlanPerWindow(); math.Abs(got-96.7742) > 1e-3 {
		t.Errorf("PlanPerWindow = %v", got)
	}
	if got := (RateLimited{Window: time.Second, Run: Run{APIRequests: 1}}).SteadyPerWindow(); got != 0 {
		t.Errorf("one request has no rate, got %v", got)
	}
}
