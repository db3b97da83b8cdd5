package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/acctest"
)

// accTest runs steps against the real CLI with providers from rec.
func accTest(t *testing.T, rec *acctest.Recorder, steps ...resource.TestStep) {
	t.Helper()
	acctest.TerraformPath(t)
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: rec.Factories(), Steps: steps})
}

// checkEveryInstance asserts the exact request counts of every provider instance that made
// a request (one instance per Terraform command).
func checkEveryInstance(rec *acctest.Recorder, tokens, api int64) resource.TestCheckFunc {
	return func(*terraform.State) error { return rec.CheckEveryInstance(tokens, api) }
}

// checkPaths asserts that every API path the fake saw is in want, and that each of want was
// seen.
func checkPaths(f *acctest.Fake, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		seen := map[string]bool{}
		for _, p := range f.APIPaths() {
			seen[p] = true
		}
		for _, w := range want {
			if !seen[w] {
				return fmt.Errorf("the fake never saw %s; it saw %v", w, f.APIPaths())
			}
			delete(seen, w)
		}
		if len(seen) > 0 {
			return fmt.Errorf("the fake saw unexpected paths %v", seen)
		}
		return nil
	}
}

// expectError matches every fragment, in order, in the error output. Terraform wraps
// diagnostics at about 80 columns, so white space in the fragments matches any run of
// white space.
func expectError(fragments ...string) *regexp.Regexp {
	parts := make([]string, len(fragments))
	for i, f := range fragments {
		parts[i] = strings.Join(strings.Fields(regexp.QuoteMeta(f)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}
