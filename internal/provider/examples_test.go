package provider_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/provider"
)

// The examples under examples/ are what the registry docs and guides show. These tests run
// them with the real CLI (Terraform, or OpenTofu under make testacc-tofu) and the built
// provider binary, so that a copied example works, and run the guides' policies with the real
// opa and conftest. The TestDocs_ tests need no CLI: they hold the docs to what the code and
// the toolchain say.
//
// Folders that declare no required_providers are documentation fragments, like every
// HashiCorp provider's examples/data-sources/*/data-source.tf: they are validated and planned
// as a copy with acctest.RequiredProviders added, which is what a user's configuration
// supplies. Every other folder runs exactly as it is.

var requiredProvidersPattern = regexp.MustCompile(`(?m)^\s*required_providers\s*\{`)

// Source ids the examples name. Every example names sources of the demo catalogue
// (fakeisc.WithDemoSources), a tenant that looks like a real one: its ids are stable and its
// monthly rows follow the clock, and every example plans against it as written. The
// policy-as-code guide quotes exact numbers, so its step-by-step test runs against the tests'
// fixture sources (acctest), whose data is fixed, under the same names (fixtureSources).
const (
	fixtureWorkday    = acctest.SourceWorkday
	fixtureServiceNow = acctest.SourceServiceNow
	demoGitHub        = "bf2ee265d8d1cc7f483df93fa6489c0d"
	demoContractors   = "c6ef4f9bd249473dcac0c588f6ad0e28"
	demoWorkday       = "dc1eedf21caea8aa80ae54336b6872d4"
	demoServiceNow    = "33b22b4a3606e5b8ba969f1b197e7e7d"
	demoCorporateAD   = "04afeed6c1a4683924c04714e01a24c7"
	// Accounts of Corporate Active Directory in the demo catalogue without an active day in
	// the newest 6 months, whatever the month: three dormant for 8 months and one never used.
	demoESchmidt = "b1f4248fb86b1d311c1e08d68e0a1910"
	demoMGarcia  = "7bbd121b43c950a9523250f4d639da9f"
	demoRPatel   = "d45ff3857193cad1af9539face8521f9"
	demoTNguyen  = "b172c8722f0c13ecad914c4117302b57"
)

// fixtureSources gives the policy-as-code guide's sources variable the fixture sources under
// the names its defaults use for the demo tenant's, through TF_VAR_sources: the guide's
// commands run unchanged, and its output is the same from run to run.
var fixtureSources = fmt.Sprintf(`{active_directory = %q, workday = %q, salesforce = %q, servicenow = %q}`,
	acctest.SourceActiveDirectory, acctest.SourceWorkday, acctest.SourceSalesforce, acctest.SourceServiceNow)

// exampleDirs returns every folder under examples/ that holds .tf files, relative to it.
func exampleDirs(t *testing.T) []string {
	t.Helper()
	root := filepath.Join(acctest.RepoRoot(t), "examples")
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir // .terraform and the like, left by a manual run
		}
		if !d.IsDir() && filepath.Ext(path) == ".tf" {
			rel, err := filepath.Rel(root, filepath.Dir(path))
			if err != nil {
				return err
			}
			if !slices.Contains(dirs, filepath.ToSlash(rel)) {
				dirs = append(dirs, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// exampleWorkdir copies the .tf files of examples/<dir> (not its sub-folders) into a fresh
// working directory, adding the required_providers block when the folder is a fragment.
func exampleWorkdir(t *testing.T, dir string) *acctest.Workdir {
	t.Helper()
	w := acctest.NewWorkdir(t, "")
	if err := os.Remove(filepath.Join(w.Dir, "main.tf")); err != nil {
		t.Fatal(err)
	}
	if !copyExample(t, dir, w.Dir) {
		writeTestFile(t, filepath.Join(w.Dir, "terraform.tf"), []byte(acctest.RequiredProviders))
	}
	return w
}

// copyExample copies the .tf files of examples/<dir> into to and reports whether any of them
// declares required_providers.
func copyExample(t *testing.T, dir, to string) (declaresProviders bool) {
	t.Helper()
	src := filepath.Join(acctest.RepoRoot(t), "examples", filepath.FromSlash(dir))
	files, err := filepath.Glob(filepath.Join(src, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .tf files in %s: %v", src, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		declaresProviders = declaresProviders || requiredProvidersPattern.Match(b)
		writeTestFile(t, filepath.Join(to, filepath.Base(f)), b)
	}
	return declaresProviders
}

// copyPolicy copies the .rego files of examples/<dir>/policy into <to>/policy.
func copyPolicy(t *testing.T, dir, to string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(acctest.RepoRoot(t), "examples", filepath.FromSlash(dir), "policy", "*.rego"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no policy in examples/%s/policy: %v", dir, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		writeTestFile(t, filepath.Join(to, "policy", filepath.Base(f)), b)
	}
}

func writeTestFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// pointAt points w at a fake tenant through the SAIL_* variables, as a CI job would.
func pointAt(w *acctest.Workdir, url string) {
	w.Env["SAIL_BASE_URL"] = url
	w.Env["SAIL_CLIENT_ID"] = fakeisc.DefaultClientID
	w.Env["SAIL_CLIENT_SECRET"] = fakeisc.DefaultClientSecret
}

// withFixtures points w at a fresh fake tenant that serves the tests' fixture sources, plus
// the demo catalogue with both set.
func withFixtures(t *testing.T, w *acctest.Workdir, andDemo bool) *acctest.Fake {
	t.Helper()
	var opts []fakeisc.Option
	if andDemo {
		opts = append(opts, fakeisc.WithDemoSources())
	}
	fake := acctest.NewFake(t, opts...)
	pointAt(w, fake.URL)
	return fake
}

// withDemoTenant points w at a fresh fake tenant that serves the demo catalogue only: a
// tenant that looks like a real one, where names are unique, as the examples find sources
// by name.
func withDemoTenant(t *testing.T, w *acctest.Workdir) *fakeisc.Tenant {
	t.Helper()
	tenant := fakeisc.New(fakeisc.WithDemoSources())
	srv := httptest.NewServer(tenant)
	t.Cleanup(srv.Close)
	pointAt(w, srv.URL)
	return tenant
}

// Every example folder the docs and guides pull in, and every data source's, must exist: a
// renamed folder would otherwise drop out of the tests below without a sound. Every data
// source needs its template as well.
func TestExamples_present(t *testing.T) {
	dirs := exampleDirs(t)
	want := []string{
		"demo",
		"provider",
		"provider/access-token",
		"provider/environment",
		"provider/tuning",
		"guides/policy-as-code",
		"guides/policy-as-code/postcondition",
		"guides/find-unused-sources",
		"guides/find-unused-sources/postcondition",
		"guides/find-dormant-accounts",
		"guides/find-dormant-accounts/postcondition",
	}
	for _, newDS := range dataSourceTypes() {
		want = append(want, "data-sources/"+newDS)
		for _, f := range []string{
			"examples/data-sources/" + newDS + "/data-source.tf",
			// tfplugindocs names templates without the provider's prefix.
			"templates/data-sources/" + strings.TrimPrefix(newDS, "sailpoint_") + ".md.tmpl",
		} {
			if _, err := os.Stat(filepath.Join(acctest.RepoRoot(t), f)); err != nil {
				t.Errorf("data source %s: %v", newDS, err)
			}
		}
	}
	for _, d := range want {
		if !slices.Contains(dirs, d) {
			t.Errorf("examples/%s has no .tf files; found %v", d, dirs)
		}
	}
}

// dataSourceTypes lists the provider's data sources by type name.
func dataSourceTypes() []string {
	var types []string
	p := provider.New("test")()
	for _, newDS := range p.DataSources(context.Background()) {
		var resp datasource.MetadataResponse
		newDS().Metadata(context.Background(), datasource.MetadataRequest{ProviderTypeName: "sailpoint"}, &resp)
		types = append(types, resp.TypeName)
	}
	return types
}

// terraform fmt -check -recursive examples/: the examples are formatted as the CLI formats
// them.
func TestAccExamples_fmt(t *testing.T) {
	t.Parallel()
	w := acctest.NewWorkdir(t, "")
	r := w.Run("fmt", "-check", "-diff", "-recursive", filepath.Join(acctest.RepoRoot(t), "examples"))
	if r.Err != nil {
		t.Fatalf("examples/ is not formatted (run make fmt): %v\n%s%s", r.Err, r.Stdout, r.Stderr)
	}
}

type validateOutput struct {
	Valid       bool         `json:"valid"`
	Diagnostics []diagnostic `json:"diagnostics"`
}

type diagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
}

// devOverridesWarning is the warning every run through dev_overrides gives.
const devOverridesWarning = "Provider development overrides are in effect"

// terraform validate on every example folder, with the built provider's schema: every
// attribute named in an example exists, has the right type and passes its validators. Any
// warning other than the one dev_overrides always gives fails the test too.
func TestAccExamples_validate(t *testing.T) {
	t.Parallel()
	for _, dir := range exampleDirs(t) {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			w := exampleWorkdir(t, dir)
			r := w.Run("validate", "-json", "-no-color")
			var out validateOutput
			if err := json.Unmarshal([]byte(r.Stdout), &out); err != nil {
				t.Fatalf("validate -json: %v (%v)\nstdout:\n%s\nstderr:\n%s", err, r.Err, r.Stdout, r.Stderr)
			}
			for _, d := range out.Diagnostics {
				if d.Summary == devOverridesWarning {
					continue
				}
				t.Errorf("examples/%s: %s: %s\n%s", dir, d.Severity, d.Summary, d.Detail)
			}
			if !out.Valid || r.Err != nil {
				t.Fatalf("examples/%s is not valid (%v)\nstderr:\n%s", dir, r.Err, r.Stderr)
			}
		})
	}
}

// failingPlans are the examples whose plan fails on purpose, with the one error each must
// give: the strict variants of the guides.
var failingPlans = map[string]string{
	"guides/policy-as-code/postcondition":      "Usage insights are not set up for source workday (" + demoWorkday + "): its status is INCOMPLETE.",
	"guides/find-unused-sources/postcondition": "Unused sources: GitHub Enterprise (" + demoGitHub + ").",
	// Made for terraform test with a mocked provider, it plans like any configuration against a
	// tenant, and the demo tenant's GitHub Enterprise source is unused.
	"guides/policy-as-code/terraform-test": "Unused sources: GitHub Enterprise (" + demoGitHub + ").",
	"guides/find-dormant-accounts/postcondition": "Dormant accounts of Corporate Active Directory: e.schmidt (" + demoESchmidt +
		"), mgarcia (" + demoMGarcia + "), rpatel (" + demoRPatel + "), tnguyen (" + demoTNguyen + ").",
}

// terraform plan on every example that reads data, against a fake tenant that serves the
// sources the examples name: the examples do what their comments say. The provider examples
// are left out: they configure made-up tenants and need variables.
func TestAccExamples_plan(t *testing.T) {
	t.Parallel()
	for _, dir := range exampleDirs(t) {
		if dir == "provider" || strings.HasPrefix(dir, "provider/") {
			continue
		}
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			w := exampleWorkdir(t, dir)
			withDemoTenant(t, w)
			r := w.Run("plan", "-input=false", "-no-color")
			if want, ok := failingPlans[dir]; ok {
				if r.Err == nil {
					t.Fatalf("plan succeeded; its postcondition should have failed it\n%s", r.Stdout)
				}
				for _, frag := range []string{"Resource postcondition failed", want} {
					if !strings.Contains(oneLine(r.Stderr), frag) {
						t.Errorf("the plan's errors lack %q:\n%s", frag, r.Stderr)
					}
				}
				if n := strings.Count(r.Stderr, "Resource postcondition failed"); n != 1 {
					t.Errorf("%d postconditions failed, want 1:\n%s", n, r.Stderr)
				}
				checkGuideQuotes(t, strings.Split(dir, "/")[1], diagnosticPlace.FindAllString(r.Stderr, -1)...)
				checkGuideQuotes(t, strings.Split(dir, "/")[1], want)
				return
			}
			if r.Err != nil {
				t.Fatalf("plan examples/%s: %v\nstdout:\n%s\nstderr:\n%s", dir, r.Err, r.Stdout, r.Stderr)
			}
			if strings.Contains(r.Stdout+r.Stderr, "Error:") {
				t.Errorf("plan examples/%s reported an error:\n%s%s", dir, r.Stdout, r.Stderr)
			}
		})
	}
}

