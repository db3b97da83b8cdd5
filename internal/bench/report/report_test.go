package report

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/gobench"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/machine"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/results"
)

const (
	status       = "sailpoint_source_usage_status"
	statusNoop   = "benchnoop_source_usage_status"
	fixedCost    = 500 * time.Millisecond
	perObject    = 2 * time.Millisecond   // Terraform's wall per object
	providerCost = 200 * time.Microsecond // the sailpoint provider's extra wall per object
)

// run builds a plan at n whose costs grow linearly, as the tests expect them to be read.
func run(n int, baseline bool) results.Run {
	r := results.Run{
		Wall:              fixedCost + time.Duration(n)*perObject,
		TerraformCPU:      fixedCost + time.Duration(n)*time.Millisecond,
		ProviderCPU:       100*time.Millisecond + time.Duration(n)*400*time.Microsecond,
		ProviderMaxRSSKiB: 40000,
		ProviderProcesses: 3,
		Reads:             n,
	}
	if !baseline {
		r.Wall += time.Duration(n) * providerCost
		r.ProviderCPU += time.Duration(n) * 100 * time.Microsecond
		r.APIRequests, r.TokenRequests = n, 1
	}
	return r
}

func sample() results.Results {
	r := results.Results{
		Command:          "make bench",
		Date:             time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		Machine:          machine.Info{CPUModel: "AMD EPYC", Cores: 2},
		GoVersion:        "go1.26.8",
		TerraformVersion: "1.5.7",
		ScalingRPS:       1000,
		Load:             map[string]machine.Load{results.PhasePlans: {Wall: time.Minute, Machine: 1.5, Own: 1, Others: 0.5}},
	}
	for _, n := range []int{1, 100, 1000} {
		for _, ds := range []string{status, statusNoop} {
			baseline := ds == statusNoop
			r.Scaling = append(r.Scaling, results.Scaling{DataSource: ds, Baseline: baseline, N: n, Runs: []results.Run{run(n, baseline), run(n, baseline), run(n, baseline)}})
		}
	}
	r.RateLimited = []results.RateLimited{{
		DataSource: status, N: 300, Limit: 100, Window: 10 * time.Second, Span: 30500 * time.Millisecond,
		Run: results.Run{Wall: 31 * time.Second, APIRequests: 300, TokenRequests: 1, MaxInWindow: 99, Reads: 300},
	}}
	r.GoBench = []gobench.Result{
		{Pkg: "m/internal/provider", Name: "BenchmarkReadSourceUsageStatus/replay", Median: map[string]float64{"ns/op": 90000, "B/op": 64000, "allocs/op": 1000}, Min: map[string]float64{"ns/op": 85000}, Max: map[string]float64{"ns/op": 95000}},
		{Pkg: "m/internal/provider", Name: "BenchmarkReadSourceUsageStatus/replay+logs", Median: map[string]float64{"ns/op": 160000}, Min: map[string]float64{"ns/op": 160000}, Max: map[string]float64{"ns/op": 160000}},
		{Pkg: "m/internal/bench/noopprovider", Name: "BenchmarkReadNoopSourceUsageStatus/bare", Median: map[string]float64{"ns/op": 80000}, Min: map[string]float64{"ns/op": 80000}, Max: map[string]float64{"ns/op": 80000}},
		{Pkg: "m/internal/bench/noopprovider", Name: "BenchmarkReadNoopSourceUsageStatus/logs", Median: map[string]float64{"ns/op": 100000}, Min: map[string]float64{"ns/op": 100000}, Max: map[string]float64{"ns/op": 100000}},
	}
	return r
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestPerObjectCosts(t *testing.T) {
	per, err := PerObjectCosts(sample().Scaling)
	if err != nil {
		t.Fatal(err)
	}
	if len(per) != 1 {
		t.Fatalf("%d pairs, want 1", len(per))
	}
	p := per[0]
	if p.DataSource != status || p.Baseline != statusNoop || p.NMin != 1 || p.NMax != 1000 {
		t.Fatalf("pair %+v", p)
	}
	// The fixed cost cancels out: only the per-object slopes remain.
	if !near(p.Wall, 0.0022) || !near(p.BaselineWall, 0.002) || !near(p.WallRatio(), 1.1) {
		t.Errorf("wall %v / %v = %v", p.Wall, p.BaselineWall, p.WallRatio())
	}
	if !near(p.ProviderOwnCPU(), 0.0001) || !near(p.OwnShare(), 0.1) {
		t.Errorf("own CPU %v, share %v", p.ProviderOwnCPU(), p.OwnShare())
	}
	// (1 ms + 0.5 ms) / (1 ms + 0.4 ms)
	if !near(p.CPURatio(), 1.5/1.4) {
		t.Errorf("CPU ratio %v", p.CPURatio())
	}
}

func TestPerObjectCostsNeedsABaseline(t *testing.T) {
	var only []results.Scaling
	for _, s := range sample().Scaling {
		if !s.Baseline {
			only = append(only, s)
		}
	}
	if _, err := PerObjectCosts(only); err == nil {
		t.Fatal("costs computed without a baseline")
	}
}

func TestChecks(t *testing.T) {
	r := sample()
	per, err := PerObjectCosts(r.Scaling)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Checks(r, per) {
		if !c.OK {
			t.Errorf("target missed on good figures: %s: %s", c.Target, c.Result)
		}
	}

	// A second token in one run, a wasted request, a 429 and a slow pace are all caught.
	r.Scaling[4].Runs[1].TokenRequests = 2
	r.Scaling[2].Runs[0].APIRequests = 101
	r.RateLimited[0].Run.RateLimited = 3
	r.RateLimited[0].Span = 40 * time.Second // 299 intervals in 40 s: 74.75 per 10 s
	var missed []string
	for _, c := range Checks(r, per) {
		if !c.OK {
			missed = append(missed, c.Target+": "+c.Result)
		}
	}
	want := []string{"1 token request per plan", "1 API request per `sailpoint_source_usage_status` read", "no 429", "at least 90 requests per 10 s"}
	if len(missed) != len(want) {
		t.Fatalf("missed %q, want %d misses", missed, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(missed[i], w) {
			t.Errorf("miss %d is %q, want it to start with %q", i, missed[i], w)
		}
	}
	if !strings.Contains(missed[0], "2 at sailpoint_source_usage_status N=1000") || !strings.Contains(missed[1], "N=100: 101 requests for 100 reads") {
		t.Errorf("misses do not say where: %q", missed)
	}
}

func TestMarkdown(t *testing.T) {
	md, err := Markdown(sample(), "bench/plan-time.png")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Generated by `make bench` on 2026-11-25 12:00 UTC",
		"| CPU | AMD EPYC, 2 logical cores |",
		"| load during plans | 1.50 of 2 cores busy on average over 1m0s: the benchmark 1.00, others 0.50",
		"![terraform plan wall time against N (median of 3 runs)](bench/plan-time.png)",
		"| `sailpoint_source_usage_status` | 1000 | 2.70 s |",
		"`(median(N=1000) - median(N=1)) / 999`",
		"| `sailpoint_source_usage_status` | 2.20 ms | 2.00 ms | 1.10x |",
		"| `sailpoint_source_usage_status` | 300 | 31.00 s | 300 | 1 | 0 | 99 | 98.0 | 96.8 |",
		"| internal/provider | ReadSourceUsageStatus/replay | 90.0 µs (85.0 µs-95.0 µs) | 64000 | 1000 |",
		"- `sailpoint_source_usage_status`: 5 µs of 85 µs without logging (6 %); 60 µs of 160 µs logging as under Terraform (38 %).",
		"Wall time per data source between successive N: 2.20 ms (baseline 2.00 ms) from N=1 to 100, 2.20 ms (2.00 ms) from N=100 to 1000. " +
			"It grows 1.00x from the first span to the last, the baseline 1.00x: the provider adds no growth of its own; what grows is Terraform's work per instance.",
		"Every target holds on this run.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("BENCHMARKS.md lacks %q", want)
		}
	}
	// Rows of a data source and its baseline sit together, sailpoint first.
	if i, j := strings.Index(md, "| `sailpoint_source_usage_status` | 100 |"), strings.Index(md, "| `benchnoop_source_usage_status` | 100 |"); i < 0 || j < i {
		t.Errorf("row order: sailpoint at %d, baseline at %d", i, j)
	}
}

func TestChart(t *testing.T) {
	c := Chart(sample())
	if len(c.Series) != 2 || !c.Series[1].Dashed || !strings.HasSuffix(c.Series[1].Label, "(baseline)") {
		t.Fatalf("series %+v", c.Series)
	}
	if got := c.Series[0].Points; len(got) != 3 || got[0].X != 1 || got[2].X != 1000 || !near(got[2].Y, 2.7) {
		t.Fatalf("points %+v", got)
	}
	if _, err := c.Draw(); err != nil {
		t.Fatal(err)
	}
}

func TestFormatting(t *testing.T) {
	for sec, want := range map[float64]string{0.000123: "123 µs", 0.00234: "2.34 ms", 0.0456: "45.6 ms", -0.00005: "-50 µs"} {
		if got := micros(sec); got != want {
			t.Errorf("micros(%v) = %q, want %q", sec, got, want)
		}
	}
	if got := ratio(math.NaN()); got != "n/a" {
		t.Errorf("ratio(NaN) = %q", got)
	}
	if got := BaselineOf(status); got != statusNoop {
		t.Errorf("BaselineOf = %q", got)
	}
}
