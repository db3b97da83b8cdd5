package fakeisc

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is a clock tests move by hand, so nothing in them sleeps to expire a token or
// slide a rate window.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2025, time.March, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// call hands one request straight to h and returns the recorded answer. The target is
// parsed as a server parses a request line, so escapes survive as they would on the wire.
func call(t *testing.T, h http.Handler, method, target string, header http.Header, body string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequestWithContext(t.Context(), method, target, rd)
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// get calls GET target with a bearer token (none when token is "").
func get(t *testing.T, h http.Handler, token, target string) *httptest.ResponseRecorder {
	t.Helper()
	header := http.Header{}
	if token != "" {
		header.Set("Authorization", "Bearer "+token)
	}
	return call(t, h, http.MethodGet, target, header, "")
}

// postToken calls the token endpoint with a form body.
func postToken(t *testing.T, h http.Handler, target, form string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	if header == nil {
		header = http.Header{}
	}
	header.Set("Content-Type", "application/x-www-form-urlencoded")
	return call(t, h, http.MethodPost, target, header, form)
}

// defaultForm is a good client-credentials form for the default client.
const defaultForm = "grant_type=client_credentials&client_id=" + DefaultClientID + "&client_secret=" + DefaultClientSecret

// decodeJSON decodes a response body into a fresh T.
func decodeJSON[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return v
}

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

// checkErrorDto checks that body is an ErrorResponseDto with the given detail code, a
// 32-hex tracking id, one en-US message containing text, and empty causes.
func checkErrorDto(t *testing.T, body []byte, detailCode, text string) errorResponseDto {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatalf("error body %q is not a JSON object: %v", body, err)
	}
	for _, k := range []string{"detailCode", "trackingId", "messages", "causes"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("error body %s lacks %q", body, k)
		}
	}
	dto := decodeJSON[errorResponseDto](t, body)
	if dto.DetailCode != detailCode {
		t.Errorf("detailCode = %q, want %q", dto.DetailCode, detailCode)
	}
	if !hex32.MatchString(dto.TrackingID) {
		t.Errorf("trackingId = %q, want 32 hex characters", dto.TrackingID)
	}
	if len(dto.Messages) != 1 || dto.Messages[0].Locale != "en-US" || dto.Messages[0].LocaleOrigin != "DEFAULT" ||
		!strings.Contains(dto.Messages[0].Text, text) {
		t.Errorf("messages = %+v, want one en-US DEFAULT message containing %q", dto.Messages, text)
	}
	if dto.Causes == nil || len(dto.Causes) != 0 {
		t.Errorf("causes = %#v, want []", dto.Causes)
	}
	return dto
}

// lastRequest returns the newest log entry.
func lastRequest(t *testing.T, tenant *Tenant) Request {
	t.Helper()
	log := tenant.Requests()
	if len(log) == 0 {
		t.Fatal("request log is empty")
	}
	return log[len(log)-1]
}
