package fakeisc

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Detail codes and texts of the ErrorResponseDto bodies the fake sends, as the real API
// spells them.
const (
	detailBadRequest    = "400.1 Bad Request Content"
	detailForbidden     = "403 Forbidden"
	detailNotFound      = "404 Not found"
	detailMethod        = "405 Method Not Allowed"
	detailInternalFault = "500.0 Internal Fault"
	textForbidden       = "The server understood the request but refuses to authorize it."
	textInternalFault   = "An internal fault occurred."
)

const (
	contentTypeJSON     = "application/json"
	headerTotalCount    = "X-Total-Count"
	headerContentLength = "Content-Length"
)

// errorResponseDto is the spec's ErrorResponseDto: the body of every 400, 403, 404 and 500.
type errorResponseDto struct {
	DetailCode string            `json:"detailCode"`
	TrackingID string            `json:"trackingId"`
	Messages   []errorMessageDto `json:"messages"`
	Causes     []errorMessageDto `json:"causes"`
}

// errorMessageDto is the spec's ErrorMessageDto.
type errorMessageDto struct {
	Locale       string `json:"locale"`
	LocaleOrigin string `json:"localeOrigin"`
	Text         string `json:"text"`
}

// writeErrorDto answers code with an ErrorResponseDto holding one en-US message and a
// fresh tracking id, as the real API sends: clients quote the tracking id to SailPoint
// support, so each error gets its own.
func writeErrorDto(w http.ResponseWriter, code int, detailCode, text string) {
	writeJSON(w, code, errorResponseDto{
		DetailCode: detailCode,
		TrackingID: randomHex(16),
		Messages:   []errorMessageDto{{Locale: "en-US", LocaleOrigin: "DEFAULT", Text: text}},
		Causes:     []errorMessageDto{},
	})
}

// badRequest is the message of a 400, worded as the API words it rather than as a Go
// error.
type badRequest string

func (e badRequest) Error() string { return string(e) }

func badRequestf(format string, args ...any) error { return badRequest(fmt.Sprintf(format, args...)) }

// writeUnauthorized answers 401 the way the API gateway does.
func writeUnauthorized(w http.ResponseWriter, reason string) {
	writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "JWT validation failed: " + reason})
}

// writeRateLimited answers 429 the way the API gateway does, spaces in the message and
// all. An empty retryAfter sends no Retry-After header.
func writeRateLimited(w http.ResponseWriter, retryAfter string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	writeJSON(w, http.StatusTooManyRequests, map[string]string{"message": " Rate Limit Exceeded "})
}

// writeJSON answers code with v as JSON. Content-Length is always set, so that a client
// reading a short body (see the CloseMidBody fault) can tell it was cut.
func writeJSON(w http.ResponseWriter, code int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only a Usage a test built badly gets here: say so in the spec's own shape
		// rather than send broken JSON.
		writeErrorDto(w, http.StatusInternalServerError, detailInternalFault, "fakeisc cannot encode the response: "+err.Error())
		return
	}
	writeBody(w, code, contentTypeJSON, body)
}

// writeBody answers code with body, with the given Content-Type unless it is empty.
func writeBody(w http.ResponseWriter, code int, contentType string, body []byte) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.Header().Set(headerContentLength, strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = w.Write(body) // the client hung up: nothing left to tell it
}

// safeStatus keeps a status code a test supplied within what net/http can write
// (WriteHeader panics outside 100..999, and 1xx codes are not final answers).
func safeStatus(code int) int {
	if code < 200 || code > 599 {
		return http.StatusInternalServerError
	}
	return code
}

// randomHex returns 2n random hex characters. crypto/rand.Read never fails.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
