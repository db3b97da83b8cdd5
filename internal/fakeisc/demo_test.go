package fakeisc

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDemoSources(t *testing.T) {
	srcs := DemoSources()
	byID := map[string]Source{}
	for _, s := range srcs {
		if !hex32.MatchString(s.ID) {
			t.Errorf("id %q is not 32 lowercase hex characters", s.ID)
		}
		byID[s.ID] = s
	}
	if len(byID) != 4 {
		t.Fatalf("%d distinct demo sources, want 4", len(byID))
	}

	ad := byID[DemoSourceActiveDirectory]
	if ad.Status != "COMPLETE" || len(ad.Usages) != 12 {
		t.Errorf("Active Directory: status %q with %d rows, want COMPLETE with 12", ad.Status, len(ad.Usages))
	}
	has1045 := false
	for i, u := range ad.Usages {
		if want := time.Date(2024, time.Month(i+1), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly); u.Date != want {
			t.Errorf("Active Directory row %d date %q, want %q", i, u.Date, want)
		}
		if _, frac, _ := strings.Cut(string(u.Count), "."); len(frac) != 2 {
			t.Errorf("Active Directory row %d count %q, want two decimals", i, u.Count)
		}
		has1045 = has1045 || u.Count == "10.45"
	}
	if !has1045 {
		t.Error("Active Directory has no 10.45 count")
	}

	if wd := byID[DemoSourceWorkday]; wd.Status != "INCOMPLETE" || len(wd.Usages) != 0 {
		t.Errorf("Workday: status %q with %d rows, want INCOMPLETE with none", wd.Status, len(wd.Usages))
	}

	sf := byID[DemoSourceSalesforce]
	if sf.Status != "COMPLETE" || len(sf.Usages) != 300 {
		t.Fatalf("Salesforce: status %q with %d rows, want COMPLETE with 300", sf.Status, len(sf.Usages))
	}
	for i, u := range sf.Usages {
		if want := demoEpoch.AddDate(0, 0, i).Format(time.DateOnly); u.Date != want {
			t.Fatalf("Salesforce row %d date %q, want %q", i, u.Date, want)
		}
	}

	sn := byID[DemoSourceServiceNow]
	if sn.Status != "COMPLETE" || len(sn.Usages) != 12 || sn.Usages[0].Date != "2024-12-01" {
		t.Errorf("ServiceNow: status %q, %d rows, first %q; want COMPLETE, 12, newest first", sn.Status, len(sn.Usages), sn.Usages[0].Date)
	}

	// Every call builds fresh sources: changing one result must not change the next.
	srcs[0].Usages[0].Count = "0"
	if DemoSources()[0].Usages[0].Count == "0" {
		t.Error("DemoSources shares memory between calls")
	}
}

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

	src := GeneratedSource(3)
	if src.ID != GeneratedSourceID(3) || src.Status != "COMPLETE" || len(src.Usages) != 12 {
		t.Errorf("GeneratedSource(3) = %s %s with %d rows", src.ID, src.Status, len(src.Usages))
	}
	if !reflect.DeepEqual(src, GeneratedSource(3)) {
		t.Error("GeneratedSource(3) differs between calls")
	}

	tenant := New(WithGeneratedSources(5), WithDemoSources())
	token := tenant.IssueToken(DefaultClientID, 0)
	for _, id := range []string{GeneratedSourceID(0), GeneratedSourceID(4), DemoSourceWorkday} {
		if w := get(t, tenant, token, APIPath("v3", OpStatus, id)); w.Code != 200 {
			t.Errorf("status of %s: %d, want 200", id, w.Code)
		}
	}
	if w := get(t, tenant, token, APIPath("v3", OpStatus, GeneratedSourceID(5))); w.Code != 404 {
		t.Errorf("status of generated source 5 of 5: %d, want 404", w.Code)
	}
}
