// Package report turns the results of `make bench` into BENCHMARKS.md and the chart of plan
// time against N: the per-data-source costs and their ratios to the baseline, a verdict on
// each target of the performance issue, and the tables.
package report

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/noopprovider"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/results"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/stats"
)

// BaselineOf returns the no-op data source type that mirrors a sailpoint one.
func BaselineOf(dataSource string) string {
	return noopprovider.TypeName + strings.TrimPrefix(dataSource, "sailpoint")
}

// PerObject is the marginal cost of one data source instance (see stats.Marginal), for a
// sailpoint data source and for its baseline. All values are seconds per data source.
type PerObject struct {
	DataSource, Baseline string
	NMin, NMax           int

	Wall, BaselineWall float64
	// ProviderCPU and TerraformCPU are the sailpoint plans' provider and Terraform CPU;
	// the Baseline ones the no-op plans'.
	ProviderCPU, BaselineProviderCPU   float64
	TerraformCPU, BaselineTerraformCPU float64
}

// WallRatio is the wall time of one more sailpoint data source over one more baseline one.
func (p PerObject) WallRatio() float64 { return stats.Ratio(p.Wall, p.BaselineWall) }

// CPURatio is the CPU (Terraform plus provider) of one more sailpoint data source over one
// more baseline one.
func (p PerObject) CPURatio() float64 {
	return stats.Ratio(p.TerraformCPU+p.ProviderCPU, p.BaselineTerraformCPU+p.BaselineProviderCPU)
}

// ProviderOwnCPU is the provider's own work per read: its CPU above the no-op provider's,
// which does the same framework work (decode config, encode state) and nothing else.
func (p PerObject) ProviderOwnCPU() float64 { return p.ProviderCPU - p.BaselineProviderCPU }

// OwnShare is ProviderOwnCPU as a fraction of Terraform's own CPU per object (measured in
// the baseline plans, where nothing else competes).
func (p PerObject) OwnShare() float64 { return stats.Ratio(p.ProviderOwnCPU(), p.BaselineTerraformCPU) }

