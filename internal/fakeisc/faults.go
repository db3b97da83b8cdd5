package fakeisc

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"time"
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
// in trouble). A faulted request is logged with the fault's name.
//
// When several faults match a request, the first injected one that is armed (past its
// WithAfter, within its WithTimes) acts; the faults after it do not see the request.
type Fault struct {
	Name      string // recorded in Request.Fault; the constructors name their faults
	op        string // "": any API operation, never the token endpoint
	sourceID  string // "": any call; else only calls naming that source
	accountID string // "": any call; else only calls naming that account
	offset    int    // -1: any; else only paged calls at that offset
	times     int    // 0: every matching request
	after     int    // matching requests let through before the fault acts
	act       action
}

// action is what a fault does to a request. op is the request's operation; next writes
// the answer the tenant would have given without the fault.
type action func(w http.ResponseWriter, r *http.Request, op string, next func(http.ResponseWriter))

// fault returns a Fault that matches every API call.
func fault(name string, act action) Fault {
	return Fault{Name: name, offset: -1, act: act}
}

// WithOp returns a copy of f limited to op (OpToken or an API operation).
func (f Fault) WithOp(op string) Fault { f.op = op; return f }

// WithSource returns a copy of f limited to calls for the (decoded) source id: its get,
// status and summaries calls.
func (f Fault) WithSource(id string) Fault { f.sourceID = id; return f }

// WithAccount returns a copy of f limited to calls for the (decoded) account id: its get
// and usage calls.
func (f Fault) WithAccount(id string) Fault { f.accountID = id; return f }

// WithOffset returns a copy of f limited to paged calls (summaries, account usages, and
// source and account lists) whose offset parameter is offset (0 when absent), to fail
// one page of a paged read.
func (f Fault) WithOffset(offset int) Fault { f.offset = offset; return f }

// WithTimes returns a copy of f that acts on n matching requests (0: all of them, until
// Reset).
func (f Fault) WithTimes(n int) Fault { f.times = n; return f }

// Once returns a copy of f that acts on one matching request only.
func (f Fault) Once() Fault { return f.WithTimes(1) }

// WithAfter returns a copy of f that lets the first n matching requests through, e.g. 1
// to fail the second call only (with Once).
func (f Fault) WithAfter(n int) Fault { f.after = n; return f }

// armedFault is an injected fault with its own counters.
type armedFault struct {
	Fault
	seen    int // matching requests so far
	applied int // requests acted on so far
}

// Inject adds a fault. It acts on requests that arrive from now on. A Fault not built by
// a constructor does nothing.
func (t *Tenant) Inject(f Fault) {
	if f.act == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.faults = append(t.faults, &armedFault{Fault: f})
}

// matchFault finds the fault that acts on a request, if any. Every fault that matches the
// request up to and including that one counts it as seen. offset is the request's offset
// parameter, or -1 when there is none or it is invalid.
func (t *Tenant) matchFault(rt route, offset int) *Fault {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, f := range t.faults {
		if !f.matches(rt, offset) {
			continue
		}
		f.seen++
		if f.seen <= f.after || (f.times > 0 && f.applied >= f.times) {
			continue
		}
		f.applied++
		return &f.Fault
	}
	return nil
}

// pagedOps are the operations that take an offset.
var pagedOps = []string{OpSummaries, OpListSources, OpListAccounts, OpAccountUsages}

// matches reports whether the fault selects a request.
func (f *armedFault) matches(rt route, offset int) bool {
	switch {
	case f.op == "" && rt.op == OpToken, f.op != "" && f.op != rt.op:
		return false
	case f.sourceID != "" && f.sourceID != rt.sourceID, f.accountID != "" && f.accountID != rt.accountID:
		return false
	}
	return f.offset < 0 || (slices.Contains(pagedOps, rt.op) && f.offset == offset)
}

// TooManyRequests answers 429 with the gateway's body, {"message":" Rate Limit Exceeded "},
// and Retry-After set to retryAfter verbatim: seconds such as "1", an HTTP date, or
// garbage to test a client's parsing. An empty retryAfter sends no Retry-After header.
// Stats.RateLimited does not count these.
func TooManyRequests(retryAfter string) Fault {
	return fault("too_many_requests", func(w http.ResponseWriter, _ *http.Request, _ string, _ func(http.ResponseWriter)) {
		writeRateLimited(w, retryAfter)
	})
}

