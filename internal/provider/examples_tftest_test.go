package provider_test

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/mod/semver"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
)

// The policy-as-code guide's `terraform test` suite, run as a user's CI would run it: the
// provider mocked, no tenant. The CLI still starts the built provider (through dev_overrides)
// for its schema, which the mock follows. Each run must pass, and a run passes only when the
// failures it expects happen: the postcondition fails for an unused source, the check block
// for a source without insights, and neither when every source is used.
func TestAccExamples_terraformTest(t *testing.T) {
	t.Parallel()
	const dir = "guides/policy-as-code/terraform-test"
	w := exampleWorkdir(t, dir)
	skipWithoutMocks(t, w)
	suites, err := filepath.Glob(filepath.Join(acctest.RepoRoot(t), "examples", filepath.FromSlash(dir), "tests", "*.tftest.hcl"))
	if err != nil || len(suites) == 0 {
		t.Fatalf("no .tftest.hcl files in examples/%s/tests: %v", dir, err)
	}
	for _, f := range suites {
		writeTestFile(t, filepath.Join(w.Dir, "tests", filepath.Base(f)), []byte(readFile(t, f)))
	}

	r := w.Run("test", "-no-color")
	out := r.Stdout + r.Stderr
	if r.Err != nil {
		t.Fatalf("test: %v\n%s", r.Err, out)
	}
	runs := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s+run "([^"]+)"\.\.\. (\w+)$`).FindAllStringSubmatch(out, -1) {
		runs[m[1]] = m[2]
	}
	want := map[string]string{
		"unused_source_fails_the_plan":  "pass",
		"source_without_insights_warns": "pass",
		"every_source_used_passes":      "pass",
	}
	if !maps.Equal(runs, want) {
		t.Errorf("runs: %v, want %v\n%s", runs, want, out)
	}
	const summary = "Success! 3 passed, 0 failed."
	if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(summary) + `$`).MatchString(out) {
		t.Errorf("the summary is not %q:\n%s", summary, out)
	}
	// The guide shows this run's output whole.
	checkGuideQuotes(t, "policy-as-code", strings.TrimSpace(r.Stdout))
}

// skipWithoutMocks skips t when the CLI's `test` command cannot mock a provider: mock_provider
// and override_data came in Terraform 1.7 and OpenTofu 1.8.
func skipWithoutMocks(t *testing.T, w *acctest.Workdir) {
	t.Helper()
	var v struct {
		Version string `json:"terraform_version"` // OpenTofu prints the same field
	}
	r := w.MustRun("version", "-json")
	if err := json.Unmarshal([]byte(r.Stdout), &v); err != nil || !semver.IsValid("v"+v.Version) {
		t.Fatalf("version -json: %v\n%s", err, r.Stdout)
	}
	name, least := "Terraform", "v1.7.0"
	if acctest.IsOpenTofu() {
		name, least = "OpenTofu", "v1.8.0"
	}
	if semver.Compare("v"+v.Version, least) < 0 {
		t.Skipf("%s %s: its test command mocks providers from %s on", name, v.Version, least[1:])
	}
}
