package fakeisc

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFaultResponses(t *testing.T) {
	tests := []struct {
		name        string
		fault       Fault
		target      string // default: status of the Active Directory demo source
		wantCode    int
		wantBody    string // exact, unless "" (then wantPrefix)
		wantPrefix  string
		wantHeaders map[string]string
		wantName    string
	}{
		{name: "server error out of range", fault: ServerError(42), wantCode: 500, wantPrefix: `{"detailCode":"500.0 Internal Fault"`, wantName: "server_error_500"},
		{name: "too many requests, seconds", fault: TooManyRequests("1"),
			wantCode: 429, wantBody: `{"message":" Rate Limit Exceeded "}`, wantHeaders: map[string]string{"Retry-After": "1"}, wantName: "too_many_requests"},
		{name: "too many requests, date", fault: TooManyRequests("Wed, 21 Oct 2015 07:28:00 GMT"),
			wantCode: 429, wantBody: `{"message":" Rate Limit Exceeded "}`, wantHeaders: map[string]string{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}},
		{name: "too many requests, no header", fault: TooManyRequests(""),
			wantCode: 429, wantBody: `{"message":" Rate Limit Exceeded "}`, wantHeaders: map[string]string{"Retry-After": ""}},
		{name: "500", fault: ServerError(500), wantCode: 500, wantPrefix: `{"detailCode":"500.0 Internal Fault","trackingId":"`, wantName: "server_error_500"},
		{name: "501", fault: ServerError(501), wantCode: 501, wantPrefix: `{"detailCode":"501 Not Implemented","trackingId":"`},
		{name: "502 HTML", fault: ServerError(502), wantCode: 502, wantBody: badGatewayHTML, wantHeaders: map[string]string{"Content-Type": "text/html"}},
		{name: "503 plain", fault: ServerError(503), wantCode: 503, wantBody: unavailableText, wantHeaders: map[string]string{"Content-Type": "text/plain; charset=utf-8"}},
		{name: "504 JSON", fault: ServerError(504), wantCode: 504, wantBody: timeoutJSON},
		{name: "error dto", fault: ErrorDto(409, "409 Conflict", "busy"), wantCode: 409, wantPrefix: `{"detailCode":"409 Conflict","trackingId":"`, wantName: "error_dto_409"},
		{name: "content encoding UTF-8", fault: ContentEncodingUTF8(400), wantCode: 400,
			wantPrefix: `{"detailCode":"400.1 Bad Request Content","trackingId":"`, wantHeaders: map[string]string{"Content-Encoding": "UTF-8", "Content-Type": "application/json"}},
		{name: "content encoding UTF-8 on 404", fault: ContentEncodingUTF8(404), wantCode: 404,
			wantPrefix: `{"detailCode":"404 Not found","trackingId":"`, wantHeaders: map[string]string{"Content-Encoding": "UTF-8"}},
		{name: "unauthorized", fault: Unauthorized(), wantCode: 401, wantBody: `{"error":"JWT validation failed: JWT is expired"}`},
		{name: "malformed status", fault: MalformedJSON(), wantCode: 200, wantBody: `{"status": COMPLETE`, wantName: "malformed_json"},
		{name: "malformed summaries", fault: MalformedJSON(), target: apiPath("v3", OpSummaries, srcAD),
			wantCode: 200, wantBody: `[{"date":`},
		{name: "malformed source list", fault: MalformedJSON(), target: apiPath("v1", OpListSources, ""),
			wantCode: 200, wantBody: `[{"id":"2c91808a","name":`},
		{name: "malformed source", fault: MalformedJSON(), target: apiPath("v1", OpGetSource, srcAD),
			wantCode: 200, wantBody: `{"id":"2c91808a","name":`},
		{name: "truncated source list", fault: TruncatedJSON(), target: apiPath("v3", OpListSources, "") + "?filters=" + query(`id eq "x"`) + "&count=true",
			wantCode: 200, wantBody: "[", wantHeaders: map[string]string{"X-Total-Count": "0"}},
		{name: "empty body", fault: EmptyBody(), wantCode: 200, wantBody: "",
			wantHeaders: map[string]string{"Content-Type": "application/json", "Content-Length": "0"}},
		{name: "truncated status", fault: TruncatedJSON(), wantCode: 200, wantBody: `{"status":`,
			wantHeaders: map[string]string{"Content-Length": "10", "Content-Type": "application/json"}},
		{name: "truncated summaries keeps headers", fault: TruncatedJSON(), target: apiPath("v3", OpSummaries, srcWorkday) + "?count=true",
			wantCode: 200, wantBody: "[", wantHeaders: map[string]string{"X-Total-Count": "0"}},
		{name: "truncated 404", fault: TruncatedJSON(), target: apiPath("v3", OpStatus, "missing"), wantCode: 404, wantPrefix: `{"detailCode":"404`},
		{name: "delay then normal", fault: Delay(20 * time.Millisecond), wantCode: 200, wantBody: `{"status":"COMPLETE"}`, wantName: "delay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tenant := New(WithSources(testSources()...))
			tenant.Inject(tt.fault)
			target := tt.target
			if target == "" {
				target = apiPath("v3", OpStatus, srcAD)
			}
			w := get(t, tenant, tenant.IssueToken(DefaultClientID, 0), target)
			if w.Code != tt.wantCode {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantCode, w.Body)
			}
			if tt.wantPrefix != "" {
				if !strings.HasPrefix(w.Body.String(), tt.wantPrefix) {
					t.Errorf("body = %s, want prefix %s", w.Body, tt.wantPrefix)
				}
			} else if w.Body.String() != tt.wantBody {
				t.Errorf("body = %q, want %q", w.Body, tt.wantBody)
			}
			for k, v := range tt.wantHeaders {
				if got := w.Header().Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if cl := w.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(w.Body.Len()) {
				t.Errorf("Content-Length %s for a %d-byte body", cl, w.Body.Len())
			}
			e := lastRequest(t, tenant)
			if tt.wantName != "" && e.Fault != tt.wantName {
				t.Errorf("logged fault %q, want %q", e.Fault, tt.wantName)
			}
			if e.StatusCode != tt.wantCode {
				t.Errorf("logged status %d, want %d", e.StatusCode, tt.wantCode)
			}
			if st := tenant.Stats(); st.APIRequests != 1 || st.ByStatus[tt.wantCode] != 1 || st.RateLimited != 0 {
				t.Errorf("Stats = %+v", st)
			}
		})
	}
}

