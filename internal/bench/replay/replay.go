// Package replay is an http.RoundTripper for Go benchmarks of the client's and the data
// sources' read paths. It asks a handler (a fakeisc.Tenant) once per distinct request and
// then answers every repeat of that request from memory, so that a benchmark times the
// client's own work (its transport stack, decoding, conversion) and neither the loopback
// network nor the fake's server code, which would otherwise dominate and blur the figures.
package replay

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
)

// Transport answers requests from recorded responses. It is safe for concurrent use.
type Transport struct {
	handler http.Handler

	mu       sync.Mutex
	recorded map[string]*recording
	misses   int
}

type recording struct {
	status int
	header http.Header
	body   []byte
}

// New returns a Transport that records the answers of handler.
func New(handler http.Handler) *Transport {
	return &Transport{handler: handler, recorded: map[string]*recording{}}
}

// Misses reports how many requests were passed to the handler: one per distinct request.
func (t *Transport) Misses() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.misses
}

// RoundTrip implements http.RoundTripper. Requests are told apart by method and
// request-target; bodies and headers are not compared, which is right for the calls the
// provider makes (one token request with fixed credentials, GETs keyed by their URL).
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		// A RoundTripper must close the request body; the handler sees a copy when recording.
		defer func() { _ = req.Body.Close() }()
	}
	key := req.Method + " " + req.URL.RequestURI()
	t.mu.Lock()
	rec, ok := t.recorded[key]
	t.mu.Unlock()
	if !ok {
		var err error
		if rec, err = t.record(req); err != nil {
			return nil, err
		}
		t.mu.Lock()
		t.recorded[key] = rec
		t.misses++
		t.mu.Unlock()
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", rec.status, http.StatusText(rec.status)),
		StatusCode:    rec.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        rec.header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(rec.body)),
		ContentLength: int64(len(rec.body)),
		Request:       req,
	}, nil
}

func (t *Transport) record(req *http.Request) (*recording, error) {
	in := req.Clone(req.Context())
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		in.Body = io.NopCloser(bytes.NewReader(body))
	}
	in.RequestURI = req.URL.RequestURI()
	w := httptest.NewRecorder()
	t.handler.ServeHTTP(w, in)
	res := w.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	return &recording{status: res.StatusCode, header: res.Header, body: body}, nil
}
