// Command bench runs the plan benchmarks of the sailpoint provider and writes BENCHMARKS.md,
// the chart of plan time against N, and the raw results as JSON. `make bench` builds its
// inputs (the provider, the no-op baseline provider, the plugintimer wrapper, the fake tenant
// and Terraform) and runs it; see scripts/bench.sh.
//
// Phases:
//
//  1. Scaling: the fake tenant without a rate limit; for each N and data source type, one
//     `terraform plan` over N instances, for the sailpoint provider (requests_per_second
//     high enough never to wait) and for the no-op baseline; repeated, medians reported.
//  2. Rate-limited: a fake enforcing 100 requests per 10 s; one plan of N instances with the
//     provider's default settings.
//  3. for_each forms: one baseline plan at the largest N for each way of writing for_each,
//     because Terraform's own cost depends on it far more than on any provider.
//  4. Go benchmarks: `go test -bench` over the decoding and read-path benchmarks.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/gobench"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/machine"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/noopprovider"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/report"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/results"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/runner"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/stats"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/tfconfig"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// The sailpoint provider as the configurations address it.
const (
	sailpointAddress = "registry.terraform.io/sailpoint-community/sailpoint"
	sailpointBinary  = "terraform-provider-sailpoint"
)

// The data source types benchmarked, and their baselines (see report.BaselineOf).
var dataSources = []string{"sailpoint_source_usage_status", "sailpoint_source_usages"}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// options are the command-line flags.
type options struct {
	root, work                         string
	terraform, provider, noop, wrapper string
	fake, goBin                        string
	out, chart, jsonOut, command       string
	ns                                 []int
	runs, parallelism                  int
	scalingRPS                         float64
	rateN, rateLimit                   int
	rateWindow                         time.Duration
	rateDataSources                    []string
	goBenchCount                       int
	goBenchPkgs                        []string
	goBench, forEachForms              bool
	render                             string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.root, "root", ".", "module root: where go test runs and relative outputs are written")
	fs.StringVar(&o.work, "work", ".tools/bench", "scratch `dir` for binaries, configurations and logs (emptied first)")
	fs.StringVar(&o.terraform, "terraform", ".tools/bin/terraform", "Terraform CLI")
	fs.StringVar(&o.provider, "provider", "", "sailpoint provider binary (required)")
	fs.StringVar(&o.noop, "noop", "", "benchnoop baseline provider binary (required)")
	fs.StringVar(&o.wrapper, "plugintimer", "", "plugintimer wrapper binary (required)")
	fs.StringVar(&o.fake, "fakeisc", "", "fakeisc binary (required)")
	fs.StringVar(&o.goBin, "go", "go", "go command, for go test -bench")
	fs.StringVar(&o.out, "out", "BENCHMARKS.md", "Markdown report to write")
	fs.StringVar(&o.chart, "chart", "bench/plan-time.png", "PNG chart to write")
	fs.StringVar(&o.jsonOut, "json", "bench/results.json", "raw results to write")
	fs.StringVar(&o.command, "command", "make bench", "the command to name in the report")
	nsFlag := fs.String("n", "1,100,1000", "comma-separated `N` of the scaling runs")
	fs.IntVar(&o.runs, "runs", 5, "plans per data source and N; medians are reported")
	fs.IntVar(&o.parallelism, "parallelism", 0, "terraform plan -parallelism (0: Terraform's default, 10)")
	fs.Float64Var(&o.scalingRPS, "scaling-rps", 1000, "provider requests_per_second in the scaling runs")
	fs.IntVar(&o.rateN, "rate-n", 300, "N of the rate-limited runs (0 skips them)")
	fs.IntVar(&o.rateLimit, "rate-limit", 100, "requests the fake allows per -rate-window in the rate-limited runs")
	fs.DurationVar(&o.rateWindow, "rate-window", 10*time.Second, "window of -rate-limit")
	rateDS := fs.String("rate-data-sources", strings.Join(dataSources, ","), "data sources of the rate-limited runs")
	fs.BoolVar(&o.goBench, "gobench", true, "run the Go benchmarks")
	fs.BoolVar(&o.forEachForms, "foreach-forms", true, "compare the ways of writing for_each on the baseline at the largest N")
	fs.IntVar(&o.goBenchCount, "gobench-count", 5, "go test -count of the Go benchmarks")
	fs.StringVar(&o.render, "render", "", "only render -out and -chart again from this results `file` (e.g. bench/results.json), running nothing")
	pkgs := fs.String("gobench-pkgs", "./internal/client,./internal/provider,./internal/bench/noopprovider", "packages of the Go benchmarks")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, f := range []struct{ name, v string }{{"provider", o.provider}, {"noop", o.noop}, {"plugintimer", o.wrapper}, {"fakeisc", o.fake}} {
		if f.v == "" && o.render == "" {
			return o, fmt.Errorf("-%s is required", f.name)
		}
	}
	var err error
	if o.ns, err = parseInts(*nsFlag); err != nil {
		return o, fmt.Errorf("-n: %w", err)
	}
	if len(o.ns) < 2 {
		return o, errors.New("-n needs at least two values, to tell the cost per data source from the fixed cost")
	}
	if o.runs < 1 || o.goBenchCount < 1 || o.rateN < 0 || o.rateLimit < 1 || o.rateWindow <= 0 || o.scalingRPS <= 0 {
		return o, errors.New("-runs, -gobench-count, -rate-limit, -rate-window and -scaling-rps must be positive, -rate-n not negative")
	}
	o.rateDataSources = splitList(*rateDS)
	o.goBenchPkgs = splitList(*pkgs)
	return o, nil
}