func TestFaultTrackingIDsAreFresh(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	tenant.Inject(ServerError(500))
	token := tenant.IssueToken(DefaultClientID, 0)
	target := apiPath("v3", OpStatus, srcAD)
	a := checkErrorDto(t, get(t, tenant, token, target).Body.Bytes(), detailInternalFault, textInternalFault)
	b := checkErrorDto(t, get(t, tenant, token, target).Body.Bytes(), detailInternalFault, textInternalFault)
	if a.TrackingID == b.TrackingID {
		t.Error("two faulted errors share a tracking id")
	}
}

func TestTokenFaults(t *testing.T) {
	tests := []struct {
		name      string
		fault     Fault
		wantCode  int
		wantBody  string // exact; "" to check JSON members instead
		wantKey   string // a member the body must have
		wantNoKey string // a member the body must not have
	}{
		{"invalid client", TokenInvalidClient(), 401, `{"error":"invalid_client","error_description":"Bad credentials"}`, "", ""},
		{"server error", ServerError(500).WithOp(OpToken), 500, "", "detailCode", ""},
		{"malformed", TokenMalformed(), 200, `{"access_token": "eyJhbGciOi`, "", ""},
		{"missing access token", TokenMissingAccessToken(), 200, "", "expires_in", "access_token"},
		{"empty", EmptyBody().WithOp(OpToken), 200, "", "", ""},
		{"truncated", TruncatedJSON().WithOp(OpToken), 200, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tenant := New()
			tenant.Inject(tt.fault)
			w := postToken(t, tenant, "/oauth/token", defaultForm)
			if w.Code != tt.wantCode {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantCode, w.Body)
			}
			if tt.wantBody != "" && w.Body.String() != tt.wantBody {
				t.Errorf("body = %s, want %s", w.Body, tt.wantBody)
			}
			if tt.wantKey != "" || tt.wantNoKey != "" {
				body := decodeJSON[map[string]any](t, w.Body.Bytes())
				if _, ok := body[tt.wantKey]; tt.wantKey != "" && !ok {
					t.Errorf("body %s lacks %q", w.Body, tt.wantKey)
				}
				if _, ok := body[tt.wantNoKey]; tt.wantNoKey != "" && ok {
					t.Errorf("body %s has %q", w.Body, tt.wantNoKey)
				}
			}
			if tt.name == "truncated" && json.Valid(w.Body.Bytes()) {
				t.Errorf("truncated token body is valid JSON: %s", w.Body)
			}
			if e := lastRequest(t, tenant); e.Fault == "" || e.Op != OpToken {
				t.Errorf("log entry = %+v", e)
			}
		})
	}

	t.Run("API faults leave the token endpoint alone", func(t *testing.T) {
		tenant := New()
		tenant.Inject(ServerError(500))
		if w := postToken(t, tenant, "/oauth/token", defaultForm); w.Code != 200 {
			t.Errorf("token request under an API fault: %d", w.Code)
		}
	})
	t.Run("credentials in the URL are refused before faults", func(t *testing.T) {
		tenant := New()
		tenant.Inject(TokenMalformed())
		if w := postToken(t, tenant, "/oauth/token?client_secret=x", defaultForm); w.Code != 400 {
			t.Errorf("leaking token request under a fault: %d, want 400", w.Code)
		}
	})
}

