package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/noop"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

func TestParseReattach(t *testing.T) {
	for _, tc := range []struct {
		line string
		want string // the address, or "" for no providers
	}{
		{`	TF_REATTACH_PROVIDERS='{"registry.terraform.io/a/b":{"Protocol":"grpc","Pid":1}}'`, "registry.terraform.io/a/b"},
		{`Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:`, ""},
		{`TF_REATTACH_PROVIDERS='{not json}'`, ""},
		{`TF_REATTACH_PROVIDERS='{}'`, ""},
	} {
		got := parseReattach(tc.line)
		if _, ok := got[tc.want]; (tc.want == "" && got != nil) || (tc.want != "" && !ok) {
			t.Errorf("parseReattach(%q) = %v, want %q", tc.line, got, tc.want)
		}
	}
}

func TestCountRequests(t *testing.T) {
	start := time.Now()
	reqs := []fakeisc.Request{{Op: fakeisc.OpToken, Time: start}}
	for i := range 11 { // 11 API requests 100 ms apart: 10 gaps in 1 s
		reqs = append(reqs, fakeisc.Request{Op: []string{fakeisc.OpStatus, fakeisc.OpSummaries}[i%2], Time: start.Add(time.Duration(i) * 100 * time.Millisecond)})
	}
	ops, perWindow := countRequests(reqs, 10*time.Second)
	if ops[fakeisc.OpToken] != 1 || ops[fakeisc.OpStatus] != 6 || ops[fakeisc.OpSummaries] != 5 || perWindow != 100 {
		t.Errorf("got %v and %.2f per window, want 1 token, 6 status, 5 summaries and 100", ops, perWindow)
	}
	if _, perWindow := countRequests(reqs[:2], 10*time.Second); perWindow != 0 {
		t.Errorf("one API request: %.2f per window, want 0", perWindow)
	}
}

func TestTraceShare(t *testing.T) {
	traces := `File: benchprovider
Type: cpu
-----------+-------------------------------------------------------
      30ms   runtime.mallocgc
             github.com/sailpoint-community/terraform-provider-sailpoint/internal/client.(*Client).do
             google.golang.org/grpc.(*Server).handleStream
-----------+-------------------------------------------------------
      10ms   net/http.(*persistConn).readLoop
-----------+-------------------------------------------------------
`
	for _, tc := range []struct {
		prefix string
		want   float64
	}{
		{"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client.", 75},
		{"net/http.", 25},
		{"runtime.", 75},
		{"google.golang.org/grpc.", 75},
		{"encoding/json.", 0},
	} {
		if got := traceShare(traces, tc.prefix); got != tc.want {
			t.Errorf("traceShare(%q) = %.1f, want %.1f", tc.prefix, got, tc.want)
		}
	}
}

func TestExpectedCounts(t *testing.T) {
	for _, tc := range []struct{ n, complete, pages int }{
		{1, 1, 1}, {3, 3, 1}, {10, 3, 1}, {13, 6, 1}, {250, 75, 1}, {251, 76, 2}, {1000, 300, 4},
	} {
		if got := completeSources(tc.n); got != tc.complete {
			t.Errorf("completeSources(%d) = %d, want %d", tc.n, got, tc.complete)
		}
		if got := listPages(tc.n); got != tc.pages {
			t.Errorf("listPages(%d) = %d, want %d", tc.n, got, tc.pages)
		}
	}
	if ids := completeSourceIDs(4); len(ids) != 4 || ids[3] != fakeisc.GeneratedSourceID(10) {
		t.Errorf("completeSourceIDs(4) = %v, want sources 0, 1, 2 and 10", ids)
	}
	for _, tc := range []struct{ n, enabled int }{{1, 0}, {2, 1}, {5, 4}, {6, 4}, {7, 5}, {2000, 1600}, {10000, 8000}} {
		if got := enabledAccounts(tc.n); got != tc.enabled {
			t.Errorf("enabledAccounts(%d) = %d, want %d", tc.n, got, tc.enabled)
		}
		if got := len(enabledAccountIDs("s", tc.n)); got != tc.enabled {
			t.Errorf("enabledAccountIDs(%d) has %d ids, want %d", tc.n, got, tc.enabled)
		}
	}
	src := fakeisc.GeneratedSourceID(0)
	if ids := enabledAccountIDs(src, 7); ids[0] != fakeisc.GeneratedAccountID(src, 1) || ids[4] != fakeisc.GeneratedAccountID(src, 6) {
		t.Errorf("enabledAccountIDs(7) = %v, want accounts 1 to 4 and 6", ids)
	}
	want := map[string]int{"source": 1, "status": 1, "accounts": 8, "account-summaries": 1600} // the 2 + 8 + 1,600
	if got := accountReportOps(2000); !maps.Equal(got, want) {
		t.Errorf("accountReportOps(2000) = %v, want %v", got, want)
	}
	if got := accountReportOps(10000); got["accounts"] != 40 || got["account-summaries"] != 8000 {
		t.Errorf("accountReportOps(10000) = %v, want 40 pages and 8000 usage requests", got)
	}
}

