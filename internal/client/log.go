package client

import (
	"context"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// subsystem is the tflog subsystem of every log line this package writes. Its level follows
// TF_LOG_PROVIDER_SAILPOINT_HTTP, or the provider's level when that is unset.
const subsystem = "http"

// logEnv are the variables that make Terraform (or OpenTofu) show provider logs. Without any
// of them the provider still logs at TRACE, as every plugin does, and Terraform throws the
// lines away; the client then skips its logging altogether instead of building lines nobody
// reads, which is most of its CPU per request.
var logEnv = []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_SAILPOINT", "TF_LOG_PROVIDER_SAILPOINT_HTTP", "TF_ACC_LOG_PATH"}

// logger writes one DEBUG line per attempt and, at TRACE, the headers (Authorization
// redacted) and the body of every API answer. Token requests' bodies are never logged: the
// form holds the client secret and the answer the access token.
type logger struct {
	enabled bool
	secret  string // masked in every field and message
}

func newLogger(secret string) logger {
	enabled := false
	for _, name := range logEnv {
		enabled = enabled || os.Getenv(name) != ""
	}
	return logger{enabled: enabled, secret: secret}
}

// context adds the subsystem, with the secret masked, to ctx.
func (l logger) context(ctx context.Context) context.Context {
	if !l.enabled {
		return ctx
	}
	ctx = tflog.NewSubsystem(ctx, subsystem, tflog.WithLevelFromEnv("TF_LOG_PROVIDER_SAILPOINT_HTTP"))
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, subsystem, "Authorization", "access_token", "client_secret")
	// Config.Validate guarantees the secret in use is not empty; masking "" would garble
	// every logged value.
	ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, subsystem, l.secret)
	return tflog.SubsystemMaskMessageStrings(ctx, subsystem, l.secret)
}

func (l logger) attempt(ctx context.Context, r *request, req *http.Request, a *attempt, n int, took time.Duration) {
	if !l.enabled {
		return
	}
	fields := map[string]any{"op": string(r.op), "method": r.method, "url": r.target(), "attempt": n, "duration_ms": took.Milliseconds()}
	if a.err != nil {
		fields["error"] = a.err.Error()
		tflog.SubsystemDebug(ctx, subsystem, "ISC request failed", fields)
		return
	}
	fields["status"] = a.status
	tflog.SubsystemDebug(ctx, subsystem, "ISC request done", fields)
	if tflog.SubsystemIsTrace(ctx, subsystem) {
		trace := map[string]any{"url": r.target(), "request_headers": redactHeaders(req.Header), "response_headers": redactHeaders(a.header)}
		if r.api() {
			trace["body"] = trimBody(a.body)
		}
		tflog.SubsystemTrace(ctx, subsystem, "ISC answer", trace)
	}
}

func (l logger) retry(ctx context.Context, r *request, n int, wait time.Duration, why string) {
	if l.enabled {
		tflog.SubsystemDebug(ctx, subsystem, "ISC request: "+why, map[string]any{"url": r.target(), "after_attempt": n, "wait_ms": wait.Milliseconds()})
	}
}

var redactedHeaders = map[string]bool{"Authorization": true, "Cookie": true, "Set-Cookie": true, "Proxy-Authorization": true}

func redactHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if redactedHeaders[http.CanonicalHeaderKey(k)] {
			out[k] = "[REDACTED]"
			continue
		}
		out[k] = strings.Join(v, ", ")
	}
	return out
}