func parseInts(s string) ([]int, error) {
	var out []int
	seen := map[int]bool{}
	for _, f := range splitList(s) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive integer", f)
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// bench holds what every phase needs.
type bench struct {
	o         options
	cliConfig string
	progress  io.Writer
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if o.root, err = filepath.Abs(o.root); err != nil {
		return err
	}
	for _, p := range []*string{&o.work, &o.terraform, &o.provider, &o.noop, &o.wrapper, &o.fake, &o.out, &o.chart, &o.jsonOut, &o.render} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(o.root, *p)
		}
	}
	b := &bench{o: o, progress: stderr}
	if o.render != "" {
		return b.rerender()
	}
	started := time.Now()
	res := results.Results{
		Command:     o.command,
		Date:        started,
		Machine:     machine.Describe(),
		GoVersion:   runtime.Version(),
		Parallelism: o.parallelism,
		ScalingRPS:  o.scalingRPS,
		Load:        map[string]machine.Load{},
	}
	if res.TerraformVersion, err = terraformVersion(ctx, o.terraform); err != nil {
		return err
	}
	if err := b.install(); err != nil {
		return err
	}

	meter, err := machine.StartMeter()
	if err != nil {
		return err
	}
	if res.Scaling, err = b.scaling(ctx); err != nil {
		return err
	}
	if res.RateLimited, err = b.rateLimited(ctx); err != nil {
		return err
	}
	if o.forEachForms {
		if res.ForEach, err = b.forEach(ctx); err != nil {
			return err
		}
	}
	if res.Load[results.PhasePlans], err = meter.Stop(); err != nil {
		return err
	}

	if o.goBench {
		if meter, err = machine.StartMeter(); err != nil {
			return err
		}
		args := runner.GoBenchArgs(".", o.goBenchCount, o.goBenchPkgs)
		res.GoBenchCmd = "go " + strings.Join(args, " ")
		b.logf("go benchmarks: %s", res.GoBenchCmd)
		lines, err := runner.GoBench(ctx, o.goBin, o.root, args, filepath.Join(o.work, "gobench.txt"), stderr)
		if err != nil {
			return err
		}
		res.GoBench = gobench.Summarize(lines)
		if res.Load[results.PhaseGoBench], err = meter.Stop(); err != nil {
			return err
		}
	}
	res.Duration = time.Since(started)
	return b.write(res)
}