// Every configuration the benchmark writes is valid HCL.
func TestConfigurationsParse(t *testing.T) {
	both := []string{"sailpoint", noop.TypeName}
	for name, hcl := range map[string]string{
		"cpu":               header("http://127.0.0.1:1", unpacedRPS, both...) + mixedReads(completeSourceIDs(3), both...),
		"for_each":          header("http://127.0.0.1:1", 0, "sailpoint") + forEachBody,
		"report":            header("http://127.0.0.1:1", 0, "sailpoint") + reportBody,
		"accounts report":   header("http://127.0.0.1:1", 0, "sailpoint") + accountReportBody("s"),
		"accounts for_each": header("http://127.0.0.1:1", 0, "sailpoint") + accountUsagesBody(enabledAccountIDs("s", 7)),
		"unthrottled":       header("http://127.0.0.1:1", unpacedRPS, "sailpoint") + accountReportBody("s"),
	} {
		if _, diags := hclparse.NewParser().ParseHCL([]byte(hcl), name+".tf"); diags.HasErrors() {
			t.Errorf("%s: %s\n%s", name, diags.Error(), hcl)
		}
		if strings.Contains(hcl, "requests_per_second") != (name == "cpu" || name == "unthrottled") {
			t.Errorf("%s: requests_per_second set only where pacing must not count:\n%s", name, hcl)
		}
	}
}

// fixture is the results of a run in which every target holds.
func fixture() *Results {
	usage := func(cpu time.Duration) map[string]Usage {
		return map[string]Usage{"sailpoint": {CPU: cpu, MaxRSS: 50 * mib}, noop.TypeName: {CPU: time.Second, MaxRSS: 48 * mib}}
	}
	res := &Results{Started: time.Now(), Duration: time.Minute, RPS: defaultRPS, RateLimit: rateLimit, Window: rateWindow,
		TokenTTL: fakeisc.DefaultTokenTTL, CPUReads: 300, GoBench: "BenchmarkX-2 1 1 ns/op",
		Profile: Profile{Top: "top\n", Shares: []Share{{What: "the provider's client", Sailpoint: 3, Baseline: 0}}}}
	for _, ms := range []int{1100, 1150, 1300} {
		res.CPU = append(res.CPU, Run{Name: "cpu", N: 300, Providers: usage(time.Duration(ms) * time.Millisecond), Ops: map[string]int{"token": 1}})
	}
	for _, n := range []int{1, 100, 1000} {
		api := listPages(n) + 2*n
		res.Scaling = append(res.Scaling, Run{Name: "for_each", N: n, API: api, Wall: time.Duration(api) * 102 * time.Millisecond,
			Providers: usage(time.Second), PerWindow: 98, MaxInWindow: 99, PlanJSON: 1 << 20,
			Ops: map[string]int{"token": 1, "sources": listPages(n), "status": n, "summaries": n}})
	}
	res.Report = Run{Name: "report", N: 1000, API: 1304, Wall: 133 * time.Second, Providers: usage(time.Second), PerWindow: 98,
		Ops: map[string]int{"token": 1, "sources": 4, "status": 1000, "summaries": 300}}
	accountRun := func(name string, n int, ops map[string]int) Run {
		r := Run{Name: name, N: n, Providers: usage(time.Second), PerWindow: 98, MaxInWindow: 99, Ops: maps.Clone(ops)}
		for _, c := range ops {
			r.API += c
		}
		r.Ops["token"], r.Wall = 1, time.Duration(r.API)*102*time.Millisecond
		return r
	}
	res.AccountReport = accountRun("acct-report", 2000, accountReportOps(2000))
	res.AccountForEach = accountRun("acct-for_each", 2000, map[string]int{"account-summaries": 1600})
	res.Unthrottled = accountRun("unthrottled", 10000, accountReportOps(10000))
	res.Unthrottled.Wall, res.Unthrottled.PlanJSON = 20*time.Second, 12_345_678
	res.Targets = targets(res)
	return res
}

