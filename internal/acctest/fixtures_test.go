package acctest

import (
	"encoding/json"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// The provider's acceptance tests assert these exact values.
func TestFixtureSources(t *testing.T) {
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	byID := map[string]int{}
	srcs := FixtureSources()
	for i, s := range srcs {
		if !hex32.MatchString(s.ID) {
			t.Errorf("id %q is not 32 lowercase hex characters", s.ID)
		}
		byID[s.ID] = i
	}
	if len(byID) != 5 {
		t.Fatalf("%d distinct fixture sources, want 5", len(byID))
	}

	counts := func(id string) string {
		var out []string
		for _, u := range srcs[byID[id]].Usages {
			out = append(out, u.Date+"="+string(u.Count))
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		id, status, rows string
	}{
		{SourceActiveDirectory, "COMPLETE", "2024-01-01=12.30 2024-02-01=11.87 2024-03-01=10.45 2024-04-01=13.02 2024-05-01=14.50 " +
			"2024-06-01=9.95 2024-07-01=8.40 2024-08-01=10.10 2024-09-01=15.25 2024-10-01=16.00 2024-11-01=14.75 2024-12-01=13.60"},
		{SourceWorkday, "INCOMPLETE", ""},
		{SourceIdentityNow, "INCOMPLETE", ""},
		{SourceServiceNow, "COMPLETE", "2024-12-01=4.25 2024-11-01=3.90 2024-10-01=0 2024-09-01=5.10 2024-08-01=6.75 2024-07-01=7 " +
			"2024-06-01=6.20 2024-05-01=5.55 2024-04-01=4.80 2024-03-01=3.35 2024-02-01=2.95 2024-01-01=3.05"},
	}
	for _, tt := range tests {
		if s := srcs[byID[tt.id]]; s.UsageStatus != tt.status || counts(tt.id) != tt.rows {
			t.Errorf("%s: %s %s\nwant %s %s", tt.id, s.UsageStatus, counts(tt.id), tt.status, tt.rows)
		}
	}
	if extra := srcs[byID[SourceServiceNow]].Usages[6].Extra; string(extra["region"]) != `"emea"` || len(extra) != 1 {
		t.Errorf("ServiceNow June extras = %s", extra)
	}

	sf := srcs[byID[SourceSalesforce]]
	if sf.UsageStatus != "COMPLETE" || len(sf.Usages) != 300 {
		t.Fatalf("Salesforce: %s with %d rows, want COMPLETE with 300", sf.UsageStatus, len(sf.Usages))
	}
	for i, u := range sf.Usages {
		if want := time.Date(2024, time.January, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly); u.Date != want {
			t.Fatalf("Salesforce row %d date %q, want %q", i, u.Date, want)
		}
	}

	// Active Directory has every field of the Sources API, ServiceNow none but id and name.
	fields := func(id string) []string {
		var members map[string]json.RawMessage
		b, err := json.Marshal(srcs[byID[id]])
		if err != nil || json.Unmarshal(b, &members) != nil {
			t.Fatalf("%s: %v", id, err)
		}
		return slices.Sorted(maps.Keys(members))
	}
	want := 0
	for f := range reflect.TypeFor[fakeisc.Source]().Fields() {
		if f.Tag.Get("json") != "-" {
			want++
		}
	}
	if got := len(fields(SourceActiveDirectory)); got != want {
		t.Errorf("Active Directory has %d Sources API fields, want all %d: %v", got, want, fields(SourceActiveDirectory))
	}
	if got := fields(SourceServiceNow); !slices.Equal(got, []string{"id", "name"}) {
		t.Errorf("ServiceNow has the fields %v, want only id and name", got)
	}
	if idn := srcs[byID[SourceIdentityNow]]; !idn.IdentityNow {
		t.Error("IdentityNow is not the tenant's own source")
	}

	// Every call builds fresh sources: changing one result must not change the next.
	srcs[0].Usages[0].Count = "0"
	if FixtureSources()[0].Usages[0].Count == "0" {
		t.Error("FixtureSources shares memory between calls")
	}
}
