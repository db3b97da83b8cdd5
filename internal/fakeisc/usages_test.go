package fakeisc

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func TestUsageMarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		row  Usage
		want string
	}{
		{"normal", Row("2024-01-01", "10.45"), `{"date":"2024-01-01","count":10.45}`},
		{"trailing zeros kept", Row("2024-01-01", "16.00"), `{"date":"2024-01-01","count":16.00}`},
		{"integer", Row("2024-01-01", "7"), `{"date":"2024-01-01","count":7}`},
		{"exponent", Row("2024-01-01", "1.5e3"), `{"date":"2024-01-01","count":1.5e3}`},
		{"negative zero", Row("2024-01-01", "-0"), `{"date":"2024-01-01","count":-0}`},
		{"many digits", Row("2024-01-01", "123456789012345678901234567890.123456789012345678"),
			`{"date":"2024-01-01","count":123456789012345678901234567890.123456789012345678}`},
		{"zero value", Usage{}, `{"date":"","count":0}`},
		{"null date", Row("2024-01-01", "1").WithNullDate(), `{"date":null,"count":1}`},
		{"missing date", Row("2024-01-01", "1").WithoutDate(), `{"count":1}`},
		{"null count", Row("2024-01-01", "1").WithNullCount(), `{"date":"2024-01-01","count":null}`},
		{"missing count", Row("2024-01-01", "1").WithoutCount(), `{"date":"2024-01-01"}`},
		{"both missing", Row("", "").WithoutDate().WithoutCount(), `{}`},
		{"both null", Row("", "").WithNullDate().WithNullCount(), `{"date":null,"count":null}`},
		{"extra field", Row("2024-01-01", "1").WithExtra("region", `"emea"`), `{"date":"2024-01-01","count":1,"region":"emea"}`},
		{"extras in key order", Row("2024-01-01", "1").WithExtra("z", `1`).WithExtra("a", `{"b":[true]}`),
			`{"date":"2024-01-01","count":1,"a":{"b":[true]},"z":1}`},
		{"extra count ignored while count is written", Row("2024-01-01", "1").WithExtra("count", `"x"`),
			`{"date":"2024-01-01","count":1}`},
		{"extra count replaces a missing count", Row("2024-01-01", "1").WithoutCount().WithExtra("count", `"10.45"`),
			`{"date":"2024-01-01","count":"10.45"}`},
		{"extra date replaces a missing date", Row("", "1").WithoutDate().WithExtra("date", `20240101`),
			`{"count":1,"date":20240101}`},
		{"date escaped", Row(`2024"<`, "1"), `{"date":"2024\"\u003c","count":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.row)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("%s is not valid JSON", got)
			}
		})
	}
}

func TestUsageMarshalJSONRejectsInvalidInput(t *testing.T) {
	tests := []struct {
		name string
		row  Usage
	}{
		{"count not a number", Row("2024-01-01", "ten")},
		{"count with spaces", Row("2024-01-01", " 1")},
		{"count leading zero", Row("2024-01-01", "01")},
		{"extra not JSON", Row("2024-01-01", "1").WithExtra("region", "emea")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := json.Marshal(tt.row); err == nil {
				t.Errorf("Marshal = %s, want an error", got)
			}
		})
	}
}

func TestUsageWithExtraDoesNotShareMaps(t *testing.T) {
	base := Row("2024-01-01", "1").WithExtra("a", "1")
	derived := base.WithExtra("b", "2")
	if len(base.Extra) != 1 || len(derived.Extra) != 2 {
		t.Fatalf("base has %d extras, derived %d; want 1 and 2", len(base.Extra), len(derived.Extra))
	}
}

func TestInvalidRowAnswers500(t *testing.T) {
	tenant := New(WithSources(Source{ID: "bad", UsageStatus: "COMPLETE", Usages: []Usage{Row("2024-01-01", "NaN")}}))
	w := get(t, tenant, tenant.IssueToken(DefaultClientID, 0), "/v3/source-usages/bad/summaries")
	if w.Code != 500 {
		t.Fatalf("status = %d, want 500", w.Code)
	}
	checkErrorDto(t, w.Body.Bytes(), detailInternalFault, "cannot encode")
}

// FuzzUsageMarshalJSON checks that a row either fails to marshal or marshals to valid JSON
// with its count written verbatim.
func FuzzUsageMarshalJSON(f *testing.F) {
	f.Add("2024-01-01", "10.45", "region", `"emea"`, uint8(0), uint8(0))
	f.Add("", "", "count", `"1"`, uint8(2), uint8(2))
	f.Add("\x00\"<", "1e400", "", "null", uint8(1), uint8(0))
	f.Fuzz(func(t *testing.T, date, count, key, raw string, dateIs, countIs uint8) {
		u := Usage{Date: date, Count: json.Number(count), DateIs: Presence(dateIs % 3), CountIs: Presence(countIs % 3)}
		u = u.WithExtra(key, raw)
		out, err := json.Marshal(u)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON %q", out)
		}
		if u.CountIs == Present && count != "" && !strings.Contains(string(out), `"count":`+count) {
			t.Fatalf("count %q not written verbatim in %s", count, out)
		}
	})
}

func TestSummariesBodyIsExact(t *testing.T) {
	tenant := New(WithSources(testSources()...), WithSources(Source{ID: "odd", UsageStatus: "COMPLETE", Usages: []Usage{
		Row("2024-01-01", "10.45"),
		Row("2024-02-01", "99999999999999999999.000000000000000001"),
		Row("2024-03-01", "1").WithNullCount().WithExtra("region", `"emea"`),
	}}))
	token := tenant.IssueToken(DefaultClientID, 0)
	w := get(t, tenant, token, apiPath("v3", OpSummaries, "odd"))
	want := `[{"date":"2024-01-01","count":10.45},{"date":"2024-02-01","count":99999999999999999999.000000000000000001},{"date":"2024-03-01","count":null,"region":"emea"}]`
	if w.Body.String() != want {
		t.Errorf("body\n%s\nwant\n%s", w.Body, want)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cl := w.Header().Get("Content-Length"); cl != strconv.Itoa(len(want)) {
		t.Errorf("Content-Length = %q, want %d", cl, len(want))
	}

	ad := get(t, tenant, token, apiPath("v3", OpSummaries, srcAD)).Body.String()
	for _, s := range []string{`{"date":"2024-03-01","count":10.45}`, `"count":16.00`} {
		if !strings.Contains(ad, s) {
			t.Errorf("Active Directory body lacks %s: %s", s, ad)
		}
	}
}

func TestStatus(t *testing.T) {
	tenant := New(WithSources(testSources()...), WithSources(
		Source{ID: "pending", UsageStatus: "PENDING"},
		Source{ID: "blank"},
	))
	token := tenant.IssueToken(DefaultClientID, 0)
	tests := []struct{ id, want string }{
		{srcAD, `{"status":"COMPLETE"}`},
		{srcWorkday, `{"status":"INCOMPLETE"}`},
		{"pending", `{"status":"PENDING"}`},
		{"blank", `{}`},
	}
	for _, tt := range tests {
		for _, version := range versions {
			w := get(t, tenant, token, apiPath(version, OpStatus, tt.id)+"?limit=-1") // status ignores the query
			if w.Code != 200 || w.Body.String() != tt.want || w.Header().Get("Content-Type") != "application/json" {
				t.Errorf("%s %s: %d %s %q, want 200 %s", version, tt.id, w.Code, w.Body, w.Header().Get("Content-Type"), tt.want)
			}
		}
	}
}

func TestNotFoundAndForbidden(t *testing.T) {
	tenant := New(WithSources(Source{ID: "secret", UsageStatus: "COMPLETE", Forbidden: true, Usages: []Usage{Row("2024-01-01", "1")}}))
	token := tenant.IssueToken(DefaultClientID, 0)

	tracking := map[string]bool{}
	for _, op := range []string{OpStatus, OpSummaries} {
		w := get(t, tenant, token, apiPath("v3", op, "no/such source"))
		if w.Code != 404 {
			t.Fatalf("%s of an unknown source: %d", op, w.Code)
		}
		dto := checkErrorDto(t, w.Body.Bytes(), detailNotFound, "The requested source was not found: no/such source")
		tracking[dto.TrackingID] = true

		w = get(t, tenant, token, apiPath("v3", op, "secret")+"?limit=bad")
		if w.Code != 403 {
			t.Fatalf("%s of a forbidden source: %d", op, w.Code)
		}
		dto = checkErrorDto(t, w.Body.Bytes(), detailForbidden, "The server understood the request but refuses to authorize it.")
		tracking[dto.TrackingID] = true
	}
	if len(tracking) != 4 {
		t.Errorf("%d distinct tracking ids over 4 errors", len(tracking))
	}

	wantBody := `{"detailCode":"404 Not found","trackingId":"`
	if w := get(t, tenant, token, apiPath("v3", OpStatus, "x")); !strings.HasPrefix(w.Body.String(), wantBody) ||
		!strings.HasSuffix(w.Body.String(), `","messages":[{"locale":"en-US","localeOrigin":"DEFAULT","text":"The requested source was not found: x"}],"causes":[]}`) {
		t.Errorf("404 body = %s", w.Body)
	}
}
