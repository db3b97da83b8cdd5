package client

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// pageSpec says how a pager answers.
type pageSpec struct {
	n         int    // rows in the collection; -1: endless, every page different
	withTotal bool   // answer X-Total-Count when asked
	total     string // the X-Total-Count it announces; "" for n
	failAt    int    // an offset (> 0) whose page fails with a 400
	overfill  bool   // ignore limit: send every row
	sameRows  bool   // ignore offset: send the first rows on every page
}

// pager serves a collection by the API's paging rules, or by a broken server's, and records
// the query of every request.
type pager struct {
	pageSpec
	row func(i int) string

	mu      sync.Mutex
	queries []string
}

func usageRow(i int) string  { return fmt.Sprintf(`{"date":"2024-01-01","count":%d.25}`, i) }
func sourceRow(i int) string { return fmt.Sprintf(`{"id":"s-%d","name":"Source %d"}`, i, i) }

func (p *pager) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p.mu.Lock()
	p.queries = append(p.queries, r.URL.RawQuery)
	p.mu.Unlock()
	limit, _ := strconv.Atoi(q.Get("limit"))
	offset, _ := strconv.Atoi(q.Get("offset"))
	if p.failAt > 0 && offset == p.failAt {
		writeJSON(w, http.StatusBadRequest, `{"detailCode":"400.1 Bad Request Content","messages":[{"text":"offset refused"}]}`)
		return
	}
	if q.Get("count") == "true" && p.withTotal {
		total := p.total
		if total == "" {
			total = strconv.Itoa(p.n)
		}
		w.Header().Set("X-Total-Count", total)
	}
	if p.sameRows {
		offset = 0
	}
	end := offset + limit
	if p.n >= 0 {
		end = min(end, p.n)
	}
	if p.overfill {
		end = p.n
	}
	rows := []string{}
	for i := offset; i < end; i++ {
		rows = append(rows, p.row(i))
	}
	writeJSON(w, http.StatusOK, "["+strings.Join(rows, ",")+"]")
}

func (p *pager) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.queries...)
}

// checkUsageRows fails unless rows are rows 0..n-1 of a pager of usageRow, in order.
func checkUsageRows(t *testing.T, rows []Usage, n int) {
	t.Helper()
	if len(rows) != n {
		t.Fatalf("%d rows, want %d", len(rows), n)
	}
	for i, r := range rows {
		if r.Count == nil || r.Count.String() != fmt.Sprintf("%d.25", i) {
			t.Fatalf("row %d has count %v: rows lost, repeated or out of order", i, r.Count)
		}
	}
}

