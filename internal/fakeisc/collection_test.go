package fakeisc

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// dates returns the dates of a summaries body, "-" for a row without one.
func dates(t *testing.T, body []byte) []string {
	t.Helper()
	rows := decodeJSON[[]map[string]any](t, body)
	out := make([]string, len(rows))
	for i, r := range rows {
		if d, ok := r["date"].(string); ok {
			out[i] = d
		} else {
			out[i] = "-"
		}
	}
	return out
}

func TestSummariesPaging(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	token := tenant.IssueToken(DefaultClientID, 0)
	base := apiPath("v3", OpSummaries, srcSalesforce)

	tests := []struct {
		query      string
		wantRows   int
		wantFirst  string // date of the first row, when rows are expected
		wantHeader string // X-Total-Count; "" means absent
	}{
		{"", 250, "2024-01-01", ""},
		{"?limit=10", 10, "2024-01-01", ""},
		{"?limit=10&offset=5", 10, "2024-01-06", ""},
		{"?offset=250", 50, "2024-09-07", ""},
		{"?offset=299", 1, "2024-10-26", ""},
		{"?offset=300", 0, "", ""},
		{"?offset=99999999999999999999", 0, "", ""},
		{"?limit=0", 0, "", ""},
		{"?limit=251", 250, "2024-01-01", ""},
		{"?limit=99999999999999999999", 250, "2024-01-01", ""},
		{"?limit=%2B5", 5, "2024-01-01", ""},
		{"?count=true", 250, "2024-01-01", "300"},
		{"?count=true&limit=1&offset=10", 1, "2024-01-11", "300"},
		{"?count=false", 250, "2024-01-01", ""},
		{"?count=TRUE", 250, "2024-01-01", "300"},
		{"?filters=date%20gt%20%222024-01-01%22", 250, "2024-01-01", ""}, // unknown parameters are ignored
		{"?limit=2&limit=5", 2, "2024-01-01", ""},                        // the first value counts
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			w := get(t, tenant, token, base+tt.query)
			if w.Code != 200 {
				t.Fatalf("status = %d; body %s", w.Code, w.Body)
			}
			got := dates(t, w.Body.Bytes())
			if len(got) != tt.wantRows {
				t.Fatalf("%d rows, want %d", len(got), tt.wantRows)
			}
			if tt.wantRows > 0 && got[0] != tt.wantFirst {
				t.Errorf("first row %s, want %s", got[0], tt.wantFirst)
			}
			if tt.wantRows == 0 && w.Body.String() != "[]" {
				t.Errorf("empty page = %s, want []", w.Body)
			}
			h, present := w.Header()[http.CanonicalHeaderKey(headerTotalCount)]
			if tt.wantHeader == "" && present || tt.wantHeader != "" && (len(h) != 1 || h[0] != tt.wantHeader) {
				t.Errorf("X-Total-Count = %v, want %q", h, tt.wantHeader)
			}
		})
	}
}

func TestSummariesPagesCoverEveryRow(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	token := tenant.IssueToken(DefaultClientID, 0)
	var all []string
	for offset := 0; ; offset += 250 {
		page := dates(t, get(t, tenant, token, apiPath("v1", OpSummaries, srcSalesforce)+"?offset="+strconv.Itoa(offset)).Body.Bytes())
		all = append(all, page...)
		if len(page) < 250 {
			break
		}
	}
	seen := map[string]bool{}
	for _, d := range all {
		seen[d] = true
	}
	if len(all) != 300 || len(seen) != 300 {
		t.Errorf("paging read %d rows, %d distinct; want 300", len(all), len(seen))
	}
}

// badRequestCase is a query a call must answer 400 to, with a message containing wantText.
type badRequestCase struct{ query, wantText string }

// checkBadRequests calls base with each query and checks the 400s.
func checkBadRequests(t *testing.T, tenant *Tenant, token, base string, tests []badRequestCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			w := get(t, tenant, token, base+tt.query)
			if w.Code != 400 {
				t.Fatalf("status = %d; body %s", w.Code, w.Body)
			}
			checkErrorDto(t, w.Body.Bytes(), detailBadRequest, tt.wantText)
		})
	}
}

func TestSummariesBadParameters(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	token := tenant.IssueToken(DefaultClientID, 0)
	base := apiPath("beta", OpSummaries, srcAD)

	tests := []badRequestCase{
		{"?limit=-1", "'limit'"},
		{"?limit=abc", "Invalid value 'abc' for query parameter 'limit'"},
		{"?limit=", "'limit'"},
		{"?limit=1.5", "'limit'"},
		{"?limit=-99999999999999999999", "'limit'"},
		{"?offset=-5", "Invalid value '-5' for query parameter 'offset': must be a non-negative integer."},
		{"?offset=x", "'offset'"},
		{"?count=maybe", "Invalid value 'maybe' for query parameter 'count'"},
		{"?sorters=count", "Sort field 'count' is not supported. Supported fields: date"},
		{"?sorters=-count", "Sort field 'count' is not supported. Supported fields: date"},
		{"?sorters=date,count", "Sort field 'count' is not supported."},
		{"?sorters=%2Bdate", "Sort field '+date' is not supported."},
		{"?sorters=Date", "Sort field 'Date' is not supported."},
		{"?sorters=date,", "Sort field '' is not supported."},
		{"?limit=%zz", "The query string is not valid"},
	}
	checkBadRequests(t, tenant, token, base, tests)
}

