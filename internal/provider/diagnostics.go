package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// readFailure describes a failed read so that the diagnostic names the source, the call,
// the HTTP status, the API's detailCode, message and trackingId, and what to do next.
type readFailure struct {
	what     string // "source usage status", "source usages"
	sourceID string
	err      error
	c        *client.Client
}

func (f readFailure) summary() string {
	return fmt.Sprintf("Unable to read %s of source %q", f.what, f.sourceID)
}

func (f readFailure) detail() string {
	var b strings.Builder
	var (
		apiErr    *client.APIError
		tokenErr  *client.TokenError
		transErr  *client.TransportError
		decodeErr *client.DecodeError
		pagingErr *client.PagingError
	)
	switch {
	case errors.Is(f.err, context.Canceled):
		b.WriteString("The read was cancelled before it finished (for example by Ctrl-C).\n")
		return b.String()
	case errors.As(f.err, &apiErr):
		fmt.Fprintf(&b, "Call:        %s %s\n", apiErr.Method, apiErr.Path)
		fmt.Fprintf(&b, "HTTP status: %d %s%s\n", apiErr.StatusCode, http.StatusText(apiErr.StatusCode), attempts(apiErr.Attempts))
		if apiErr.DetailCode != "" {
			fmt.Fprintf(&b, "detailCode:  %s\n", apiErr.DetailCode)
		}
		if msg := apiErr.Message(); msg != "" {
			fmt.Fprintf(&b, "Message:     %s\n", msg)
		}
		if apiErr.TrackingID != "" {
			fmt.Fprintf(&b, "trackingId:  %s\n", apiErr.TrackingID)
		}
		if apiErr.RetryAfter != "" {
			fmt.Fprintf(&b, "Retry-After: %s\n", apiErr.RetryAfter)
		}
		fmt.Fprintf(&b, "\n%s", f.apiHint(apiErr))
	case errors.As(f.err, &tokenErr):
		fmt.Fprintf(&b, "Call:        POST %s\n", tokenErr.TokenURL)
		if tokenErr.StatusCode != 0 {
			fmt.Fprintf(&b, "HTTP status: %d %s\n", tokenErr.StatusCode, http.StatusText(tokenErr.StatusCode))
		}
		fmt.Fprintf(&b, "Error:       %s\n", tokenErrorText(tokenErr))
		fmt.Fprintf(&b, "\n%s", tokenHint(tokenErr))
	case errors.As(f.err, &transErr):
		fmt.Fprintf(&b, "Call:        %s %s\n", transErr.Method, transErr.Path)
		fmt.Fprintf(&b, "Error:       %v%s\n", transErr.Err, attempts(transErr.Attempts))
		fmt.Fprintf(&b, "\n%s", f.transportHint(transErr))
	case errors.As(f.err, &decodeErr):
		fmt.Fprintf(&b, "Call:        %s %s\n", decodeErr.Method, decodeErr.Path)
		fmt.Fprintf(&b, "HTTP status: 200 OK%s\n", attempts(decodeErr.Attempts))
		fmt.Fprintf(&b, "Error:       the response is not in the published format: %v\n", decodeErr.Err)
		body := decodeErr.Body
		if body == "" {
			body = "(empty)"
		}
		fmt.Fprintf(&b, "Body:        %s\n", body)
		b.WriteString("\nThe API or a proxy in between answered with a body the provider cannot read. Run again; if it persists, " +
			"report it to SailPoint support with the call and body above.")
	case errors.As(f.err, &pagingErr):
		fmt.Fprintf(&b, "Call:        GET %s\n", pagingErr.Path)
		fmt.Fprintf(&b, "Error:       %s\n", pagingErr.Reason)
		b.WriteString("\nThe read was stopped rather than return a list that may be missing rows. The data may have changed " +
			"while it was being read: run again.")
	default:
		fmt.Fprintf(&b, "Error: %v\n", f.err)
	}
	return b.String()
}

func attempts(n int) string {
	if n > 1 {
		return fmt.Sprintf(" (after %d attempts)", n)
	}
	return ""
}

