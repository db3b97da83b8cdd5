package provider_test

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/provider"
)

// The examples under examples/ are what the registry docs and guides show. These tests run
// them with the real CLI (Terraform, or OpenTofu under make testacc-tofu) and the built
// provider binary, so that a copied example works.
//
// Folders that declare no required_providers are documentation fragments, like every
// HashiCorp provider's examples/data-sources/*/data-source.tf: they are validated and planned
// as a copy with acctest.RequiredProviders added, which is what a user's configuration
// supplies. Every other folder runs exactly as it is.

var requiredProvidersPattern = regexp.MustCompile(`(?m)^\s*required_providers\s*\{`)

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
	src := filepath.Join(acctest.RepoRoot(t), "examples", filepath.FromSlash(dir))
	files, err := filepath.Glob(filepath.Join(src, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .tf files in %s: %v", src, err)
	}
	fragment := true
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fragment = fragment && !requiredProvidersPattern.Match(b)
		writeTestFile(t, filepath.Join(w.Dir, filepath.Base(f)), b)
	}
	if fragment {
		writeTestFile(t, filepath.Join(w.Dir, "terraform.tf"), []byte(acctest.RequiredProviders))
	}
	return w
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

// withFake points w at a fresh fake tenant through the SAIL_* variables, as a CI job would.
func withFake(t *testing.T, w *acctest.Workdir) {
	t.Helper()
	fake := acctest.NewFake(t)
	w.Env["SAIL_BASE_URL"] = fake.URL
	w.Env["SAIL_CLIENT_ID"] = fakeisc.DefaultClientID
	w.Env["SAIL_CLIENT_SECRET"] = fakeisc.DefaultClientSecret
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
	}
	p := provider.New("test")()
	for _, newDS := range p.DataSources(context.Background()) {
		var resp datasource.MetadataResponse
		newDS().Metadata(context.Background(), datasource.MetadataRequest{ProviderTypeName: "sailpoint"}, &resp)
		want = append(want, "data-sources/"+resp.TypeName)
		for _, f := range []string{
			"examples/data-sources/" + resp.TypeName + "/data-source.tf",
			// tfplugindocs names templates without the provider's prefix.
			"templates/data-sources/" + strings.TrimPrefix(resp.TypeName, "sailpoint_") + ".md.tmpl",
		} {
			if _, err := os.Stat(filepath.Join(acctest.RepoRoot(t), f)); err != nil {
				t.Errorf("data source %s: %v", resp.TypeName, err)
			}
		}
	}
	for _, d := range want {
		if !slices.Contains(dirs, d) {
			t.Errorf("examples/%s has no .tf files; found %v", d, dirs)
		}
	}
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
	Valid       bool `json:"valid"`
	Diagnostics []struct {
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
		Detail   string `json:"detail"`
	} `json:"diagnostics"`
}

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
				if d.Summary == "Provider development overrides are in effect" {
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

// terraform plan on every example that reads data, against a fake tenant that serves the
// demo sources the examples name: the examples do what their comments say. The provider
// examples are left out: they configure made-up tenants and need variables.
func TestAccExamples_plan(t *testing.T) {
	t.Parallel()
	for _, dir := range exampleDirs(t) {
		if dir == "provider" || strings.HasPrefix(dir, "provider/") {
			continue
		}
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			w := exampleWorkdir(t, dir)
			withFake(t, w)
			r := w.Run("plan", "-input=false", "-no-color")
			if dir == "guides/policy-as-code/postcondition" {
				// The strict variant of the guide fails the plan on purpose, for Workday only.
				if r.Err == nil {
					t.Fatalf("plan succeeded; the postcondition should have failed it for Workday\n%s", r.Stdout)
				}
				for _, frag := range []string{
					"Resource postcondition failed",
					"Usage insights are not set up for source workday (" + fakeisc.DemoSourceWorkday + "): its status is INCOMPLETE.",
				} {
					if !strings.Contains(oneLine(r.Stderr), frag) {
						t.Errorf("the plan's errors lack %q:\n%s", frag, r.Stderr)
					}
				}
				if n := strings.Count(r.Stderr, "Resource postcondition failed"); n != 1 {
					t.Errorf("%d postconditions failed, want 1 (Workday's):\n%s", n, r.Stderr)
				}
				checkGuideQuotes(t, diagnosticPlace.FindAllString(r.Stderr, -1)...)
				return
			}
			if r.Err != nil {
				t.Fatalf("plan examples/%s: %v\nstdout:\n%s\nstderr:\n%s", dir, r.Err, r.Stdout, r.Stderr)
			}
		})
	}
}

// oneLine joins the CLI's wrapped diagnostic lines, so that a message can be matched whole.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

var diagnosticPlace = regexp.MustCompile(`on main\.tf line \d+, in [^\n]+:`)

// checkGuideQuotes asserts that the policy-as-code guide quotes each fragment of real CLI
// output (white space aside), so that its sample output, line numbers included, stays true
// when the examples change. The guide shows Terraform's output; OpenTofu's may differ in
// wording, so only Terraform runs check it.
func checkGuideQuotes(t *testing.T, fragments ...string) {
	t.Helper()
	if acctest.IsOpenTofu() {
		return
	}
	b, err := os.ReadFile(filepath.Join(acctest.RepoRoot(t), "templates", "guides", "policy-as-code.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	guide := oneLine(string(b))
	for _, f := range fragments {
		if !strings.Contains(guide, oneLine(f)) {
			t.Errorf("templates/guides/policy-as-code.md.tmpl does not quote the real output %q: update the guide", f)
		}
	}
}

// opaPath returns the OPA CLI that the policy-as-code guide uses: OPA_PATH (set by the
// GNUmakefile), else .tools/bin/opa.
func opaPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("OPA_PATH"); p != "" {
		return p
	}
	p := filepath.Join(acctest.RepoRoot(t), ".tools", "bin", "opa")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("OPA CLI not found at %s: run the tests through make test, or build it with scripts/tools.sh opa", p)
	}
	return p
}