func TestFaultMatching(t *testing.T) {
	type step struct {
		op, id, query string
		wantCode      int
	}
	const ad, wd = srcAD, srcWorkday
	tests := []struct {
		name   string
		faults []Fault
		steps  []step
	}{
		{"every request by default", []Fault{ServerError(500)}, []step{
			{OpStatus, ad, "", 500}, {OpSummaries, ad, "", 500}, {OpStatus, wd, "", 500},
		}},
		{"once", []Fault{ServerError(500).Once()}, []step{
			{OpStatus, ad, "", 500}, {OpStatus, ad, "", 200},
		}},
		{"times", []Fault{ServerError(500).WithTimes(2)}, []step{
			{OpStatus, ad, "", 500}, {OpStatus, ad, "", 500}, {OpStatus, ad, "", 200},
		}},
		{"after, to fail the second call only", []Fault{ServerError(503).WithAfter(1).Once()}, []step{
			{OpSummaries, ad, "", 200}, {OpSummaries, ad, "", 503}, {OpSummaries, ad, "", 200},
		}},
		{"by op", []Fault{ServerError(500).WithOp(OpSummaries)}, []step{
			{OpStatus, ad, "", 200}, {OpSummaries, ad, "", 500},
		}},
		{"by source", []Fault{ServerError(500).WithSource(wd)}, []step{
			{OpStatus, ad, "", 200}, {OpStatus, wd, "", 500},
		}},
		{"by offset: the second page only", []Fault{ServerError(502).WithOffset(250)}, []step{
			{OpSummaries, srcSalesforce, "", 200},
			{OpSummaries, srcSalesforce, "?offset=250", 502},
			{OpSummaries, srcSalesforce, "?offset=0", 200},
			{OpStatus, srcSalesforce, "", 200},
		}},
		{"by offset: the second page of the source list", []Fault{ServerError(503).WithOp(OpListSources).WithOffset(250)}, []step{
			{OpListSources, "", "", 200}, {OpListSources, "", "?offset=250&count=true", 503}, {OpSummaries, srcSalesforce, "?offset=250", 200},
		}},
		{"by source: get and usage calls, never the list", []Fault{ServerError(500).WithSource(srcAD)}, []step{
			{OpGetSource, srcAD, "", 500}, {OpStatus, srcAD, "", 500}, {OpListSources, "", "", 200}, {OpGetSource, srcWorkday, "", 200},
		}},
		{"by op: the sources operations", []Fault{ServerError(500).WithOp(OpGetSource)}, []step{
			{OpListSources, "", "", 200}, {OpGetSource, srcAD, "", 500}, {OpStatus, srcAD, "", 200},
		}},
		{"any API operation by default", []Fault{ServerError(500).WithTimes(2)}, []step{
			{OpListSources, "", "", 500}, {OpGetSource, srcAD, "", 500}, {OpGetSource, srcAD, "", 200},
		}},
		{"offset 0 matches an absent offset", []Fault{ServerError(500).WithOffset(0)}, []step{
			{OpSummaries, ad, "", 500}, {OpSummaries, ad, "?offset=1", 200}, {OpSummaries, ad, "?offset=bad", 400},
		}},
		{"first armed fault wins", []Fault{ServerError(500).Once(), ServerError(503)}, []step{
			{OpStatus, ad, "", 500}, {OpStatus, ad, "", 503}, {OpStatus, ad, "", 503},
		}},
		{"unknown op never matches", []Fault{ServerError(500).WithOp("bogus")}, []step{
			{OpStatus, ad, "", 200},
		}},
		{"negative counts act as zero", []Fault{ServerError(500).WithTimes(-1).WithAfter(-3)}, []step{
			{OpStatus, ad, "", 500}, {OpStatus, ad, "", 500},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tenant := New(WithSources(testSources()...))
			for _, f := range tt.faults {
				tenant.Inject(f)
			}
			token := tenant.IssueToken(DefaultClientID, 0)
			for i, s := range tt.steps {
				if w := get(t, tenant, token, apiPath("v3", s.op, s.id)+s.query); w.Code != s.wantCode {
					t.Errorf("step %d (%s %s%s): %d, want %d", i, s.op, s.id, s.query, w.Code, s.wantCode)
				}
			}
		})
	}
}