// oneLine joins the CLI's wrapped diagnostic lines, so that a message can be matched whole.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

var diagnosticPlace = regexp.MustCompile(`on main\.tf line \d+, in [^\n]+:`)

// checkGuideQuotes asserts that templates/guides/<guide>.md.tmpl quotes each fragment of real
// CLI output (white space aside), so that its sample output, line numbers included, stays
// true when the examples change. The guides show Terraform's output; OpenTofu's may differ in
// wording, so only Terraform runs check it.
func checkGuideQuotes(t *testing.T, guide string, fragments ...string) {
	t.Helper()
	if acctest.IsOpenTofu() {
		return
	}
	b, err := os.ReadFile(filepath.Join(acctest.RepoRoot(t), "templates", "guides", guide+".md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	text := oneLine(string(b))
	for _, f := range fragments {
		if !strings.Contains(text, oneLine(f)) {
			t.Errorf("templates/guides/%s.md.tmpl does not quote the real output %q: update the guide", guide, f)
		}
	}
}

// toolPath returns a policy CLI: the env variable (set by the GNUmakefile), else .tools/bin.
func toolPath(t *testing.T, env, name string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		return p
	}
	p := filepath.Join(acctest.RepoRoot(t), ".tools", "bin", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s not found at %s: run the tests through make test, or build it with scripts/tools.sh %s", name, p, name)
	}
	return p
}

// runTool runs a CLI in dir and returns its combined output and exit code.
func runTool(t *testing.T, path, dir string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	}
	t.Fatalf("%s %s: %v\n%s", filepath.Base(path), strings.Join(args, " "), err, out)
	return "", 0
}

func runOPA(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	return runTool(t, toolPath(t, "OPA_PATH", "opa"), dir, args...)
}

func runConftest(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	return runTool(t, toolPath(t, "CONFTEST_PATH", "conftest"), dir, append(args, "--no-color")...)
}

// checkPolicyUnitTests runs opa test and opa fmt on the policy in dir/policy, and asserts the
// guide quotes the test summary.
func checkPolicyUnitTests(t *testing.T, dir, guide string) {
	t.Helper()
	out, code := runOPA(t, dir, "test", "policy/")
	if code != 0 {
		t.Fatalf("opa test policy/: exit %d\n%s", code, out)
	}
	checkGuideQuotes(t, guide, strings.TrimSpace(out))
	if out, code := runOPA(t, dir, "fmt", "--list", "--fail", "policy/"); code != 0 {
		t.Errorf("opa fmt: the policy is not formatted (run opa fmt -w on it): exit %d\n%s", code, out)
	}
}

// planJSON plans into tfplan and writes terraform show -json of it to plan.json; it returns
// the plan's output.
func planJSON(t *testing.T, w *acctest.Workdir, args ...string) acctest.Result {
	t.Helper()
	plan := w.MustRun(append([]string{"plan", "-input=false", "-no-color", "-out=tfplan"}, args...)...)
	show := w.MustRun("show", "-json", "tfplan")
	writeTestFile(t, filepath.Join(w.Dir, "plan.json"), []byte(show.Stdout))
	return plan
}

// opaDeny evaluates the deny rule of package pkg over plan.json the way the guides show it,
// and returns the violations, sorted, and the exit code.
func opaDeny(t *testing.T, dir, policyFile, pkg string) ([]string, int) {
	t.Helper()
	out, code := runOPA(t, dir, "eval", "--fail-defined", "--format", "raw",
		"--data", "policy/"+policyFile, "--input", "plan.json", "data."+pkg+".deny[msg]")
	if code > 1 {
		t.Fatalf("opa eval: exit %d\n%s", code, out)
	}
	return sortedLines(out), code
}

func sortedLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	slices.Sort(lines)
	return lines
}

// conftestFailures runs the guides' conftest command over plan.json and returns the messages
// of its FAIL lines, sorted, the whole output and the exit code.
func conftestFailures(t *testing.T, dir, namespace string) ([]string, string, int) {
	t.Helper()
	out, code := runConftest(t, dir, "test", "--namespace", namespace, "--policy", "policy/", "plan.json")
	prefix := "FAIL - plan.json - " + namespace + " - "
	var fails []string
	for _, l := range strings.Split(out, "\n") {
		if msg, ok := strings.CutPrefix(l, prefix); ok {
			fails = append(fails, msg)
		}
	}
	slices.Sort(fails)
	return fails, out, code
}

// checkConftestNeedsNamespace shows what the guides warn about: without --namespace, conftest
// reads only package main, finds nothing to evaluate, and passes a plan full of violations.
func checkConftestNeedsNamespace(t *testing.T, dir string) {
	t.Helper()
	out, code := runConftest(t, dir, "test", "--policy", "policy/", "plan.json")
	if code != 0 || !strings.Contains(out, "0 tests, 0 passed") {
		t.Errorf("conftest without --namespace: exit %d, want 0 and no test run (what the guides warn about)\n%s", code, out)
	}
}

// The policy-as-code guide, step by step, with the commands it shows: plan to a file, turn
// the plan into JSON, and evaluate the OPA policy on it with opa and with conftest. Against the
// fixture sources the policy must find exactly two problems: Workday has no usage insights,
// and ServiceNow's accounts were active 4.25 days on average in its newest month, fewer than
// the 5 required.
func TestAccExamples_policyAsCodeGuide(t *testing.T) {
	t.Parallel()
	const guide = "policy-as-code"
	w := exampleWorkdir(t, "guides/policy-as-code")
	copyPolicy(t, "guides/policy-as-code", w.Dir)
	withFixtures(t, w, false)
	w.Env["TF_VAR_sources"] = fixtureSources

	checkPolicyUnitTests(t, w.Dir, guide)

	// The check blocks warn, and the plan succeeds.
	plan := planJSON(t, w)
	checkPlanWarns(t, plan, guide, "Usage insights are not set up for: workday.",
		"Accounts were active fewer than 5 days on average in the newest month in: servicenow.")

	// The plan JSON records the failed checks too, for tools that read only that.
	b, err := os.ReadFile(filepath.Join(w.Dir, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var planDoc struct {
		Checks []struct {
			Address struct {
				Name string `json:"name"`
			} `json:"address"`
			Status string `json:"status"`
		} `json:"checks"`
	}
	if err := json.Unmarshal(b, &planDoc); err != nil {
		t.Fatalf("show -json: %v", err)
	}
	checks := map[string]string{}
	for _, c := range planDoc.Checks {
		checks[c.Address.Name] = c.Status
	}
	if want := map[string]string{"usage_insights_available": "fail", "sources_are_used": "fail"}; !maps.Equal(checks, want) {
		t.Errorf("checks in the plan JSON: %v, want %v", checks, want)
	}

	// The guide's opa command: --fail-defined exits 1 when the policy denies anything, and
	// --format raw prints one violation a line.
	want := []string{
		`data.sailpoint_source_usage_status.source["workday"]: usage insights are not set up for source ` + fixtureWorkday + ` (status INCOMPLETE)`,
		`data.sailpoint_source_usages.source["servicenow"]: accounts in source ` + fixtureServiceNow + ` were active 4.25 days on average in the month of 2024-12-01, fewer than 5`,
	}
	checkPolicyVerdict(t, w.Dir, guide, "source_usage.rego", "sailpoint.source_usage", want,
		"2 tests, 0 passed, 0 warnings, 2 failures, 0 exceptions")

	// Raising nothing but the threshold variable changes the verdict the same way in Terraform
	// and in the policy: with min_active_days = 4 only Workday is left.
	planJSON(t, w, "-var=min_active_days=4")
	got, code := opaDeny(t, w.Dir, "source_usage.rego", "sailpoint.source_usage")
	if code != 1 || !slices.Equal(got, want[:1]) {
		t.Errorf("with min_active_days = 4: exit %d, violations:\n%s\nwant exit 1 and only:\n%s", code, strings.Join(got, "\n"), want[0])
	}
}

// planChange is one entry of the plan JSON's resource_changes.
type planChange struct {
	Address      string `json:"address"`
	Mode         string `json:"mode"`
	Type         string `json:"type"`
	ActionReason string `json:"action_reason"`
}

func readPlanChanges(t *testing.T, dir string) []planChange {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var plan struct {
		ResourceChanges []planChange `json:"resource_changes"`
	}
	if err := json.Unmarshal(b, &plan); err != nil {
		t.Fatal(err)
	}
	return plan.ResourceChanges
}

// The guides' policies run over a real plan that holds every check-block example of the docs
// (examples/data-sources/*/check.tf) next to the policy-as-code guide's configuration.
// Terraform lists every data source of a check block in resource_changes with action_reason
// read_because_check_nested, although it read them during the plan: the policies' fail-closed
// rules must not count those as unseen. A check block whose read fails must still be caught.
func TestAccExamples_policiesOverCheckBlocks(t *testing.T) {
	t.Parallel()
	w := exampleWorkdir(t, "guides/policy-as-code")
	copyPolicy(t, "guides/policy-as-code", w.Dir)
	copyPolicy(t, "guides/find-unused-sources", w.Dir)
	copyPolicy(t, "guides/find-dormant-accounts", w.Dir)
	checkFiles, err := filepath.Glob(filepath.Join(acctest.RepoRoot(t), "examples", "data-sources", "*", "check.tf"))
	if err != nil || len(checkFiles) < 3 {
		t.Fatalf("want the check.tf examples of at least 3 data sources, found %v (%v)", checkFiles, err)
	}
	var nested []string // addresses of the data sources declared in check blocks
	for _, f := range checkFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		writeTestFile(t, filepath.Join(w.Dir, filepath.Base(filepath.Dir(f))+"_check.tf"), b)
		for _, m := range regexp.MustCompile(`(?m)^\s+data "([^"]+)" "([^"]+)"`).FindAllStringSubmatch(string(b), -1) {
			nested = append(nested, "data."+m[1]+"."+m[2])
		}
	}
	withFixtures(t, w, true) // the guide's sources from the fixtures, the check.tf examples' from the demo
	w.Env["TF_VAR_sources"] = fixtureSources
	planJSON(t, w)

	reasons := map[string]string{}
	for _, rc := range readPlanChanges(t, w.Dir) {
		reasons[rc.Address] = rc.ActionReason
	}
	for _, addr := range nested {
		if reasons[addr] != "read_because_check_nested" {
			t.Errorf("resource_changes[%s].action_reason = %q, want read_because_check_nested: the test no longer covers what it should", addr, reasons[addr])
		}
	}

	// Exactly the guide's own findings, plus the Workday example's: nothing about the
	// check-block reads themselves.
	want := []string{
		`data.sailpoint_source_usage_status.source["workday"]: usage insights are not set up for source ` + fixtureWorkday + ` (status INCOMPLETE)`,
		`data.sailpoint_source_usage_status.workday: usage insights are not set up for source ` + demoWorkday + ` (status INCOMPLETE)`,
		`data.sailpoint_source_usages.source["servicenow"]: accounts in source ` + fixtureServiceNow + ` were active 4.25 days on average in the month of 2024-12-01, fewer than 5`,
	}
	got, _ := opaDeny(t, w.Dir, "source_usage.rego", "sailpoint.source_usage")
	if !slices.Equal(got, want) {
		t.Errorf("opa eval over the check-block examples:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	fails, out, _ := conftestFailures(t, w.Dir, "sailpoint.source_usage")
	if !slices.Equal(fails, want) {
		t.Errorf("conftest over the check-block examples:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}
	got, _ = opaDeny(t, w.Dir, "unused_sources.rego", "sailpoint.unused_sources")
	for _, v := range got {
		if strings.Contains(v, "cannot check it") {
			t.Errorf("the find-unused-sources policy fails a check-block read that succeeded: %s", v)
		}
	}
	// The account report's check-block example is checked through prior_state like any other
	// report: its four dormant accounts, and nothing about the read itself.
	var dormant []string
	for _, a := range []struct{ name, id string }{{"e.schmidt", demoESchmidt}, {"mgarcia", demoMGarcia}, {"rpatel", demoRPatel}, {"tnguyen", demoTNguyen}} {
		dormant = append(dormant, "data.sailpoint_account_usage_report.checked_directory: account "+a.name+" ("+a.id+
			") of Corporate Active Directory is dormant: its most active of the newest 6 months had 0 active days, below 1")
	}
	if got, _ := opaDeny(t, w.Dir, "dormant_accounts.rego", "sailpoint.dormant_accounts"); !slices.Equal(got, dormant) {
		t.Errorf("the find-dormant-accounts policy over the check-block examples:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(dormant, "\n"))
	}

	// A check-block read that fails leaves unknown values: both policies fail closed on it.
	writeTestFile(t, filepath.Join(w.Dir, "deleted_check.tf"), []byte(`
check "deleted_source" {
  data "sailpoint_source_usage_status" "deleted" {
    source_id = "2c9180835d191a86015d28455b4a0000"
  }

  assert {
    condition     = data.sailpoint_source_usage_status.deleted.insights_available
    error_message = "no insights"
  }
}
`))
	planJSON(t, w)
	const unseen = "data.sailpoint_source_usage_status.deleted: its read during the plan failed (see the check block's warning), so this policy cannot check it"
	if got, _ := opaDeny(t, w.Dir, "source_usage.rego", "sailpoint.source_usage"); !slices.Contains(got, unseen) || len(got) != len(want)+1 {
		t.Errorf("opa eval with a failed check-block read:\n%s\nwant the three findings above and %q", strings.Join(got, "\n"), unseen)
	}
	if got, _ := opaDeny(t, w.Dir, "unused_sources.rego", "sailpoint.unused_sources"); !slices.ContainsFunc(got, func(v string) bool {
		return strings.HasPrefix(v, "data.sailpoint_source_usage_status.deleted: ") && strings.Contains(v, "cannot check it")
	}) {
		t.Errorf("the find-unused-sources policy passes a failed check-block read:\n%s", strings.Join(got, "\n"))
	}
	if got, _ := opaDeny(t, w.Dir, "dormant_accounts.rego", "sailpoint.dormant_accounts"); !slices.ContainsFunc(got, func(v string) bool {
		return strings.HasPrefix(v, "data.sailpoint_source_usage_status.deleted: ") && strings.Contains(v, "cannot check it")
	}) {
		t.Errorf("the find-dormant-accounts policy passes a failed check-block read:\n%s", strings.Join(got, "\n"))
	}
}

// The find-unused-sources guide, step by step, against a tenant that looks like a real one:
// the check blocks, the OPA policy through opa and conftest, and the numbers the guide quotes.
// The postcondition variant runs in TestAccExamples_plan.
func TestAccExamples_findUnusedSourcesGuide(t *testing.T) {
	t.Parallel()
	const guide = "find-unused-sources"
	w := exampleWorkdir(t, "guides/find-unused-sources")
	copyPolicy(t, "guides/find-unused-sources", w.Dir)
	withDemoTenant(t, w)

	checkPolicyUnitTests(t, w.Dir, guide)

	plan := planJSON(t, w)
	checkPlanWarns(t, plan, guide, "No month of the past year reached 1 active day on average in: GitHub Enterprise.",
		"Usage insights are not set up for: Contractors, Workday.")

	want := []string{
		`data.sailpoint_source_usage_report.tenant: source GitHub Enterprise (` + demoGitHub + `) is unused: its most active month averaged 0 active days, below 1`,
		`data.sailpoint_source_usage_report.tenant: usage insights are not set up for source Contractors (` + demoContractors + `), status INCOMPLETE`,
		`data.sailpoint_source_usage_report.tenant: usage insights are not set up for source Workday (` + demoWorkday + `), status INCOMPLETE`,
	}
	checkPolicyVerdict(t, w.Dir, guide, "unused_sources.rego", "sailpoint.unused_sources", want,
		"5 tests, 2 passed, 0 warnings, 3 failures, 0 exceptions")

	// A configuration that lowers the threshold to let its sources pass fails the policy
	// instead: with unused_below = 0 no source is unused, and the policy says why it fails.
	planJSON(t, w, "-var=unused_below=0")
	got, _ := opaDeny(t, w.Dir, "unused_sources.rego", "sailpoint.unused_sources")
	lowered := "data.sailpoint_source_usage_report.tenant: unused_below is 0; this policy needs at least 1"
	if !slices.Contains(got, lowered) || slices.Contains(got, want[0]) {
		t.Errorf("with unused_below = 0: violations:\n%s\nwant %q and no unused source", strings.Join(got, "\n"), lowered)
	}
}

// The find-dormant-accounts guide, step by step, against the demo tenant: the check blocks,
// the requests the guide counts, the OPA policy through opa and conftest, the allow-list, and
// an account newer than the window, which the report calls unused and the guide's rules leave
// out. The postcondition variant's default run is in TestAccExamples_plan.
func TestAccExamples_findDormantAccountsGuide(t *testing.T) {
	t.Parallel()
	const guide = "find-dormant-accounts"
	w := exampleWorkdir(t, "guides/find-dormant-accounts")
	copyPolicy(t, "guides/find-dormant-accounts", w.Dir)
	tenant := withDemoTenant(t, w)

	checkPolicyUnitTests(t, w.Dir, guide)

	dormantWarning := "Accounts of Corporate Active Directory without an active day in 6 months: e.schmidt, mgarcia, rpatel, tnguyen."
	orphanWarning := "Accounts of Corporate Active Directory correlated to no identity: scanner, svc-backup, vendor.support."
	plan := planJSON(t, w)
	checkPlanWarns(t, plan, guide, dormantWarning, orphanWarning)

	// The lookup by name, the source, its status, one page of 18 accounts, and one usage
	// request for each of the 16 enabled ones.
	if n := tenant.Stats().APIRequests; n != 20 {
		t.Errorf("the plan made %d API requests; the guide says 20", n)
	}
	checkGuideQuotes(t, guide, "20 requests")

	dormant := func(name, id string) string {
		return "data.sailpoint_account_usage_report.source: account " + name + " (" + id + ") of Corporate Active Directory is dormant: " +
			"its most active of the newest 6 months had 0 active days, below 1"
	}
	want := []string{dormant("e.schmidt", demoESchmidt), dormant("mgarcia", demoMGarcia), dormant("rpatel", demoRPatel), dormant("tnguyen", demoTNguyen)}
	checkPolicyVerdict(t, w.Dir, guide, "dormant_accounts.rego", "sailpoint.dormant_accounts", want,
		"5 tests, 1 passed, 0 warnings, 4 failures, 0 exceptions")

	// The allow-list, by name and by id, as the guide runs it: the check and the policy both
	// leave those accounts out.
	allowList := `-var=allowed_dormant=["e.schmidt", "` + demoRPatel + `"]`
	checkGuideQuotes(t, guide, `terraform plan -out=tfplan -var='allowed_dormant=["e.schmidt", "`+demoRPatel+`"]'`)
	plan = planJSON(t, w, allowList)
	checkPlanWarns(t, plan, guide, "Accounts of Corporate Active Directory without an active day in 6 months: mgarcia, tnguyen.", orphanWarning)
	if got, code := opaDeny(t, w.Dir, "dormant_accounts.rego", "sailpoint.dormant_accounts"); code != 1 || !slices.Equal(got, []string{want[1], want[3]}) {
		t.Errorf("with the allow-list: exit %d, violations:\n%s\nwant mgarcia's and tnguyen's only", code, strings.Join(got, "\n"))
	}

	// A configuration that judges more months than the policy allows fails the policy.
	planJSON(t, w, "-var=months=12")
	got, _ := opaDeny(t, w.Dir, "dormant_accounts.rego", "sailpoint.dormant_accounts")
	loosened := "data.sailpoint_account_usage_report.source: it counts 12 months; this policy counts at most 6, so set months = 6 or fewer"
	if !slices.Contains(got, loosened) {
		t.Errorf("with months = 12: violations:\n%s\nwant %q", strings.Join(got, "\n"), loosened)
	}
	checkGuideQuotes(t, guide, loosened)

	// An account created 10 days ago, never active: the report calls it unused (it has no
	// rows), and the check and the policy leave it out as newer than the window.
	const newHire = "5f0c3e9a1d7b4c2e8a6f0b1d3c5e7a9f"
	tenant.PutAccount(fakeisc.Account{ID: newHire, Name: "new.hire", NativeIdentity: "new.hire", SourceID: demoCorporateAD,
		IdentityID: "9a1d7b4c2e8a6f0b1d3c5e7a9f5f0c3e", IdentityName: "New Hire", Uncorrelated: new(false), HasEntitlements: true,
		Origin: "PROVISIONED", Created: time.Now().UTC().AddDate(0, 0, -10).Format(time.RFC3339)})
	plan = planJSON(t, w)
	checkPlanWarns(t, plan, guide, dormantWarning, orphanWarning)
	if unused := planReport(t, w.Dir, "data.sailpoint_account_usage_report.source").UnusedAccountIDs; !slices.Contains(unused, newHire) {
		t.Fatalf("unused_account_ids = %v: the report should call the new account unused, or this proves nothing", unused)
	}
	if got, _ := opaDeny(t, w.Dir, "dormant_accounts.rego", "sailpoint.dormant_accounts"); !slices.Equal(got, want) {
		t.Errorf("with a new account: violations:\n%s\nwant only the four dormant accounts", strings.Join(got, "\n"))
	}

	// The postcondition variant, against the same tenant: its filter on created leaves the new
	// account out, and an allow-list of the four accounts lets the plan pass.
	strict := exampleWorkdir(t, "guides/find-dormant-accounts/postcondition")
	maps.Copy(strict.Env, map[string]string{"SAIL_BASE_URL": w.Env["SAIL_BASE_URL"], "SAIL_CLIENT_ID": w.Env["SAIL_CLIENT_ID"],
		"SAIL_CLIENT_SECRET": w.Env["SAIL_CLIENT_SECRET"]})
	r := strict.Run("plan", "-input=false", "-no-color")
	if r.Err == nil || !strings.Contains(oneLine(r.Stderr), failingPlans["guides/find-dormant-accounts/postcondition"]) {
		t.Errorf("the postcondition variant with a new account: %v\n%s", r.Err, r.Stderr)
	}
	r = strict.Run("plan", "-input=false", "-no-color", `-var=allowed_dormant=["e.schmidt", "`+demoRPatel+`"]`)
	twoLeft := "Dormant accounts of Corporate Active Directory: mgarcia (" + demoMGarcia + "), tnguyen (" + demoTNguyen + ")."
	if r.Err == nil || !strings.Contains(oneLine(r.Stderr), twoLeft) {
		t.Errorf("the postcondition variant with the allow-list: %v\n%s", r.Err, r.Stderr)
	}
	checkGuideQuotes(t, guide, twoLeft)
	strict.MustRun("plan", "-input=false", "-no-color", `-var=allowed_dormant=["e.schmidt", "mgarcia", "rpatel", "tnguyen"]`)
}

// accountReportValues are the values of an account usage report that the guide's test reads.
type accountReportValues struct {
	UnusedAccountIDs []string `json:"unused_account_ids"`
}

// planReport returns the values of an account usage report in plan.json's prior state.
func planReport(t *testing.T, dir, address string) accountReportValues {
	t.Helper()
	var plan struct {
		PriorState struct {
			Values struct {
				RootModule struct {
					Resources []struct {
						Address string              `json:"address"`
						Values  accountReportValues `json:"values"`
					} `json:"resources"`
				} `json:"root_module"`
			} `json:"values"`
		} `json:"prior_state"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "plan.json"))), &plan); err != nil {
		t.Fatal(err)
	}
	for _, r := range plan.PriorState.Values.RootModule.Resources {
		if r.Address == address {
			return r.Values
		}
	}
	t.Fatalf("plan.json has no %s in its prior state", address)
	return accountReportValues{}
}

// The example that leaves out the current month, run against a tenant whose ServiceNow source
// has a row for the month the plan runs in, with accounts barely active so far. The check must
// judge the month before (4.25 days) and not warn; the data source's own latest_date must be
// the current month, or the test proves nothing.
func TestAccExamples_leaveOutCurrentMonth(t *testing.T) {
	t.Parallel()
	w := acctest.NewWorkdir(t, "")
	if err := os.Remove(filepath.Join(w.Dir, "main.tf")); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(acctest.RepoRoot(t), "examples", "data-sources", "sailpoint_source_usages", "complete_months.tf")
	writeTestFile(t, filepath.Join(w.Dir, "complete_months.tf"), []byte(readFile(t, src)))
	writeTestFile(t, filepath.Join(w.Dir, "terraform.tf"), []byte(acctest.RequiredProviders+`
output "servicenow_latest_date" {
  value = data.sailpoint_source_usages.servicenow_monthly.latest_date
}
`))
	tenant := withDemoTenant(t, w)
	now := time.Now().UTC()
	month := func(back int) string {
		return time.Date(now.Year(), now.Month()-time.Month(back), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	serviceNow := func(counts ...string) fakeisc.Source {
		s := fakeisc.Source{ID: demoServiceNow, Name: "ServiceNow", Type: "ServiceNow", UsageStatus: "COMPLETE"}
		for back, c := range counts {
			s.Usages = append(s.Usages, fakeisc.Row(month(back), c))
		}
		return s
	}
	tenant.PutSource(serviceNow("0.2", "4.25", "6.5"))

	plan := planJSON(t, w)
	if strings.Contains(plan.Stdout+plan.Stderr, "Check block assertion failed") {
		t.Errorf("the check judged the current month:\n%s%s", plan.Stdout, plan.Stderr)
	}
	var out struct {
		OutputChanges map[string]struct {
			After json.RawMessage `json:"after"`
		} `json:"output_changes"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(w.Dir, "plan.json"))), &out); err != nil {
		t.Fatal(err)
	}
	if got := string(out.OutputChanges["servicenow_latest_date"].After); got != `"`+month(0)+`"` {
		t.Fatalf("latest_date = %s, want %q: the fake did not serve the current month", got, month(0))
	}
	var newest struct {
		Date  string      `json:"date"`
		Count json.Number `json:"count"`
	}
	if err := json.Unmarshal(out.OutputChanges["servicenow_newest_complete_month"].After, &newest); err != nil {
		t.Fatalf("servicenow_newest_complete_month: %v (%s)", err, out.OutputChanges["servicenow_newest_complete_month"].After)
	}
	if newest.Date != month(1) || newest.Count != "4.25" {
		t.Errorf("newest complete month = %+v, want %s with 4.25", newest, month(1))
	}

	// And the check does warn when the month before is barely used, however busy this one.
	tenant.PutSource(serviceNow("20", "0.5", "6.5"))
	plan = w.MustRun("plan", "-input=false", "-no-color")
	if want := "Accounts in ServiceNow were active less than one day on average in " + month(1) + "."; !strings.Contains(oneLine(plan.Stdout+plan.Stderr), want) {
		t.Errorf("the check did not judge the newest complete month: want %q in\n%s%s", want, plan.Stdout, plan.Stderr)
	}
}

// The provider page's "local mirror" recipe, as written: the binary in
// ~/.terraform.d/plugins/<host>/sailpoint-community/sailpoint/0.1.0/<os>_<arch>/, no CLI
// configuration at all, then terraform init with the examples' version constraint and a plan.
func TestAccExamples_localMirror(t *testing.T) {
	t.Parallel()
	w := acctest.NewWorkdir(t, acctest.RequiredProviders)
	home := t.TempDir()
	bin, err := os.ReadFile(filepath.Join(acctest.ProviderBinaryDir(t), "terraform-provider-sailpoint"))
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		dir := filepath.Join(home, ".terraform.d", "plugins", host, "sailpoint-community", "sailpoint", "0.1.0", runtime.GOOS+"_"+runtime.GOARCH)
		writeTestFile(t, filepath.Join(dir, "terraform-provider-sailpoint_v0.1.0"), bin)
		if err := os.Chmod(filepath.Join(dir, "terraform-provider-sailpoint_v0.1.0"), 0o700); err != nil { //nolint:gosec // a plugin must be executable
			t.Fatal(err)
		}
	}
	copyExample(t, "provider", w.Dir) // the provider page's example: required_providers with version = "~> 0.1"
	if err := os.Remove(filepath.Join(w.Dir, "main.tf")); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(w.Dir, "usage.tf"), []byte(`
data "sailpoint_source_usage_status" "workday" {
  source_id = "`+fixtureWorkday+`"
}
`))
	empty := filepath.Join(t.TempDir(), "empty.tfrc")
	writeTestFile(t, empty, nil)
	w.Env["HOME"] = home
	w.Env["TF_CLI_CONFIG_FILE"] = empty // no dev_overrides: only the implied local mirror
	fake := withFixtures(t, w, false)
	w.Env["TF_VAR_sailpoint_client_id"] = fakeisc.DefaultClientID
	w.Env["TF_VAR_sailpoint_client_secret"] = fakeisc.DefaultClientSecret
	// The example's provider block names the tenant acme; point it at the fake instead.
	writeTestFile(t, filepath.Join(w.Dir, "provider.tf"), []byte(strings.Replace(readFile(t, filepath.Join(w.Dir, "provider.tf")),
		`tenant        = "acme" # https://acme.api.identitynow.com`, `base_url      = "`+fake.URL+`"`, 1)))

	installed := w.MustRun("init", "-input=false", "-no-color")
	if !strings.Contains(installed.Stdout, "Installing sailpoint-community/sailpoint v0.1.0") {
		t.Errorf("init did not install v0.1.0 from the local mirror:\n%s", installed.Stdout)
	}
	plan := w.MustRun("plan", "-input=false", "-no-color")
	if strings.Contains(plan.Stdout+plan.Stderr, devOverridesWarning) {
		t.Errorf("the plan ran through dev_overrides, not the mirror")
	}
	if !strings.Contains(plan.Stdout, "data.sailpoint_source_usage_status.workday: Read complete") {
		t.Errorf("the plan did not read the data source:\n%s", plan.Stdout)
	}
}

// The README's "try it by hand" recipe, run as written in a copy of the repository that has
// no .tools/bin/terraform yet, as on a fresh clone: the recipe must build what it calls. Only
// the Terraform build itself is skipped, by placing the already built binary where
// scripts/tools.sh looks for it; /tmp/ becomes a folder of the test's own.
func TestAccDocs_readmeTryByHand(t *testing.T) {
	t.Parallel()
	root := acctest.RepoRoot(t)
	built := filepath.Join(root, ".tools", "bin", "terraform-1.16.4")
	if _, err := os.Stat(built); err != nil || acctest.IsOpenTofu() {
		t.Skip("needs Terraform 1.16.4 built in .tools/bin (make test builds it)")
	}
	readme := readFile(t, filepath.Join(root, "README.md"))
	_, after, ok := strings.Cut(readme, "To try the provider by hand against the fake tenant:\n\n```sh\n")
	recipe, _, closed := strings.Cut(after, "```")
	if !ok || !closed {
		t.Fatal("the README's recipe to try the provider by hand is gone: update this test")
	}

	clone := t.TempDir()
	out, err := exec.CommandContext(t.Context(), "git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if b, err := os.ReadFile(filepath.Join(root, f)); err == nil { // a file deleted but not yet staged is skipped
			writeTestFile(t, filepath.Join(clone, f), b)
			if info, err := os.Stat(filepath.Join(root, f)); err == nil && info.Mode()&0o100 != 0 {
				if err := os.Chmod(filepath.Join(clone, f), 0o700); err != nil { //nolint:gosec // scripts must stay executable
					t.Fatal(err)
				}
			}
		}
	}
	bin := filepath.Join(clone, ".tools", "bin")
	if err := os.MkdirAll(bin, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(built, filepath.Join(bin, "terraform-1.16.4")); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(bin, ".terraform-1.16.4.version"), []byte("1.16.4\n"))

	tmp := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", strings.ReplaceAll(recipe, "/tmp/", tmp+"/"))
	cmd.Dir = clone
	cmd.Env = append(cleanTestEnv(), "CHECKPOINT_DISABLE=1")
	cmd.WaitDelay = 10 * time.Second
	output, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's recipe failed: %v\n%s", err, output)
	}
	plain := oneLine(strings.ReplaceAll(regexp.MustCompile(`\x1b\[[0-9;]*m`).ReplaceAllString(string(output), ""), "│", " "))
	if !strings.Contains(plain, "No month of the past year reached 1 active day on average in: GitHub Enterprise.") {
		t.Errorf("the recipe's plan did not read the demo tenant:\n%s", output)
	}
	if _, err := os.Stat(filepath.Join(tmp, "fake.env")); !os.IsNotExist(err) {
		t.Errorf("the fake tenant is still running after the recipe's kill: %v", err)
	}
}