// install lays out the providers for dev_overrides, each behind plugintimer:
//
//	work/plugins/<name>/terraform-provider-<name>       plugintimer
//	work/plugins/<name>/real/terraform-provider-<name>  the provider
//
// and writes the CLI configuration that points at them.
func (b *bench) install() error {
	if err := os.RemoveAll(b.o.work); err != nil {
		return err
	}
	overrides := map[string]string{}
	for _, p := range []struct{ address, binary, src string }{
		{sailpointAddress, sailpointBinary, b.o.provider},
		{noopprovider.Address, "terraform-provider-" + noopprovider.TypeName, b.o.noop},
	} {
		dir := filepath.Join(b.o.work, "plugins", strings.TrimPrefix(p.binary, "terraform-provider-"))
		if err := copyExecutable(b.o.wrapper, filepath.Join(dir, p.binary)); err != nil {
			return err
		}
		if err := copyExecutable(p.src, filepath.Join(dir, "real", p.binary)); err != nil {
			return err
		}
		overrides[p.address] = dir
	}
	b.cliConfig = filepath.Join(b.o.work, "terraformrc")
	return os.WriteFile(b.cliConfig, []byte(tfconfig.DevOverrides(overrides)), 0o600)
}

// scaling runs phase 1.
func (b *bench) scaling(ctx context.Context) ([]results.Scaling, error) {
	maxN := 0
	for _, n := range b.o.ns {
		maxN = max(maxN, n)
	}
	fakeDir := filepath.Join(b.o.work, "fake-scaling")
	if err := os.MkdirAll(fakeDir, 0o700); err != nil {
		return nil, err
	}
	fake, err := runner.StartFake(ctx, b.o.fake, fakeDir, "-sources", strconv.Itoa(maxN))
	if err != nil {
		return nil, err
	}
	defer func() { _ = fake.Stop() }()
	b.logf("scaling: fake tenant at %s with %d generated sources, no rate limit", fake.BaseURL, maxN)

	var kinds []string
	for _, ds := range dataSources {
		kinds = append(kinds, ds, report.BaselineOf(ds))
	}
	settings := map[string]string{"requests_per_second": strconv.FormatFloat(b.o.scalingRPS, 'f', -1, 64)}

	// One plan of each kind first, unmeasured, so that the first measured runs do not pay
	// for cold caches (binaries, page cache, Terraform's schema handling).
	for _, k := range kinds {
		if _, err := b.plan(ctx, fake, k, 1, tfconfig.MapVariable, settings, "warmup"); err != nil {
			return nil, err
		}
	}
	var out []results.Scaling
	index := map[string]int{}
	// Repetitions outermost: a burst of load from someone else then spreads over every
	// configuration instead of skewing one.
	for rep := 1; rep <= b.o.runs; rep++ {
		for _, n := range b.o.ns {
			for _, k := range kinds {
				run, err := b.plan(ctx, fake, k, n, tfconfig.MapVariable, settings, "")
				if err != nil {
					return nil, err
				}
				key := fmt.Sprintf("%s/%d", k, n)
				i, ok := index[key]
				if !ok {
					i = len(out)
					index[key] = i
					out = append(out, results.Scaling{DataSource: k, Baseline: !strings.HasPrefix(k, "sailpoint_"), N: n})
				}
				out[i].Runs = append(out[i].Runs, run)
				b.logf("scaling %d/%d: %-36s N=%-5d %6.2f s wall, provider %5.2f s CPU %5.1f MiB, terraform %5.2f s CPU, %d API, %d token",
					rep, b.o.runs, k, n, run.Wall.Seconds(), run.ProviderCPU.Seconds(), float64(run.ProviderMaxRSSKiB)/1024,
					run.TerraformCPU.Seconds(), run.APIRequests, run.TokenRequests)
			}
		}
	}
	return out, fake.Stop()
}

