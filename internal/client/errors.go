package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Op names what a call was for. Diagnostics choose their advice by it.
type Op string

// The calls the client makes.
const (
	OpToken          Op = "token"
	OpUsageStatus    Op = "usage status"
	OpUsageSummaries Op = "usage summaries"
	OpListSources    Op = "list sources"
	OpGetSource      Op = "get source"
	OpAccountUsages  Op = "account usage summaries"
	OpListAccounts   Op = "list accounts"
	OpGetAccount     Op = "get account"
)

// Kind says how a call failed.
type Kind int

// The ways a call fails.
const (
	// KindStatus: the server answered with a status other than 2xx, after any retries.
	KindStatus Kind = iota + 1
	// KindRedirect: the server answered with a redirect, which the client never follows: the
	// API does not redirect, and following would send the token wherever it points.
	KindRedirect
	// KindTransport: no answer at all (see Cause), after any retries.
	KindTransport
	// KindDecode: a 2xx answer whose body is not what the API publishes.
	KindDecode
	// KindPaging: pages that do not add up; the read fails rather than return missing rows.
	KindPaging
)

// Cause tells transport failures apart. CauseTimeout and CauseConnection are retried, and
// CauseRefused once the tenant has answered (see Client.do).
type Cause int

// Transport failure causes.
const (
	CauseConnection Cause = iota + 1 // reset, closed mid-body
	CauseTimeout                     // no complete answer within RequestTimeout
	CauseTLS                         // the certificate could not be verified
	CauseDNS                         // the host name does not exist
	CauseRefused                     // nothing accepts connections at the host and port
)

// Error is every failure of a call to ISC. It carries the API's own words (detailCode,
// messages, trackingId) so that a user can act on them or quote them to SailPoint support.
type Error struct {
	Op       Op
	Kind     Kind
	Method   string
	Target   string // the API path and query, e.g. /v1/... ?limit=250&offset=0; the token URL
	Attempts int    // attempts made, retries included

	StatusCode int
	DetailCode string   // ErrorResponseDto.detailCode, or the OAuth "error" of a token call
	TrackingID string   // ErrorResponseDto.trackingId
	Messages   []string // what the API said: messages, causes, error, error_description, message
	Body       string   // the body, trimmed, when it was none of the API's JSON shapes
	RetryAfter string   // Retry-After of a 429 or 503
	Location   string   // where a redirect pointed

	Cause Cause // for KindTransport
	Err   error // the underlying failure: transport, decoding or paging
}

// Fact is one labelled line of an Error, in the order a reader needs them.
type Fact struct{ Label, Value string }

// Facts lays the error out for a reader. Error() and the provider's diagnostics both render
// these, so each fact is worded once.
func (e *Error) Facts() []Fact {
	facts := []Fact{{"Call", e.Method + " " + e.Target}}
	add := func(label, value string) {
		if value != "" {
			facts = append(facts, Fact{label, value})
		}
	}
	if e.StatusCode != 0 {
		add("HTTP status", fmt.Sprintf("%d %s%s", e.StatusCode, http.StatusText(e.StatusCode), e.attempts()))
	}
	codeLabel := "detailCode"
	if e.Op == OpToken {
		codeLabel = "error"
	}
	add(codeLabel, e.DetailCode)
	add("Message", strings.Join(e.Messages, "; "))
	add("trackingId", e.TrackingID)
	add("Retry-After", e.RetryAfter)
	add("Redirect to", e.Location)
	if e.Err != nil {
		what := e.Err.Error()
		if e.StatusCode == 0 {
			what += e.attempts()
		}
		add("Error", what)
	}
	if e.Kind == KindDecode && e.Body == "" && e.Op != OpToken {
		add("Body", "(empty)")
	}
	add("Body", e.Body)
	return facts
}

func (e *Error) attempts() string {
	if e.Attempts > 1 {
		return fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return ""
}

func (e *Error) Error() string {
	facts := e.Facts()
	parts := make([]string, len(facts))
	for i, f := range facts {
		parts[i] = f.Label + ": " + f.Value
	}
	return strings.Join(parts, "; ")
}

func (e *Error) Unwrap() error { return e.Err }

// IsNotFound reports whether err is a 404 from the API.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == KindStatus && e.StatusCode == http.StatusNotFound
}

// errorBody covers the error shapes ISC publishes: ErrorResponseDto (400, 403, 404, 500),
// {"error": ...} (401 from the gateway, OAuth errors with error_description) and
// {"message": ...} (429).
type errorBody struct {
	DetailCode       string         `json:"detailCode"`
	TrackingID       string         `json:"trackingId"`
	Messages         []errorMessage `json:"messages"`
	Causes           []errorMessage `json:"causes"`
	Error            any            `json:"error"`
	ErrorDescription string         `json:"error_description"`
	Message          any            `json:"message"`
}

type errorMessage struct {
	Text string `json:"text"`
}

// statusError builds the Error of a non-2xx answer. It never fails: a body in none of the
// published shapes is kept, trimmed, as Body.
func statusError(r *request, a *attempt, attempts int) *Error {
	e := &Error{Op: r.op, Kind: KindStatus, Method: r.method, Target: r.target(), Attempts: attempts,
		StatusCode: a.status, RetryAfter: a.header.Get("Retry-After")}
	var b errorBody
	if json.Unmarshal(a.body, &b) == nil {
		e.DetailCode = strings.TrimSpace(b.DetailCode)
		e.TrackingID = strings.TrimSpace(b.TrackingID)
		for _, m := range append(b.Messages, b.Causes...) {
			e.Messages = appendText(e.Messages, m.Text)
		}
		if code, ok := b.Error.(string); ok && r.op == OpToken {
			e.DetailCode = strings.TrimSpace(code) // the OAuth error code, e.g. invalid_client
		} else {
			e.Messages = appendAny(e.Messages, b.Error)
		}
		e.Messages = appendText(e.Messages, b.ErrorDescription)
		e.Messages = appendAny(e.Messages, b.Message)
	}
	if len(e.Messages) == 0 && e.DetailCode == "" {
		e.Body = trimBody(a.body)
	}
	return e
}

func appendText(dst []string, s string) []string {
	if s = strings.TrimSpace(s); s != "" {
		return append(dst, s)
	}
	return dst
}

// appendAny keeps a free-form "error" or "message" value: usually a string, but nothing in
// the spec stops it from being an object.
func appendAny(dst []string, v any) []string {
	switch v := v.(type) {
	case nil:
		return dst
	case string:
		return appendText(dst, v)
	default:
		raw, _ := json.Marshal(v) // a value json.Unmarshal produced always marshals
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
