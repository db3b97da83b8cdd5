package client

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// setLogEnv sets the variables that make Terraform show provider logs: all empty, then the
// given ones.
func setLogEnv(t *testing.T, set ...string) {
	t.Helper()
	for _, name := range logEnv {
		t.Setenv(name, "")
	}
	for i := 0; i+1 < len(set); i += 2 {
		t.Setenv(set[i], set[i+1])
	}
}

func decodeLogs(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	entries, err := tflogtest.MultilineJSONDecode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// TestLogsNeverCarrySecrets runs calls with every kind of outcome and checks the log lines:
// the client secret and the issued tokens never appear, Authorization is redacted, token
// requests and answers are logged without their bodies, and a secret that the API echoes is
// masked.
func TestLogsNeverCarrySecrets(t *testing.T) {
	setLogEnv(t, "TF_LOG", "TRACE")
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	var calls atomic.Int32
	isc := newTestISC(t, func(w http.ResponseWriter, _ *http.Request) {
		switch calls.Add(1) {
		case 1:
			writeJSON(w, http.StatusInternalServerError, `{"detailCode":"500.0 Internal Fault"}`)
		case 2:
			writeJSON(w, http.StatusUnauthorized, `{"error":"JWT validation failed"}`)
		default:
			writeJSON(w, http.StatusOK, `{"status":"COMPLETE","echo":"`+testClientSecret+`"}`)
		}
	})
	c := isc.client(t)
	if _, err := c.GetSourceUsageStatus(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	logs := buf.String()
	entries := decodeLogs(t, &buf)
	var done, answers, tokenLines int
	var retries []any // after_attempt of each line announcing another attempt
	for _, e := range entries {
		if e["@module"] != "provider.http" {
			t.Errorf("line outside the http subsystem: %v", e)
		}
		if n, ok := e["after_attempt"]; ok {
			retries = append(retries, n)
			if e["url"] != "/source-usages/v1/a/status" {
				t.Errorf("retry line %v", e)
			}
		}
		switch e["@message"] {
		case "ISC request done":
			done++
			if e["op"] == string(OpToken) {
				tokenLines++
				if e["url"] != isc.srv.URL+"/oauth/token" || e["method"] != "POST" || e["status"] != float64(200) {
					t.Errorf("token line %v", e)
				}
			} else if e["url"] != "/source-usages/v1/a/status" || e["op"] != string(OpUsageStatus) || e["method"] != "GET" {
				t.Errorf("API line %v", e)
			}
		case "ISC answer":
			answers++
			if e["op"] == string(OpToken) || e["url"] == isc.srv.URL+"/oauth/token" {
				if _, ok := e["body"]; ok {
					t.Errorf("a token answer's body is logged: %v", e)
				}
				continue
			}
			h, _ := e["request_headers"].(map[string]any)
			if h["Authorization"] != "[REDACTED]" {
				t.Errorf("Authorization not redacted: %v", e)
			}
			if _, ok := e["body"]; !ok {
				t.Errorf("an API answer is logged without its body at TRACE: %v", e)
			}
		}
	}
	// Attempts: the token, the 500, the 401, a new token, the answer; another attempt after
	// the 500 and after the 401.
	if done != 5 || tokenLines != 2 || fmt.Sprint(retries) != "[1 2]" || answers != 5 {
		t.Errorf("%d request lines (%d of tokens), retry lines after attempts %v, %d answers; want 5 (2), [1 2], 5:\n%s",
			done, tokenLines, retries, answers, logs)
	}
	for _, want := range []string{`"status":500`, `"status":401`, `"status":200`, `\"echo\":\"***\"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
	for _, s := range append([]string{testClientSecret}, isc.issuedTokens()...) {
		if strings.Contains(logs, s) {
			t.Errorf("logs contain the secret %q", s)
		}
	}
}

func TestLogsNeverCarryAccessToken(t *testing.T) {
	setLogEnv(t, "TF_LOG_PROVIDER", "TRACE")
	const token = "given-access-token-0123456789"
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	isc := newTestISC(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusForbidden, `{"detailCode":"403 Forbidden","messages":[{"text":"token `+token+` lacks a scope"}]}`)
	})
	_, err := isc.client(t, withAccessToken(token)).GetSourceUsageStatus(ctx, "a")
	if e := asError(t, err); e.StatusCode != 403 {
		t.Fatalf("got %#v", e)
	}
	logs := buf.String()
	if !strings.Contains(logs, `"status":403`) || !strings.Contains(logs, `[REDACTED]`) {
		t.Fatalf("expected the request and its redacted headers in the log:\n%s", logs)
	}
	if strings.Contains(logs, token) {
		t.Errorf("logs contain the access token:\n%s", logs)
	}
}

// Without any of the variables that make Terraform show provider logs, the client logs
// nothing: it does not build lines that Terraform would throw away.
func TestNoLogsWithoutLogEnv(t *testing.T) {
	setLogEnv(t)
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	isc := newTestISC(t, okStatus)
	if _, err := isc.client(t).GetSourceUsageStatus(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("logs without TF_LOG:\n%s", buf.String())
	}
}

func TestLogEnvEnablesLogging(t *testing.T) {
	setLogEnv(t)
	if newLogger("s").enabled {
		t.Fatal("logging enabled without any variable")
	}
	for _, name := range logEnv {
		t.Run(name, func(t *testing.T) {
			setLogEnv(t, name, "DEBUG")
			if !newLogger("s").enabled {
				t.Errorf("%s does not enable logging", name)
			}
		})
	}
}

// The subsystem's level follows TF_LOG_PROVIDER_SAILPOINT_HTTP: at DEBUG, the answers'
// headers and bodies are not logged.
func TestSubsystemLevel(t *testing.T) {
	setLogEnv(t, "TF_LOG", "TRACE", "TF_LOG_PROVIDER_SAILPOINT_HTTP", "DEBUG")
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	isc := newTestISC(t, okStatus)
	if _, err := isc.client(t).GetSourceUsageStatus(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	entries := decodeLogs(t, &buf)
	if len(entries) != 2 {
		t.Fatalf("%d lines, want 2 (token and API request):\n%s", len(entries), buf.String())
	}
	for _, e := range entries {
		if e["@message"] != "ISC request done" || e["@level"] != "debug" {
			t.Errorf("line %v", e)
		}
	}
}

func TestRedactHeaders(t *testing.T) {
	got := redactHeaders(http.Header{
		"Authorization":       {"Bearer abc"},
		"Cookie":              {"a=b"},
		"Set-Cookie":          {"c=d", "e=f"},
		"Proxy-Authorization": {"Basic xyz"},
		"authorization":       {"Bearer lower"}, // not canonical, still redacted
		"X-Total-Count":       {"12"},
		"Accept":              {"application/json", "text/plain"},
	})
	want := map[string]string{
		"Authorization": "[REDACTED]", "Cookie": "[REDACTED]", "Set-Cookie": "[REDACTED]", "Proxy-Authorization": "[REDACTED]",
		"authorization": "[REDACTED]", "X-Total-Count": "12", "Accept": "application/json, text/plain",
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}
