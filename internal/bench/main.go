// Command bench is make bench (scripts/bench.sh builds and starts it). Against a fake tenant
// in this process, it runs terraform plan with the providers Terraform reattaches to
// (internal/bench/benchprovider) and measures:
//
//   - the sailpoint provider's CPU and peak RSS against the no-op baseline (internal/bench/noop),
//     both in the same plan, and a CPU profile of the provider;
//   - plan time, requests, tokens and 429s against N sources at the default pacing, under a
//     rate limit of 100 requests per 10 s, and the usage report against for_each on the same
//     tenant;
//   - the account usage report against for_each over sailpoint_account_usages on one source
//     of 2,000 accounts, under the same limit; and the report alone over 10,000 accounts,
//     unthrottled: the provider's peak RSS, Terraform's CPU and the size of the saved plan;
//   - the Go benchmarks of the product's packages.
//
// It writes BENCHMARKS.md (from BENCHMARKS.md.tmpl), bench/plan-time.png and
// bench/results.json, and exits 1 if a request or token count is not what the provider
// promises. Linux only: it reads rusage and /proc.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/noop"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

const (
	rateLimit  = 100              // requests per access token per window, as ISC allows
	rateWindow = 10 * time.Second // ISC's window
	defaultRPS = 10.0             // the provider's default requests_per_second
	unpacedRPS = 10000.0          // requests_per_second where pacing must not count
	pageSize   = 250              // sources or accounts per page of a list
)

type bench struct {
	ctx                      context.Context // canceled by an interrupt
	root, tf, provider, work string
}

// command is every program the benchmark runs: the go tool, Terraform and the providers it
// was given. An interrupt kills it.
func (b *bench) command(name string, args ...string) *exec.Cmd {
	return exec.CommandContext(b.ctx, name, args...) //nolint:gosec // G204: the programs the benchmark was built with and given
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b := &bench{ctx: ctx}
	flag.StringVar(&b.root, "root", ".", "repository root, where BENCHMARKS.md and bench/ are written")
	flag.StringVar(&b.tf, "terraform", "terraform", "the Terraform CLI")
	flag.StringVar(&b.provider, "provider", "", "the benchprovider binary")
	ns := flag.String("n", "1,100,300,1000", "sources per plan at the default pacing; the largest is also the report-versus-for_each tenant")
	cpuReads := flag.Int("cpu-reads", 300, "reads of each of the two per-source data sources per provider in the CPU comparison")
	cpuRuns := flag.Int("cpu-runs", 7, "plans of the CPU comparison; the median ratio counts")
	accounts := flag.Int("accounts", 2000, "accounts on the source of the account report and of for_each over sailpoint_account_usages, at the default pacing")
	unthrottled := flag.Int("unthrottled", 10000, "accounts of the account report run with neither rate limit nor pacing")
	gobench := flag.Bool("gobench", true, "run the Go benchmarks of internal/client and internal/provider")
	render := flag.String("render", "", "only write BENCHMARKS.md and the chart again from this results JSON")
	flag.Parse()
	for _, path := range []*string{&b.root, &b.tf, &b.provider} {
		if strings.ContainsRune(*path, filepath.Separator) {
			*path, _ = filepath.Abs(*path) // Terraform runs in other folders
		}
	}

	var res *Results
	var err error
	if *render != "" {
		res, err = load(*render)
	} else {
		res, err = b.run(parseNs(*ns), *cpuReads, *cpuRuns, *accounts, *unthrottled, *gobench)
	}
	if err == nil {
		err = res.write(b.root, *render == "")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		stop()
		os.Exit(1)
	}
	fmt.Print(res.summary())
	for _, t := range res.Targets {
		if !t.Holds && !t.Timed {
			os.Exit(1) // a count is wrong: that is a bug, not noise
		}
	}
}

func parseNs(s string) []int {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			ns = append(ns, n)
		}
	}
	slices.Sort(ns)
	return ns
}

