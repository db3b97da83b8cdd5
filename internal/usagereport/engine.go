// Package usagereport answers the questions about usage that take many calls, in one read:
// which of a tenant's sources lack usage insights, go unused or have vanished (Sources), and
// which of a source's accounts are dormant (Accounts). Both reports run on one engine: the
// reads in flight at the client's rate limit, progress, cancellation, the rule that decides
// when a 404 means an object is gone, and the rule that judges rows unused. A report is never
// partial: any failure but an object confirmed gone fails it.
package usagereport

import (
	"context"
	"errors"
	"math"
	"math/big"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/usagestats"
)

// Criteria say which rows count and what counts as unused; every report judges usage by them.
type Criteria struct {
	// Months, when positive, limits the rows that count to the newest Months rows (one per
	// month); zero counts every row the API returns.
	Months int
	// UnusedBelow: an object whose counted rows all fall below it is unused, so a row exactly
	// at it counts as used; an object without rows is unused.
	UnusedBelow *big.Float
}

// judge returns the rows that count and whether they make the object unused.
func (c Criteria) judge(rows []client.Usage) ([]client.Usage, bool) {
	if c.Months > 0 {
		rows = usagestats.Newest(rows, c.Months)
	}
	return rows, !usagestats.AnyAtLeast(rows, c.UnusedBelow)
}

// Progress is told how far a report is, every 10 % or 30 s, whichever comes first.
type Progress func(done, total int, elapsed time.Duration)

// readEach calls read for items 0 to n-1 with enough calls in flight that the client's pacing,
// not latency, bounds the time. It stops at the first failure and returns it: a report is
// never partial.
func readEach(ctx context.Context, c interface{ Config() client.Config }, n int, report Progress,
	read func(ctx context.Context, i int) error) error {
	p := startProgress(n, report)
	defer p.stop()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers(c.Config().RequestsPerSecond))
	for i := range n {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if err := read(gctx, i); err != nil {
				return err
			}
			p.done()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err() // cancelled between the last read and the loop's check: not every item was read
}

// workers is how many items are read at once: enough that about two seconds of latency per
// call still keeps the pacer busy (Little's law), and not so many that a slow tenant holds
// hundreds of connections open.
func workers(requestsPerSecond float64) int {
	return int(min(max(math.Ceil(requestsPerSecond*2), 4), 64))
}

// UsageNotFoundError is a usage call's 404 for an object that its own API says exists. The
// usage API is then not answering for it (a gateway that does not serve these paths at this
// API version, for one), so nothing about its usage is known, and the report fails rather
// than call it missing: a check over the report would pass on nothing.
type UsageNotFoundError struct {
	Err    *client.Error // the usage call's 404
	Exists string        // how the object was found to exist, for the reader
}

func (e *UsageNotFoundError) Error() string { return e.Err.Error() + "; but " + e.Exists }
func (e *UsageNotFoundError) Unwrap() error { return e.Err }

// gone decides what a failed usage call means. Only a 404 that the object's own API confirms
// (get answers 404 as well) makes the object gone; a 404 for an object that exists is a
// UsageNotFoundError; any other failure, of the usage call or of get (a 403 or a 500 proves
// nothing), is returned as it is.
func gone(ctx context.Context, usageErr error, get func(context.Context) error, exists string) (bool, error) {
	var e *client.Error
	if !client.IsNotFound(usageErr) || !errors.As(usageErr, &e) {
		return false, usageErr
	}
	err := get(ctx)
	switch {
	case client.IsNotFound(err):
		return true, nil
	case err != nil:
		return false, err
	}
	return false, &UsageNotFoundError{Err: e, Exists: exists}
}

// progress reports how far a report is: at every tenth of the items, and every 30 s.
type progress struct {
	mu       sync.Mutex
	total    int
	finished int
	reported int // the tenth last reported
	start    time.Time
	report   Progress
	quit     chan struct{}
}

const progressEvery = 30 * time.Second

func startProgress(total int, report Progress) *progress {
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
