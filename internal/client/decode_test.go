package client

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestDecodeJSON(t *testing.T) {
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
		{"leading space", " \r\n\t{\"status\":\"COMPLETE\"}", ptr("COMPLETE"), ""},
		{"empty body", ``, nil, "the body is empty; expected an object"},
		{"blank body", " \n ", nil, "the body is empty; expected an object"},
		{"null body", `null`, nil, "expected an object, got null"},
		{"array body", `[]`, nil, "expected an object, got an array"},
		{"string body", `"COMPLETE"`, nil, "expected an object, got a string"},
		{"number body", `-1`, nil, "expected an object, got a number"},
		{"boolean body", `true`, nil, "expected an object, got a boolean"},
		{"html", `<html>502</html>`, nil, "expected an object, got HTML or XML"},
		{"text", `upstream connect error`, nil, "expected an object, got text that is not JSON"},
		{"truncated", `{"status": "COMP`, nil, "the JSON ends early (the body was cut off)"},
		{"malformed", `{"status": COMPLETE}`, nil, "invalid JSON at byte 12"},
		{"wrong type", `{"status": 1}`, nil, `field "status" has a JSON number where a string was expected`},
		{"trailing garbage", `{"status":"COMPLETE"} x y`, nil, "invalid JSON at byte 23"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got SourceUsageStatus
			err := decodeJSON([]byte(tt.body), '{', "an object", &got)
			checkErr(t, err, tt.wantErr)
			if tt.wantErr != "" {
				return
			}
			if (got.Status == nil) != (tt.want == nil) || (got.Status != nil && *got.Status != *tt.want) {
				t.Errorf("status = %v, want %v", deref(got.Status, "<nil>"), deref(tt.want, "<nil>"))
			}
		})
	}
}

func TestExplainJSONError(t *testing.T) {
	var into struct {
		Flag  *bool     `json:"flag"`
		List  *[]string `json:"list"`
		Ref   *Ref      `json:"ref"`
		Count *int      `json:"count"`
	}
	for _, tt := range []struct{ body, want string }{
		{`{"flag":"yes"}`, `field "flag" has a JSON string where a boolean was expected`},
		{`{"list":{}}`, `field "list" has a JSON object where an array was expected`},
		{`{"ref":[]}`, `field "ref" has a JSON array where an object was expected`},
		{`{"count":"1"}`, `field "count" has a JSON string where a number was expected`},
		{`{"ref":{"id":1}}`, `field "ref.id" has a JSON number where a string was expected`},
	} {
		err := decodeJSON([]byte(tt.body), '{', "an object", &into)
		checkErr(t, err, tt.want)
	}
	for _, tt := range []struct{ body, want string }{
		{``, "the body is empty"},
		{"  \n", "the body is empty"},
		{`{"a":`, "the JSON ends early (the body was cut off)"},
		{`<html>`, "invalid JSON at byte 1: invalid character '<' looking for beginning of value"},
		{`{} {}`, "invalid JSON at byte 4"},
	} {
		checkErr(t, describeInvalidJSON([]byte(tt.body)), tt.want)
	}
}

// A body whose last byte is the invalid one is garbage, not a body cut short.
func TestInvalidLastByteIsNotCalledCutOff(t *testing.T) {
	for _, body := range []string{`{"status":"COMPLETE"} x`, `{"status":"COMPLETE"}}`, `x`} {
		err := describeInvalidJSON([]byte(body))
		if err == nil || !strings.Contains(err.Error(), "invalid JSON") {
			t.Errorf("%q: %v, want invalid JSON", body, err)
		}
	}
}