// Bodies of the gateway errors ServerError sends. ISC's edge answers some failures itself,
// in its own formats, so clients must cope with error bodies that are not ErrorResponseDto
// and not even JSON.
const (
	badGatewayHTML  = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
	unavailableText = "upstream connect error or disconnect/reset before headers. reset reason: connection termination"
	timeoutJSON     = `{"message":"Endpoint request timed out"}`
)

// ServerError answers a server error the way ISC does:
//
//	500  the spec's ErrorResponseDto, detailCode "500.0 Internal Fault"
//	502  an HTML page from the edge proxy (text/html)
//	503  a plain-text upstream error (text/plain)
//	504  the gateway's {"message":"Endpoint request timed out"}
//
// Any other code gets an ErrorResponseDto with detailCode "<code> <reason>".
func ServerError(code int) Fault {
	code = safeStatus(code)
	name := "server_error_" + strconv.Itoa(code)
	switch code {
	case http.StatusBadGateway:
		return fault(name, fixedBody(code, "text/html", badGatewayHTML))
	case http.StatusServiceUnavailable:
		return fault(name, fixedBody(code, "text/plain; charset=utf-8", unavailableText))
	case http.StatusGatewayTimeout:
		return fault(name, fixedBody(code, contentTypeJSON, timeoutJSON))
	}
	detail, _ := errorDetail(code)
	return fault(name, errorDtoAction(code, detail, textInternalFault, ""))
}

// ErrorDto answers code with an ErrorResponseDto carrying detailCode and text (and a
// fresh tracking id).
func ErrorDto(code int, detailCode, text string) Fault {
	code = safeStatus(code)
	return fault("error_dto_"+strconv.Itoa(code), errorDtoAction(code, detailCode, text, ""))
}

// ContentEncodingUTF8 answers code (meant for a 4xx) with an ErrorResponseDto and the
// header "Content-Encoding: UTF-8", which ISC sends on some errors although it is not a
// content coding: a client that trusts the header fails to decode the body and hides the
// API's message.
func ContentEncodingUTF8(code int) Fault {
	code = safeStatus(code)
	detail, text := errorDetail(code)
	return fault("content_encoding_utf8", errorDtoAction(code, detail, text, "UTF-8"))
}

// Unauthorized answers 401 {"error":"JWT validation failed: JWT is expired"} although the
// token is valid, as when a token is revoked or expires early: a client should get a new
// token and retry. (RevokeTokens makes every token fail for good.)
func Unauthorized() Fault {
	return fault("unauthorized", func(w http.ResponseWriter, _ *http.Request, _ string, _ func(http.ResponseWriter)) {
		writeUnauthorized(w, "JWT is expired")
	})
}

// CloseMidBody sends the status and headers of the normal answer, with its full
// Content-Length, then half of its body, then closes the connection: the client sees an
// unexpected EOF while reading the body.
func CloseMidBody() Fault {
	return fault("close_mid_body", func(w http.ResponseWriter, _ *http.Request, _ string, next func(http.ResponseWriter)) {
		code, full := capture(w, next)
		w.Header().Set(headerContentLength, strconv.Itoa(len(full)))
		w.WriteHeader(code)
		_, _ = w.Write(full[:len(full)/2])

		rc := http.NewResponseController(w)
		_ = rc.Flush()
		conn, rw, err := rc.Hijack()
		if err != nil {
			// HTTP/2 or a recorder: returning with less body than Content-Length makes
			// net/http abort the response anyway, and a recorder shows the short body.
			return
		}
		_ = rw.Flush()
		_ = conn.Close()
	})
}

// TruncatedJSON sends the normal answer with its body cut in half and a Content-Length
// that matches what is sent: a complete HTTP response whose JSON is invalid.
func TruncatedJSON() Fault {
	return fault("truncated_json", func(w http.ResponseWriter, _ *http.Request, _ string, next func(http.ResponseWriter)) {
		code, full := capture(w, next)
		writeBody(w, code, "", full[:len(full)/2])
	})
}