func (b *bench) run(ns []int, cpuReads, cpuRuns, accounts, unthrottled int, gobench bool) (*Results, error) {
	if len(ns) == 0 || cpuReads < 1 || cpuRuns < 1 || accounts < 1 || unthrottled < 1 {
		return nil, fmt.Errorf("nothing to run: -n %v, -cpu-reads %d, -cpu-runs %d, -accounts %d, -unthrottled %d",
			ns, cpuReads, cpuRuns, accounts, unthrottled)
	}
	var err error
	if b.work, err = os.MkdirTemp("", "sailpoint-bench-"); err != nil {
		return nil, err
	}
	defer os.RemoveAll(b.work)
	res := &Results{Started: time.Now().UTC(), Machine: b.machine(), CPUReads: cpuReads, RPS: defaultRPS,
		RateLimit: rateLimit, Window: rateWindow, TokenTTL: fakeisc.DefaultTokenTTL}
	progress := func(r Run) {
		fmt.Fprintf(os.Stderr, "bench: %-12s N=%-5d %7.1f s wall, %5d API requests, %d tokens, %d 429s\n",
			r.Name, r.N, r.Wall.Seconds(), r.API, r.Ops[fakeisc.OpToken], r.RateLimited)
	}

	// The provider against the baseline: both reattached in the same plans, unpaced, so
	// that only CPU counts; then once more with both profiled, over three times the reads
	// so that the profiles hold enough samples.
	ids := completeSourceIDs(3 * cpuReads)
	tenant := fakeisc.New(fakeisc.WithGeneratedSources(10 * (cpuReads + 1)))
	srv := httptest.NewServer(tenant)
	defer srv.Close()
	both := []string{"sailpoint", noop.TypeName}
	for i := range cpuRuns {
		r, err := b.plan(planSpec{name: fmt.Sprintf("cpu-%d", i+1), n: cpuReads, fake: tenant, providers: both,
			hcl: header(srv.URL, unpacedRPS, both...) + mixedReads(ids[:cpuReads], both...)})
		if err != nil {
			return nil, err
		}
		progress(r)
		res.CPU = append(res.CPU, r)
	}
	profiles := filepath.Dir(b.provider) // kept for go tool pprof
	r, err := b.plan(planSpec{name: "profile", n: len(ids), fake: tenant, providers: both, profiles: profiles,
		hcl: header(srv.URL, unpacedRPS, both...) + mixedReads(ids, both...)})
	if err != nil {
		return nil, err
	}
	progress(r)
	if res.Profile, err = b.profileOf(profiles); err != nil {
		return nil, err
	}
	res.Profile.Reads = len(ids)

	// Plan time against N at the default pacing, under ISC's rate limit; the report on the
	// largest tenant.
	for _, n := range ns {
		tenant := fakeisc.New(fakeisc.WithGeneratedSources(n), fakeisc.WithRateLimit(rateLimit, rateWindow))
		srv := httptest.NewServer(tenant)
		specs := []planSpec{{name: "for_each", n: n, hcl: header(srv.URL, 0, "sailpoint") + forEachBody}}
		if n == ns[len(ns)-1] {
			specs = append(specs, planSpec{name: "report", n: n, hcl: header(srv.URL, 0, "sailpoint") + reportBody})
		}
		for _, s := range specs {
			s.fake, s.providers = tenant, both[:1]
			r, err := b.plan(s)
			if err != nil {
				srv.Close()
				return nil, err
			}
			progress(r)
			if s.name == "report" {
				res.Report = r
			} else {
				res.Scaling = append(res.Scaling, r)
			}
		}
		srv.Close()
	}

	if err := b.accountPlans(res, accounts, unthrottled, progress); err != nil {
		return nil, err
	}
	if gobench {
		if res.GoBench, err = b.goBench(); err != nil {
			return nil, err
		}
	}
	res.Duration = time.Since(res.Started).Round(time.Second)
	res.Machine.LoadEnd = loadavg()
	res.Targets = targets(res)
	return res, nil
}

// completeSourceIDs returns the ids of the first n generated sources with usage insights
// (COMPLETE, 12 rows): source i is one when i%10 < 3.
func completeSourceIDs(n int) []string {
	var ids []string
	for i := 0; len(ids) < n; i++ {
		if i%10 < 3 {
			ids = append(ids, fakeisc.GeneratedSourceID(i))
		}
	}
	return ids
}