// PerObjectCosts pairs every sailpoint data source of the scaling runs with its baseline and
// computes their marginal costs from the medians at the smallest and the largest N.
func PerObjectCosts(scaling []results.Scaling) ([]PerObject, error) {
	type metric func(results.Run) float64
	series := map[string][]results.Scaling{}
	for _, s := range scaling {
		series[s.DataSource] = append(series[s.DataSource], s)
	}
	marginal := func(dataSource string, m metric) (float64, int, int, error) {
		var pts []stats.Point
		for _, s := range series[dataSource] {
			pts = append(pts, stats.Point{N: s.N, Value: m(s.Median())})
		}
		v, err := stats.Marginal(pts)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("%s: %w", dataSource, err)
		}
		lo, hi := math.MaxInt, 0
		for _, p := range pts {
			lo, hi = min(lo, p.N), max(hi, p.N)
		}
		return v, lo, hi, nil
	}
	wall := func(r results.Run) float64 { return r.Wall.Seconds() }
	pcpu := func(r results.Run) float64 { return r.ProviderCPU.Seconds() }
	tcpu := func(r results.Run) float64 { return r.TerraformCPU.Seconds() }

	var names []string
	for name, runs := range series {
		if !runs[0].Baseline {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var out []PerObject
	for _, name := range names {
		p := PerObject{DataSource: name, Baseline: BaselineOf(name)}
		if len(series[p.Baseline]) == 0 {
			return nil, fmt.Errorf("no baseline runs (%s) for %s", p.Baseline, name)
		}
		var err error
		for _, f := range []struct {
			ds  string
			m   metric
			dst *float64
		}{
			{name, wall, &p.Wall}, {p.Baseline, wall, &p.BaselineWall},
			{name, pcpu, &p.ProviderCPU}, {p.Baseline, pcpu, &p.BaselineProviderCPU},
			{name, tcpu, &p.TerraformCPU}, {p.Baseline, tcpu, &p.BaselineTerraformCPU},
		} {
			if *f.dst, p.NMin, p.NMax, err = marginal(f.ds, f.m); err != nil {
				return nil, err
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// Check is the verdict on one target.
type Check struct {
	Target string
	Result string
	OK     bool
}

// OwnShareLimit is what "small against Terraform's own cost per object" means here: the
// provider's own CPU per read below a quarter of Terraform's CPU per object.
const OwnShareLimit = 0.25

// MinShareOfLimit is the rate target under the limit: 90 of the 100 requests per 10 s.
const MinShareOfLimit = 0.9

// Checks judges the targets of the performance issue against r.
func Checks(r results.Results, per []PerObject) []Check {
	var checks []Check

	// Tokens: exactly one per plan for the sailpoint provider, none for the baseline.
	tokens := Check{Target: "1 token request per plan, whatever N", OK: true}
	var seen []string
	for _, s := range r.Scaling {
		want := 1
		if s.Baseline {
			want = 0
		}
		for _, run := range s.Runs {
			if run.TokenRequests != want {
				tokens.OK = false
				seen = append(seen, fmt.Sprintf("%d at %s N=%d", run.TokenRequests, s.DataSource, s.N))
			}
		}
	}
	for _, rl := range r.RateLimited {
		if rl.Run.TokenRequests != 1 {
			tokens.OK = false
			seen = append(seen, fmt.Sprintf("%d in the rate-limited %s run", rl.Run.TokenRequests, rl.DataSource))
		}
	}
	if tokens.OK {
		tokens.Result = fmt.Sprintf("1 in each of the %d sailpoint plans (N = %s), 0 in the baseline plans", sailpointPlans(r), nList(r))
	} else {
		tokens.Result = "not always: " + strings.Join(seen, ", ")
	}
	checks = append(checks, tokens)

	// API requests: one per read, for both data sources (12 rows fit one page of 250).
	for _, ds := range sailpointDataSources(r) {
		c := Check{Target: fmt.Sprintf("1 API request per `%s` read", ds), OK: true}
		if strings.HasSuffix(ds, "_usages") {
			c.Target = fmt.Sprintf("1 API request per page of `%s` (12 rows: 1 page)", ds)
		}
		var bad []string
		for _, s := range r.Scaling {
			if s.DataSource != ds {
				continue
			}
			for _, run := range s.Runs {
				if run.APIRequests != s.N || run.Reads != s.N {
					c.OK = false
					bad = append(bad, fmt.Sprintf("N=%d: %d requests for %d reads", s.N, run.APIRequests, run.Reads))
				}
			}
		}
		for _, rl := range r.RateLimited {
			if rl.DataSource == ds && rl.Run.APIRequests != rl.N {
				c.OK = false
				bad = append(bad, fmt.Sprintf("rate-limited N=%d: %d requests", rl.N, rl.Run.APIRequests))
			}
		}
		if c.OK {
			c.Result = fmt.Sprintf("exactly N requests for N reads in every run (N = %s)", nList(r))
		} else {
			c.Result = strings.Join(bad, "; ")
		}
		checks = append(checks, c)
	}

	for _, rl := range r.RateLimited {
		c := Check{
			Target: fmt.Sprintf("no 429 under %d requests per %s (%s, N = %d, default settings)", rl.Limit, shortDuration(rl.Window), rl.DataSource, rl.N),
			OK:     rl.Run.RateLimited == 0,
			Result: fmt.Sprintf("%d 429s; at most %d requests in any %s window", rl.Run.RateLimited, rl.Run.MaxInWindow, shortDuration(rl.Window)),
		}
		checks = append(checks, c)
		rate, least := rl.SteadyPerWindow(), MinShareOfLimit*float64(rl.Limit)
		checks = append(checks, Check{
			Target: fmt.Sprintf("at least %.0f requests per %s (%s)", least, shortDuration(rl.Window), rl.DataSource),
			OK:     rate >= least,
			Result: fmt.Sprintf("%.1f per %s between the first and the last request; %.1f over the whole plan including Terraform's start-up",
				rate, shortDuration(rl.Window), rl.PlanPerWindow()),
		})
	}

	for _, p := range per {
		checks = append(checks, Check{
			Target: fmt.Sprintf("provider's own work per `%s` read small against Terraform's per-object cost (< %.0f %%)", p.DataSource, OwnShareLimit*100),
			OK:     p.OwnShare() < OwnShareLimit,
			Result: fmt.Sprintf("%s of provider CPU above the baseline per read vs %s of Terraform CPU per object (%.0f %%); wall per data source %.2fx the baseline",
				micros(p.ProviderOwnCPU()), micros(p.BaselineTerraformCPU), p.OwnShare()*100, p.WallRatio()),
		})
	}
	return checks
}

func sailpointDataSources(r results.Results) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range r.Scaling {
		if !s.Baseline && !seen[s.DataSource] {
			seen[s.DataSource] = true
			out = append(out, s.DataSource)
		}
	}
	sort.Strings(out)
	return out
}

func sailpointPlans(r results.Results) int {
	n := len(r.RateLimited)
	for _, s := range r.Scaling {
		if !s.Baseline {
			n += len(s.Runs)
		}
	}
	return n
}

// nList is the distinct N of the scaling runs, e.g. "1, 100, 1000".
func nList(r results.Results) string {
	seen := map[int]bool{}
	var ns []int
	for _, s := range r.Scaling {
		if !seen[s.N] {
			seen[s.N] = true
			ns = append(ns, s.N)
		}
	}
	sort.Ints(ns)
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts, ", ")
}

// micros formats seconds as microseconds, or milliseconds from 1 ms up.
func micros(sec float64) string {
	switch {
	case math.Abs(sec) >= 0.01:
		return fmt.Sprintf("%.1f ms", sec*1e3)
	case math.Abs(sec) >= 0.001:
		return fmt.Sprintf("%.2f ms", sec*1e3)
	}
	return fmt.Sprintf("%.0f µs", sec*1e6)
}

// shortDuration formats a window such as 10s as "10 s".
func shortDuration(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return d.String()
}
