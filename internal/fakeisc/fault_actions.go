package fakeisc

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Status answers code with body verbatim and the given headers. Content-Type defaults to
// application/json when body is not empty. A code outside 200..599 is sent as 500.
func Status(code int, body string, headers map[string]string) Fault {
	h := make(http.Header, len(headers)+1)
	for k, v := range headers {
		h.Set(k, v)
	}
	if h.Get(headerContentType) == "" && body != "" {
		h.Set(headerContentType, contentTypeJSON)
	}
	code = safeStatus(code)
	return Fault{
		Name: "status_" + strconv.Itoa(code),
		act: func(w http.ResponseWriter, _ *http.Request, _ string, _ func(http.ResponseWriter)) {
			for k, v := range h {
				w.Header()[k] = append([]string(nil), v...)
			}
			writeBody(w, code, "", []byte(body))
		},
	}
}

// TooManyRequests answers 429 with the gateway's body, {"message":" Rate Limit Exceeded "},
// and Retry-After set to retryAfter verbatim: seconds such as "1", an HTTP date, or
// garbage to test a client's parsing. An empty retryAfter sends no Retry-After header.
// Stats.RateLimited does not count these.
func TooManyRequests(retryAfter string) Fault {
	return Fault{
		Name: "too_many_requests",
		act: func(w http.ResponseWriter, _ *http.Request, _ string, _ func(http.ResponseWriter)) {
			writeRateLimited(w, retryAfter)
		},
	}
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
	var act action
	switch code {
	case http.StatusBadGateway:
		act = fixedBody(code, "text/html", badGatewayHTML)
	case http.StatusServiceUnavailable:
		act = fixedBody(code, "text/plain; charset=utf-8", unavailableText)
	case http.StatusGatewayTimeout:
		act = fixedBody(code, contentTypeJSON, timeoutJSON)
	default:
		detail, _ := errorDetail(code)
		act = errorDtoAction(code, detail, textInternalFault, nil)
	}
	return Fault{Name: "server_error_" + strconv.Itoa(code), act: act}
}

// ErrorDto answers code with an ErrorResponseDto carrying detailCode and text (and a
// fresh tracking id).
func ErrorDto(code int, detailCode, text string) Fault {
	code = safeStatus(code)
	return Fault{Name: "error_dto_" + strconv.Itoa(code), act: errorDtoAction(code, detailCode, text, nil)}
}

// ContentEncodingUTF8 answers code (meant for a 4xx) with an ErrorResponseDto and the
// header "Content-Encoding: UTF-8", which ISC sends on some errors although it is not a
// content coding: a client that trusts the header fails to decode the body and hides the
// API's message.
func ContentEncodingUTF8(code int) Fault {
	code = safeStatus(code)
	detail, text := errorDetail(code)
	return Fault{
		Name: "content_encoding_utf8",
		act:  errorDtoAction(code, detail, text, map[string]string{headerContentEncoded: "UTF-8"}),
	}
}

// Unauthorized answers 401 {"error":"JWT validation failed: JWT is expired"} although the
// token is valid, as when a token is revoked or expires early: a client should get a new
// token and retry. (RevokeTokens makes every token fail for good.)
func Unauthorized() Fault {
	return Fault{
		Name: "unauthorized",
		act: func(w http.ResponseWriter, _ *http.Request, _ string, _ func(http.ResponseWriter)) {
			writeUnauthorized(w, "JWT is expired")
		},
	}
}

// CloseMidBody sends the status and headers of the normal answer, with its full
// Content-Length, then half of its body, then closes the connection: the client sees an
// unexpected EOF while reading the body.
func CloseMidBody() Fault {
	return Fault{Name: "close_mid_body", act: closeMidBody}
}

func closeMidBody(w http.ResponseWriter, _ *http.Request, _ string, next func(http.ResponseWriter)) {
	buf := newBufferWriter()
	next(buf)
	full := buf.body.Bytes()
	buf.copyHeader(w.Header())
	w.Header().Set(headerContentLength, strconv.Itoa(len(full)))
	w.WriteHeader(buf.status())
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
}

