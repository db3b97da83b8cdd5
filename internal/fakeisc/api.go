package fakeisc

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// sourceUsageStatus is the spec's SourceUsageStatus. An empty status is left out, so a
// test can send an object without the field.
type sourceUsageStatus struct {
	Status string `json:"status,omitempty"`
}

// serveAPI answers a status or summaries call. The checks run in the gateway's order:
// method, bearer token, rate limit; then faults; then the operation itself.
func (t *Tenant) serveAPI(w http.ResponseWriter, r *http.Request, rt route, ex *exchange) {
	if r.Method != http.MethodGet {
		writeMethodNotAllowed(w, r.Method, http.MethodGet)
		return
	}
	authHeader := r.Header.Get("Authorization")
	ex.rec.Token, _ = bearerToken(authHeader)

	t.mu.Lock()
	clientID, reason := t.authenticateLocked(authHeader)
	var wait time.Duration
	admitted := true
	if reason == "" {
		wait, admitted = t.limiter.admit(rateKey{clientID, rt.version}, t.now())
	}
	t.mu.Unlock()

	ex.rec.ClientID = clientID
	switch {
	case reason != "":
		writeUnauthorized(w, reason)
		return
	case !admitted:
		ex.rateLimited = true
		writeRateLimited(w, strconv.Itoa(retryAfterSeconds(wait)))
		return
	}

	serve := func(w http.ResponseWriter) { t.serveUsages(w, r, rt) }
	offset := -1
	if rt.op == OpSummaries {
		offset = offsetOf(r.URL.Query())
	}
	if f := t.matchFault(rt.op, rt.sourceID, offset); f != nil {
		ex.rec.Fault = f.name
		f.act(w, r, rt.op, serve)
		return
	}
	serve(w)
}

// serveUsages answers the operation itself for an admitted call: 403 for a forbidden
// source, 404 for an unknown one, 400 for bad collection parameters, else the data.
func (t *Tenant) serveUsages(w http.ResponseWriter, r *http.Request, rt route) {
	src, ok := t.source(rt.sourceID)
	switch {
	case ok && src.Forbidden:
		writeErrorDto(w, http.StatusForbidden, detailForbidden, textForbidden)
		return
	case !ok:
		writeErrorDto(w, http.StatusNotFound, detailNotFound, "The requested source was not found: "+rt.sourceID)
		return
	}

	if rt.op == OpStatus {
		writeJSON(w, http.StatusOK, sourceUsageStatus{Status: src.Status})
		return
	}

	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeErrorDto(w, http.StatusBadRequest, detailBadRequest, "The query string is not valid: "+err.Error())
		return
	}
	c, err := parseCollection(q)
	if err != nil {
		writeErrorDto(w, http.StatusBadRequest, detailBadRequest, err.Error())
		return
	}
	if c.count {
		w.Header().Set(headerTotalCount, strconv.Itoa(len(src.Usages)))
	}
	writeJSON(w, http.StatusOK, c.page(src.Usages))
}