func usageRows(rows []Usage) []string {
	out := []string{}
	for _, r := range rows {
		c := "<nil>"
		if r.Count != nil {
			c = r.Count.String()
		}
		out = append(out, deref(r.Date, "<nil>")+"|"+c)
	}
	return out
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
		{"exponent at the bounds", `[{"count":1e300},{"count":1E-300},{"count":2.5e+300}]`, []string{"<nil>|1e300", "<nil>|1E-300", "<nil>|2.5e+300"}, ""},
		{"negative", `[{"count":-1.5},{"count":-0}]`, []string{"<nil>|-1.5", "<nil>|-0"}, ""},
		{"64 characters", `[{"count":1.` + strings.Repeat("5", 62) + `}]`, []string{"<nil>|1." + strings.Repeat("5", 62)}, ""},
		{"whitespace around", " \n[{\"count\":1}]\n", []string{"<nil>|1"}, ""},
		{"null body", `null`, nil, "expected an array, got null"},
		{"object body", `{"status":"COMPLETE"}`, nil, "expected an array, got an object"},
		{"empty body", ` `, nil, "the body is empty; expected an array"},
		{"truncated", `[{"date":"2024-01-01","cou`, nil, "cut off"},
		{"garbage", `[{"date": 2024-01-01}]`, nil, "invalid JSON"},
		{"date as number", `[{"date":20240101,"count":1}]`, nil, `field "date" has a JSON number where a string was expected`},
		{"row not an object", `[1]`, nil, "has a JSON number where an object was expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := decodeUsages([]byte(tt.body))
			checkErr(t, err, tt.wantErr)
			if tt.wantErr != "" {
				if rows != nil {
					t.Errorf("rows %v returned with an error", rows)
				}
				return
			}
			if rows == nil {
				t.Fatal("rows must never be nil on success")
			}
			if got := usageRows(rows); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("rows = %v, want %v", got, tt.want)
			}
		})
	}
}

// Counts that are not numbers, or numbers no float holds, are refused with an error that names
// the row, rather than dropped or left to cost minutes of exact arithmetic.
func TestDecodeUsagesRejectsAbsurdCounts(t *testing.T) {
	long := "1." + strings.Repeat("0", 62) + "1" // 65 characters
	tests := []struct{ count, want string }{
		{"1e-999999", "count 1e-999999 has an exponent beyond ±300"},
		{"1e-1000000000", "count 1e-1000000000 has an exponent beyond ±300"},
		{"1e999999999999999999999", "count 1e999999999999999999999 has an exponent beyond ±300"}, // no int holds the exponent
		{"1e301", "count 1e301 has an exponent beyond ±300"},
		{"1E+301", "count 1E+301 has an exponent beyond ±300"},
		{"-2.5e-301", "count -2.5e-301 has an exponent beyond ±300"},
		{long, "count " + long + " has more than 64 characters"},
		{`"10.45"`, `count "10.45" is not a number`},
		{`true`, "count true is not a number"},
		{`false`, "count false is not a number"},
		{`{"value":1}`, `count {"value":1} is not a number`},
		{`[10.45]`, "count [10.45] is not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.count, func(t *testing.T) {
			body := `[{"date":"2024-01-01","count":1},{"count":2},{"date":"2024-03-01","count":` + tt.count + `}]`
			rows, err := decodeUsages([]byte(body))
			checkErr(t, err, "row 2 (date 2024-03-01): "+tt.want)
			if rows != nil {
				t.Errorf("rows %v returned with an error", rows)
			}
		})
	}
	_, err := decodeUsages([]byte(`[{"count":"7"}]`))
	checkErr(t, err, `row 0 (date missing): count "7" is not a number`)
}

func TestDecodeUsagesPageOfAbsurdCountsFails(t *testing.T) {
	rows := make([]string, pageSize)
	for i := range rows {
		rows[i] = fmt.Sprintf(`{"date":"2024-01-%02d","count":1e-999999}`, i%28+1)
	}
	_, err := decodeUsages([]byte("[" + strings.Join(rows, ",") + "]"))
	checkErr(t, err, "row 0 (date 2024-01-01): count 1e-999999 has an exponent beyond ±300")
}

