package fakeisc

import (
	"reflect"
	"testing"
)

// generatedSourceID0 is GeneratedSourceID(0), pinned.
const generatedSourceID0 = "d6213b47ae332f9d476701a3aed043a9"

func TestGeneratedSources(t *testing.T) {
	seen := map[string]bool{}
	for n := range 1000 {
		id := GeneratedSourceID(n)
		if !hex32.MatchString(id) {
			t.Fatalf("GeneratedSourceID(%d) = %q, want 32 hex characters", n, id)
		}
		if seen[id] {
			t.Fatalf("GeneratedSourceID(%d) = %q repeats an earlier id", n, id)
		}
		seen[id] = true
	}
	// A fixed value pins the derivation: scripts and benchmarks may hard-code ids.
	if got := GeneratedSourceID(0); got != generatedSourceID0 {
		t.Errorf("GeneratedSourceID(0) = %q, want %q", got, generatedSourceID0)
	}

	a, b := New(WithGeneratedSources(5)), New(WithGeneratedSources(5))
	if src := a.sources[GeneratedSourceID(3)]; src.Status != "COMPLETE" || len(src.Usages) != 12 || !reflect.DeepEqual(src, b.sources[src.ID]) {
		t.Errorf("generated source 3 = %+v, want COMPLETE with 12 rows, the same in every tenant", src)
	}

	tenant := New(WithGeneratedSources(5), WithSources(testSources()...))
	token := tenant.IssueToken(DefaultClientID, 0)
	for _, id := range []string{GeneratedSourceID(0), GeneratedSourceID(4), srcWorkday} {
		if w := get(t, tenant, token, apiPath("v3", OpStatus, id)); w.Code != 200 {
			t.Errorf("status of %s: %d, want 200", id, w.Code)
		}
	}
	if w := get(t, tenant, token, apiPath("v3", OpStatus, GeneratedSourceID(5))); w.Code != 404 {
		t.Errorf("status of generated source 5 of 5: %d, want 404", w.Code)
	}
}
