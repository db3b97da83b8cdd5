package client

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// pacer spaces out the API calls of a client, retries included, so that a plan stays under
// ISC's limit of 100 requests per access token per 10 seconds however many reads Terraform
// runs at once. A 429 pauses every call, not only the one that received it: they all spend
// the same budget, and the gateway just said it is spent.
type pacer struct {
	limiter *rate.Limiter

	mu        sync.Mutex
	notBefore time.Time
}

// pacingMargin keeps the pace 2% below the configured rate. A gateway counts arrivals in a
// window; requests sent exactly 1/rate apart can arrive closer than that after network
// jitter, and a window that holds one request too many answers 429. 2% (2 ms at 10/s)
// absorbs that jitter while keeping 98% of the allowed rate.
const pacingMargin = 0.98

func newPacer(requestsPerSecond float64) *pacer {
	return &pacer{limiter: rate.NewLimiter(rate.Limit(requestsPerSecond*pacingMargin), 1)}
}

// wait blocks until the next call may go out.
func (p *pacer) wait(ctx context.Context) error {
	for {
		if err := sleep(ctx, time.Until(p.pausedUntil())); err != nil {
			return err
		}
		// Reserve and sleep rather than limiter.Wait, which fails at once, with an error of
		// its own, when the slot lies past the context's deadline.
		slot := p.limiter.Reserve()
		if err := sleep(ctx, slot.Delay()); err != nil {
			slot.Cancel()
			return err
		}
		// A 429 that arrived while this call queued in the limiter holds it back too.
		if !time.Now().Before(p.pausedUntil()) {
			return nil
		}
	}
}

// pause holds every call back for d from now.
func (p *pacer) pause(d time.Duration) {
	until := time.Now().Add(d)
	p.mu.Lock()
	defer p.mu.Unlock()
	if until.After(p.notBefore) {
		p.notBefore = until
	}
}

func (p *pacer) pausedUntil() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.notBefore
}
