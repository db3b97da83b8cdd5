package fakeisc

import (
	"net/http"
)

// serveAdmin answers the fake's own endpoints (see ServeHTTP), which let a test or script
// inspect a fake running as a separate process. They are not part of the ISC API.
func (t *Tenant) serveAdmin(w http.ResponseWriter, r *http.Request, name string) {
	var method string
	var serve func()
	switch name {
	case "stats":
		method, serve = http.MethodGet, func() { writeJSON(w, http.StatusOK, t.Stats()) }
	case "requests":
		method, serve = http.MethodGet, func() { writeJSON(w, http.StatusOK, t.Requests()) }
	case "reset":
		method, serve = http.MethodPost, func() { t.Reset(); w.WriteHeader(http.StatusNoContent) }
	case "revoke-tokens":
		method, serve = http.MethodPost, func() { t.RevokeTokens(); w.WriteHeader(http.StatusNoContent) }
	default:
		writeErrorDto(w, http.StatusNotFound, detailNotFound, "No admin endpoint "+adminPrefix+name)
		return
	}
	if r.Method != method {
		writeMethodNotAllowed(w, r.Method, method)
		return
	}
	serve()
}