func TestSummariesSorting(t *testing.T) {
	tenant := New(WithSources(testSources()...), WithSources(Source{ID: "gaps", UsageStatus: "COMPLETE", Usages: []Usage{
		Row("2024-03-01", "1"),
		Row("", "2").WithNullDate(),
		Row("2024-01-01", "3"),
		Row("", "4").WithoutDate(),
		Row("2024-03-01", "5"),
		Row("2024-02-01", "6"),
	}}))
	token := tenant.IssueToken(DefaultClientID, 0)

	counts := func(body []byte) string {
		var rows []struct{ Count json.Number }
		if err := json.Unmarshal(body, &rows); err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = string(r.Count)
		}
		return strings.Join(out, ",")
	}

	tests := []struct {
		name, id, query, want string
	}{
		{"unsorted keeps API order", "gaps", "", "1,2,3,4,5,6"},
		{"ascending, undated last, ties stable", "gaps", "?sorters=date", "3,6,1,5,2,4"},
		{"descending, undated first, ties stable", "gaps", "?sorters=-date", "2,4,1,5,6,3"},
		{"first sorter decides", "gaps", "?sorters=-date,date", "2,4,1,5,6,3"},
		{"spaces around entries", "gaps", "?sorters=%20date%20", "3,6,1,5,2,4"},
		{"empty sorters is unsorted", "gaps", "?sorters=", "1,2,3,4,5,6"},
		{"sort happens before paging", "gaps", "?sorters=date&limit=2&offset=1", "6,1"},
		{"newest-first source ascending", srcServiceNow, "?sorters=date&limit=3", "3.05,2.95,3.35"},
		{"newest-first source descending", srcServiceNow, "?sorters=-date&limit=3", "4.25,3.90,0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(t, tenant, token, apiPath("v2026", OpSummaries, tt.id)+tt.query)
			if w.Code != 200 {
				t.Fatalf("status = %d; body %s", w.Code, w.Body)
			}
			if got := counts(w.Body.Bytes()); got != tt.want {
				t.Errorf("counts %s, want %s", got, tt.want)
			}
		})
	}

	// Sorting works on a copy: the stored order is unchanged.
	if got := counts(get(t, tenant, token, apiPath("v3", OpSummaries, "gaps")).Body.Bytes()); got != "1,2,3,4,5,6" {
		t.Errorf("API order after sorting: %s", got)
	}
}

// With WithUnstableTies, a client that pages by offset through a list sorted on a key
// with ties sees repeated and missing rows; with id among the sorters it sees every row
// once, in the order of a single page. Without the option, ties keep id order.
func TestUnstableTies(t *testing.T) {
	var accounts []Account
	for i := range 40 {
		accounts = append(accounts, Account{ID: fmt.Sprintf("acct-%02d", i), Name: "n", SourceID: GeneratedSourceID(i % 3)})
	}
	tests := []struct {
		op, sorters string
		unstable    bool
		wantOnce    bool // every row exactly once, in the order of one page
	}{
		{OpListSources, "type", true, false},
		{OpListSources, "-type,name", false, true},
		{OpListSources, "type,id", true, true},
		{OpListSources, "-id,type", true, true},
		{OpListSources, "", true, true},
		{OpListSources, "type", false, true},
		{OpListAccounts, "sourceId", true, false},
		{OpListAccounts, "source.displayableName,-name", true, false},
		{OpListAccounts, "sourceId,id", true, true},
		{OpListAccounts, "", true, true},
		{OpListAccounts, "sourceId", false, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.op, " ", tt.sorters, " ", tt.unstable), func(t *testing.T) {
			opts := []Option{WithGeneratedSources(40), WithAccounts(accounts...)}
			if tt.unstable {
				opts = append(opts, WithUnstableTies())
			}
			tenant := New(opts...)
			token := tenant.IssueToken(DefaultClientID, 0)
			ids := func(query string) []string {
				w := get(t, tenant, token, apiPath("v3", tt.op, "")+"?sorters="+tt.sorters+query)
				var out []string
				for _, row := range decodeJSON[[]struct{ ID string }](t, w.Body.Bytes()) {
					out = append(out, row.ID)
				}
				return out
			}
			var paged []string
			for offset := 0; offset < 40; offset += 7 {
				paged = append(paged, ids(fmt.Sprintf("&limit=7&offset=%d", offset))...)
			}
			whole := ids("")
			if once := slices.Equal(paged, whole); once != tt.wantOnce {
				t.Errorf("pages equal one list: %v, want %v\npaged %v\nwhole %v", once, tt.wantOnce, paged, whole)
			}
			if distinct := len(slices.Compact(slices.Sorted(slices.Values(paged)))); !tt.wantOnce && distinct == 40 {
				t.Errorf("pages show all 40 rows, want some repeated and some missing: %v", paged)
			}
			if !slices.Equal(ids("&limit=7&offset=14"), ids("&limit=7&offset=14")) {
				t.Error("the same page came back in another order")
			}
		})
	}
}
