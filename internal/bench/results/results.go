// Package results is the data model of one `make bench`: what was run, on what machine, and
// every measurement. The bench program writes it as JSON beside BENCHMARKS.md, so that the
// figures can be compared between runs without parsing Markdown.
package results

import (
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/gobench"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/machine"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/stats"
)

// Results is everything one benchmark run produced.
type Results struct {
	Command          string       `json:"command"`
	Date             time.Time    `json:"date"`
	Machine          machine.Info `json:"machine"`
	GoVersion        string       `json:"goVersion"`
	TerraformVersion string       `json:"terraformVersion"`
	// Parallelism is Terraform's -parallelism; 0 means its default, 10.
	Parallelism int `json:"parallelism"`
	// ScalingRPS is the provider's requests_per_second in the scaling runs.
	ScalingRPS float64 `json:"scalingRps"`

	Scaling     []Scaling               `json:"scaling"`
	RateLimited []RateLimited           `json:"rateLimited"`
	ForEach     []ForEachForm           `json:"forEach"`
	GoBench     []gobench.Result        `json:"goBench"`
	GoBenchCmd  string                  `json:"goBenchCommand"`
	Load        map[string]machine.Load `json:"load"` // by phase: "plans", "go test"
	Duration    time.Duration           `json:"duration"`
}

// Phases of Load.
const (
	PhasePlans   = "plans"
	PhaseGoBench = "go test -bench"
)

// Scaling is the repeated plan runs of one data source type at one N.
type Scaling struct {
	DataSource string `json:"dataSource"`
	// Baseline marks the no-op provider's data sources.
	Baseline bool  `json:"baseline"`
	N        int   `json:"n"`
	Runs     []Run `json:"runs"`
}

// Run is one `terraform plan`.
type Run struct {
	Wall time.Duration `json:"wall"`
	// ProviderCPU is the user+system time of the provider processes of the plan.
	ProviderCPU time.Duration `json:"providerCpu"`
	// TerraformCPU is Terraform's own user+system time, plugins excluded.
	TerraformCPU time.Duration `json:"terraformCpu"`
	// ProviderMaxRSSKiB is the largest peak RSS of any provider process of the plan.
	ProviderMaxRSSKiB int64 `json:"providerMaxRssKiB"`
	// ProviderProcesses counts the provider processes Terraform started.
	ProviderProcesses int `json:"providerProcesses"`
	// Reads counts the data source reads Terraform reported.
	Reads int `json:"reads"`
	// The fake tenant's counters for the plan (GET /__fake/stats).
	APIRequests   int `json:"apiRequests"`
	TokenRequests int `json:"tokenRequests"`
	RateLimited   int `json:"rateLimited"`
	MaxInWindow   int `json:"maxInWindow"`
}

// Median is the median of each measured field over the runs. Counts are not medians: they
// are exact and must agree between runs, so Median reports their largest value and Counts
// tells whether they agreed.
func (s Scaling) Median() Run {
	var wall, pcpu, tcpu []time.Duration
	var rss []int64
	var m Run
	for _, r := range s.Runs {
		wall, pcpu, tcpu, rss = append(wall, r.Wall), append(pcpu, r.ProviderCPU), append(tcpu, r.TerraformCPU), append(rss, r.ProviderMaxRSSKiB)
		m.ProviderProcesses = max(m.ProviderProcesses, r.ProviderProcesses)
		m.Reads = max(m.Reads, r.Reads)
		m.APIRequests = max(m.APIRequests, r.APIRequests)
		m.TokenRequests = max(m.TokenRequests, r.TokenRequests)
		m.RateLimited = max(m.RateLimited, r.RateLimited)
		m.MaxInWindow = max(m.MaxInWindow, r.MaxInWindow)
	}
	m.Wall, m.ProviderCPU, m.TerraformCPU, m.ProviderMaxRSSKiB = stats.Median(wall), stats.Median(pcpu), stats.Median(tcpu), stats.Median(rss)
	return m
}

// CountsAgree reports whether every run saw the same exact counts.
func (s Scaling) CountsAgree() bool {
	for _, r := range s.Runs[min(1, len(s.Runs)):] {
		f := s.Runs[0]
		if r.Reads != f.Reads || r.APIRequests != f.APIRequests || r.TokenRequests != f.TokenRequests || r.RateLimited != f.RateLimited || r.ProviderProcesses != f.ProviderProcesses {
			return false
		}
	}
	return true
}

// ForEachForm is one plan of the baseline with one way of writing for_each (see
// tfconfig.ForEach): Terraform's own cost, which the form changes by an order of magnitude.
type ForEachForm struct {
	// Expression is the for_each expression, e.g. "toset(local.source_ids)".
	Expression string `json:"expression"`
	DataSource string `json:"dataSource"`
	N          int    `json:"n"`
	Run        Run    `json:"run"`
}

// RateLimited is a plan against a fake that enforces a rate limit, with the provider's
// default settings.
type RateLimited struct {
	DataSource string        `json:"dataSource"`
	N          int           `json:"n"`
	Limit      int           `json:"limit"`
	Window     time.Duration `json:"window"`
	Run        Run           `json:"run"`
	// Span is the time from the first to the last API request the fake received.
	Span time.Duration `json:"span"`
}

// SteadyPerWindow is the rate between the first and the last API request, per window:
// the provider's pacing, without Terraform's start-up.
func (r RateLimited) SteadyPerWindow() float64 {
	if r.Run.APIRequests < 2 {
		return 0
	}
	return stats.PerWindow(r.Run.APIRequests-1, r.Span, r.Window)
}

// PlanPerWindow is the rate over the whole plan, per window: what a user sees.
func (r RateLimited) PlanPerWindow() float64 {
	return stats.PerWindow(r.Run.APIRequests, r.Run.Wall, r.Window)
}
