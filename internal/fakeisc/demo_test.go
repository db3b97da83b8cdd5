package fakeisc

import (
	"fmt"
	"reflect"
	"testing"
	"time"
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

	a, b := New(WithGeneratedSources(1000)), New(WithGeneratedSources(1000))
	if !reflect.DeepEqual(a.sources, b.sources) {
		t.Error("two tenants generated different sources")
	}
	complete, types := 0, map[string]int{}
	for i := range 1000 {
		src := a.sources[GeneratedSourceID(i)]
		types[src.Type]++
		if want := fmt.Sprintf("Generated Source %04d", i); src.Name != want || src.Owner == nil || src.Connector == "" {
			t.Fatalf("generated source %d: %+v, want the name %q, an owner and a connector", i, src, want)
		}
		switch {
		case i%10 < 3 && src.UsageStatus == "COMPLETE" && len(src.Usages) == 12 &&
			src.Usages[0].Date == "2024-01-01" && src.Usages[11].Date == "2024-12-01":
			complete++
		case i%10 >= 3 && src.UsageStatus == "INCOMPLETE" && src.Usages == nil:
		default:
			t.Fatalf("generated source %d: %s with %d rows", i, src.UsageStatus, len(src.Usages))
		}
	}
	if complete != 300 || len(types) != len(connectors) {
		t.Errorf("%d COMPLETE of 1000, %d types; want 300 and %d", complete, len(types), len(connectors))
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

func TestDemoSources(t *testing.T) {
	clock := newTestClock() // 2025-03-01 12:00 UTC
	tenant := New(withClock(clock.Now), WithDemoSources())
	names, types := map[string]bool{}, map[string]int{}
	var complete, incomplete, unused, unhealthy, idn int
	for _, src := range tenant.sources {
		if names[src.Name] || src.Owner == nil || src.Connector == "" || src.Created == "" {
			t.Errorf("%q: repeated name, or no owner, connector or created date: %+v", src.Name, src)
		}
		names[src.Name] = true
		types[src.Type]++
		switch src.UsageStatus {
		case "COMPLETE":
			complete++
			// One row a month, for the 12 months before the clock's.
			if len(src.Usages) != 12 || src.Usages[0].Date != "2024-03-01" || src.Usages[11].Date != "2025-02-01" {
				t.Errorf("%q: %d rows, from %s", src.Name, len(src.Usages), src.Usages[0].Date)
			}
			if src.Usages[0].Count == "0.00" {
				unused++
			}
		case "INCOMPLETE":
			incomplete++
		}
		if src.Healthy != nil && !*src.Healthy {
			unhealthy++
		}
		if src.IdentityNow {
			idn++
		}
	}
	if complete < 4 || incomplete < 1 || unused != 1 || unhealthy != 1 || idn != 1 || types["Active Directory"] != 2 {
		t.Errorf("%d COMPLETE, %d INCOMPLETE, %d unused, %d unhealthy, %d IdentityNow, %d Active Directory",
			complete, incomplete, unused, unhealthy, idn, types["Active Directory"])
	}
	// Its dates follow the clock, its ids do not.
	later := New(withClock(func() time.Time { return clock.Now().AddDate(0, 2, 0) }), WithDemoSources())
	for id, src := range tenant.sources {
		if l, ok := later.sources[id]; !ok || l.Name != src.Name || (src.Usages != nil && l.Usages[11].Date != "2025-04-01") {
			t.Errorf("%q two months later: %+v", src.Name, l)
		}
	}
}