// cleanTestEnv is the test process's environment without SAIL_* and TF_* variables.
func cleanTestEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SAIL_") && !strings.HasPrefix(kv, "TF_") {
			env = append(env, kv)
		}
	}
	return env
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// registryDocs is where the registry serves these docs. The provider page is registryDocs
// itself, with no trailing slash.
const registryDocs = "https://registry.terraform.io/providers/sailpoint-community/sailpoint/latest/docs"

var markdownLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// Links between the pages of docs/ must work on the registry and on GitHub. The registry
// serves the provider page at .../latest/docs with no trailing slash and does not rewrite
// relative links, so "data-sources/x" resolves to .../latest/data-sources/x, a 404; GitHub
// wants "x.md". Only an absolute registry URL works on both, so docs/ holds no relative link
// but an anchor on the same page, and every registry URL names a page that exists.
func TestDocs_registrySafeLinks(t *testing.T) {
	root := acctest.RepoRoot(t)
	pages := map[string]bool{registryDocs: true}
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".md" {
			return err
		}
		files = append(files, path)
		rel, err := filepath.Rel(filepath.Join(root, "docs"), path)
		if err != nil {
			return err
		}
		if rel != "index.md" {
			pages[registryDocs+"/"+strings.TrimSuffix(filepath.ToSlash(rel), ".md")] = true
		}
		return nil
	})
	if err != nil || len(files) < 5 {
		t.Fatalf("docs/: %v, %d pages", err, len(files))
	}
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		for _, m := range markdownLink.FindAllStringSubmatch(readFile(t, f), -1) {
			link := m[1]
			switch target, _, _ := strings.Cut(link, "#"); {
			case strings.HasPrefix(link, "#"):
			case strings.HasPrefix(link, "https://registry.terraform.io/providers/sailpoint-community/"):
				if !pages[target] {
					t.Errorf("%s links to %s, which is no page of docs/", rel, link)
				}
			case strings.HasPrefix(link, "https://") || strings.HasPrefix(link, "mailto:"):
			default:
				t.Errorf("%s links to %q: use %s/... (see templates/index.md.tmpl)", rel, link, registryDocs)
			}
		}
	}
}