func TestFaultWithoutConstructorDoesNothing(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	tenant.Inject(Fault{})
	if w := get(t, tenant, tenant.IssueToken(DefaultClientID, 0), apiPath("v3", OpStatus, srcAD)); w.Code != 200 || lastRequest(t, tenant).Fault != "" {
		t.Errorf("a zero Fault acted: %d %+v", w.Code, lastRequest(t, tenant))
	}
}

func TestFaultsActAfterAuthentication(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	tenant.Inject(ServerError(500).Once())
	target := apiPath("v3", OpStatus, srcAD)
	if w := get(t, tenant, "", target); w.Code != 401 {
		t.Fatalf("unauthenticated call under a fault: %d, want 401", w.Code)
	}
	if w := get(t, tenant, tenant.IssueToken(DefaultClientID, 0), target); w.Code != 500 {
		t.Fatalf("the fault should still be armed: %d", w.Code)
	}
}

func TestCloseMidBody(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	tenant.Inject(CloseMidBody().WithOp(OpSummaries))
	srv := httptest.NewServer(tenant)
	defer srv.Close()

	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+apiPath("v3", OpSummaries, srcSalesforce), nil)
	req.Header.Set("Authorization", "Bearer "+tenant.IssueToken(DefaultClientID, 0))
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("the headers should arrive: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != 200 || resp.ContentLength <= 0 {
		t.Fatalf("status %d, Content-Length %d", resp.StatusCode, resp.ContentLength)
	}
	body, err := io.ReadAll(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("reading the body: %v, want unexpected EOF", err)
	}
	if got, want := int64(len(body)), resp.ContentLength/2; got != want {
		t.Errorf("read %d bytes before the close, want %d", got, want)
	}
	// The client sees the EOF a moment before the tenant logs the answer.
	for deadline := time.Now().Add(5 * time.Second); lastRequest(t, tenant).StatusCode == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if e := lastRequest(t, tenant); e.Fault != "close_mid_body" || e.StatusCode != 200 {
		t.Errorf("log entry = %+v", e)
	}

	// The server survives: the next request on a new connection is answered normally.
	req2, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+apiPath("v3", OpStatus, srcSalesforce), nil)
	req2.Header = req.Header
	resp2, err := srv.Client().Do(req2)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp2.Body.Close()
	if resp2.StatusCode != 200 {
		t.Errorf("next request: %d", resp2.StatusCode)
	}
}