func TestReadAllPages(t *testing.T) {
	const first = "count=true&limit=250&offset=0"
	tests := []struct {
		name         string
		p            pageSpec
		limit        int
		wantRows     int
		wantRequests []string
		wantKind     Kind // 0: success
		wantErr      string
	}{
		{name: "no rows", p: pageSpec{n: 0, withTotal: true}, wantRequests: []string{first}},
		{name: "no rows without total", p: pageSpec{n: 0}, wantRequests: []string{first}},
		{name: "a year costs one request", p: pageSpec{n: 12, withTotal: true}, wantRows: 12, wantRequests: []string{first}},
		{name: "exactly one page with total", p: pageSpec{n: 250, withTotal: true}, wantRows: 250, wantRequests: []string{first}},
		{name: "exactly one page without total", p: pageSpec{n: 250}, wantRows: 250, wantRequests: []string{first, "limit=250&offset=250"}},
		{name: "two pages", p: pageSpec{n: 300, withTotal: true}, wantRows: 300, wantRequests: []string{first, "limit=250&offset=250"}},
		{name: "exactly two pages with total", p: pageSpec{n: 500, withTotal: true}, wantRows: 500, wantRequests: []string{first, "limit=250&offset=250"}},
		{name: "three pages without total", p: pageSpec{n: 501}, wantRows: 501, wantRequests: []string{first, "limit=250&offset=250", "limit=250&offset=500"}},
		{name: "600 rows", p: pageSpec{n: 600, withTotal: true}, wantRows: 600, wantRequests: []string{first, "limit=250&offset=250", "limit=250&offset=500"}},
		{name: "an unreadable total is ignored", p: pageSpec{n: 300, withTotal: true, total: "many"}, wantRows: 300, wantRequests: []string{first, "limit=250&offset=250"}},
		{name: "a negative total is ignored", p: pageSpec{n: 300, withTotal: true, total: "-1"}, wantRows: 300, wantRequests: []string{first, "limit=250&offset=250"}},
		{name: "limit under a page", p: pageSpec{n: 300, withTotal: true}, limit: 5, wantRows: 5, wantRequests: []string{"count=true&limit=5&offset=0"}},
		{name: "limit over a page", p: pageSpec{n: 600, withTotal: true}, limit: 300, wantRows: 300, wantRequests: []string{first, "limit=50&offset=250"}},
		{name: "limit over the data", p: pageSpec{n: 12, withTotal: true}, limit: 100, wantRows: 12, wantRequests: []string{"count=true&limit=100&offset=0"}},
		{name: "limit within a total smaller than the data", p: pageSpec{n: 300, withTotal: true, total: "100"}, limit: 50, wantRows: 50, wantRequests: []string{"count=true&limit=50&offset=0"}},
		{name: "a failed second page fails the read", p: pageSpec{n: 300, withTotal: true, failAt: 250}, wantKind: KindStatus,
			wantErr: "offset refused", wantRequests: []string{first, "limit=250&offset=250"}},
		{name: "total larger than the data", p: pageSpec{n: 300, withTotal: true, total: "400"}, wantKind: KindPaging,
			wantErr: "X-Total-Count announced 400 rows but the pages ended after 300", wantRequests: []string{first, "limit=250&offset=250"}},
		{name: "total smaller than a page", p: pageSpec{n: 300, withTotal: true, total: "100"}, wantKind: KindPaging,
			wantErr: "X-Total-Count announced 100 rows but the pages held more (250 so far)", wantRequests: []string{first}},
		{name: "server ignores limit", p: pageSpec{n: 300, overfill: true}, limit: 10, wantKind: KindPaging,
			wantErr: "asked for at most 10 rows at offset 0 and got 300", wantRequests: []string{"count=true&limit=10&offset=0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &pager{pageSpec: tt.p, row: usageRow}
			isc := newTestISC(t, p.serve)
			rows, err := isc.client(t).ListSourceUsages(t.Context(), "a", UsagesOptions{Limit: tt.limit})
			if got := p.requests(); fmt.Sprint(got) != fmt.Sprint(tt.wantRequests) {
				t.Errorf("requests %q, want %q", got, tt.wantRequests)
			}
			if tt.wantKind == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if rows == nil {
					t.Fatal("nil rows without an error")
				}
				checkUsageRows(t, rows, tt.wantRows)
				return
			}
			checkErr(t, err, tt.wantErr)
			if e := asError(t, err); e.Kind != tt.wantKind || e.Op != OpUsageSummaries {
				t.Errorf("got %#v", e)
			}
			if rows != nil {
				t.Errorf("a failed read returned %d rows", len(rows))
			}
		})
	}
}

// The call's own parameters go on every page; count=true only on the first.
func TestPagingKeepsCallParameters(t *testing.T) {
	p := &pager{pageSpec: pageSpec{n: 612, withTotal: true}, row: usageRow}
	isc := newTestISC(t, p.serve)
	rows, err := isc.client(t).ListSourceUsages(t.Context(), "a", UsagesOptions{Sorters: "-date"})
	if err != nil {
		t.Fatal(err)
	}
	checkUsageRows(t, rows, 612)
	want := []string{"count=true&limit=250&offset=0&sorters=-date", "limit=250&offset=250&sorters=-date", "limit=250&offset=500&sorters=-date"}
	if got := p.requests(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("requests %q, want %q", got, want)
	}
}

// A server that ignores offset, or never ends, is stopped with a paging error, quickly.
func TestPagingStopsBrokenServers(t *testing.T) {
	t.Parallel() // slow: let it overlap the others
	tests := []struct {
		name         string
		sources      bool
		p            pageSpec
		wantRequests int
		wantRows     int
		wantErr      string // "" for success
	}{
		{name: "summaries: the same rows on every page, total 750", p: pageSpec{n: 750, withTotal: true, sameRows: true}, wantRequests: 2,
			wantErr: "the page at offset 250 repeats the page before it: the API seems to ignore offset"},
		{name: "summaries: the same full page, no total", p: pageSpec{n: 750, sameRows: true}, wantRequests: 2,
			wantErr: "repeats the page before it"},
		{name: "summaries: different full pages for ever", p: pageSpec{n: -1}, wantRequests: maxSummaryPages,
			wantErr: "the API kept returning full pages: 40 pages, 10000 rows"},
		{name: "summaries: 600 rows still read", p: pageSpec{n: 600, withTotal: true}, wantRequests: 3, wantRows: 600},
		{name: "sources: the same rows on every page, total 750", sources: true, p: pageSpec{n: 750, withTotal: true, sameRows: true}, wantRequests: 2,
			wantErr: "repeats the page before it"},
		{name: "sources: the same full page, no total", sources: true, p: pageSpec{n: 750, sameRows: true}, wantRequests: 2,
			wantErr: "repeats the page before it"},
		{name: "sources: different full pages for ever", sources: true, p: pageSpec{n: -1}, wantRequests: maxSourcePages,
			wantErr: "the API kept returning full pages: 400 pages, 100000 rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &pager{pageSpec: tt.p, row: usageRow}
			if tt.sources {
				p.row = sourceRow
			}
			isc := newTestISC(t, p.serve)
			c := isc.client(t)
			var n int
			var err error
			op := OpUsageSummaries
			if tt.sources {
				op = OpListSources
				var sources []Source
				sources, err = c.ListSources(t.Context(), SourcesOptions{})
				n = len(sources)
			} else {
				var rows []Usage
				rows, err = c.ListSourceUsages(t.Context(), "a", UsagesOptions{})
				n = len(rows)
			}
			if got := len(p.requests()); got != tt.wantRequests {
				t.Errorf("%d requests, want %d", got, tt.wantRequests)
			}
			if tt.wantErr == "" {
				if err != nil || n != tt.wantRows {
					t.Fatalf("%d rows, err %v", n, err)
				}
				return
			}
			checkErr(t, err, tt.wantErr)
			if e := asError(t, err); e.Kind != KindPaging || e.Op != op {
				t.Errorf("got %#v", e)
			}
			if n != 0 {
				t.Errorf("%d rows returned with an error", n)
			}
		})
	}
}