// TruncatedJSON sends the normal answer with its body cut in half and a Content-Length
// that matches what is sent: a complete HTTP response whose JSON is invalid.
func TruncatedJSON() Fault {
	return Fault{
		Name: "truncated_json",
		act: func(w http.ResponseWriter, _ *http.Request, _ string, next func(http.ResponseWriter)) {
			buf := newBufferWriter()
			next(buf)
			full := buf.body.Bytes()
			buf.copyHeader(w.Header())
			writeBody(w, buf.status(), "", full[:len(full)/2])
		},
	}
}

// malformedBodies are the bodies of MalformedJSON, by operation: the start of the right
// shape, then garbage.
var malformedBodies = map[string]string{
	OpStatus:    `{"status": COMPLETE`,
	OpSummaries: `[{"date":`,
	OpToken:     `{"access_token": "eyJhbGciOi`,
}

// MalformedJSON answers 200 with a JSON body that is broken in the shape of the operation:
// {"status": COMPLETE for status, [{"date": for summaries, an unterminated object for
// the token endpoint.
func MalformedJSON() Fault {
	return Fault{
		Name: "malformed_json",
		act: func(w http.ResponseWriter, _ *http.Request, op string, _ func(http.ResponseWriter)) {
			body, ok := malformedBodies[op]
			if !ok {
				body = "{"
			}
			writeBody(w, http.StatusOK, contentTypeJSON, []byte(body))
		},
	}
}

// EmptyBody answers 200 with Content-Type application/json and no body at all.
func EmptyBody() Fault {
	return Fault{Name: "empty_body", act: fixedBody(http.StatusOK, contentTypeJSON, "")}
}

// Delay waits d, in real time, then answers normally. If the client gives up first the
// tenant writes nothing and logs status 499.
func Delay(d time.Duration) Fault {
	return Fault{
		Name: "delay",
		act: func(w http.ResponseWriter, r *http.Request, _ string, next func(http.ResponseWriter)) {
			timer := time.NewTimer(d)
			defer timer.Stop()
			select {
			case <-timer.C:
				next(w)
			case <-r.Context().Done():
			}
		},
	}
}

// TokenInvalidClient makes the token endpoint answer 401
// {"error":"invalid_client","error_description":"Bad credentials"} even for good
// credentials, as after the client was deleted.
func TokenInvalidClient() Fault {
	return Fault{
		Name: "token_invalid_client",
		Op:   OpToken,
		act: func(w http.ResponseWriter, _ *http.Request, _ string, _ func(http.ResponseWriter)) {
			writeJSON(w, http.StatusUnauthorized, oauthError{Error: "invalid_client", Description: "Bad credentials"})
		},
	}
}

// TokenMalformed makes the token endpoint answer 200 with broken JSON.
func TokenMalformed() Fault {
	return MalformedJSON().WithOp(OpToken).WithName("token_malformed")
}

// TokenMissingAccessToken makes the token endpoint answer 200 with a token response that
// has every field but access_token.
func TokenMissingAccessToken() Fault {
	return Fault{
		Name: "token_missing_access_token",
		Op:   OpToken,
		act: func(w http.ResponseWriter, _ *http.Request, _ string, _ func(http.ResponseWriter)) {
			writeJSON(w, http.StatusOK, newTokenResponse("", randomHex(16), DefaultClientID, DefaultTokenTTL))
		},
	}
}

// fixedBody returns an action that answers code with a fixed body.
func fixedBody(code int, contentType, body string) action {
	return func(w http.ResponseWriter, _ *http.Request, _ string, _ func(http.ResponseWriter)) {
		writeBody(w, code, contentType, []byte(body))
	}
}

// errorDtoAction returns an action that answers code with an ErrorResponseDto (a fresh
// tracking id each time) and extra headers.
func errorDtoAction(code int, detailCode, text string, headers map[string]string) action {
	return func(w http.ResponseWriter, _ *http.Request, _ string, _ func(http.ResponseWriter)) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		writeErrorDto(w, code, detailCode, text)
	}
}

// errorDetail returns the detail code and message ISC uses for an error status.
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