// plan runs one plan of n instances of dataSource against fake and measures it. Plans of the
// same data source and N reuse one folder; tag separates the warm-up's.
func (b *bench) plan(ctx context.Context, fake *runner.Fake, dataSource string, n int, form tfconfig.ForEach, settings map[string]string, tag string) (results.Run, error) {
	name := fmt.Sprintf("%s-%d", dataSource, n)
	if tag != "" {
		name += "-" + tag
	}
	dir := filepath.Join(b.o.work, "plans", name)
	if err := b.writeConfig(dir, dataSource, n, form, settings); err != nil {
		return results.Run{}, err
	}
	if err := fake.Reset(ctx); err != nil {
		return results.Run{}, err
	}
	pr, err := runner.RunPlan(ctx, runner.Plan{
		Terraform:   b.o.terraform,
		Dir:         dir,
		CLIConfig:   b.cliConfig,
		Env:         fake.Env(),
		Parallelism: b.o.parallelism,
	})
	if err != nil {
		return results.Run{}, err
	}
	st, err := fake.Stats(ctx)
	if err != nil {
		return results.Run{}, err
	}
	run := results.Run{
		Wall:              pr.Wall,
		ProviderCPU:       pr.Plugins.CPU,
		TerraformCPU:      pr.TerraformCPU(),
		ProviderMaxRSSKiB: pr.Plugins.MaxRSSKiB,
		ProviderProcesses: pr.Plugins.Processes,
		Reads:             pr.Reads,
		APIRequests:       st.APIRequests,
		TokenRequests:     st.TokenRequests,
		RateLimited:       st.RateLimited,
		MaxInWindow:       st.MaxInWindow,
	}
	if run.Reads != n {
		return run, fmt.Errorf("%s: terraform reported %d reads for %d data sources; see %s", name, run.Reads, n, filepath.Join(dir, "plan.log"))
	}
	return run, nil
}

func (b *bench) writeConfig(dir, dataSource string, n int, form tfconfig.ForEach, settings map[string]string) error {
	p := tfconfig.Provider{LocalName: "sailpoint", Source: "sailpoint-community/sailpoint", Settings: settings}
	if !strings.HasPrefix(dataSource, "sailpoint_") {
		p = tfconfig.Provider{LocalName: noopprovider.TypeName, Source: strings.TrimPrefix(noopprovider.Address, "registry.terraform.io/")}
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fakeisc.GeneratedSourceID(i)
	}
	main, err := tfconfig.Config{Provider: p, DataSource: dataSource, SourceIDs: ids, ForEach: form}.MainTF()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(main), 0o600)
}

// rateLimited runs phase 2.
func (b *bench) rateLimited(ctx context.Context) ([]results.RateLimited, error) {
	if b.o.rateN == 0 || len(b.o.rateDataSources) == 0 {
		return nil, nil
	}
	fakeDir := filepath.Join(b.o.work, "fake-rate")
	if err := os.MkdirAll(fakeDir, 0o700); err != nil {
		return nil, err
	}
	fake, err := runner.StartFake(ctx, b.o.fake, fakeDir, "-sources", strconv.Itoa(b.o.rateN),
		"-rate-limit", strconv.Itoa(b.o.rateLimit), "-rate-window", b.o.rateWindow.String())
	if err != nil {
		return nil, err
	}
	defer func() { _ = fake.Stop() }()
	b.logf("rate-limited: fake tenant at %s allowing %d requests per %s", fake.BaseURL, b.o.rateLimit, b.o.rateWindow)

	var out []results.RateLimited
	for _, ds := range b.o.rateDataSources {
		expect := time.Duration(float64(b.o.rateN) / (10 * 0.98) * float64(time.Second)).Round(time.Second)
		b.logf("rate-limited: %s N=%d with default settings (about %s)", ds, b.o.rateN, expect)
		// No provider settings: the defaults are what is under test.
		run, err := b.plan(ctx, fake, ds, b.o.rateN, tfconfig.MapVariable, nil, "ratelimited")
		if err != nil {
			return nil, err
		}
		reqs, err := fake.Requests(ctx)
		if err != nil {
			return nil, err
		}
		var arrivals []time.Time
		for _, r := range reqs {
			if r.Op == fakeisc.OpStatus || r.Op == fakeisc.OpSummaries {
				arrivals = append(arrivals, r.Time)
			}
		}
		_, span := stats.SteadyRate(arrivals, b.o.rateWindow)
		rl := results.RateLimited{DataSource: ds, N: b.o.rateN, Limit: b.o.rateLimit, Window: b.o.rateWindow, Run: run, Span: span}
		b.logf("rate-limited: %s: %.1f s wall, %d API requests, %d 429s, at most %d per window, %.1f per window first to last",
			ds, run.Wall.Seconds(), run.APIRequests, run.RateLimited, run.MaxInWindow, rl.SteadyPerWindow())
		out = append(out, rl)
	}
	return out, fake.Stop()
}

