package runner

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/rusage"
)

func TestParseEnv(t *testing.T) {
	got := ParseEnv("SAIL_BASE_URL=http://127.0.0.1:4000\nSAIL_CLIENT_ID=fake-client-id\nSAIL_CLIENT_SECRET='it'\\''s'\n# comment\nnot a variable\n")
	want := map[string]string{
		"SAIL_BASE_URL":      "http://127.0.0.1:4000",
		"SAIL_CLIENT_ID":     "fake-client-id",
		"SAIL_CLIENT_SECRET": "it's",
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestCleanEnv(t *testing.T) {
	got := CleanEnv([]string{"PATH=/bin", "TF_LOG=DEBUG", "SAIL_CLIENT_SECRET=x", "HOME=/root", "MY_TF_X=1"})
	if !slices.Equal(got, []string{"PATH=/bin", "HOME=/root", "MY_TF_X=1"}) {
		t.Fatalf("got %v", got)
	}
}

func TestCountReads(t *testing.T) {
	log := `data.sailpoint_source_usages.bench["a"]: Reading...
data.sailpoint_source_usages.bench["a"]: Read complete after 0s [id=a]
data.sailpoint_source_usages.bench["b"]: Reading...
data.sailpoint_source_usages.bench["b"]: Read complete after 1s [id=b]

No changes. Your infrastructure matches the configuration.
`
	if got := CountReads(log); got != 2 {
		t.Fatalf("CountReads = %d, want 2", got)
	}
}

func TestTerraformCPU(t *testing.T) {
	r := PlanResult{TreeCPU: 3 * time.Second, Plugins: rusage.Summary{CPU: time.Second, WrapperCPU: 100 * time.Millisecond}}
	if got := r.TerraformCPU(); got != 1900*time.Millisecond {
		t.Fatalf("TerraformCPU = %s", got)
	}
	// A plugin reparented away from Terraform is not in the tree; never go below zero.
	r.TreeCPU = 500 * time.Millisecond
	if got := r.TerraformCPU(); got != 0 {
		t.Fatalf("TerraformCPU = %s", got)
	}
}

func TestTail(t *testing.T) {
	got := tail([]byte("1\n2\n3\n4\n"), 2)
	if got != "[... 2 lines before ...]\n3\n4" {
		t.Fatalf("tail = %q", got)
	}
	if !strings.HasPrefix(tail([]byte("only\n"), 5), "only") {
		t.Fatal("short text changed")
	}
}
