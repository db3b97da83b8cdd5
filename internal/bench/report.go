package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"text/template"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/noop"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// Results is what one make bench measured; bench/results.json holds the latest.
type Results struct {
	Started   time.Time
	Duration  time.Duration
	Machine   Machine
	RPS       float64       // the provider's default requests_per_second
	RateLimit int           // requests per Window the fake allowed per access token
	Window    time.Duration //
	TokenTTL  time.Duration // of the fake's access tokens
	CPUReads  int           // reads of each per-source data source per provider, CPU comparison
	CPU       []Run         // sailpoint and the baseline in the same plans
	Profile   Profile       // of the sailpoint provider over the CPU comparison's reads
	Scaling   []Run         // for_each over N sources at the default pacing, N ascending
	Report    Run           // the usage report on the largest tenant
	// The account plans, on one COMPLETE source's generated accounts:
	AccountReport  Run    // the account usage report at the default pacing, under the rate limit
	AccountForEach Run    // for_each over sailpoint_account_usages, the report's enabled accounts
	Unthrottled    Run    // the account report on many more accounts, with neither limit nor pacing
	GoBench        string // go test -bench result lines
	Targets        []Target
}

// Machine is where the run took place.
type Machine struct {
	CPU, Go, Terraform string
	Cores              int
	LoadStart, LoadEnd string // one-minute load average
}

// Profile is what pprof showed of both provider processes in one plan.
type Profile struct {
	Reads  int    // of each per-source data source, per provider
	Top    string // go tool pprof -top -cum of the sailpoint provider's
	Shares []Share
}

// Share is the percentage of each provider's CPU samples whose stack has a function that
// starts with Pattern.
type Share struct {
	What, Pattern       string
	Sailpoint, Baseline float64
}

// Target is a promise and whether this run kept it. Timed ones depend on a quiet machine;
// the others are exact counts.
type Target struct {
	What, Result string
	Holds, Timed bool
}

// Ratio is the sailpoint provider's CPU over the baseline's, in a run with both.
func (r Run) Ratio() float64 {
	return r.Providers["sailpoint"].CPU.Seconds() / r.Providers[noop.TypeName].CPU.Seconds()
}

// Floor is how long the run's API requests take at rps: the rate limit's lower bound.
func (r Run) Floor(rps float64) time.Duration {
	return time.Duration(float64(r.API) / rps * float64(time.Second))
}

// CPURatio is the median ratio of the CPU comparison's runs.
func (res *Results) CPURatio() float64 {
	var rs []float64
	for _, r := range res.CPU {
		rs = append(rs, r.Ratio())
	}
	slices.Sort(rs)
	if len(rs) == 0 {
		return math.NaN()
	}
	return rs[len(rs)/2]
}

// PeakRSS is a provider's largest peak RSS over the CPU comparison's runs.
func (res *Results) PeakRSS(name string) int64 {
	var peak int64
	for _, r := range res.CPU {
		peak = max(peak, r.Providers[name].MaxRSS)
	}
	return peak
}

// ExtraPerRead is the median of the sailpoint provider's CPU above the baseline's per read.
func (res *Results) ExtraPerRead() string {
	var extra []time.Duration
	for _, r := range res.CPU {
		extra = append(extra, r.Providers["sailpoint"].CPU-r.Providers[noop.TypeName].CPU)
	}
	slices.Sort(extra)
	if len(extra) == 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f µs", float64(extra[len(extra)/2]/time.Microsecond)/float64(2*res.CPUReads))
}

// runs are the plans the run measured, but the profiled one.
func (res *Results) runs() []Run {
	return slices.Concat(res.CPU, res.Scaling, []Run{res.Report, res.AccountReport, res.AccountForEach, res.Unthrottled})
}

// Plans is how many plans the run measured.
func (res *Results) Plans() int { return len(res.runs()) }

// ForEach is the for_each run on the report's tenant.
func (res *Results) ForEach() Run { return res.Scaling[len(res.Scaling)-1] }

const mib = 1 << 20

