package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestErrorFacts(t *testing.T) {
	cause := errors.New("dial tcp 127.0.0.1:1: connect: connection refused")
	tests := []struct {
		name string
		err  *Error
		want []Fact
	}{
		{
			name: "status with the API's words",
			err: &Error{Op: OpUsageStatus, Kind: KindStatus, Method: "GET", Target: "/v3/source-usages/a/status", Attempts: 3, StatusCode: 500,
				DetailCode: "500.0 Internal Fault", TrackingID: "b21b", Messages: []string{"An internal fault occurred.", "db down"}},
			want: []Fact{{"Call", "GET /v3/source-usages/a/status"}, {"HTTP status", "500 Internal Server Error (after 3 attempts)"},
				{"detailCode", "500.0 Internal Fault"}, {"Message", "An internal fault occurred.; db down"}, {"trackingId", "b21b"}},
		},
		{
			name: "one attempt says no count",
			err:  &Error{Op: OpGetSource, Kind: KindStatus, Method: "GET", Target: "/sources/v1/x", Attempts: 1, StatusCode: 404, DetailCode: "404 Not found"},
			want: []Fact{{"Call", "GET /sources/v1/x"}, {"HTTP status", "404 Not Found"}, {"detailCode", "404 Not found"}},
		},
		{
			name: "rate limit",
			err: &Error{Op: OpUsageSummaries, Kind: KindStatus, Method: "GET", Target: "/source-usages/v1/a/summaries?limit=250", Attempts: 6,
				StatusCode: 429, Messages: []string{"Rate Limit Exceeded"}, RetryAfter: "10"},
			want: []Fact{{"Call", "GET /source-usages/v1/a/summaries?limit=250"}, {"HTTP status", "429 Too Many Requests (after 6 attempts)"},
				{"Message", "Rate Limit Exceeded"}, {"Retry-After", "10"}},
		},
		{
			name: "a body in none of the API's shapes",
			err:  &Error{Op: OpListSources, Kind: KindStatus, Method: "GET", Target: "/sources/v1", Attempts: 2, StatusCode: 502, Body: "<html> Bad Gateway </html>"},
			want: []Fact{{"Call", "GET /sources/v1"}, {"HTTP status", "502 Bad Gateway (after 2 attempts)"}, {"Body", "<html> Bad Gateway </html>"}},
		},
		{
			name: "redirect",
			err: &Error{Op: OpUsageStatus, Kind: KindRedirect, Method: "GET", Target: "/v3/source-usages/a/status", Attempts: 1, StatusCode: 302,
				Location: "https://acme.identitynow.com/login"},
			want: []Fact{{"Call", "GET /v3/source-usages/a/status"}, {"HTTP status", "302 Found"}, {"Redirect to", "https://acme.identitynow.com/login"}},
		},
		{
			name: "transport",
			err:  &Error{Op: OpUsageStatus, Kind: KindTransport, Method: "GET", Target: "/v3/x", Attempts: 6, Cause: CauseConnection, Err: cause},
			want: []Fact{{"Call", "GET /v3/x"}, {"Error", cause.Error() + " (after 6 attempts)"}},
		},
		{
			name: "decode with an empty body",
			err:  &Error{Op: OpUsageStatus, Kind: KindDecode, Method: "GET", Target: "/v3/x", Attempts: 4, Err: errors.New("the body is empty")},
			want: []Fact{{"Call", "GET /v3/x"}, {"Error", "the body is empty (after 4 attempts)"}, {"Body", "(empty)"}},
		},
		{
			name: "decode with a body",
			err:  &Error{Op: OpGetSource, Kind: KindDecode, Method: "GET", Target: "/sources/v1/s", Err: errors.New("expected an object, got null"), Body: "null"},
			want: []Fact{{"Call", "GET /sources/v1/s"}, {"Error", "expected an object, got null"}, {"Body", "null"}},
		},
		{
			name: "a token answer's body is never claimed empty",
			err:  &Error{Op: OpToken, Kind: KindDecode, Method: "POST", Target: "https://acme.api.identitynow.com/oauth/token", Err: errors.New("the answer has no access_token")},
			want: []Fact{{"Call", "POST https://acme.api.identitynow.com/oauth/token"}, {"Error", "the answer has no access_token"}},
		},
		{
			name: "paging",
			err:  &Error{Op: OpListSources, Kind: KindPaging, Method: "GET", Target: "/sources/v1?limit=250&offset=250", Err: errors.New("the page repeats")},
			want: []Fact{{"Call", "GET /sources/v1?limit=250&offset=250"}, {"Error", "the page repeats"}},
		},
		{
			name: "token call: the OAuth error code is labelled error",
			err: &Error{Op: OpToken, Kind: KindStatus, Method: "POST", Target: "https://acme.api.identitynow.com/oauth/token", Attempts: 1,
				StatusCode: 401, DetailCode: "invalid_client", Messages: []string{"Bad credentials"}},
			want: []Fact{{"Call", "POST https://acme.api.identitynow.com/oauth/token"}, {"HTTP status", "401 Unauthorized"},
				{"error", "invalid_client"}, {"Message", "Bad credentials"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.err.Facts()
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Facts()\n got %v\nwant %v", got, tt.want)
			}
			parts := make([]string, len(tt.want))
			for i, f := range tt.want {
				parts[i] = f.Label + ": " + f.Value
			}
			if want := strings.Join(parts, "; "); tt.err.Error() != want {
				t.Errorf("Error()\n got %q\nwant %q", tt.err.Error(), want)
			}
		})
	}
}