// Counts keep the API's decimal text: nothing goes through a 32-bit float, which turns 10.45
// into 10.449999809265137, or through any binary float.
func TestCountKeepsExactDecimals(t *testing.T) {
	rows, err := decodeUsages([]byte(`[{"count":10.45},{"count":0.1},{"count":33.33},{"count":10.449999809265137},{"count":7.70}]`))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"10.45", "0.1", "33.33", "10.449999809265137", "7.70"} {
		if got := rows[i].Count.String(); got != want {
			t.Errorf("row %d: %s, want %s", i, got, want)
		}
	}
	for i, want := range []float64{10.45, 0.1, 33.33} {
		if got, err := rows[i].Count.Float64(); err != nil || got != want {
			t.Errorf("row %d: %v, want %v (a 32-bit decode would give %v)", i, got, want, float64(float32(want)))
		}
	}
}

func FuzzDecodeUsages(f *testing.F) {
	for _, s := range []string{
		`[]`, `[{"date":"2024-01-01","count":10.45}]`, `[{"date":null,"count":null},{}]`,
		`[{"date":"2024-01-01","count":1e400}]`, `[{"count":"12"}]`, `[{"date":`, `null`, ``, `{"a":1}`,
		`[{"date":"2024-01-01","count":12.345678901234567890123,"x":{"y":[1,null]}}]`,
		`[{"count":1e-999999}]`, `[{"count":1e-1000000000}]`, `[{"count":true}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rows, err := decodeUsages(body)
		if err != nil {
			if rows != nil {
				t.Fatal("rows returned with an error")
			}
			return
		}
		if rows == nil {
			t.Fatal("nil rows without an error")
		}
		for i, r := range rows {
			if r.Count == nil {
				continue
			}
			s := r.Count.String()
			if len(s) > maxCountLength || !json.Valid([]byte(s)) {
				t.Fatalf("row %d: accepted count %q", i, s)
			}
			// Every accepted count is a number that exact arithmetic reads at once.
			v, ok := new(big.Float).SetString(s)
			if !ok {
				t.Fatalf("row %d: accepted count %q is not a number", i, s)
			}
			if exp := v.MantExp(nil); exp > 1250 || exp < -1250 {
				t.Fatalf("row %d: accepted count %q has binary exponent %d", i, s, exp)
			}
		}
	})
}

// FuzzDecodeJSON: whatever the body, decodeJSON accepts exactly the JSON values of the kind
// asked for.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"status":"COMPLETE"}`, `{"status":null}`, `{}`, `[]`, `null`, ``, `{"status":1}`, `{"status":"é"}`, `[{"id":"a","owner":{"id":"b"}}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		start := strings.TrimLeft(string(body), " \t\r\n")
		var st SourceUsageStatus
		if err := decodeJSON(body, '{', "an object", &st); err == nil {
			if !json.Valid(body) || start[0] != '{' {
				t.Fatalf("accepted %q as an object", body)
			}
		} else if err.Error() == "" {
			t.Fatal("empty error")
		}
		var sources []Source
		if err := decodeJSON(body, '[', "an array", &sources); err == nil {
			if !json.Valid(body) || start[0] != '[' || sources == nil {
				t.Fatalf("accepted %q as an array, got %v", body, sources)
			}
		}
	})
}

// summariesRows is a summaries page of rows from to to-1 of a source with daily rows and
// two-decimal counts, as the fake tenant serves them.
func summariesRows(from, to int) []byte {
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := make([]string, 0, to-from)
	for i := from; i < to; i++ {
		rows = append(rows, fmt.Sprintf(`{"date":%q,"count":%d.%02d}`, day.AddDate(0, 0, i).Format(time.DateOnly), (5+i*12)%31, (i*37)%100))
	}
	return []byte("[" + strings.Join(rows, ",") + "]")
}

func BenchmarkDecodeUsages250(b *testing.B) {
	body := summariesRows(0, pageSize)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		rows, err := decodeUsages(body)
		if err != nil || len(rows) != pageSize {
			b.Fatalf("decoded %d rows, err %v", len(rows), err)
		}
	}
}