func TestCloseMidBodyWithoutHijacker(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	tenant.Inject(CloseMidBody())
	w := get(t, tenant, tenant.IssueToken(DefaultClientID, 0), apiPath("v3", OpStatus, srcAD))
	if w.Code != 200 || w.Body.String() != `{"status":` || w.Header().Get("Content-Length") != "21" {
		t.Errorf("%d %q Content-Length %s", w.Code, w.Body, w.Header().Get("Content-Length"))
	}
}

func TestDelayRespectsCancellation(t *testing.T) {
	tenant := New(WithSources(testSources()...))
	tenant.Inject(Delay(time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	r := httptest.NewRequestWithContext(ctx, http.MethodGet, apiPath("v3", OpStatus, srcAD), nil)
	r.Header.Set("Authorization", "Bearer "+tenant.IssueToken(DefaultClientID, 0))
	w := httptest.NewRecorder()
	start := time.Now()
	tenant.ServeHTTP(w, r)
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Fatalf("the handler waited %v for a client that left", elapsed)
	}
	if w.Body.Len() != 0 {
		t.Errorf("wrote %q to a client that left", w.Body)
	}
	if e := lastRequest(t, tenant); e.StatusCode != statusClientClosed || e.Fault != "delay" {
		t.Errorf("log entry = %+v", e)
	}
}

// The error faults word their bodies as ISC does; clients show these messages.
func TestErrorFaultBodies(t *testing.T) {
	tests := []struct {
		fault            Fault
		code             int
		detail, wantText string
	}{
		{ContentEncodingUTF8(400), 400, detailBadRequest, "The request was syntactically correct but its content is semantically invalid."},
		{ContentEncodingUTF8(403), 403, detailForbidden, textForbidden},
		{ContentEncodingUTF8(404), 404, detailNotFound, "The requested resource was not found."},
		{ContentEncodingUTF8(409), 409, "409 Conflict", "Conflict."},
		{ServerError(500), 500, detailInternalFault, textInternalFault},
		{ServerError(501), 501, "501 Not Implemented", textInternalFault},
		{ErrorDto(418, "418 Teapot", "short and stout"), 418, "418 Teapot", "short and stout"},
	}
	for _, tt := range tests {
		t.Run(tt.fault.Name+" "+strconv.Itoa(tt.code), func(t *testing.T) {
			tenant := New(WithSources(testSources()...))
			tenant.Inject(tt.fault)
			w := get(t, tenant, tenant.IssueToken(DefaultClientID, 0), apiPath("v3", OpStatus, srcAD))
			if w.Code != tt.code {
				t.Fatalf("status = %d, want %d", w.Code, tt.code)
			}
			if dto := checkErrorDto(t, w.Body.Bytes(), tt.detail, tt.wantText); dto.Messages[0].Text != tt.wantText {
				t.Errorf("text = %q, want %q", dto.Messages[0].Text, tt.wantText)
			}
		})
	}
}
