// Package usagereport answers the tenant-wide question about source usage in one read: which
// sources lack usage insights, which go unused, and which have vanished. It lists the
// sources, then reads each one's usage status and, for those with insights, its monthly
// summaries, with enough calls in flight that the client's rate limit, not latency, bounds
// the time. A report is never partial: any failure but a vanished source fails it.
package usagereport

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/usagestats"
)

// Client is what a report needs of the ISC client.
type Client interface {
	ListSources(ctx context.Context, opts client.SourcesOptions) ([]client.Source, error)
	GetSourceUsageStatus(ctx context.Context, id string) (client.SourceUsageStatus, error)
	ListSourceUsages(ctx context.Context, id string, opts client.UsagesOptions) ([]client.SourceUsage, error)
	Config() client.Config
}

// Options say which sources a report covers and what counts as unused.
type Options struct {
	// SourceIDs, when set, are the sources to cover; else Filters selects them (SailPoint's
	// filter grammar; empty: every source).
	SourceIDs []string
	Filters   string
	// Months, when positive, limits the rows that count to the newest Months rows (one per
	// month); zero counts every row the API returns.
	Months int
	// UnusedBelow: a source with insights is unused when no counted row reaches it.
	UnusedBelow *big.Float
	// Progress is told how far the read is, every 10 % or 30 s, whichever comes first.
	Progress func(done, total int, elapsed time.Duration)
}

// Source is one source of the report.
type Source struct {
	ID                string
	Name              *string
	Status            *string // the usage status: COMPLETE, INCOMPLETE, or what the API adds later
	InsightsAvailable bool
	Rows              []client.SourceUsage // the rows that count, see Options.Months
	Unused            bool
}

// Report is the answer. Its id lists are sorted.
type Report struct {
	Sources         []Source // by id, vanished sources left out
	Unused          []string
	WithoutInsights []string
	Missing         []string // listed or asked for, but their usage calls answer 404
}

// SourceError is a failure to read one source.
type SourceError struct {
	ID   string
	Name *string
	Err  error
}

func (e *SourceError) Error() string { return fmt.Sprintf("source %s: %v", e.ID, e.Err) }
func (e *SourceError) Unwrap() error { return e.Err }

// idsPerFilter is how many ids one `id in (...)` filter names: about 2 KB of URL, far below
// what gateways accept.
const idsPerFilter = 50

// statusComplete is the usage status that means insights are available.
const statusComplete = "COMPLETE"

// Run builds a report.
func Run(ctx context.Context, c Client, opts Options) (*Report, error) {
	targets, err := listTargets(ctx, c, opts)
	if err != nil {
		return nil, err
	}
	results := make([]Source, len(targets))
	missing := make([]bool, len(targets))
	progress := startProgress(len(targets), opts.Progress)
	defer progress.stop()

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers(c.Config().RequestsPerSecond) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				var err error
				if results[i], missing[i], err = readSource(ctx, c, targets[i], opts); err != nil {
					cancel(&SourceError{ID: targets[i].id, Name: targets[i].name, Err: err})
					return
				}
				progress.done()
			}
		}()
	}
feed:
	for i := range targets {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}

	r := &Report{}
	for i, s := range results {
		switch {
		case missing[i]:
			r.Missing = append(r.Missing, s.ID)
			continue
		case !s.InsightsAvailable:
			r.WithoutInsights = append(r.WithoutInsights, s.ID)
		case s.Unused:
			r.Unused = append(r.Unused, s.ID)
		}
		r.Sources = append(r.Sources, s)
	}
	return r, nil
}

// workers is how many sources are read at once: enough that about two seconds of latency
// per call still keeps the pacer busy (Little's law), and not so many that a slow tenant
// holds hundreds of connections open.
func workers(requestsPerSecond float64) int {
	return int(min(max(math.Ceil(requestsPerSecond*2), 4), 64))
}

type target struct {
	id   string
	name *string
}

// listTargets lists the sources to cover, sorted by id. For SourceIDs, the names come from
// `id in (...)` filters, 50 ids a call, never a call per id; an id the list does not know
// stays a target, and its usage calls decide whether it is missing.
func listTargets(ctx context.Context, c Client, opts Options) ([]target, error) {
	var targets []target
	if len(opts.SourceIDs) == 0 {
		sources, err := c.ListSources(ctx, client.SourcesOptions{Filters: opts.Filters, Sorters: "id"})
		if err != nil {
			return nil, err
		}
		for _, s := range sources {
			if s.ID != nil {
				targets = append(targets, target{id: *s.ID, name: s.Name})
			}
		}
	} else {
		names := map[string]*string{}
		for batch := range slices.Chunk(opts.SourceIDs, idsPerFilter) {
			quoted := make([]string, len(batch))
			for i, id := range batch {
				quoted[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(id) + `"`
			}
			sources, err := c.ListSources(ctx, client.SourcesOptions{Filters: "id in (" + strings.Join(quoted, ",") + ")"})
			if err != nil {
				return nil, err
			}
			for _, s := range sources {
				if s.ID != nil {
					names[*s.ID] = s.Name
				}
			}
		}
		for _, id := range opts.SourceIDs {
			targets = append(targets, target{id: id, name: names[id]})
		}
	}
	slices.SortFunc(targets, func(a, b target) int { return strings.Compare(a.id, b.id) })
	return slices.CompactFunc(targets, func(a, b target) bool { return a.id == b.id }), nil
}

// readSource reads one source: its status and, with insights, its summaries. A 404 from
// either marks the source missing: it was deleted after the list, or never existed.
func readSource(ctx context.Context, c Client, t target, opts Options) (Source, bool, error) {
	s := Source{ID: t.id, Name: t.name, Rows: []client.SourceUsage{}}
	st, err := c.GetSourceUsageStatus(ctx, t.id)
	if client.IsNotFound(err) {
		return s, true, nil
	}
	if err != nil {
		return s, false, err
	}
	s.Status = st.Status
	s.InsightsAvailable = st.Status != nil && *st.Status == statusComplete
	if !s.InsightsAvailable {
		return s, false, nil // no insights, nothing to read: no summaries request
	}
	rows, err := c.ListSourceUsages(ctx, t.id, client.UsagesOptions{Sorters: "-date"})
	if client.IsNotFound(err) {
		return s, true, nil
	}
	if err != nil {
		return s, false, err
	}
	if opts.Months > 0 {
		rows = usagestats.Newest(rows, opts.Months)
	}
	s.Rows = rows
	s.Unused = !usagestats.AnyAtLeast(rows, opts.UnusedBelow)
	return s, false, nil
}

// progress reports how far a report is: at every tenth of the sources, and every 30 s.
type progress struct {
	mu       sync.Mutex
	total    int
	finished int
	reported int // the tenth last reported
	start    time.Time
	report   func(done, total int, elapsed time.Duration)
	quit     chan struct{}
}

const progressEvery = 30 * time.Second

func startProgress(total int, report func(done, total int, elapsed time.Duration)) *progress {
	p := &progress{total: total, start: time.Now(), report: report, quit: make(chan struct{})}
	if report == nil || total == 0 {
		p.report = func(int, int, time.Duration) {}
		return p
	}
	go func() {
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.mu.Lock()
				p.report(p.finished, p.total, time.Since(p.start))
				p.mu.Unlock()
			case <-p.quit:
				return
			}
		}
	}()
	return p
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished++
	if tenth := p.finished * 10 / p.total; tenth > p.reported {
		p.reported = tenth
		p.report(p.finished, p.total, time.Since(p.start))
	}
}

func (p *progress) stop() { close(p.quit) }