func targets(res *Results) []Target {
	var ts []Target
	add := func(holds, timed bool, what, format string, args ...any) {
		ts = append(ts, Target{What: what, Result: fmt.Sprintf(format, args...), Holds: holds, Timed: timed})
	}
	runs := res.runs()
	tokens, exact, limited, most := true, true, 0, 0
	for _, r := range runs {
		tokens = tokens && r.Ops[fakeisc.OpToken] == 1
	}
	for _, r := range res.Scaling {
		exact = exact && r.Ops[fakeisc.OpStatus] == r.N && r.Ops[fakeisc.OpSummaries] == r.N && r.Ops[fakeisc.OpListSources] == listPages(r.N)
	}
	for _, r := range append(res.Scaling, res.Report) {
		limited, most = limited+r.RateLimited, max(most, r.MaxInWindow)
	}
	add(tokens, false, "one token request per plan", "1 in each of the %d plans", len(runs))
	add(exact, false, "one request per read", "N status and N summaries requests, and the list's pages, for N sources, in every for_each plan")
	add(limited == 0 && most <= res.RateLimit, false, fmt.Sprintf("no 429 at the defaults (fake allows %d per %s)", res.RateLimit, res.Window),
		"%d 429s; at most %d requests in any %s", limited, most, res.Window)
	fe, rep := res.ForEach(), res.Report
	add(fe.PerWindow >= 95 && rep.PerWindow >= 95, true, "at least 95 requests per 10 s at the defaults",
		"%.1f (for_each), %.1f (report), first request to last", fe.PerWindow, rep.PerWindow)
	complete := completeSources(rep.N)
	add(rep.Ops[fakeisc.OpStatus] == rep.N && rep.Ops[fakeisc.OpSummaries] == complete && rep.API == listPages(rep.N)+rep.N+complete, false,
		"report requests: list pages + N + COMPLETE sources", "%d = %d + %d + %d", rep.API, rep.Ops[fakeisc.OpListSources], rep.Ops[fakeisc.OpStatus], rep.Ops[fakeisc.OpSummaries])
	bound := time.Duration(1.05 * float64(rep.Floor(res.RPS)))
	add(rep.Wall <= bound, true, "report wall at most 1.05 × requests ÷ requests_per_second",
		"%.1f s ≤ %.1f s (%.3f × %.1f s)", rep.Wall.Seconds(), bound.Seconds(), rep.Wall.Seconds()/rep.Floor(res.RPS).Seconds(), rep.Floor(res.RPS).Seconds())
	lifetimes := int(math.Ceil(float64(rep.Wall) / float64(res.TokenTTL)))
	add(rep.Ops[fakeisc.OpToken] == lifetimes, false, "report: one token per token lifetime",
		"%d token(s) in %.0f s with %s tokens", rep.Ops[fakeisc.OpToken], rep.Wall.Seconds(), res.TokenTTL)
	ar, af, un := res.AccountReport, res.AccountForEach, res.Unthrottled
	add(opsAre(ar, accountReportOps(ar.N)) && opsAre(un, accountReportOps(un.N)), false,
		"account report requests: source + status + list pages + enabled accounts",
		"%d = %d + %d + %d + %d for %d accounts, %d disabled; %d unthrottled for %d", ar.API, ar.Ops[fakeisc.OpGetSource],
		ar.Ops[fakeisc.OpStatus], ar.Ops[fakeisc.OpListAccounts], ar.Ops[fakeisc.OpAccountUsages], ar.N, ar.N-enabledAccounts(ar.N), un.API, un.N)
	add(opsAre(af, map[string]int{fakeisc.OpAccountUsages: enabledAccounts(af.N)}), false,
		"for_each over sailpoint_account_usages: one request per account", "%d for %d accounts", af.API, enabledAccounts(af.N))
	add(ar.RateLimited+af.RateLimited == 0 && max(ar.MaxInWindow, af.MaxInWindow) <= res.RateLimit, false,
		"account plans: no 429 at the defaults", "%d (report), %d (for_each); at most %d requests in any %s",
		ar.RateLimited, af.RateLimited, max(ar.MaxInWindow, af.MaxInWindow), res.Window)
	bound = time.Duration(1.05 * float64(ar.Floor(res.RPS)))
	add(ar.Wall <= bound, true, "account report wall at most 1.05 × requests ÷ requests_per_second",
		"%.1f s ≤ %.1f s (%.3f × %.1f s)", ar.Wall.Seconds(), bound.Seconds(), ar.Wall.Seconds()/ar.Floor(res.RPS).Seconds(), ar.Floor(res.RPS).Seconds())
	ratio := res.CPURatio()
	add(ratio <= 1.2, true, "provider CPU at most 1.2 × the baseline's", "%.2f× (median of %d plans)", ratio, len(res.CPU))
	rss := res.PeakRSS("sailpoint")
	add(rss <= 60*mib, true, "provider peak RSS at most 60 MiB", "%.1f MiB", float64(rss)/mib)
	return ts
}

// opsAre says whether a run's API requests were exactly want, by fakeisc op.
func opsAre(r Run, want map[string]int) bool {
	got := maps.Clone(r.Ops)
	delete(got, fakeisc.OpToken)
	total := 0
	for _, n := range want {
		total += n
	}
	return maps.Equal(got, want) && r.API == total
}

