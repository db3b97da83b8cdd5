package usagereport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// tenant is an in-memory Client: sources with a usage status and rows, and calls counted.
type tenant struct {
	sources  []fakeSource
	failFor  string // every usage call for this id fails with a 500
	gone     string // listed, but its usage calls answer 404
	vanishes string // deleted between its status and its summaries call
	noUsage  bool   // every usage call answers 404, as from a gateway that does not serve the usage paths
	getFails int    // GetSource answers this status instead
	rps      float64
	inFlight atomic.Int32
	peak     atomic.Int32

	mu      sync.Mutex
	filters []string
	idn     []bool   // includeIDNSource of each list call
	status  []string // ids, in call order
	rows    []string
	gets    []string
}

type fakeSource struct {
	id, name, status string
	counts           []string // one per month, newest last; "" is a null count
}

func (f *tenant) Config() client.Config {
	c := client.DefaultConfig()
	if f.rps > 0 {
		c.RequestsPerSecond = f.rps
	}
	return c
}

func (f *tenant) ListSources(_ context.Context, opts client.SourcesOptions) ([]client.Source, error) {
	f.mu.Lock()
	f.filters = append(f.filters, opts.Filters)
	f.idn = append(f.idn, opts.IncludeIDNSource)
	f.mu.Unlock()
	var out []client.Source
	for _, s := range f.sources {
		if strings.HasPrefix(opts.Filters, "id in") && !strings.Contains(opts.Filters, `"`+s.id+`"`) {
			continue
		}
		out = append(out, client.Source{ID: ptr(s.id), Name: ptr(s.name)})
	}
	return out, nil
}

// GetSource finds a source as the Sources API does: gone and vanishing sources are deleted.
func (f *tenant) GetSource(_ context.Context, id string) (client.Source, error) {
	f.mu.Lock()
	f.gets = append(f.gets, id)
	f.mu.Unlock()
	if f.getFails != 0 {
		return client.Source{}, &client.Error{Kind: client.KindStatus, StatusCode: f.getFails}
	}
	s, err := f.find(id)
	if err == nil && id == f.vanishes {
		err = &client.Error{Kind: client.KindStatus, StatusCode: http.StatusNotFound}
	}
	return client.Source{ID: ptr(s.id), Name: ptr(s.name)}, err
}

func (f *tenant) find(id string) (fakeSource, error) {
	for _, s := range f.sources {
		if s.id == id && id != f.gone {
			return s, nil
		}
	}
	return fakeSource{}, &client.Error{Kind: client.KindStatus, StatusCode: http.StatusNotFound}
}

func (f *tenant) enter() func() {
	n := f.inFlight.Add(1)
	for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
	}
	time.Sleep(time.Millisecond)
	return func() { f.inFlight.Add(-1) }
}

func (f *tenant) GetSourceUsageStatus(ctx context.Context, id string) (client.SourceUsageStatus, error) {
	defer f.enter()()
	f.mu.Lock()
	f.status = append(f.status, id)
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return client.SourceUsageStatus{}, err
	}
	if id == f.failFor {
		return client.SourceUsageStatus{}, &client.Error{Kind: client.KindStatus, StatusCode: 500, Attempts: 6}
	}
	if f.noUsage {
		return client.SourceUsageStatus{}, &client.Error{Kind: client.KindStatus, StatusCode: http.StatusNotFound}
	}
	s, err := f.find(id)
	return client.SourceUsageStatus{Status: ptr(s.status)}, err
}

