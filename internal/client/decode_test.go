package client

import (
	"strings"
	"testing"
)

func TestDecodeStatus(t *testing.T) {
	tests := []struct {
		name, body string
		want       *string
		wantErr    string
	}{
		{"complete", `{"status":"COMPLETE"}`, ptr("COMPLETE"), ""},
		{"incomplete", `{"status":"INCOMPLETE"}`, ptr("INCOMPLETE"), ""},
		{"unknown value passes", `{"status":"PENDING_REVIEW"}`, ptr("PENDING_REVIEW"), ""},
		{"extra fields", `{"status":"COMPLETE","since":"2024-01-01","x":{"y":[1]}}`, ptr("COMPLETE"), ""},
		{"missing", `{}`, nil, ""},
		{"null", `{"status":null}`, nil, ""},
		{"leading space", " \n{\"status\":\"COMPLETE\"}", ptr("COMPLETE"), ""},
		{"empty body", ``, nil, "body is empty"},
		{"null body", `null`, nil, "expected an object, got null"},
		{"array body", `[]`, nil, "expected an object, got an array"},
		{"html", `<html>502</html>`, nil, "HTML"},
		{"truncated", `{"status": "COMP`, nil, "cut off"},
		{"malformed", `{"status": COMPLETE}`, nil, "invalid JSON"},
		{"wrong type", `{"status": 1}`, nil, `field "status" has a JSON number`},
		{"trailing garbage", `{"status":"COMPLETE"} x`, nil, "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeStatus([]byte(tt.body))
			checkErr(t, err, tt.wantErr)
			if (got.Status == nil) != (tt.want == nil) || (got.Status != nil && *got.Status != *tt.want) {
				t.Errorf("status = %v, want %v", deref(got.Status), deref(tt.want))
			}
		})
	}
}

func TestDecodeUsages(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string // "date|count" per row, "<nil>" for nil
		wantErr    string
	}{
		{"rows", `[{"date":"2024-01-01","count":10.45},{"date":"2024-02-01","count":0}]`, []string{"2024-01-01|10.45", "2024-02-01|0"}, ""},
		{"empty", `[]`, []string{}, ""},
		{"nulls", `[{"date":null,"count":null}]`, []string{"<nil>|<nil>"}, ""},
		{"missing", `[{}]`, []string{"<nil>|<nil>"}, ""},
		{"extra fields", `[{"date":"2024-01-01","count":1.5,"region":"emea","nested":{"a":[1,2]}}]`, []string{"2024-01-01|1.5"}, ""},
		{"exact digits", `[{"date":"2024-01-01","count":12.345678901234567890}]`, []string{"2024-01-01|12.345678901234567890"}, ""},
		{"exponent", `[{"date":"2024-01-01","count":1e2}]`, []string{"2024-01-01|1e2"}, ""},
		{"null body", `null`, nil, "expected an array, got null"},
		{"object body", `{"status":"COMPLETE"}`, nil, "expected an array, got an object"},
		{"empty body", ` `, nil, "body is empty"},
		{"truncated", `[{"date":"2024-01-01","cou`, nil, "cut off"},
		{"malformed", `[{"date":`, nil, "cut off"},
		{"garbage", `[{"date": 2024-01-01}]`, nil, "invalid JSON"},
		{"count as text", `[{"date":"2024-01-01","count":"ten"}]`, nil, "count"},
		{"date as number", `[{"date":20240101,"count":1}]`, nil, `field "date" has a JSON number`},
		{"count out of range", `[{"date":"2024-01-01","count":1e400}]`, nil, "cannot be represented"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := DecodeUsages([]byte(tt.body))
			checkErr(t, err, tt.wantErr)
			if tt.wantErr != "" {
				return
			}
			if rows == nil {
				t.Fatal("rows must never be nil on success")
			}
			var got []string
			for _, r := range rows {
				c := "<nil>"
				if r.Count != nil {
					c = r.Count.String()
				}
				got = append(got, deref(r.Date)+"|"+c)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("rows = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCountFloat64KeepsDecimals(t *testing.T) {
	rows, err := DecodeUsages([]byte(`[{"count":10.45},{"count":0.1},{"count":33.33}]`))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{10.45, 0.1, 33.33} {
		got, ok := rows[i].CountFloat64()
		if !ok || got != want {
			t.Errorf("row %d: %v, want %v (a 32-bit decode would give %v)", i, got, want, float64(float32(want)))
		}
	}
	if _, ok := (SourceUsage{}).CountFloat64(); ok {
		t.Error("a missing count must report ok=false")
	}
}

func ptr[T any](v T) *T { return &v }

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