//go:embed BENCHMARKS.md.tmpl
var markdown string

var funcs = template.FuncMap{
	"sec": func(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) },
	"ms":  func(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) },
	"mib": func(b any) string { return fmt.Sprintf("%.1f MiB", toFloat(b)/mib) },
	"x":   func(f float64) string { return fmt.Sprintf("%.2f×", f) },
	"f1":  func(f float64) string { return fmt.Sprintf("%.1f", f) },
	"div": func(a, b any) float64 { return toFloat(a) / toFloat(b) },
	"mul": func(a, b any) float64 { return toFloat(a) * toFloat(b) },
	"add": func(a, b any) float64 { return toFloat(a) + toFloat(b) },
	"yes": func(b bool) string { return map[bool]string{true: "yes", false: "**no**"}[b] },
	"sub": func(a, b any) float64 { return toFloat(a) - toFloat(b) },

	"enabled": enabledAccounts,
}

// toFloat converts any number the template has, durations included.
func toFloat(v any) float64 { return reflect.ValueOf(v).Convert(reflect.TypeFor[float64]()).Float() }

// write renders BENCHMARKS.md and the chart into root, and bench/results.json when fresh.
func (res *Results) write(root string, fresh bool) error {
	dir := filepath.Join(root, "bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if fresh {
		js, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, "results.json"), append(js, '\n')); err != nil {
			return err
		}
	}
	var md strings.Builder
	if err := template.Must(template.New("md").Funcs(funcs).Parse(markdown)).Execute(&md, res); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(root, "BENCHMARKS.md"), []byte(md.String())); err != nil {
		return err
	}
	return res.chart(filepath.Join(dir, "plan-time.png"))
}

// writeFile writes one of the repository's files, which everyone may read.
func writeFile(path string, b []byte) error {
	return os.WriteFile(path, b, 0o644) //nolint:gosec // G306: a file of the repository
}

func load(path string) (*Results, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	res := &Results{}
	return res, json.Unmarshal(b, res)
}

// chart draws plan time against N at the default pacing with the rate limit's floor, and
// the report's point with its floor.
func (res *Results) chart(path string) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("terraform plan at the default pacing (requests_per_second = %g)", res.RPS)
	p.X.Label.Text = "sources (both per-source data sources for each, or one report)"
	p.Y.Label.Text = "plan wall time (s)"
	p.Legend.Top, p.Legend.Left = true, true
	var measured, floor plotter.XYs
	for _, r := range res.Scaling {
		measured = append(measured, plotter.XY{X: float64(r.N), Y: r.Wall.Seconds()})
		floor = append(floor, plotter.XY{X: float64(r.N), Y: r.Floor(res.RPS).Seconds()})
	}
	p.Add(plotter.NewGrid())
	p.X.Min, p.Y.Min = 0, 0
	if err := plotutil.AddLinePoints(p, "for_each: measured", measured, fmt.Sprintf("for_each: rate-limit floor, requests ÷ %g/s", res.RPS), floor); err != nil {
		return err
	}
	for i, d := range []time.Duration{res.Report.Wall, res.Report.Floor(res.RPS)} {
		s, err := plotter.NewScatter(plotter.XYs{{X: float64(res.Report.N), Y: d.Seconds()}})
		if err != nil {
			return err
		}
		s.Shape, s.Color, s.Radius = plotutil.Shape(i+2), plotutil.Color(i+2), vg.Points(4)
		p.Add(s)
		p.Legend.Add("sailpoint_source_usage_report: "+[]string{"measured", "rate-limit floor"}[i], s)
	}
	return p.Save(8*vg.Inch, 4.5*vg.Inch, path)
}

// summary is what make bench prints at the end.
func (res *Results) summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider CPU %.2f× the baseline's; peak RSS %.1f MiB (baseline %.1f MiB)\n",
		res.CPURatio(), float64(res.PeakRSS("sailpoint"))/mib, float64(res.PeakRSS(noop.TypeName))/mib)
	un := res.Unthrottled
	fmt.Fprintf(&b, "account report on %d accounts, unthrottled: %.1f s wall, provider peak RSS %.1f MiB, Terraform CPU %.1f s, show -json %d bytes\n",
		un.N, un.Wall.Seconds(), float64(un.Providers["sailpoint"].MaxRSS)/mib, un.TerraformCPU.Seconds(), un.PlanJSON)
	for _, t := range res.Targets {
		fmt.Fprintf(&b, "%-5s %s: %s\n", map[bool]string{true: "ok", false: "FAIL"}[t.Holds], t.What, t.Result)
	}
	return b.String()
}