func (f readFailure) apiHint(e *client.APIError) string {
	cfg := f.c.Config()
	switch code := e.StatusCode; {
	case code == http.StatusBadRequest && f.what == whatUsages:
		return "What to do: the API rejected the request parameters. Check that sorters names only fields the API can sort " +
			"on (today: date, or -date for newest first)."
	case code == http.StatusBadRequest:
		return "What to do: the API rejected the request. Check source_id and api_version."
	case code == http.StatusUnauthorized && f.c.UsesAccessToken():
		return "What to do: the access token was rejected; it has probably expired or been revoked. Obtain a new one " +
			"(access_token or SAIL_ACCESS_TOKEN), or configure client_id and client_secret so the provider fetches and refreshes tokens itself."
	case code == http.StatusUnauthorized:
		return "What to do: the API rejected an access token the provider had just obtained. Check that the API client or " +
			"personal access token belongs to this tenant (" + cfg.BaseURL + ") and has not been disabled."
	case code == http.StatusForbidden:
		return "What to do: the credentials may not read source usage. Grant the API client or personal access token the " +
			"scope idn:identity-history:manage (for a PAT, its user also needs a user level that allows it), then run again."
	case code == http.StatusNotFound:
		return fmt.Sprintf("What to do: check that %q is the id of a source in this tenant (%s); ids are 32 hexadecimal "+
			"characters, shown in the source's URL in the ISC admin UI and by GET /v3/sources. If the source was deleted, "+
			"remove it from the configuration.", f.sourceID, cfg.BaseURL)
	case code == http.StatusTooManyRequests:
		return fmt.Sprintf("What to do: the tenant's rate limit (100 requests per 10 seconds per client id) was still "+
			"exceeded after the retries. Lower requests_per_second (now %g), raise max_retries (now %d), and check whether "+
			"other tools use the same client id at the same time.", cfg.RequestsPerSecond, cfg.MaxRetries)
	case code >= 500:
		return fmt.Sprintf("What to do: this is a failure on SailPoint's side that persisted through %d attempt(s). Run "+
			"again later; if it persists, contact SailPoint support and quote the trackingId above.", max(e.Attempts, 1))
	}
	return "What to do: check the message above; if it is unclear, contact SailPoint support and quote the trackingId."
}

func (f readFailure) transportHint(e *client.TransportError) string {
	cfg := f.c.Config()
	msg := e.Err.Error()
	switch {
	case e.Timeout:
		return fmt.Sprintf("What to do: no attempt completed within request_timeout (%s). Raise request_timeout, or run "+
			"again when the tenant answers faster.", cfg.RequestTimeout)
	case strings.Contains(msg, "certificate") || strings.Contains(msg, "x509") || strings.Contains(msg, "tls:"):
		return "What to do: the server's TLS certificate could not be verified (verification is always on). If your " +
			"network inspects TLS with a private certificate authority, point the SSL_CERT_FILE environment variable at a " +
			"PEM bundle that includes it."
	case strings.Contains(msg, "redirect"):
		return "What to do: set base_url to the API host (https://{tenant}.api.identitynow.com), not the UI host."
	}
	return fmt.Sprintf("What to do: check that base_url (%s) is right and reachable from this machine (DNS, proxy, "+
		"firewall), then run again.", cfg.BaseURL)
}

func tokenErrorText(e *client.TokenError) string {
	switch {
	case e.ErrorCode != "" && e.Description != "":
		return e.ErrorCode + " (" + e.Description + ")"
	case e.ErrorCode != "":
		return e.ErrorCode
	case e.Body != "":
		return e.Body
	case e.Err != nil:
		return e.Err.Error()
	}
	return "unknown"
}

func tokenHint(e *client.TokenError) string {
	switch {
	case e.ErrorCode == "invalid_client" || e.StatusCode == http.StatusUnauthorized:
		return "What to do: the token endpoint rejected the client credentials. Check client_id and client_secret " +
			"(SAIL_CLIENT_ID, SAIL_CLIENT_SECRET) and that they belong to this tenant; a personal access token's secret is " +
			"shown only once, when it is created."
	case e.StatusCode >= 500:
		return "What to do: the token endpoint failed on SailPoint's side, through every retry. Run again later."
	case e.StatusCode == http.StatusNotFound:
		return "What to do: token_url does not point at a token endpoint. GET {base_url}/oauth/info shows the tenant's real tokenEndpoint."
	case e.Unreachable:
		return "What to do: the token endpoint did not answer. Check that base_url (or token_url) is right and reachable " +
			"from this machine (DNS, proxy, firewall); if a private certificate authority is in the way, point SSL_CERT_FILE " +
			"at its PEM bundle. Then run again."
	case e.StatusCode == 0 && e.ErrorCode == "" && e.Body == "":
		return "What to do: the token endpoint's answer could not be used. Check token_url (GET {base_url}/oauth/info " +
			"shows the real tokenEndpoint) and that nothing between you and it rewrites responses, then run again."
	}
	return "What to do: check token_url, client_id and client_secret, then run again."
}
