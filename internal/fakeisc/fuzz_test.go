package fakeisc

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// FuzzServeHTTP feeds the tenant arbitrary request lines, headers and bodies, parsed as
// net/http's server parses them: the tenant must never panic, must answer with a final
// status, and every JSON body it sends without a fault must be valid with a matching
// Content-Length.
func FuzzServeHTTP(f *testing.F) {
	seeds := []struct {
		method, target, auth, body string
	}{
		{"GET", "/v3/source-usages/" + DemoSourceActiveDirectory + "/status", "Bearer ", ""},
		{"GET", "/beta/source-usages/" + DemoSourceSalesforce + "/summaries?limit=10&offset=5&count=true&sorters=-date", "Bearer ", ""},
		{"GET", "/source-usages/v1/a%2Fb/summaries?sorters=date,count", "Bearer ", ""},
		{"GET", "/v2026/source-usages/%C3%A9/status", "bearer ", ""},
		{"GET", "/v3/source-usages/x/summaries?limit=%zz", "Bearer ", ""},
		{"GET", "/v3/source-usages/x/summaries?offset=99999999999999999999999", "Bearer ", ""},
		{"POST", "/oauth/token", "", defaultForm},
		{"POST", "/oauth/token?client_id=x", "Basic Zm9vOmJhcg==", "grant_type=password"},
		{"GET", "/__fake/stats", "", ""},
		{"POST", "/__fake/reset", "", ""},
		{"DELETE", "/v3/source-usages/x/status", "", ""},
		{"GET", "//..//", "Bearer nope", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.target, s.auth, s.body)
	}
	tenant := New(WithDemoSources(), WithRateLimit(1000, 0))
	token := tenant.IssueToken(DefaultClientID, 0)

	f.Fuzz(func(t *testing.T, method, target, auth, body string) {
		if strings.HasSuffix(auth, " ") && strings.HasPrefix(strings.ToLower(auth), "bearer") {
			auth += token // seeds ending in "Bearer " use a valid token
		}
		raw := method + " " + target + " HTTP/1.1\r\nHost: fake\r\n" +
			"Content-Type: application/x-www-form-urlencoded\r\n" +
			"Content-Length: " + strconv.Itoa(len(body)) + "\r\n"
		if auth != "" {
			raw += "Authorization: " + auth + "\r\n"
		}
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw + "\r\n" + body)))
		if err != nil {
			t.Skip("not a request net/http would serve")
		}
		w := httptest.NewRecorder()
		tenant.ServeHTTP(w, r)

		if w.Code < 200 || w.Code > 599 {
			t.Fatalf("status %d", w.Code)
		}
		if cl := w.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(w.Body.Len()) {
			t.Fatalf("Content-Length %s for a %d-byte body", cl, w.Body.Len())
		}
		if w.Header().Get("Content-Type") == contentTypeJSON && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("invalid JSON body %q", w.Body)
		}
	})
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