func TestTargets(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Results)
		fails  string // the target that fails, "" for none
		timed  bool
	}{
		{"all hold", func(*Results) {}, "", false},
		{"two tokens", func(r *Results) { r.Scaling[1].Ops["token"] = 2 }, "one token request per plan", false},
		{"a second page", func(r *Results) { r.Scaling[0].Ops["sources"] = 2 }, "one request per read", false},
		{"a 429", func(r *Results) { r.Report.RateLimited = 1 }, "no 429 at the defaults", false},
		{"a summaries request too many", func(r *Results) { r.Report.Ops["summaries"]++; r.Report.API++ }, "report requests", false},
		{"slow report", func(r *Results) { r.Report.Wall = 140 * time.Second }, "report wall", true},
		{"a disabled account read", func(r *Results) { r.AccountReport.Ops["account-summaries"]++; r.AccountReport.API++ }, "account report requests", false},
		{"a list page too few, unthrottled", func(r *Results) { r.Unthrottled.Ops["accounts"]--; r.Unthrottled.API-- }, "account report requests", false},
		{"an account read twice", func(r *Results) { r.AccountForEach.Ops["account-summaries"]++; r.AccountForEach.API++ }, "for_each over sailpoint_account_usages", false},
		{"a 429 on accounts", func(r *Results) { r.AccountForEach.RateLimited = 1 }, "account plans: no 429", false},
		{"a second token for accounts", func(r *Results) { r.Unthrottled.Ops["token"] = 2 }, "one token request per plan", false},
		{"slow account report", func(r *Results) { r.AccountReport.Wall = 170 * time.Second }, "account report wall", true},
		{"slow provider", func(r *Results) { r.CPU[1].Providers["sailpoint"] = Usage{CPU: 1300 * time.Millisecond} }, "provider CPU", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := fixture()
			tc.change(res)
			for _, target := range targets(res) {
				fails := tc.fails != "" && strings.HasPrefix(target.What, tc.fails)
				if target.Holds == fails || (fails && target.Timed != tc.timed) {
					t.Errorf("%s: holds %v, timed %v (%s)", target.What, target.Holds, target.Timed, target.Result)
				}
			}
		})
	}
}

// BENCHMARKS.md and the chart render from results, and the results survive JSON.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	if err := fixture().write(dir, true); err != nil {
		t.Fatal(err)
	}
	res, err := load(filepath.Join(dir, "bench", "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := res.write(dir, false); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "BENCHMARKS.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"One token per plan", "Prefer a map for `for_each`", "| 1000 | 2004 (4 + 1000 + 1000)",
		"The median ratio is **1.15×**", "| API requests | 2004 | 1304 (4 list pages + 1000 status + 300 summaries) |",
		"| API requests | 1600 | 1610 (1 source + 1 status + 8 list pages + 1600 usage) |", "on a source of 2000 accounts, 400 of them disabled",
		"| `terraform show -json` of the saved plan | 12345678 bytes (11.8 MiB), 1235 bytes per account |"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("BENCHMARKS.md lacks %q", want)
		}
	}
	png, err := os.ReadFile(filepath.Join(dir, "bench", "plan-time.png"))
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("plan-time.png is no PNG: %v", err)
	}
}