// The largest limit reads up to the page ceiling without tripping it.
func TestPagingLimitAtTheCeiling(t *testing.T) {
	t.Parallel() // slow: let it overlap the others
	p := &pager{pageSpec: pageSpec{n: -1}, row: usageRow}
	isc := newTestISC(t, p.serve)
	rows, err := isc.client(t).ListSourceUsages(t.Context(), "a", UsagesOptions{Limit: MaxSummaryRows})
	if err != nil {
		t.Fatal(err)
	}
	checkUsageRows(t, rows, MaxSummaryRows)
	if n := len(p.requests()); n != maxSummaryPages {
		t.Errorf("%d requests, want %d", n, maxSummaryPages)
	}
}

// pagingTransport answers readAll's requests from memory: rows integers, and X-Total-Count
// when asked and withTotal.
func pagingTransport(rows int, withTotal bool, total int, requests *[]string) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		q := r.URL.Query()
		*requests = append(*requests, r.URL.RawQuery)
		limit, _ := strconv.Atoi(q.Get("limit"))
		offset, _ := strconv.Atoi(q.Get("offset"))
		items := []int{}
		for i := offset; i < min(offset+limit, rows); i++ {
			items = append(items, i)
		}
		body, _ := json.Marshal(items)
		h := http.Header{"Content-Type": {"application/json"}}
		if q.Get("count") == "true" && withTotal {
			h.Set("X-Total-Count", strconv.Itoa(total))
		}
		return &http.Response{StatusCode: http.StatusOK, Header: h, Body: io.NopCloser(strings.NewReader(string(body))), Request: r}, nil
	})
}

// FuzzReadAll: whatever a server answers, a read returns every row once in order, or an
// error, never a partial list.
func FuzzReadAll(f *testing.F) {
	f.Add(uint16(0), uint16(0), false, uint16(0))
	f.Add(uint16(300), uint16(0), true, uint16(300))
	f.Add(uint16(250), uint16(0), false, uint16(0))
	f.Add(uint16(600), uint16(10), true, uint16(500))
	f.Add(uint16(750), uint16(0), true, uint16(750))
	f.Fuzz(func(t *testing.T, n, maxArg uint16, withTotal bool, total uint16) {
		rows, maxRows := int(n)%2000, int(maxArg)%700
		var requests []string
		c := newTestClient(t, "https://acme.api.identitynow.com", withAccessToken("given-token"), func(c *Config) {
			c.Transport = pagingTransport(rows, withTotal, int(total), &requests)
		})
		got, err := readAll(t.Context(), c, collection[int]{op: OpUsageSummaries, url: c.apiURL("things"), maxPages: maxSummaryPages,
			decode: func(body []byte) ([]int, error) {
				var page []int
				err := json.Unmarshal(body, &page)
				return page, err
			}}, maxRows)
		for i, q := range requests {
			if strings.Contains(q, "count=true") != (i == 0) {
				t.Fatalf("request %d asks count: %q", i, q)
			}
		}
		if err != nil {
			if got != nil {
				t.Fatal("partial list with an error")
			}
			return
		}
		// No error means a complete answer: every row, or the first maxRows.
		want := rows
		if maxRows > 0 && maxRows < want {
			want = maxRows
		}
		// The one thing a client cannot catch: a total the pages confirm exactly. Checking
		// would cost a request after every full last page, the one X-Total-Count saves.
		if withTotal && int(total) < want && len(got) == int(total) {
			want = int(total)
		}
		if len(got) != want {
			t.Fatalf("%d rows without an error, want %d (rows %d, max %d, total %v/%d, %d requests)", len(got), want, rows, maxRows, withTotal, total, len(requests))
		}
		for i, v := range got {
			if v != i {
				t.Fatalf("row %d is %d", i, v)
			}
		}
	})
}
