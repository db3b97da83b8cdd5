package client

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// pagedSource serves n integers with the API's paging rules.
type pagedSource struct {
	n         int
	withTotal bool // answer X-Total-Count when asked
	total     int  // announced total; -1 means n
	failAt    int  // offset whose page fails; -1 for none
	overfill  bool // ignore limit and return everything
	calls     []string
}

func (s *pagedSource) fetch(_ context.Context, offset, limit int, withTotal bool) (Page[int], error) {
	s.calls = append(s.calls, fmt.Sprintf("%d+%d", offset, limit))
	if offset == s.failAt {
		return Page[int]{}, errors.New("page failed")
	}
	var p Page[int]
	end := min(offset+limit, s.n)
	if s.overfill {
		end = s.n
	}
	for i := offset; i < end; i++ {
		p.Items = append(p.Items, i)
	}
	if withTotal && s.withTotal {
		p.HasTotal, p.Total = true, s.n
		if s.total >= 0 {
			p.Total = s.total
		}
	}
	return p, nil
}

func TestReadAllPages(t *testing.T) {
	tests := []struct {
		name      string
		src       pagedSource
		max       int
		wantRows  int
		wantCalls []string
		wantErr   string
	}{
		{name: "no rows", src: pagedSource{n: 0, withTotal: true}, wantRows: 0, wantCalls: []string{"0+250"}},
		{name: "a year costs one call", src: pagedSource{n: 12, withTotal: true}, wantRows: 12, wantCalls: []string{"0+250"}},
		{name: "exactly one page with total", src: pagedSource{n: 250, withTotal: true}, wantRows: 250, wantCalls: []string{"0+250"}},
		{name: "exactly one page without total", src: pagedSource{n: 250}, wantRows: 250, wantCalls: []string{"0+250", "250+250"}},
		{name: "two pages", src: pagedSource{n: 300, withTotal: true}, wantRows: 300, wantCalls: []string{"0+250", "250+250"}},
		{name: "three pages without total", src: pagedSource{n: 501}, wantRows: 501, wantCalls: []string{"0+250", "250+250", "500+250"}},
		{name: "limit under a page", src: pagedSource{n: 300, withTotal: true}, max: 5, wantRows: 5, wantCalls: []string{"0+5"}},
		{name: "limit over a page", src: pagedSource{n: 600, withTotal: true}, max: 300, wantRows: 300, wantCalls: []string{"0+250", "250+50"}},
		{name: "limit over the data", src: pagedSource{n: 12, withTotal: true}, max: 100, wantRows: 12, wantCalls: []string{"0+100"}},
		{name: "failed second page fails the read", src: pagedSource{n: 300, withTotal: true, failAt: 250}, wantErr: "page failed", wantCalls: []string{"0+250", "250+250"}},
		{name: "total larger than the data", src: pagedSource{n: 300, withTotal: true, total: 400}, wantErr: "announced 400 rows but the pages ended after 300"},
		{name: "total smaller than a page", src: pagedSource{n: 300, withTotal: true, total: 100}, wantErr: "announced 100 rows but the pages held more (250 so far)"},
		{name: "limit within a total smaller than the data", src: pagedSource{n: 300, withTotal: true, total: 100}, max: 50, wantRows: 50, wantCalls: []string{"0+50"}},
		{name: "server ignores limit", src: pagedSource{n: 300, overfill: true}, max: 10, wantErr: "asked for at most 10 rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			if src.failAt == 0 {
				src.failAt = -1
			}
			if src.total == 0 {
				src.total = -1
			}
			rows, err := ReadAllPages(context.Background(), "/p", tt.max, src.fetch)
			checkErr(t, err, tt.wantErr)
			if tt.wantErr != "" {
				if rows != nil {
					t.Errorf("a failed read returned %d rows", len(rows))
				}
			} else {
				if len(rows) != tt.wantRows {
					t.Fatalf("got %d rows, want %d", len(rows), tt.wantRows)
				}
				for i, r := range rows {
					if r != i {
						t.Fatalf("row %d is %d: rows lost, repeated or out of order", i, r)
					}
				}
			}
			if tt.wantCalls != nil && fmt.Sprint(src.calls) != fmt.Sprint(tt.wantCalls) {
				t.Errorf("calls %v, want %v", src.calls, tt.wantCalls)
			}
		})
	}
}

func TestReadAllPagesStopsEndlessServer(t *testing.T) {
	calls := 0
	_, err := ReadAllPages(context.Background(), "/p", 0, func(_ context.Context, _, limit int, _ bool) (Page[int], error) {
		calls++
		return Page[int]{Items: make([]int, limit)}, nil
	})
	var pe *PagingError
	if !errors.As(err, &pe) || calls != maxPages {
		t.Fatalf("err=%v after %d calls", err, calls)
	}
}