// runOPA runs the OPA CLI in dir and returns its output and exit code.
func runOPA(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, opaPath(t), args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	}
	t.Fatalf("opa %s: %v\n%s", strings.Join(args, " "), err, out)
	return "", 0
}

// The policy-as-code guide, step by step, with the commands it shows: plan to a file, turn
// the plan into JSON, and evaluate the OPA policy on it. Against the fake tenant the policy
// must find exactly the demo's two problems: Workday has no usage insights, and ServiceNow's
// accounts were active 4.25 days on average in its latest month, fewer than the 5 required.
func TestAccExamples_policyAsCodeGuide(t *testing.T) {
	t.Parallel()
	w := exampleWorkdir(t, "guides/policy-as-code")
	policyDir := filepath.Join(acctest.RepoRoot(t), "examples", "guides", "policy-as-code", "policy")
	for _, name := range []string{"source_usage.rego", "source_usage_test.rego"} {
		b, err := os.ReadFile(filepath.Join(policyDir, name))
		if err != nil {
			t.Fatal(err)
		}
		writeTestFile(t, filepath.Join(w.Dir, "policy", name), b)
	}
	withFake(t, w)

	// The policy's own unit tests, and its formatting.
	out, code := runOPA(t, w.Dir, "test", "policy/")
	if code != 0 {
		t.Fatalf("opa test policy/: exit %d\n%s", code, out)
	}
	checkGuideQuotes(t, strings.TrimSpace(out))
	if out, code := runOPA(t, w.Dir, "fmt", "--list", "--fail", "policy/"); code != 0 {
		t.Errorf("opa fmt: the policy is not formatted (run opa fmt -w on it): exit %d\n%s", code, out)
	}

	// The check blocks warn, and the plan succeeds.
	plan := w.MustRun("plan", "-input=false", "-no-color", "-out=tfplan")
	for _, frag := range []string{
		"Usage insights are not set up for: workday.",
		"Accounts were active fewer than 5 days on average in the latest month in: servicenow.",
	} {
		if !strings.Contains(oneLine(plan.Stdout+plan.Stderr), frag) {
			t.Errorf("the plan does not warn %q:\nstdout:\n%s\nstderr:\n%s", frag, plan.Stdout, plan.Stderr)
		}
	}
	places := diagnosticPlace.FindAllString(plan.Stdout+plan.Stderr, -1)
	if len(places) != 2 {
		t.Errorf("want 2 warnings from check blocks, found %q", places)
	}
	checkGuideQuotes(t, places...)

	show := w.MustRun("show", "-json", "tfplan")
	writeTestFile(t, filepath.Join(w.Dir, "plan.json"), []byte(show.Stdout))

	// The plan JSON records the failed checks too, for tools that read only that.
	var planJSON struct {
		Checks []struct {
			Address struct {
				Name string `json:"name"`
			} `json:"address"`
			Status string `json:"status"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(show.Stdout), &planJSON); err != nil {
		t.Fatalf("show -json: %v", err)
	}
	checks := map[string]string{}
	for _, c := range planJSON.Checks {
		checks[c.Address.Name] = c.Status
	}
	if want := map[string]string{"usage_insights_available": "fail", "sources_are_used": "fail"}; !maps.Equal(checks, want) {
		t.Errorf("checks in the plan JSON: %v, want %v", checks, want)
	}

	// The guide's CI command: --fail-defined exits 1 when the policy denies anything, and
	// --format raw prints one violation a line.
	out, code = runOPA(t, w.Dir, "eval", "--fail-defined", "--format", "raw",
		"--data", "policy/source_usage.rego", "--input", "plan.json", "data.sailpoint.source_usage.deny[msg]")
	if code != 1 {
		t.Errorf("opa eval --fail-defined: exit %d, want 1 (violations found)\n%s", code, out)
	}
	got := strings.Split(strings.TrimSpace(out), "\n")
	slices.Sort(got)
	want := []string{
		`data.sailpoint_source_usage_status.source["workday"]: usage insights are not set up for source ` + fakeisc.DemoSourceWorkday + ` (status INCOMPLETE)`,
		`data.sailpoint_source_usages.source["servicenow"]: accounts in source ` + fakeisc.DemoSourceServiceNow + ` were active 4.25 days on average in the month of 2024-12-01, fewer than 5`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("policy violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	checkGuideQuotes(t, want...)

	// Raising nothing but the threshold variable changes the verdict the same way in Terraform
	// and in the policy: with min_active_days = 4 only Workday is left.
	w.MustRun("plan", "-input=false", "-no-color", "-var=min_active_days=4", "-out=tfplan")
	show = w.MustRun("show", "-json", "tfplan")
	writeTestFile(t, filepath.Join(w.Dir, "plan.json"), []byte(show.Stdout))
	out, code = runOPA(t, w.Dir, "eval", "--fail-defined", "--format", "raw",
		"--data", "policy/source_usage.rego", "--input", "plan.json", "data.sailpoint.source_usage.deny[msg]")
	if code != 1 || strings.TrimSpace(out) != want[0] {
		t.Errorf("with min_active_days = 4: exit %d, violations:\n%s\nwant exit 1 and only:\n%s", code, out, want[0])
	}
}