func TestErrorUnwrap(t *testing.T) {
	e := &Error{Op: OpUsageStatus, Kind: KindTransport, Method: "GET", Target: "/x", Err: fmt.Errorf("wrapped: %w", context.DeadlineExceeded)}
	if !errors.Is(e, context.DeadlineExceeded) {
		t.Error("errors.Is does not reach the cause")
	}
	wrapped := fmt.Errorf("reading: %w", e)
	var got *Error
	if !errors.As(wrapped, &got) || got != e {
		t.Error("errors.As does not find the *Error")
	}
	if (&Error{Kind: KindStatus}).Unwrap() != nil {
		t.Error("a status error has no cause")
	}
}

func TestIsNotFound(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{&Error{Kind: KindStatus, StatusCode: 404}, true},
		{fmt.Errorf("read: %w", &Error{Kind: KindStatus, StatusCode: 404}), true},
		{&Error{Kind: KindStatus, StatusCode: 403}, false},
		{&Error{Kind: KindRedirect, StatusCode: 404}, false},
		{errors.New("404"), false},
		{nil, false},
	} {
		if got := IsNotFound(tt.err); got != tt.want {
			t.Errorf("IsNotFound(%v) = %v", tt.err, got)
		}
	}
}

func TestStatusError(t *testing.T) {
	api := &request{op: OpUsageSummaries, method: "GET", url: "https://acme.api.identitynow.com/v3/source-usages/a/summaries",
		query: url.Values{"limit": {"250"}, "sorters": {"-date"}}}
	token := &request{op: OpToken, method: "POST", url: "https://acme.api.identitynow.com/oauth/token"}
	tests := []struct {
		name   string
		r      *request
		status int
		header http.Header
		body   string
		want   Error
	}{
		{name: "ErrorResponseDto", r: api, status: 400,
			body: `{"detailCode":" 400.1 Bad Request Content ","trackingId":"e7eab609","messages":[{"locale":"en-US","localeOrigin":"DEFAULT","text":" Sort field 'count' is not supported. "}],"causes":[{"text":"cause one"},{"text":"  "}]}`,
			want: Error{DetailCode: "400.1 Bad Request Content", TrackingID: "e7eab609", Messages: []string{"Sort field 'count' is not supported.", "cause one"}}},
		{name: "locale null and a new localeOrigin", r: api, status: 404,
			body: `{"detailCode":"404 Not found","trackingId":"t","messages":[{"locale":null,"localeOrigin":"SOMETHING_NEW","text":"gone"}]}`,
			want: Error{DetailCode: "404 Not found", TrackingID: "t", Messages: []string{"gone"}}},
		{name: "gateway 401", r: api, status: 401, body: `{"error":"JWT validation failed: JWT is expired"}`,
			want: Error{Messages: []string{"JWT validation failed: JWT is expired"}}},
		{name: "OAuth error", r: token, status: 401, body: `{"error":"invalid_client","error_description":"Bad credentials"}`,
			want: Error{DetailCode: "invalid_client", Messages: []string{"Bad credentials"}}},
		{name: "429", r: api, status: 429, header: http.Header{"Retry-After": {"5"}}, body: `{"message":" Rate Limit Exceeded "}`,
			want: Error{Messages: []string{"Rate Limit Exceeded"}, RetryAfter: "5"}},
		{name: "an object where error is a string", r: api, status: 400, body: `{"error":{"nested":[1,2]},"message":{"a":"b"}}`,
			want: Error{Messages: []string{`{"nested":[1,2]}`, `{"a":"b"}`}}},
		{name: "an object error from the token endpoint", r: token, status: 400, body: `{"error":{"code":7}}`,
			want: Error{Messages: []string{`{"code":7}`}}},
		{name: "HTML", r: api, status: 502, body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>",
			want: Error{Body: "<html> <head><title>502 Bad Gateway</title></head> </html>"}},
		{name: "text", r: api, status: 503, header: http.Header{"Retry-After": {"Wed, 25 Nov 2026 12:00:02 GMT"}}, body: "upstream connect error",
			want: Error{Body: "upstream connect error", RetryAfter: "Wed, 25 Nov 2026 12:00:02 GMT"}},
		{name: "a published field of the wrong type", r: api, status: 400, body: `{"messages":"not a list"}`,
			want: Error{Body: `{"messages":"not a list"}`}},
		{name: "JSON in none of the shapes", r: api, status: 500, body: `{"foo":1}`, want: Error{Body: `{"foo":1}`}},
		{name: "binary", r: api, status: 500, body: "\xff\xfe\x00", want: Error{Body: "(3 bytes of binary data)"}},
		{name: "empty", r: api, status: 503, body: "", want: Error{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := tt.header
			if header == nil {
				header = http.Header{}
			}
			got := statusError(tt.r, &attempt{status: tt.status, header: header, body: []byte(tt.body)}, 2)
			want := tt.want
			want.Op, want.Kind, want.Method, want.Attempts, want.StatusCode = tt.r.op, KindStatus, tt.r.method, 2, tt.status
			want.Target = "/v3/source-usages/a/summaries?limit=250&sorters=-date"
			if tt.r.op == OpToken {
				want.Target = tt.r.url // a token call names the whole URL: it may be another host
			}
			if fmt.Sprintf("%#v", *got) != fmt.Sprintf("%#v", want) {
				t.Errorf("\n got %#v\nwant %#v", *got, want)
			}
		})
	}
}