// Every example that declares required_providers, as a user's configuration does, pins the
// provider with the constraint the docs recommend.
func TestDocs_versionConstraint(t *testing.T) {
	root := filepath.Join(acctest.RepoRoot(t), "examples")
	found := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".tf" {
			return err
		}
		text := readFile(t, path)
		if !requiredProvidersPattern.MatchString(text) || strings.Contains(filepath.ToSlash(path), "/examples/demo/") {
			return nil // fragments, and the demo, which make demo runs through dev_overrides
		}
		found++
		if !regexp.MustCompile(`(?m)^\s+version\s+= "~> 0\.1"$`).MatchString(text) {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("examples/%s declares required_providers without version = \"~> 0.1\"", rel)
		}
		return nil
	})
	if err != nil || found < 3 {
		t.Fatalf("examples/: %v, %d files with required_providers", err, found)
	}
}

// The facts the docs state about versions and limits are the ones the toolchain and the code
// hold: the tested CLI versions are the ones scripts/tools.sh builds, the plan time follows
// from the default pacing, and no page says the rate limit is per client id.
func TestDocs_versionsAndLimits(t *testing.T) {
	root := acctest.RepoRoot(t)
	tools := readFile(t, filepath.Join(root, "scripts", "tools.sh"))
	index := oneLine(readFile(t, filepath.Join(root, "docs", "index.md")))
	readme := oneLine(readFile(t, filepath.Join(root, "README.md")))
	versions := regexp.MustCompile(`(?m)^(TERRAFORM_OLDEST|TERRAFORM_NEWEST|OPENTOFU_VERSION)=(\S+)$`).FindAllStringSubmatch(tools, -1)
	if len(versions) != 3 {
		t.Fatalf("scripts/tools.sh: want TERRAFORM_OLDEST, TERRAFORM_NEWEST and OPENTOFU_VERSION, found %q", versions)
	}
	v := map[string]string{}
	for _, m := range versions {
		v[m[1]] = strings.Trim(m[2], `"'`)
	}
	tested := fmt.Sprintf("| tested on every change | %s and %s | %s |", v["TERRAFORM_OLDEST"], v["TERRAFORM_NEWEST"], v["OPENTOFU_VERSION"])
	for name, text := range map[string]string{"docs/index.md": index, "README.md": readme} {
		if !strings.Contains(text, tested) {
			t.Errorf("%s: the compatibility table lacks the row %q", name, tested)
		}
	}

	// The cost of a plan at the defaults: two requests per source, paced 2% below
	// requests_per_second (internal/client's pacingMargin).
	perSecond := client.DefaultConfig().RequestsPerSecond * 0.98
	minutes := fmt.Sprintf("%.1f minutes", 2000/perSecond/60)
	for _, page := range []string{"docs/index.md", "docs/guides/reliability.md", "docs/guides/policy-as-code.md", "README.md"} {
		if !strings.Contains(oneLine(readFile(t, filepath.Join(root, page))), minutes) {
			t.Errorf("%s does not say that 1,000 sources with both data sources take about %s", page, minutes)
		}
	}
	if rate := fmt.Sprintf("about %.1f requests per second", perSecond); !strings.Contains(index, rate) {
		t.Errorf("docs/index.md does not say the provider makes %s at the defaults", rate)
	}

	// The pages a user reads, and the schema descriptions and hints they come from. (BENCHMARKS.md
	// is generated by make bench from its own template.)
	perClient := regexp.MustCompile(`(?i)per client[ _-]?id|per client and`)
	var sources []string
	for _, dir := range []string{"docs", "templates", "examples"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				sources = append(sources, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	goFiles, err := filepath.Glob(filepath.Join(root, "internal", "provider", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(append(sources, goFiles...), filepath.Join(root, "README.md"), filepath.Join(root, "CHANGELOG.md")) {
		rel, _ := filepath.Rel(root, f)
		if strings.HasSuffix(f, "_test.go") || strings.HasPrefix(filepath.ToSlash(rel), "examples/demo/") {
			continue
		}
		if perClient.MatchString(readFile(t, f)) {
			t.Errorf("%s says the rate limit is per client id; ISC counts it per access token", rel)
		}
	}
}

// The reliability guide names the test that covers each fault: every name must be a test (or
// fuzz target) that exists, so that a renamed test cannot leave the guide pointing at nothing.
func TestDocs_reliabilityGuideNamesRealTests(t *testing.T) {
	root := acctest.RepoRoot(t)
	defined := map[string]bool{}
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		for _, m := range regexp.MustCompile(`(?m)^func ((?:Test|Fuzz)\w+)\(`).FindAllStringSubmatch(readFile(t, path), -1) {
			defined[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	guide := readFile(t, filepath.Join(root, "templates", "guides", "reliability.md.tmpl"))
	named := regexp.MustCompile("`((?:Test|Fuzz)[A-Za-z0-9_]+)`").FindAllStringSubmatch(guide, -1)
	if len(named) < 20 {
		t.Fatalf("the reliability guide names %d tests; expected its tables", len(named))
	}
	reported := map[string]bool{}
	for _, m := range named {
		if !defined[m[1]] && !reported[m[1]] {
			reported[m[1]] = true
			t.Errorf("the reliability guide names %s, which is no test in internal/", m[1])
		}
	}
}

// The troubleshooting guide lists every configuration error a user can meet, in both forms:
// the schema validators' summaries for values written in HCL, and the provider's own for
// SAIL_* variables and unknown values. Each case here is run with the real CLI, and every
// summary it gives must be in the guide.
func TestAccDocs_troubleshootingListsConfigurationErrors(t *testing.T) {
	t.Parallel()
	guide := readFile(t, filepath.Join(acctest.RepoRoot(t), "templates", "guides", "troubleshooting.md.tmpl"))
	const read = `
data "sailpoint_source_usage_status" "a" {
  source_id = "2c9180835d191a86015d28455b4a2329"
}
`
	hcl := map[string]string{
		"provider block": `
provider "sailpoint" {
  base_url            = "http://acme.api.identitynow.com"
  tenant              = "acme"
  api_version         = "v4"
  request_timeout     = "soon"
  max_retries         = 101
  requests_per_second = 0
  access_token        = "x"
  client_id           = ""
  token_url           = "acme"
}
` + read,
		"tenant": `
provider "sailpoint" {
  tenant = "acme.example.com"
}
` + read,
		"data sources": `
provider "sailpoint" {}

data "sailpoint_source_usages" "a" {
  source_id = " 2c9180835d191a86015d28455b4a2329"
  sorters   = "date desc"
}

data "sailpoint_source" "b" {}

data "sailpoint_source_usage_report" "c" {
  source_ids   = ["2c9180835d191a86015d28455b4a2329"]
  filters      = "type eq \"Workday\""
  months       = 0
  unused_below = -1
}

data "sailpoint_account_usages" "d" {
  account_id = "2c9180835d2e5168015d32f890ca1581\n"
  sorters    = "date desc"
}

data "sailpoint_accounts" "e" {
  filters = ""
  limit   = 0
}

data "sailpoint_account_usage_report" "f" {
  source_id    = ""
  filters      = ""
  months       = 25
  unused_below = -1
}
`,
	}
	for name, body := range hcl {
		t.Run("hcl/"+name, func(t *testing.T) {
			t.Parallel()
			r := acctest.NewWorkdir(t, acctest.RequiredProviders+body).Run("validate", "-json", "-no-color")
			var out validateOutput
			if err := json.Unmarshal([]byte(r.Stdout), &out); err != nil {
				t.Fatalf("validate -json: %v\n%s%s", err, r.Stdout, r.Stderr)
			}
			checkListed(t, guide, out.Diagnostics)
		})
	}

	env := map[string]map[string]string{
		"invalid values":           {"SAIL_BASE_URL": "http://acme.example.com", "SAIL_API_VERSION": "V3", "SAIL_CLIENT_ID": "a", "SAIL_TOKEN_URL": "ftp://acme.example.com/oauth/token"},
		"both base URL and tenant": {"SAIL_BASE_URL": "https://acme.api.identitynow.com", "SAIL_TENANT": "acme"},
		"bad tenant, no id":        {"SAIL_TENANT": "-acme", "SAIL_CLIENT_SECRET": "s"},
		"nothing":                  {},
	}
	for name, vars := range env {
		t.Run("env/"+name, func(t *testing.T) {
			t.Parallel()
			w := acctest.NewWorkdir(t, acctest.RequiredProviders+"\nprovider \"sailpoint\" {}\n"+read)
			maps.Copy(w.Env, vars)
			r := w.Run("plan", "-input=false", "-no-color")
			if r.Err == nil {
				t.Fatalf("plan passed:\n%s", r.Stdout)
			}
			checkListed(t, guide, cliErrors(r.Stderr))
		})
	}

	t.Run("unknown until apply", func(t *testing.T) {
		t.Parallel()
		w := acctest.NewWorkdir(t, acctest.RequiredProviders+`
resource "terraform_data" "tenant" {
  input = "https://acme.api.identitynow.com"
}

provider "sailpoint" {
  base_url = terraform_data.tenant.output
}
`+read)
		r := w.Run("plan", "-input=false", "-no-color")
		if r.Err == nil {
			t.Skip("this CLI deferred the read: no error to list")
		}
		checkListed(t, guide, cliErrors(r.Stderr))
	})
}

var cliErrorLine = regexp.MustCompile(`(?m)^(?:│ )?Error: (.+)$`)

// The troubleshooting guide shows the errors that name what the user set as the CLI prints
// them: each case runs with the real CLI, and the guide must quote its facts and advice (the
// fake's URL shown as the guide's https://acme.api.identitynow.com, a refused port as 8080,
// tracking ids left out).
func TestAccDocs_troubleshootingQuotesRealErrors(t *testing.T) {
	t.Parallel()
	closed := func() string {
		var lc net.ListenConfig
		l, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = l.Close() }()
		return l.Addr().String()
	}()
	const status = "\ndata \"sailpoint_source_usage_status\" \"x\" {\n  source_id = \"2c9180835d191a86015d28455b4a2329\"\n}\n"
	for name, tc := range map[string]struct {
		config string
		env    map[string]string
		fake   []fakeisc.Option // not nil: the run points at a fake tenant with these options
		fault  *fakeisc.Fault
		facts  []string // lines of the detail, besides What to do, the guide must quote
	}{
		"unknown host": {
			config: status,
			env:    map[string]string{"SAIL_BASE_URL": "https://acme.api.identitynow.invalid", "SAIL_CLIENT_ID": "id", "SAIL_CLIENT_SECRET": "s"},
			facts:  []string{"Call:  POST https://acme.api.identitynow.invalid/oauth/token"},
		},
		"base URL with a version": {
			config: status,
			env:    map[string]string{"SAIL_BASE_URL": "https://acme.api.identitynow.com/v3", "SAIL_CLIENT_ID": "id", "SAIL_CLIENT_SECRET": "s"},
		},
		"connection refused": {
			config: status,
			env:    map[string]string{"SAIL_BASE_URL": "http://" + closed, "SAIL_CLIENT_ID": "id", "SAIL_CLIENT_SECRET": "s"},
		},
		"usage 404 for a source that exists": {
			config: "\ndata \"sailpoint_source_usage_report\" \"tenant\" {}\n",
			fake:   []fakeisc.Option{},
			fault: new(fakeisc.ErrorDto(404, "404 Not found", "No handler found for GET /source-usages/v1/"+acctest.SourceActiveDirectory+"/status").
				WithOp(fakeisc.OpStatus).WithSource(acctest.SourceActiveDirectory)),
			facts: []string{"Call: GET /source-usages/v1/" + acctest.SourceActiveDirectory + "/status", "HTTP status: 404 Not Found",
				"But: the Sources API has this source (GET /sources/{id} answered 200 OK)"},
		},
		"source without usage insights": {
			config: "\ndata \"sailpoint_account_usage_report\" \"hr\" {\n  source_id = \"" + acctest.SourceWorkday + "\"\n}\n",
			fake:   []fakeisc.Option{},
			facts: []string{`Error: Source "` + acctest.SourceWorkday + `" (Workday) has no usage insights`,
				"The source's usage has status INCOMPLETE, not COMPLETE: no activity data source is set up for it, so there is " +
					"no usage to judge any of its accounts by, and the report made no account request."},
		},
		"sub-admin": {
			config: "\ndata \"sailpoint_source\" \"hr\" {\n  name = \"Workday\"\n}\n",
			fake:   []fakeisc.Option{fakeisc.WithSourceSubadmin("subadmin", "subadmin-secret")},
			env:    map[string]string{"SAIL_CLIENT_ID": "subadmin", "SAIL_CLIENT_SECRET": "subadmin-secret"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := acctest.NewWorkdir(t, acctest.RequiredProviders+"provider \"sailpoint\" {}\n"+tc.config)
			var fake *acctest.Fake
			if tc.fake != nil {
				fake = acctest.NewFake(t, tc.fake...)
				pointAt(w, fake.URL)
				if tc.fault != nil {
					fake.Inject(*tc.fault)
				}
			}
			for k, v := range tc.env {
				w.Env[k] = v
			}
			r := w.Run("plan", "-input=false", "-no-color")
			if r.Err == nil {
				t.Fatalf("the plan succeeded:\n%s", r.Stdout)
			}
			out := strings.NewReplacer("│", " ", "╷", " ", "╵", " ").Replace(r.Stderr)
			if fake != nil {
				out = strings.ReplaceAll(out, fake.URL, "https://acme.api.identitynow.com")
			}
			out = strings.ReplaceAll(out, closed, "127.0.0.1:8080")
			advice := regexp.MustCompile(`(?s)(What to do: .*?)\s*$`).FindStringSubmatch(out)
			fragments := tc.facts
			switch {
			case advice != nil:
				fragments = append(fragments, advice[1])
			case strings.Contains(out, "Invalid base URL"):
				fragments = append(fragments, "Error: Invalid base URL", out[strings.Index(out, "SAIL_BASE_URL: "):])
			default:
				t.Fatalf("no advice in the error:\n%s", r.Stderr)
			}
			checkGuideQuotes(t, "troubleshooting", fragments...)
		})
	}
}

// cliErrors returns the summaries of the errors in the CLI's human output.
func cliErrors(stderr string) []diagnostic {
	var out []diagnostic
	for _, m := range cliErrorLine.FindAllStringSubmatch(stderr, -1) {
		out = append(out, diagnostic{Severity: "error", Summary: strings.TrimSpace(m[1])})
	}
	return out
}

// checkListed asserts that the guide lists each error's summary, in backticks.
func checkListed(t *testing.T, guide string, diags []diagnostic) {
	t.Helper()
	errs := 0
	for _, d := range diags {
		if d.Severity != "error" {
			continue
		}
		errs++
		if !strings.Contains(guide, "`"+d.Summary+"`") {
			t.Errorf("templates/guides/troubleshooting.md.tmpl does not list the error %q (%s)", d.Summary, d.Detail)
		}
	}
	if errs == 0 {
		t.Errorf("no error to check: %+v", diags)
	}
}

// checkPlanWarns asserts that the plan warns exactly these check-block messages, one warning
// each, and that the guide quotes them and where they come from.
func checkPlanWarns(t *testing.T, plan acctest.Result, guide string, warnings ...string) {
	t.Helper()
	for _, frag := range warnings {
		if !strings.Contains(oneLine(plan.Stdout+plan.Stderr), frag) {
			t.Errorf("the plan does not warn %q:\nstdout:\n%s\nstderr:\n%s", frag, plan.Stdout, plan.Stderr)
		}
		checkGuideQuotes(t, guide, frag)
	}
	places := diagnosticPlace.FindAllString(plan.Stdout+plan.Stderr, -1)
	if len(places) != len(warnings) {
		t.Errorf("want %d warnings from check blocks, found %q", len(warnings), places)
	}
	checkGuideQuotes(t, guide, places...)
}

// checkPolicyVerdict asserts that the guide's policy, run by opa eval and by the guide's
// conftest command, denies exactly want and exits 1; that conftest reports conftestSummary;
// that conftest without --namespace evaluates nothing; and that the guide quotes all of it.
func checkPolicyVerdict(t *testing.T, dir, guide, policyFile, pkg string, want []string, conftestSummary string) {
	t.Helper()
	got, code := opaDeny(t, dir, policyFile, pkg)
	if code != 1 || !slices.Equal(got, want) {
		t.Errorf("opa eval: exit %d, violations:\n%s\nwant exit 1 and:\n%s", code, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	checkGuideQuotes(t, guide, want...)
	fails, out, code := conftestFailures(t, dir, pkg)
	if code != 1 || !slices.Equal(fails, want) {
		t.Errorf("conftest: exit %d, failures:\n%s\nwant exit 1 and:\n%s", code, out, strings.Join(want, "\n"))
	}
	checkGuideQuotes(t, guide, conftestSummary)
	checkConftestNeedsNamespace(t, dir)
}