// accountPlans runs the plans on one COMPLETE source's generated accounts: the account
// report and for_each over sailpoint_account_usages, on n accounts at the default pacing
// under the rate limit; then the report alone on big accounts, with neither limit nor pacing,
// for its memory, Terraform's CPU and the size of the plan.
func (b *bench) accountPlans(res *Results, n, big int, progress func(Run)) error {
	src := fakeisc.GeneratedSourceID(0) // COMPLETE
	limited := fakeisc.New(fakeisc.WithGeneratedSources(1), fakeisc.WithGeneratedAccounts(src, n),
		fakeisc.WithRateLimit(rateLimit, rateWindow))
	unlimited := fakeisc.New(fakeisc.WithGeneratedSources(1), fakeisc.WithGeneratedAccounts(src, big))
	limitedSrv, unlimitedSrv := httptest.NewServer(limited), httptest.NewServer(unlimited)
	defer limitedSrv.Close()
	defer unlimitedSrv.Close()
	for _, p := range []struct {
		run  *Run
		spec planSpec
	}{
		{&res.AccountReport, planSpec{name: "acct-report", n: n, fake: limited,
			hcl: header(limitedSrv.URL, 0, "sailpoint") + accountReportBody(src)}},
		{&res.AccountForEach, planSpec{name: "acct-for_each", n: n, fake: limited,
			hcl: header(limitedSrv.URL, 0, "sailpoint") + accountUsagesBody(enabledAccountIDs(src, n))}},
		{&res.Unthrottled, planSpec{name: "unthrottled", n: big, fake: unlimited,
			hcl: header(unlimitedSrv.URL, unpacedRPS, "sailpoint") + accountReportBody(src)}},
	} {
		p.spec.providers = []string{"sailpoint"}
		r, err := b.plan(p.spec)
		if err != nil {
			return err
		}
		progress(r)
		*p.run = r
	}
	return nil
}

// completeSources is how many of the first n generated sources are COMPLETE.
func completeSources(n int) int { return n/10*3 + min(n%10, 3) }

// listPages is how many pages a list of n sources or accounts takes.
func listPages(n int) int { return max(1, (n+pageSize-1)/pageSize) }

// enabledAccounts is how many of the first n generated accounts are enabled: account i is
// disabled when i%5 == 0.
func enabledAccounts(n int) int { return n - (n+4)/5 }

// enabledAccountIDs returns the ids of the enabled accounts among generated accounts 0 to n-1
// of a source.
func enabledAccountIDs(sourceID string, n int) []string {
	var ids []string
	for i := range n {
		if i%5 != 0 {
			ids = append(ids, fakeisc.GeneratedAccountID(sourceID, i))
		}
	}
	return ids
}

// accountReportOps are the requests, by fakeisc op, of an account report with its defaults on a
// source of n generated accounts: the source, its usage status, every page of its accounts,
// and one usage request per enabled account.
func accountReportOps(n int) map[string]int {
	return map[string]int{fakeisc.OpGetSource: 1, fakeisc.OpStatus: 1, fakeisc.OpListAccounts: listPages(n),
		fakeisc.OpAccountUsages: enabledAccounts(n)}
}