// malformedBodies are the bodies of MalformedJSON, by operation: the start of the right
// shape, then garbage.
var malformedBodies = map[string]string{
	OpStatus:        `{"status": COMPLETE`,
	OpSummaries:     `[{"date":`,
	OpListSources:   `[{"id":"2c91808a","name":`,
	OpGetSource:     `{"id":"2c91808a","name":`,
	OpAccountUsages: `[{"date":`,
	OpListAccounts:  `[{"id":"2c91808b","name":`,
	OpGetAccount:    `{"id":"2c91808b","name":`,
	OpToken:         `{"access_token": "eyJhbGciOi`,
}

// MalformedJSON answers 200 with a JSON body that is broken in the shape of the operation:
// {"status": COMPLETE for status, [{"date": for summaries and account usages, an
// unterminated source, account or list of them, an unterminated token response.
func MalformedJSON() Fault {
	return fault("malformed_json", func(w http.ResponseWriter, _ *http.Request, op string, _ func(http.ResponseWriter)) {
		writeBody(w, http.StatusOK, contentTypeJSON, []byte(malformedBodies[op]))
	})
}

// EmptyBody answers 200 with Content-Type application/json and no body at all.
func EmptyBody() Fault {
	return fault("empty_body", fixedBody(http.StatusOK, contentTypeJSON, ""))
}

// Delay waits d, in real time, then answers normally. If the client gives up first the
// tenant writes nothing and logs status 499.
func Delay(d time.Duration) Fault {
	return fault("delay", func(w http.ResponseWriter, r *http.Request, _ string, next func(http.ResponseWriter)) {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
			next(w)
		case <-r.Context().Done():
		}
	})
}

// TokenInvalidClient makes the token endpoint answer 401
// {"error":"invalid_client","error_description":"Bad credentials"} even for good
// credentials, as after the client was deleted.
func TokenInvalidClient() Fault {
	return fault("token_invalid_client", func(w http.ResponseWriter, _ *http.Request, _ string, _ func(http.ResponseWriter)) {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "Bad credentials")
	}).WithOp(OpToken)
}

// TokenMalformed makes the token endpoint answer 200 with broken JSON.
func TokenMalformed() Fault {
	f := MalformedJSON().WithOp(OpToken)
	f.Name = "token_malformed"
	return f
}

// TokenMissingAccessToken makes the token endpoint answer 200 with a token response that
// has every field but access_token.
func TokenMissingAccessToken() Fault {
	return fault("token_missing_access_token", func(w http.ResponseWriter, _ *http.Request, _ string, _ func(http.ResponseWriter)) {
		writeJSON(w, http.StatusOK, newTokenResponse("", DefaultTokenTTL))
	}).WithOp(OpToken)
}

// fixedBody returns an action that answers code with a fixed body.
func fixedBody(code int, contentType, body string) action {
	return func(w http.ResponseWriter, _ *http.Request, _ string, _ func(http.ResponseWriter)) {
		writeBody(w, code, contentType, []byte(body))
	}
}

// errorDtoAction returns an action that answers code with an ErrorResponseDto (a fresh
// tracking id each time) and, unless it is "", that Content-Encoding header.
func errorDtoAction(code int, detailCode, text, contentEncoding string) action {
	return func(w http.ResponseWriter, _ *http.Request, _ string, _ func(http.ResponseWriter)) {
		if contentEncoding != "" {
			w.Header().Set("Content-Encoding", contentEncoding)
		}
		writeErrorDto(w, code, detailCode, text)
	}
}

// errorDetail returns the detail code and message of the ErrorResponseDto ISC sends with
// an error status.
func errorDetail(code int) (detailCode, text string) {
	switch code {
	case http.StatusBadRequest:
		return detailBadRequest, "The request was syntactically correct but its content is semantically invalid."
	case http.StatusForbidden:
		return detailForbidden, textForbidden
	case http.StatusNotFound:
		return detailNotFound, "The requested resource was not found."
	case http.StatusInternalServerError:
		return detailInternalFault, textInternalFault
	}
	return fmt.Sprintf("%d %s", code, http.StatusText(code)), http.StatusText(code) + "."
}

// capture returns the answer next writes, so that a fault can send a damaged copy of the
// answer the fake would have given. The copy of its header in w lacks Content-Length,
// which the caller sets for the body it actually sends.
func capture(w http.ResponseWriter, next func(http.ResponseWriter)) (code int, body []byte) {
	rec := httptest.NewRecorder()
	next(rec)
	for k, v := range rec.Header() {
		if k != headerContentLength {
			w.Header()[k] = v
		}
	}
	return rec.Code, rec.Body.Bytes()
}
