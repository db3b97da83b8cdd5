package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// APIError is a non-2xx answer from the ISC API, after any retries. It carries the API's own
// words (detailCode, messages, trackingId) so that a user can act on them or quote them to
// SailPoint support.
type APIError struct {
	Method     string
	Path       string // escaped request path and query, e.g. /v3/source-usages/abc/summaries?limit=250&offset=0
	StatusCode int
	DetailCode string   // ErrorResponseDto.detailCode
	TrackingID string   // ErrorResponseDto.trackingId
	Messages   []string // ErrorResponseDto.messages[].text, the 401 "error" or the 429 "message"
	Causes     []string // ErrorResponseDto.causes[].text
	Body       string   // the body, trimmed, when it was not one of the API's JSON error shapes
	RetryAfter string   // Retry-After header of a 429 or 503
	Attempts   int      // how many attempts were made, retries included
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	var ids []string
	if e.DetailCode != "" {
		ids = append(ids, fmt.Sprintf("detailCode %q", e.DetailCode))
	}
	if e.TrackingID != "" {
		ids = append(ids, "trackingId "+e.TrackingID)
	}
	if len(ids) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(ids, ", "))
	}
	if msg := e.Message(); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	return b.String()
}

// Message is what the API said, in one line: its messages and causes, or the trimmed body.
func (e *APIError) Message() string {
	parts := append(append([]string{}, e.Messages...), e.Causes...)
	if len(parts) == 0 && e.Body != "" {
		return e.Body
	}
	return strings.Join(parts, "; ")
}

// TransportError is a request that got no HTTP answer: connection refused, reset, timed out,
// or a TLS failure, after any retries.
type TransportError struct {
	Method   string
	Path     string
	Attempts int
	Timeout  bool // the last attempt ran out of request_timeout
	Err      error
}

func (e *TransportError) Error() string {
	attempts := ""
	if e.Attempts > 1 {
		attempts = fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	return fmt.Sprintf("%s %s failed%s: %v", e.Method, e.Path, attempts, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// TokenError is a failure to obtain an access token from the token endpoint.
type TokenError struct {
	TokenURL    string
	StatusCode  int    // 0 when no HTTP answer came back
	ErrorCode   string // OAuth2 "error", e.g. invalid_client
	Description string // OAuth2 "error_description"
	Body        string // trimmed body when it was not an OAuth2 error
	// Unreachable is true when no HTTP answer came back (connection refused, timeout, TLS).
	Unreachable bool
	Err         error
}

func (e *TokenError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "requesting an access token from %s failed", e.TokenURL)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	switch {
	case e.ErrorCode != "" && e.Description != "":
		fmt.Fprintf(&b, ": %s (%s)", e.ErrorCode, e.Description)
	case e.ErrorCode != "":
		fmt.Fprintf(&b, ": %s", e.ErrorCode)
	case e.Body != "":
		fmt.Fprintf(&b, ": %s", e.Body)
	case e.Err != nil:
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *TokenError) Unwrap() error { return e.Err }

// DecodeError is a 2xx response whose body is not what the API publishes.
type DecodeError struct {
	Method   string
	Path     string
	Err      error
	Body     string // the start of the body, trimmed
	Attempts int    // more than 1 when the body was not JSON at all and was retried
}

func (e *DecodeError) Error() string {
	body := e.Body
	if body == "" {
		body = "(empty body)"
	}
	attempts := ""
	if e.Attempts > 1 {
		attempts = fmt.Sprintf(" on each of %d attempts", e.Attempts)
	}
	return fmt.Sprintf("%s %s: the response could not be read%s: %v; the body began: %s", e.Method, e.Path, attempts, e.Err, body)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// PagingError is a paged read whose pages do not add up; the read fails rather than return a
// list that may be missing rows.
type PagingError struct {
	Path   string
	Reason string
}

func (e *PagingError) Error() string {
	return fmt.Sprintf("GET %s: the pages do not add up: %s", e.Path, e.Reason)
}

// errorResponse covers the three error shapes the API publishes: ErrorResponseDto
// (400/403/404/500), {"error": ...} (401) and {"message": ...} (429).
type errorResponse struct {
	DetailCode string         `json:"detailCode"`
	TrackingID string         `json:"trackingId"`
	Messages   []errorMessage `json:"messages"`
	Causes     []errorMessage `json:"causes"`
	Error      any            `json:"error"`
	Message    any            `json:"message"`
}

type errorMessage struct {
	Locale       *string `json:"locale"`
	LocaleOrigin *string `json:"localeOrigin"`
	Text         string  `json:"text"`
}

// newAPIError builds an APIError from a response. It never fails: a body in none of the
// published shapes is kept, trimmed, as Body.
func newAPIError(method, path string, status int, header http.Header, body []byte, attempts int) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: status, Attempts: attempts, RetryAfter: header.Get("Retry-After")}
	var r errorResponse
	if err := json.Unmarshal(body, &r); err == nil {
		e.DetailCode = strings.TrimSpace(r.DetailCode)
		e.TrackingID = strings.TrimSpace(r.TrackingID)
		e.Messages = appendTexts(e.Messages, r.Messages)
		e.Causes = appendTexts(e.Causes, r.Causes)
		e.Messages = appendAny(e.Messages, r.Error)
		e.Messages = appendAny(e.Messages, r.Message)
	}
	if len(e.Messages) == 0 && len(e.Causes) == 0 && e.DetailCode == "" {
		e.Body = trimBody(body)
	}
	return e
}

func appendTexts(dst []string, msgs []errorMessage) []string {
	for _, m := range msgs {
		if t := strings.TrimSpace(m.Text); t != "" {
			dst = append(dst, t)
		}
	}
	return dst
}

// appendAny keeps a free-form "error"/"message" value: usually a string, but nothing in the
// spec stops it from being an object.
func appendAny(dst []string, v any) []string {
	switch v := v.(type) {
	case nil:
		return dst
	case string:
		if t := strings.TrimSpace(v); t != "" {
			return append(dst, t)
		}
		return dst
	default:
		raw, err := json.Marshal(v)
		if err != nil {
			return dst
		}
		return append(dst, string(raw))
	}
}

// trimBody turns an arbitrary body into one short printable line.
func trimBody(body []byte) string {
	const maxLen = 300
	if !utf8.Valid(body) {
		return fmt.Sprintf("(%d bytes of binary data)", len(body))
	}
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > maxLen {
		cut := maxLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// IsNotFound reports whether err is an API 404.
func IsNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound
}