// forEach runs phase 3: the baseline status data source at the largest N, once per for_each
// form. The baseline makes no request; the fake is there only because every plan resets and
// reads one, and is started without sources.
func (b *bench) forEach(ctx context.Context) ([]results.ForEachForm, error) {
	n := 0
	for _, v := range b.o.ns {
		n = max(n, v)
	}
	fakeDir := filepath.Join(b.o.work, "fake-foreach")
	if err := os.MkdirAll(fakeDir, 0o700); err != nil {
		return nil, err
	}
	fake, err := runner.StartFake(ctx, b.o.fake, fakeDir)
	if err != nil {
		return nil, err
	}
	defer func() { _ = fake.Stop() }()
	ds := report.BaselineOf(dataSources[0])
	var out []results.ForEachForm
	for i, form := range tfconfig.ForEachForms {
		run, err := b.plan(ctx, fake, ds, n, form, nil, "foreach"+strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		b.logf("for_each = %-24s %s N=%d: %.2f s wall, terraform %.2f s CPU", form, ds, n, run.Wall.Seconds(), run.TerraformCPU.Seconds())
		out = append(out, results.ForEachForm{Expression: form.String(), DataSource: ds, N: n, Run: run})
	}
	return out, fake.Stop()
}

// rerender writes the report and the chart again from saved results, so that a change to the
// report's wording does not need a new run. The JSON is left as it is.
func (b *bench) rerender() error {
	data, err := os.ReadFile(b.o.render)
	if err != nil {
		return err
	}
	var res results.Results
	if err := json.Unmarshal(data, &res); err != nil {
		return fmt.Errorf("%s: %w", b.o.render, err)
	}
	b.o.jsonOut = ""
	return b.write(res)
}

// write renders and writes the report, the chart and, unless -render, the JSON.
func (b *bench) write(res results.Results) error {
	for _, p := range []string{b.o.out, b.o.chart, b.o.jsonOut} {
		if p == "" {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			return err
		}
	}
	chartRel, err := filepath.Rel(filepath.Dir(b.o.out), b.o.chart)
	if err != nil {
		return err
	}
	md, err := report.Markdown(res, filepath.ToSlash(chartRel))
	if err != nil {
		return err
	}
	js, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.Create(b.o.chart)
	if err != nil {
		return err
	}
	if err := errors.Join(report.Chart(res).EncodePNG(f), f.Close()); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	// The outputs are files of the repository, readable like every other checked-in file.
	if b.o.jsonOut != "" {
		if err := os.WriteFile(b.o.jsonOut, append(js, '\n'), 0o644); err != nil { //nolint:gosec // G306: see above
			return err
		}
	}
	if err := os.WriteFile(b.o.out, []byte(md), 0o644); err != nil { //nolint:gosec // G306: see above
		return err
	}
	b.logf("wrote %s and %s", b.o.out, b.o.chart)
	if b.o.jsonOut != "" {
		b.logf("wrote %s", b.o.jsonOut)
	}
	per, err := report.PerObjectCosts(res.Scaling)
	if err != nil {
		return err
	}
	for _, c := range report.Checks(res, per) {
		if !c.OK {
			b.logf("TARGET MISSED: %s: %s", c.Target, c.Result)
		}
	}
	return nil
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.progress, "bench: "+format+"\n", args...)
}

// terraformVersion asks the CLI for its version.
func terraformVersion(ctx context.Context, terraform string) (string, error) {
	cmd := exec.CommandContext(ctx, terraform, "version", "-json")
	cmd.Env = append(runner.CleanEnv(os.Environ()), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s version: %w", terraform, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil || v.Version == "" {
		return "", fmt.Errorf("%s version -json: unexpected output %q", terraform, out)
	}
	return v.Version, nil
}

// copyExecutable copies src to dst (mode 0755), creating dst's folder.
func copyExecutable(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	_, cerr := io.Copy(out, in)
	return errors.Join(cerr, out.Close())
}