// header is the terraform block and a provider block for each provider, reaching the fake
// with its client credentials; rps 0 keeps the default pacing.
func header(url string, rps float64, providers ...string) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n")
	sources := map[string]string{"sailpoint": "sailpoint-community/sailpoint", noop.TypeName: "bench/" + noop.TypeName}
	for _, p := range providers {
		fmt.Fprintf(&b, "    %s = { source = %q }\n", p, sources[p])
	}
	b.WriteString("  }\n}\n")
	for _, p := range providers {
		fmt.Fprintf(&b, "provider %q {\n  base_url      = %q\n  client_id     = %q\n  client_secret = %q\n",
			p, url, fakeisc.DefaultClientID, fakeisc.DefaultClientSecret)
		if rps > 0 {
			fmt.Fprintf(&b, "  requests_per_second = %g\n", rps)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// forEachBody lists the sources and reads both per-source data sources for each, keyed by a
// map (name to id), as the provider's examples do.
const forEachBody = `
data "sailpoint_sources" "all" {}

data "sailpoint_source_usage_status" "each" {
  for_each  = data.sailpoint_sources.all.ids
  source_id = each.value
}

data "sailpoint_source_usages" "each" {
  for_each  = data.sailpoint_sources.all.ids
  source_id = each.value
}
`

const reportBody = `
data "sailpoint_source_usage_report" "all" {}
`

// accountReportBody is the account usage report of one source with its defaults: disabled
// accounts cost no usage request.
func accountReportBody(sourceID string) string {
	return fmt.Sprintf("\ndata \"sailpoint_account_usage_report\" \"one\" {\n  source_id = %q\n}\n", sourceID)
}

// accountUsagesBody reads the usages of every account in ids, with for_each over a map.
func accountUsagesBody(ids []string) string {
	return idsLocal(ids) + "data \"sailpoint_account_usages\" \"each\" {\n  for_each   = local.ids\n  account_id = each.value\n}\n"
}

// idsLocal is local.ids, a map of each id to itself: for_each takes a map, not a set.
func idsLocal(ids []string) string {
	var b strings.Builder
	b.WriteString("locals {\n  ids = {\n")
	for _, id := range ids {
		fmt.Fprintf(&b, "    %q = %q\n", id, id)
	}
	b.WriteString("  }\n}\n")
	return b.String()
}

// mixedReads reads the status and the usages of every id with each provider.
func mixedReads(ids []string, providers ...string) string {
	var b strings.Builder
	b.WriteString(idsLocal(ids))
	for _, p := range providers {
		for _, ds := range []string{"source_usage_status", "source_usages"} {
			fmt.Fprintf(&b, "data \"%s_%s\" \"each\" {\n  for_each  = local.ids\n  source_id = each.value\n}\n", p, ds)
		}
	}
	return b.String()
}

// goBench runs the Go benchmarks of the product's packages.
func (b *bench) goBench() (string, error) {
	cmd := b.command("go", "test", "-run", "^$", "-bench", ".", "-benchmem", "-count", "3", "./internal/client", "./internal/provider")
	cmd.Dir, cmd.Env = b.root, cleanEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go test -bench: %w\n%s", err, tail(string(out)))
	}
	return strings.TrimSpace(string(out)), nil
}

// profileOf reads the profiles both providers wrote: go tool pprof's top functions of the
// sailpoint provider's, and where each one's CPU went.
func (b *bench) profileOf(dir string) (Profile, error) {
	var p Profile
	file := func(name string) string { return filepath.Join(dir, name+".pprof") }
	top, err := b.command("go", "tool", "pprof", "-top", "-cum", "-nodecount=30", file("sailpoint")).Output()
	if err != nil {
		return p, fmt.Errorf("go tool pprof: %w", err)
	}
	p.Top = string(top)
	traces := map[string]string{}
	for _, name := range []string{"sailpoint", noop.TypeName} {
		out, err := b.command("go", "tool", "pprof", "-traces", file(name)).Output()
		if err != nil {
			return p, fmt.Errorf("go tool pprof -traces: %w", err)
		}
		traces[name] = string(out)
	}
	for _, c := range profileCategories {
		p.Shares = append(p.Shares, Share{What: c[0], Pattern: c[1],
			Sailpoint: traceShare(traces["sailpoint"], c[1]), Baseline: traceShare(traces[noop.TypeName], c[1])})
	}
	return p, nil
}

// profileCategories are what the profile is broken down by: a name, and what a function in
// the stack starts with. A sample can fall in several.
var profileCategories = [][2]string{
	{"the provider's data sources", "github.com/sailpoint-community/terraform-provider-sailpoint/internal/provider."},
	{"the provider's client", "github.com/sailpoint-community/terraform-provider-sailpoint/internal/client."},
	{"the provider's aggregates", "github.com/sailpoint-community/terraform-provider-sailpoint/internal/usagestats."},
	{"HTTP (net/http)", "net/http."},
	{"the framework's reflection (Config.Get, State.Set)", "github.com/hashicorp/terraform-plugin-framework/internal/reflect."},
	{"logging (go-hclog, lines Terraform discards)", "github.com/hashicorp/go-hclog."},
	{"gRPC", "google.golang.org/grpc."},
	{"garbage collection", "runtime.gcBgMarkWorker"},
}

// traceShare is the percentage of the samples in go tool pprof -traces output whose stack has
// a function starting with prefix.
func traceShare(traces, prefix string) float64 {
	var total, matched time.Duration
	for _, block := range strings.Split(traces, "-----------+")[1:] {
		lines := strings.Split(block, "\n")[1:] // [0] is the rest of the separator
		f := strings.Fields(strings.Join(lines[:min(1, len(lines))], ""))
		if len(f) < 2 {
			continue
		}
		value, err := time.ParseDuration(f[0])
		if err != nil {
			continue
		}
		total += value
		lines[0] = f[1]
		for _, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), prefix) {
				matched += value
				break
			}
		}
	}
	if total == 0 {
		return 0
	}
	return 100 * float64(matched) / float64(total)
}

func (b *bench) machine() Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version(), LoadStart: loadavg()}
	cpuinfo, _ := os.ReadFile("/proc/cpuinfo")
	if _, after, ok := strings.Cut(string(cpuinfo), "model name"); ok {
		m.CPU = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.SplitN(after, "\n", 2)[0]), ":"))
	}
	if out, err := b.command(b.tf, "version").Output(); err == nil {
		m.Terraform, _, _ = strings.Cut(string(out), "\n")
	}
	return m
}

// loadavg is the one-minute load average.
func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}
