package fakeisc

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
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

func TestGeneratedAccounts(t *testing.T) {
	src := GeneratedSourceID(0) // COMPLETE
	// A fixed value pins the derivation: scripts and benchmarks may hard-code ids.
	if got := GeneratedAccountID(src, 0); got != "a526b8df4a00c525298384d1db42c570" {
		t.Errorf("GeneratedAccountID(source 0, 0) = %q", got)
	}
	const n = 100
	a, b := New(WithGeneratedAccounts(src, n)), New(WithGeneratedAccounts(src, n))
	if !reflect.DeepEqual(a.accounts, b.accounts) || len(a.accounts) != n {
		t.Fatalf("two tenants generated different accounts, or not %d", n)
	}
	var disabled, dormant, uncorrelated int
	for i := range n {
		acct, ok := a.accounts[GeneratedAccountID(src, i)]
		if !ok || !hex32.MatchString(acct.ID) || acct.Name != fmt.Sprintf("user%05d", i) || acct.SourceID != src || len(acct.Usages) != 12 ||
			acct.Usages[0].Date != "2024-01-01" || acct.Usages[11].Date != "2024-12-01" || acct.Uncorrelated == nil ||
			*acct.Uncorrelated != (acct.IdentityID == "") {
			t.Fatalf("generated account %d: %+v", i, acct)
		}
		disabled += boolInt(acct.Disabled)
		uncorrelated += boolInt(*acct.Uncorrelated)
		for m, u := range acct.Usages {
			want := strconv.Itoa(10 + (i+m+1)%13)
			if i%3 == 2 {
				want = "0"
			}
			if string(u.Count) != want {
				t.Fatalf("generated account %d month %d: %s, want %s", i, m+1, u.Count, want)
			}
		}
		dormant += boolInt(acct.Usages[0].Count == "0")
		if acct.Disabled != (i%5 == 0) || *acct.Uncorrelated != (i%10 == 3) {
			t.Errorf("generated account %d: disabled %v, uncorrelated %v", i, acct.Disabled, *acct.Uncorrelated)
		}
	}
	if disabled != 20 || dormant != 33 || uncorrelated != 10 {
		t.Errorf("%d disabled, %d dormant, %d uncorrelated; want 20, 33, 10", disabled, dormant, uncorrelated)
	}

	// Over HTTP: the usage of a COMPLETE source's accounts, none for an INCOMPLETE one's.
	tenant := New(WithGeneratedSources(4), WithGeneratedAccounts(src, 3), WithGeneratedAccounts(GeneratedSourceID(3), 3))
	token := tenant.IssueToken(DefaultClientID, 0)
	if body := get(t, tenant, token, apiPath("v1", OpAccountUsages, GeneratedAccountID(src, 1))+"?limit=2").Body.String(); body !=
		`[{"date":"2024-01-01","count":12},{"date":"2024-02-01","count":13}]` {
		t.Errorf("usage of generated account 1: %s", body)
	}
	if body := get(t, tenant, token, apiPath("v1", OpAccountUsages, GeneratedAccountID(GeneratedSourceID(3), 1))).Body.String(); body != `[]` {
		t.Errorf("usage of an account of an INCOMPLETE source: %s", body)
	}
	w := get(t, tenant, token, apiPath("v3", OpListAccounts, "")+"?count=true&limit=1&filters="+query(`sourceId eq "`+src+`"`))
	if w.Header().Get(headerTotalCount) != "3" {
		t.Errorf("accounts of source 0: %s", w.Header().Get(headerTotalCount))
	}
}

func TestDemoAccounts(t *testing.T) {
	clock := newTestClock() // 2025-03-01 12:00 UTC
	tenant := New(withClock(clock.Now), WithDemoSources())
	bySource := map[string][]Account{}
	for _, a := range tenant.accounts {
		src, ok := tenant.sources[a.SourceID]
		if !ok || a.Uncorrelated == nil || *a.Uncorrelated != (a.IdentityID == "") || a.UUID == "" || a.Created == "" {
			t.Errorf("%q: no source, or inconsistent: %+v", a.Name, a)
		}
		if (src.UsageStatus == "COMPLETE") != (len(a.Usages) > 0) || a.SystemAccount != src.IdentityNow {
			t.Errorf("%s %q: %d rows, system account %v", src.Name, a.Name, len(a.Usages), a.SystemAccount)
		}
		bySource[src.Name] = append(bySource[src.Name], a)
	}
	for _, src := range tenant.sources {
		if len(bySource[src.Name]) < 2 {
			t.Errorf("%q has %d accounts", src.Name, len(bySource[src.Name]))
		}
	}

	// The richest source has every kind of account the demo's table shows.
	var busy, dormant, disabled, orphans, machines, recent int
	for _, a := range bySource["Corporate Active Directory"] {
		counts := make([]int, len(a.Usages))
		for i, u := range a.Usages {
			counts[i], _ = strconv.Atoi(string(u.Count))
			if u.Date < "2024-03-01" || u.Date > "2025-02-01" || counts[i] < 0 || counts[i] > 31 {
				t.Errorf("%q: row %s %s", a.Name, u.Date, u.Count)
			}
		}
		switch {
		case a.Disabled:
			disabled++
		case a.IsMachine:
			machines++
		case *a.Uncorrelated:
			orphans++
		case a.Origin == "PROVISIONED" && a.Created > "2025-01-01" && len(counts) < 12:
			recent++
		case slices.Max(counts) == 0 || slices.Max(counts[4:]) == 0:
			dormant++
		case slices.Min(counts) >= 18:
			busy++
		}
	}
	if n := len(bySource["Corporate Active Directory"]); n != 18 || busy != 5 || dormant != 4 || disabled != 2 || orphans != 2 || machines != 1 || recent != 2 {
		t.Errorf("Corporate Active Directory: %d accounts: %d busy, %d dormant, %d disabled, %d orphans, %d machines, %d recent",
			n, busy, dormant, disabled, orphans, machines, recent)
	}

	// Ids are stable, dates follow the clock.
	later := New(withClock(func() time.Time { return clock.Now().AddDate(0, 2, 0) }), WithDemoSources())
	for id, a := range tenant.accounts {
		if l, ok := later.accounts[id]; !ok || l.Name != a.Name || (a.Usages != nil && l.Usages[len(l.Usages)-1].Date != "2025-04-01") {
			t.Errorf("%q two months later: %+v", a.Name, l)
		}
	}
}
