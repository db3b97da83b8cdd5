package fakeisc

import (
	"bytes"
	"net/http"
)

// statusWriter remembers the status code written through it, for the request log.
// Unwrap lets http.ResponseController reach the connection's Flusher and Hijacker.
type statusWriter struct {
	http.ResponseWriter
	code int
}

// WriteHeader records the first status code written.
func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records the implicit 200 of a body written without a header.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap returns the underlying ResponseWriter, for http.ResponseController.
func (w *statusWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}

// bufferWriter captures a whole response in memory, so that a fault can send a damaged
// copy of the answer the fake would have given.
type bufferWriter struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func newBufferWriter() *bufferWriter {
	return &bufferWriter{header: make(http.Header)}
}

// Header returns the captured header map.
func (w *bufferWriter) Header() http.Header { return w.header }

// WriteHeader captures the first status code.
func (w *bufferWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

// Write captures body bytes.
func (w *bufferWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.body.Write(b)
}

// status returns the captured status code, 200 if none was written.
func (w *bufferWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// copyHeader copies every captured header but Content-Length, which the caller sets for
// the body it actually sends.
func (w *bufferWriter) copyHeader(dst http.Header) {
	for k, v := range w.header {
		if k != headerContentLength {
			dst[k] = append([]string(nil), v...)
		}
	}
}