func TestTrimBody(t *testing.T) {
	long := strings.Repeat("a", 400)
	multibyte := strings.Repeat("a", 299) + "ééé"
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"  spaced \n\t out  ", "spaced out"},
		{long, strings.Repeat("a", 300) + "…"},
		{multibyte, strings.Repeat("a", 299) + "…"}, // never cut inside a character
		{"\xff\xfe\x00", "(3 bytes of binary data)"},
	} {
		if got := trimBody([]byte(tt.in)); got != tt.want {
			t.Errorf("trimBody(%.20q…) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzStatusError(f *testing.F) {
	f.Add(404, []byte(`{"detailCode":"404 Not found","trackingId":"abc","messages":[{"locale":null,"localeOrigin":"OTHER","text":"gone"}]}`))
	f.Add(401, []byte(`{"error":"JWT validation failed: JWT is expired"}`))
	f.Add(429, []byte(`{"message":" Rate Limit Exceeded "}`))
	f.Add(502, []byte("<html>\n<h1>502</h1></html>"))
	f.Add(500, []byte{0xff, 0xfe, 0x00})
	f.Add(400, []byte(`{"error":{"nested":[1,2]},"messages":"not a list"}`))
	f.Add(401, []byte(`{"error":"invalid_client","error_description":"Bad credentials"}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		op := OpUsageStatus
		if len(body)%2 == 1 {
			op = OpToken
		}
		r := &request{op: op, method: "GET", url: "https://acme.api.identitynow.com/v3/x"}
		e := statusError(r, &attempt{status: status, header: http.Header{}, body: body}, 1)
		msg := e.Error()
		if e.StatusCode != status || e.Kind != KindStatus || !strings.HasPrefix(msg, "Call: GET ") || !utf8.ValidString(msg) {
			t.Fatalf("bad error %q", msg)
		}
		if len(e.Body) > 300+len("…") || !utf8.ValidString(e.Body) {
			t.Fatalf("body not trimmed: %q", e.Body)
		}
		for _, m := range e.Messages {
			if m == "" || m != strings.TrimSpace(m) {
				t.Fatalf("message %q", m)
			}
		}
	})
}