func (f *tenant) ListSourceUsages(_ context.Context, id string, opts client.UsagesOptions) ([]client.Usage, error) {
	defer f.enter()()
	f.mu.Lock()
	f.rows = append(f.rows, id)
	f.mu.Unlock()
	if opts.Sorters != "-date" {
		return nil, fmt.Errorf("the report asks for newest first, got sorters %q", opts.Sorters)
	}
	s, err := f.find(id)
	if err != nil || id == f.vanishes {
		return nil, &client.Error{Kind: client.KindStatus, StatusCode: http.StatusNotFound}
	}
	var rows []client.Usage
	for i := len(s.counts) - 1; i >= 0; i-- { // newest first, as sorters=-date asks
		r := client.Usage{Date: ptr(time.Date(2025, time.Month(12-len(s.counts)+i+1), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))}
		if s.counts[i] != "" {
			n := json.Number(s.counts[i])
			r.Count = &n
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func ptr(s string) *string { return &s }

func one() *big.Float { return big.NewFloat(1) }

func mixedTenant() *tenant {
	return &tenant{sources: []fakeSource{
		{id: "a-used", name: "AD", status: "COMPLETE", counts: []string{"0", "0", "3.5"}},
		{id: "b-zero", name: "Zero", status: "COMPLETE", counts: []string{"0", "0", "0"}},
		{id: "c-none", name: "Workday", status: "INCOMPLETE"},
		{id: "d-gone", name: "Gone", status: "COMPLETE", counts: []string{"5"}},
		{id: "e-norows", name: "Empty", status: "COMPLETE"},
		{id: "f-pending", name: "Pending", status: "PENDING"},
		{id: "g-threshold", name: "Edge", status: "COMPLETE", counts: []string{"1", "0.5"}},
		{id: "h-nullcount", name: "Nulls", status: "COMPLETE", counts: []string{"", "0.2"}},
		{id: "i-vanishes", name: "Vanishing", status: "COMPLETE", counts: []string{"9"}},
	}, gone: "d-gone", vanishes: "i-vanishes"}
}

func TestRunMixedTenant(t *testing.T) {
	f := mixedTenant()
	r, err := Sources(context.Background(), f, SourcesOptions{Criteria: Criteria{UnusedBelow: one()}})
	if err != nil {
		t.Fatal(err)
	}
	eqIDs(t, "Unused", r.Unused, "b-zero", "e-norows", "h-nullcount")
	eqIDs(t, "WithoutInsights", r.WithoutInsights, "c-none", "f-pending")
	eqIDs(t, "Missing", r.Missing, "d-gone", "i-vanishes")
	var ids []string
	for _, s := range r.Sources {
		ids = append(ids, s.ID)
	}
	eqIDs(t, "Sources", ids, "a-used", "b-zero", "c-none", "e-norows", "f-pending", "g-threshold", "h-nullcount")
	if got := r.Sources[0]; got.Name == nil || *got.Name != "AD" || len(got.Rows) != 3 || *got.Rows[0].Date != "2025-12-01" {
		t.Errorf("a-used = %+v: want its name and 3 rows, newest first", got)
	}
	// One status call per source; one summaries call per COMPLETE source; none for the others.
	if len(f.status) != 9 {
		t.Errorf("%d status calls, want 9", len(f.status))
	}
	slices.Sort(f.rows)
	eqIDs(t, "summaries calls", f.rows, "a-used", "b-zero", "e-norows", "g-threshold", "h-nullcount", "i-vanishes")
	eqIDs(t, "list filters", f.filters, "")
	// A 404 from a usage call makes a source missing only when the Sources API agrees.
	slices.Sort(f.gets)
	eqIDs(t, "source lookups", f.gets, "d-gone", "i-vanishes")
	if f.idn[0] {
		t.Error("the tenant-wide list asked for the built-in IdentityNow source")
	}
}

// Fail closed: a usage call's 404 for a source that the Sources API still has is not a
// missing source. A gateway that does not serve the usage paths answers 404 for every id; a
// report that called them all missing would leave nothing unused, and every check would pass.
func TestRunFailsWhenUsageAnswers404ForASourceThatExists(t *testing.T) {
	f := mixedTenant()
	f.noUsage = true
	f.rps = 0.001 // four workers: few calls after the first failure
	r, err := Sources(context.Background(), f, SourcesOptions{Criteria: Criteria{UnusedBelow: one()}})
	var unf *UsageNotFoundError
	var se *SourceError
	if r != nil || !errors.As(err, &unf) || !errors.As(err, &se) {
		t.Fatalf("Sources = %v, %v; want a SourceError holding a UsageNotFoundError", r, err)
	}
	if unf.Err.StatusCode != http.StatusNotFound || !strings.Contains(unf.Exists, "Sources API has this source") {
		t.Errorf("UsageNotFoundError = %+v", unf)
	}
	if se.ID != "a-used" && se.ID != "b-zero" && se.ID != "c-none" && se.ID != "e-norows" {
		t.Errorf("the failure names %s, which is not one of the first sources read", se.ID)
	}

	// A lookup that fails for any other reason proves nothing either way: its own error fails
	// the read.
	for _, code := range []int{http.StatusForbidden, http.StatusInternalServerError} {
		f := mixedTenant()
		f.noUsage, f.getFails = true, code
		_, err := Sources(context.Background(), f, SourcesOptions{Criteria: Criteria{UnusedBelow: one()}})
		var ce *client.Error
		if !errors.As(err, &ce) || ce.StatusCode != code || errors.As(err, &unf) {
			t.Errorf("GetSource answering %d: err = %v, want that answer", code, err)
		}
	}
}

func TestRunMonthsAndThreshold(t *testing.T) {
	tests := []struct {
		name        string
		months      int
		unusedBelow string
		wantUnused  []string
	}{
		{name: "every row, default 1", unusedBelow: "1", wantUnused: []string{"b-zero", "e-norows", "h-nullcount"}},
		// The newest month of a-used is 3.5, of g-threshold 0.5.
		{name: "newest month only", months: 1, unusedBelow: "1", wantUnused: []string{"b-zero", "e-norows", "g-threshold", "h-nullcount"}},
		{name: "24 months is every row", months: 24, unusedBelow: "1", wantUnused: []string{"b-zero", "e-norows", "h-nullcount"}},
		{name: "exactly at the threshold is used", unusedBelow: "3.5", wantUnused: []string{"b-zero", "e-norows", "g-threshold", "h-nullcount"}},
		{name: "just above the threshold", unusedBelow: "3.5000000000000000000000000001", wantUnused: []string{"a-used", "b-zero", "e-norows", "g-threshold", "h-nullcount"}},
		{name: "zero: only a source without rows is unused", unusedBelow: "0", wantUnused: []string{"e-norows"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			threshold, _, _ := big.ParseFloat(tt.unusedBelow, 10, 512, big.ToNearestEven)
			r, err := Sources(context.Background(), mixedTenant(), SourcesOptions{Criteria: Criteria{Months: tt.months, UnusedBelow: threshold}})
			if err != nil {
				t.Fatal(err)
			}
			eqIDs(t, "Unused", r.Unused, tt.wantUnused...)
			for _, s := range r.Sources {
				if tt.months > 0 && len(s.Rows) > tt.months {
					t.Errorf("%s has %d rows in a %d-month window", s.ID, len(s.Rows), tt.months)
				}
			}
		})
	}
}

// For source_ids, names come from `id in (...)` filters of 50 ids, never one call per id, with
// the built-in IdentityNow source included; an id the list does not return is missing without
// any usage call.
func TestRunSourceIDs(t *testing.T) {
	f := &tenant{}
	var ids []string
	for i := range 120 {
		id := fmt.Sprintf("id-%03d", i)
		f.sources = append(f.sources, fakeSource{id: id, name: "S" + id, status: "INCOMPLETE"})
		ids = append(ids, id)
	}
	ids = append(ids, "no-such-id", "id-000") // a wrong id, and a duplicate
	r, err := Sources(context.Background(), f, SourcesOptions{SourceIDs: ids, Criteria: Criteria{UnusedBelow: one()}})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.filters) != 3 || !f.idn[0] || !f.idn[2] {
		t.Fatalf("%d list calls for 121 distinct ids, want 3 of at most 50, with the IdentityNow source (%v)", len(f.filters), f.idn)
	}
	if !strings.HasPrefix(f.filters[0], `id in ("id-000","id-001",`) || strings.Count(f.filters[0], ",") != 49 {
		t.Errorf("first filter: %s", f.filters[0])
	}
	eqIDs(t, "Missing", r.Missing, "no-such-id")
	if len(r.Sources) != 120 || len(r.WithoutInsights) != 120 || len(f.status) != 120 || len(f.rows) != 0 || len(f.gets) != 0 {
		t.Errorf("%d sources, %d without insights, %d status calls, %d summaries calls", len(r.Sources), len(r.WithoutInsights), len(f.status), len(f.rows))
	}
	if r.Sources[7].Name == nil || *r.Sources[7].Name != "Sid-007" {
		t.Errorf("source 7 has name %v", r.Sources[7].Name)
	}
}

func TestRunFailsWholeOnAnyOtherError(t *testing.T) {
	f := mixedTenant()
	f.failFor = "c-none"
	r, err := Sources(context.Background(), f, SourcesOptions{Criteria: Criteria{UnusedBelow: one()}})
	var se *SourceError
	if r != nil || !errors.As(err, &se) || se.ID != "c-none" || se.Name == nil || *se.Name != "Workday" {
		t.Fatalf("Run = %v, %v; want no report and a SourceError naming c-none (Workday)", r, err)
	}
	var ce *client.Error
	if !errors.As(err, &ce) || ce.StatusCode != 500 {
		t.Errorf("the client's error is lost: %v", err)
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	f := &tenant{}
	for i := range 500 {
		f.sources = append(f.sources, fakeSource{id: fmt.Sprint(i), status: "INCOMPLETE"})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Sources(ctx, f, SourcesOptions{Criteria: Criteria{UnusedBelow: one()}}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel = %v, want context.Canceled", err)
	}
	if n := len(f.status); n > 64 {
		t.Errorf("%d status calls after cancellation: the read did not stop", n)
	}
}

// Enough calls are in flight that latency does not bound the time, and no more.
func TestRunKeepsCallsInFlight(t *testing.T) {
	f := &tenant{rps: 10}
	for i := range 200 {
		f.sources = append(f.sources, fakeSource{id: fmt.Sprint(i), status: "INCOMPLETE"})
	}
	if _, err := Sources(context.Background(), f, SourcesOptions{Criteria: Criteria{UnusedBelow: one()}}); err != nil {
		t.Fatal(err)
	}
	if peak := int(f.peak.Load()); peak < 2 || peak > workers(10) {
		t.Errorf("peak %d calls in flight, want between 2 and %d", peak, workers(10))
	}
	if workers(10) != 20 || workers(0.5) != 4 || workers(1000) != 64 {
		t.Errorf("workers: %d %d %d", workers(10), workers(0.5), workers(1000))
	}
}

func TestProgressEveryTenth(t *testing.T) {
	var got []int
	p := startProgress(25, func(done, total int, _ time.Duration) {
		if total != 25 {
			t.Errorf("total %d", total)
		}
		got = append(got, done)
	})
	for range 25 {
		p.done()
	}
	p.stop()
	want := []int{3, 5, 8, 10, 13, 15, 18, 20, 23, 25}
	if !slices.Equal(got, want) {
		t.Errorf("progress at %v, want %v", got, want)
	}
}

func eqIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
