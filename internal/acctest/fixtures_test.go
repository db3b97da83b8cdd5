package acctest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strconv"
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

// The provider's acceptance tests assert these exact values too.
func TestFixtureAccounts(t *testing.T) {
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	byID := map[string]fakeisc.Account{}
	for _, a := range FixtureAccounts() {
		if !hex32.MatchString(a.ID) || (a.IdentityID != "" && !hex32.MatchString(a.IdentityID)) {
			t.Errorf("%s: id or identity id is not 32 lowercase hex characters", a.ID)
		}
		byID[a.ID] = a
	}
	if len(byID) != 12 {
		t.Fatalf("%d distinct fixture accounts, want 12", len(byID))
	}

	rows := func(a fakeisc.Account) string {
		var out []string
		for _, u := range a.Usages {
			out = append(out, u.Date[5:7]+"="+string(u.Count))
		}
		return strings.Join(out, " ")
	}
	const (
		zeros  = "01=0 02=0 03=0 04=0 05=0 06=0 07=0 08=0 09=0 10=0 11=0 12=0"
		tens   = "01=10 02=10 03=10 04=10 05=10 06=10 07=10 08=10 09=10 10=10 11=10 12=10"
		ad, wd = SourceActiveDirectory, SourceWorkday
	)
	tests := []struct {
		id, source, name, identity string
		uncorrelated               string // "true", "false" or "absent"
		disabled, deleted          bool
		rows                       string // month=count, in the stored order
	}{
		{AccountBusy, ad, "jdoe", "John Doe", "false", false, false,
			"01=20 02=18 03=21 04=19 05=22 06=20 07=17 08=21 09=19 10=20 11=18 12=21"},
		{AccountDormant, ad, "mlopez", "Maria Lopez", "false", false, false, zeros},
		{AccountNoUsage, ad, "pnguyen", "Peter Nguyen", "false", false, false, ""},
		{AccountThreshold, ad, "kobrien", "Kate OBrien", "false", false, false,
			"07=0 03=1 12=0 01=0 10=0 05=0 09=0 02=0 11=0 06=0 04=0 08=0"},
		{AccountDisabledDormant, ad, "a.kowalski", "Anna Kowalski", "false", true, false, zeros},
		{AccountDisabledBusy, ad, "rpatel", "Ravi Patel", "false", true, false,
			"01=15 02=16 03=14 04=17 05=15 06=16 07=18 08=15 09=14 10=16 11=17 12=15"},
		{AccountOrphan, ad, "temp.admin", "", "true", false, false, "01=9 02=8 03=10 04=7 05=9 06=11 07=8 08=9 09=10 10=12 11=9 12=8"},
		{AccountNoCorrelationField, ad, "svc-legacy", "", "absent", false, false,
			"01=22 02=21 03=23 04=22 05=21 06=22 07=23 08=22 09=21 10=23 11=22 12=20"},
		{AccountDeleted, ad, "old.contractor", "Lee Hart", "false", false, true, tens},
		{AccountWorkday, wd, "100234", "John Doe", "false", false, false, tens},
		{AccountWorkdayDisabled, wd, "100871", "Maria Lopez", "false", true, false, ""},
		{AccountServiceNow, SourceServiceNow, "john.doe", "John Doe", "false", false, false,
			"12=5 11=6 10=0 09=4 08=7 07=8 06=6 05=5 04=4 03=3 02=2 01=3"},
	}
	for _, tt := range tests {
		a := byID[tt.id]
		uncorrelated := "absent"
		if a.Uncorrelated != nil {
			uncorrelated = strconv.FormatBool(*a.Uncorrelated)
		}
		if a.SourceID != tt.source || a.Name != tt.name || a.IdentityName != tt.identity || (a.IdentityID == "") != (tt.identity == "") ||
			uncorrelated != tt.uncorrelated || a.Disabled != tt.disabled || a.Deleted != tt.deleted || rows(a) != tt.rows {
			t.Errorf("%s: %s %q %q uncorrelated %s disabled %v deleted %v rows %s\nwant %s %q %q %s %v %v %s", tt.id,
				a.SourceID, a.Name, a.IdentityName, uncorrelated, a.Disabled, a.Deleted, rows(a),
				tt.source, tt.name, tt.identity, tt.uncorrelated, tt.disabled, tt.deleted, tt.rows)
		}
	}
	if a := byID[AccountBusy]; a.IdentityID != IdentityJohnDoe || a.NativeIdentity != "CN=John Doe,OU=Users,DC=example,DC=com" ||
		a.UUID != "{6f1c9f3e-2b7a-4d8e-9c1a-5e3b7d2f4a01}" || a.Attributes["mail"] != "john.doe@example.com" {
		t.Errorf("AccountBusy: %+v", a)
	}
	if a := byID[AccountServiceNow]; a.IdentityID != IdentityJohnDoe || !a.ManuallyCorrelated || byID[AccountWorkday].IdentityID != IdentityJohnDoe {
		t.Errorf("John Doe's other accounts: %+v", a)
	}
	if a := byID[AccountNoUsage]; a.Origin != "PROVISIONED" || a.Created != "2024-12-20T10:00:00Z" || a.Usages != nil {
		t.Errorf("AccountNoUsage: %+v", a)
	}
	if a, b := byID[AccountDisabledDormant], byID[AccountNoCorrelationField]; !a.Locked || !b.IsMachine {
		t.Errorf("locked %v, machine %v", a.Locked, b.IsMachine)
	}

	// Over HTTP, as the provider sees them.
	fake := NewFake(t)
	token := fake.IssueToken(fakeisc.DefaultClientID, 0)
	call := func(path string) (int, string) {
		w := httptest.NewRecorder()
		r := httptest.NewRequestWithContext(t.Context(), http.MethodGet, path, nil)
		r.Header.Set("Authorization", "Bearer "+token)
		fake.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	if code, body := call("/accounts/v1?count=true&limit=250"); code != 200 || strings.Count(body, `"sourceId"`) != 12 {
		t.Errorf("list: %d %s", code, body)
	}
	if code, _ := call("/accounts/v1/" + AccountDeleted); code != 404 {
		t.Errorf("get AccountDeleted: %d, want 404", code)
	}
	if code, _ := call("/account-usages/v1/" + AccountDeleted + "/summaries"); code != 404 {
		t.Errorf("usage of AccountDeleted: %d, want 404", code)
	}
	for _, id := range []string{AccountWorkday, AccountNoUsage} {
		if code, body := call("/account-usages/v1/" + id + "/summaries"); code != 200 || body != "[]" {
			t.Errorf("usage of %s: %d %s, want 200 []", id, code, body)
		}
	}
	if _, body := call("/account-usages/v1/" + AccountThreshold + "/summaries?limit=2"); body != `[{"date":"2024-07-01","count":0},{"date":"2024-03-01","count":1}]` {
		t.Errorf("usage of AccountThreshold: %s", body)
	}
	if _, body := call("/v3/accounts/" + AccountNoCorrelationField); strings.Contains(body, `"uncorrelated"`) || strings.Contains(body, `"identity`) ||
		!strings.Contains(body, `"isMachine":true`) {
		t.Errorf("AccountNoCorrelationField: %s", body)
	}

	// Every call builds fresh accounts.
	byID[AccountBusy].Usages[0].Count = "0"
	if FixtureAccounts()[0].Usages[0].Count == "0" {
		t.Error("FixtureAccounts shares memory between calls")
	}
}

// The fixture accounts change no answer about the fixture sources.
func TestFixtureAccountsLeaveSourcesAlone(t *testing.T) {
	with := NewFake(t).Tenant
	without := fakeisc.New(fakeisc.WithSources(FixtureSources()...))
	paths := []string{"/v3/sources?includeIDNSource=true&count=true", "/sources/v1?sorters=-name&limit=2&offset=1"}
	for _, s := range FixtureSources() {
		paths = append(paths, "/v3/sources/"+s.ID, "/v3/source-usages/"+s.ID+"/status", "/source-usages/v1/"+s.ID+"/summaries?count=true")
	}
	answer := func(tenant *fakeisc.Tenant, path string) string {
		w := httptest.NewRecorder()
		r := httptest.NewRequestWithContext(t.Context(), http.MethodGet, path, nil)
		r.Header.Set("Authorization", "Bearer "+tenant.IssueToken(fakeisc.DefaultClientID, 0))
		tenant.ServeHTTP(w, r)
		return fmt.Sprint(w.Code, " ", w.Header().Get("X-Total-Count"), " ", w.Body.String())
	}
	for _, p := range paths {
		if a, b := answer(with, p), answer(without, p); a != b {
			t.Errorf("%s:\nwith accounts    %s\nwithout accounts %s", p, a, b)
		}
	}
}
