package fakeisc

import (
	"encoding/json"
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

func TestPutSourceCopiesItsInput(t *testing.T) {
	tenant := New()
	src := Source{ID: "s", Status: "COMPLETE", Usages: []Usage{Row("2024-01-01", "1").WithExtra("k", `"v"`)}}
	tenant.PutSource(src)
	src.Usages[0].Count = "2"
	src.Usages[0].Extra["k"][1] = 'X'

	body := get(t, tenant, tenant.IssueToken(DefaultClientID, 0), "/v3/source-usages/s/summaries").Body.String()
	if want := `[{"date":"2024-01-01","count":1,"k":"v"}]`; body != want {
		t.Errorf("body = %s, want %s", body, want)
	}
}

func TestInvalidRowAnswers500(t *testing.T) {
	tenant := New(WithSources(Source{ID: "bad", Status: "COMPLETE", Usages: []Usage{Row("2024-01-01", "NaN")}}))
	w := get(t, tenant, tenant.IssueToken(DefaultClientID, 0), "/v3/source-usages/bad/summaries")
	if w.Code != 500 {
		t.Fatalf("status = %d, want 500", w.Code)
	}
	checkErrorDto(t, w.Body.Bytes(), detailInternalFault, "cannot encode")
}
