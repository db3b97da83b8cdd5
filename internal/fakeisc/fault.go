package fakeisc

import (
	"net/http"
)

// Fault makes the tenant misbehave on purpose, for reliability tests: build one with a
// constructor (ServerError, CloseMidBody, TooManyRequests, ...), narrow it with the With
// methods, and Inject it.
//
//	tenant.Inject(fakeisc.ServerError(503).WithOp(fakeisc.OpSummaries).WithAfter(1).Once())
//
// fails the second summaries call, once. Faults act after the bearer token and the rate
// limiter have been checked (they stand for trouble behind the gateway), except on the
// token endpoint, where they act before the grant is checked (the token service itself is
// in trouble). A faulted request is logged with the fault's name and counts in Stats.
//
// When several faults match a request, the first injected one that is armed (past its
// After, within its Times) acts; the faults after it do not see the request.
type Fault struct {
	// Name is recorded in Request.Fault. Constructors set a descriptive default.
	Name string
	// Op selects the operation: OpToken, OpStatus or OpSummaries. "" means any API
	// operation (status or summaries), never the token endpoint.
	Op string
	// SourceID, when set, limits the fault to calls for that (decoded) source id.
	SourceID string
	// Offset, when set, limits the fault to summaries calls whose offset parameter is that
	// value (0 when absent), to fail one page of a paged read.
	Offset *int
	// Times is how many requests the fault acts on; 0 means every matching request until
	// ClearFaults or Reset.
	Times int
	// After is how many matching requests the fault lets through before it acts, e.g. 1
	// to fail the second call only (with Times 1).
	After int

	act action // nil acts as "answer normally"
}

// action is what a fault does to a request. op is the request's operation; next writes
// the answer the tenant would have given without the fault.
type action func(w http.ResponseWriter, r *http.Request, op string, next func(http.ResponseWriter))

// WithOp returns a copy of f limited to op (OpToken, OpStatus, OpSummaries; "" for any
// API operation).
func (f Fault) WithOp(op string) Fault { f.Op = op; return f }

// WithSource returns a copy of f limited to calls for the source id.
func (f Fault) WithSource(id string) Fault { f.SourceID = id; return f }

// WithOffset returns a copy of f limited to summaries calls at that offset.
func (f Fault) WithOffset(offset int) Fault { f.Offset = &offset; return f }

// WithTimes returns a copy of f that acts on n matching requests (0: all of them).
func (f Fault) WithTimes(n int) Fault { f.Times = n; return f }

// Once returns a copy of f that acts on one matching request only.
func (f Fault) Once() Fault { return f.WithTimes(1) }

// WithAfter returns a copy of f that lets the first n matching requests through.
func (f Fault) WithAfter(n int) Fault { f.After = n; return f }

// WithName returns a copy of f recorded under name.
func (f Fault) WithName(name string) Fault { f.Name = name; return f }

// armedFault is an injected fault with its own counters.
type armedFault struct {
	Fault
	offset  int // *Fault.Offset, copied so the caller's variable is not shared
	seen    int // matching requests so far
	applied int // requests acted on so far
}

// firedFault is what a request needs of the fault that acts on it.
type firedFault struct {
	name string
	act  action
}

// Inject adds a fault. It acts on requests that arrive from now on.
func (t *Tenant) Inject(f Fault) {
	a := &armedFault{Fault: f}
	if f.Offset != nil {
		a.offset = *f.Offset
		a.Offset = &a.offset
	}
	if a.Name == "" {
		a.Name = "fault"
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.faults = append(t.faults, a)
}

// ClearFaults removes every fault.
func (t *Tenant) ClearFaults() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.faults = nil
}

// matchFault finds the fault that acts on a request, if any. Every fault that matches the
// request up to and including that one counts it as seen. offset is the summaries offset,
// or -1 when there is none or it is invalid.
func (t *Tenant) matchFault(op, sourceID string, offset int) *firedFault {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, f := range t.faults {
		if !f.matches(op, sourceID, offset) {
			continue
		}
		f.seen++
		if f.seen <= f.After || (f.Times > 0 && f.applied >= f.Times) {
			continue
		}
		f.applied++
		act := f.act
		if act == nil {
			act = passThrough
		}
		return &firedFault{name: f.Name, act: act}
	}
	return nil
}

// matches reports whether the fault selects a request.
func (f *armedFault) matches(op, sourceID string, offset int) bool {
	switch f.Op {
	case "":
		if op != OpStatus && op != OpSummaries {
			return false
		}
	case op:
	default:
		return false
	}
	if f.SourceID != "" && f.SourceID != sourceID {
		return false
	}
	return f.Offset == nil || (op == OpSummaries && *f.Offset == offset)
}

// passThrough answers normally: the action of a Fault built without a constructor.
func passThrough(w http.ResponseWriter, _ *http.Request, _ string, next func(http.ResponseWriter)) {
	next(w)
}
