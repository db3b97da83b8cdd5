package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// readFailure is a failed read, rendered as one diagnostic: what failed, the facts of the
// call (the call, HTTP status, the API's detailCode, message and trackingId), and what to do.
type readFailure struct {
	summary string        // "Unable to read usage status of source \"abc\""
	context []client.Fact // what the user asked for, e.g. the filter that was sent
	err     error
	cfg     client.Config
}

// add appends the diagnostic to diags, against the attribute at.
func (f readFailure) add(diags *diag.Diagnostics, at path.Path) {
	diags.AddAttributeError(at, f.summary, f.detail())
}

func (f readFailure) detail() string {
	if errors.Is(f.err, context.Canceled) {
		return "The read was cancelled before it finished (for example by Ctrl-C)."
	}
	facts := append([]client.Fact{}, f.context...)
	var e *client.Error
	if errors.As(f.err, &e) {
		facts = append(facts, e.Facts()...)
	} else {
		facts = append(facts, client.Fact{Label: "Error", Value: f.err.Error()})
	}
	width := 0
	for _, fact := range facts {
		width = max(width, len(fact.Label))
	}
	var b strings.Builder
	for _, fact := range facts {
		fmt.Fprintf(&b, "%-*s %s\n", width+1, fact.Label+":", fact.Value)
	}
	if e != nil {
		b.WriteString("\nWhat to do: " + hint(e, f.cfg))
	}
	return b.String()
}

// hint says what the user can do about a failed call, by what the call was for and how it
// failed.
func hint(e *client.Error, cfg client.Config) string {
	switch e.Kind {
	case client.KindRedirect:
		if e.Op == client.OpToken {
			return "token_url answered with a redirect, which the provider never follows (it would carry your credentials " +
				"elsewhere). Set token_url to the tenant's tokenEndpoint, shown by GET {base_url}/oauth/info."
		}
		return "base_url answered with a redirect, which the provider never follows (it would carry your token elsewhere). " +
			"Set base_url to the API host, https://{tenant}.api.identitynow.com, not the UI host {tenant}.identitynow.com " +
			"or a proxy in front of it."
	case client.KindTransport:
		return transportHint(e, cfg)
	case client.KindDecode:
		if e.Op == client.OpToken {
			return "the token endpoint's answer could not be used. Check token_url (GET {base_url}/oauth/info shows the " +
				"real tokenEndpoint) and that nothing between you and it rewrites answers, then run again."
		}
		return "the API, or a proxy in between, answered with a body the provider cannot read. Run again; if it persists, " +
			"report it to SailPoint support with the call and body above."
	case client.KindPaging:
		return "the read was stopped rather than return a list that may be missing or repeating rows. The data may have " +
			"changed while it was being read: run again. If it persists, something between you and ISC does not pass the " +
			"offset parameter on."
	}
	if e.Op == client.OpToken {
		return tokenHint(e)
	}
	switch code := e.StatusCode; {
	case code == http.StatusBadRequest && e.Op == client.OpUsageSummaries:
		return "the API rejected the request parameters. sorters may name only fields the API sorts on: date, or -date for newest first."
	case code == http.StatusBadRequest && e.Op == client.OpListSources:
		return "the API rejected the filters or sorters above; its message names the problem. Filters use SailPoint's grammar, " +
			"e.g. type eq \"Active Directory\" and name sw \"AD\", with strings in double quotes."
	case code == http.StatusBadRequest:
		return "the API rejected the request. Check the id and api_version."
	case code == http.StatusUnauthorized && cfg.AccessToken != "":
		return "the access token was rejected; it has probably expired or been revoked. Obtain a new one (access_token or " +
			"SAIL_ACCESS_TOKEN), or configure client_id and client_secret so the provider fetches and refreshes tokens itself."
	case code == http.StatusUnauthorized:
		return "the API rejected an access token the provider had just obtained. Check that the API client or personal " +
			"access token belongs to this tenant (" + cfg.BaseURL + ") and has not been disabled."
	case code == http.StatusForbidden && e.Op == client.OpListSources:
		return "the credentials may not list sources. If they belong to a source sub-admin, set for_subadmin = \"me\" to " +
			"list the sources you administer; otherwise grant the scope idn:sources:read."
	case code == http.StatusForbidden && e.Op == client.OpGetSource:
		return "the credentials may not read this source: grant the scope idn:sources:read (for a sub-admin, only the " +
			"sources they administer are visible)."
	case code == http.StatusForbidden:
		return "the credentials may not read source usage. Grant the API client or personal access token the scope " +
			"idn:identity-history:manage (for a PAT, its user also needs a user level that allows it), then run again."
	case code == http.StatusNotFound && e.Op == client.OpGetSource:
		return "no source in this tenant (" + cfg.BaseURL + ") has that id. Ids are 32 hexadecimal characters; " +
			"data.sailpoint_sources lists them, and data.sailpoint_source can look one up by name."
	case code == http.StatusNotFound:
		return "check that the id is the id of a source in this tenant (" + cfg.BaseURL + "); data.sailpoint_sources " +
			"lists them. If the source was deleted, remove it from the configuration."
	case code == http.StatusTooManyRequests:
		return fmt.Sprintf("the tenant's rate limit (100 requests per access token per 10 seconds) was still exceeded "+
			"after the retries. Raise max_retries (now %d), lower requests_per_second (now %g), and check whether another "+
			"tool uses the same access token at the same time.", cfg.MaxRetries, cfg.RequestsPerSecond)
	case code >= 500:
		return "this is a failure on SailPoint's side, or of a gateway in between, that persisted through every retry. " +
			"Run again later; if it persists, contact SailPoint support and " + quote(e)
	}
	return "check the message above; if it is unclear, contact SailPoint support and " + quote(e)
}

// quote says what to give SailPoint support: the trackingId when the API sent one.
func quote(e *client.Error) string {
	if e.TrackingID != "" {
		return "quote the trackingId above."
	}
	return "quote the call above and the time it failed."
}

func transportHint(e *client.Error, cfg client.Config) string {
	where := "base_url (" + cfg.BaseURL + ")"
	if e.Op == client.OpToken {
		where = "token_url (" + cfg.TokenURL + ")"
	}
	switch e.Cause {
	case client.CauseTimeout:
		return fmt.Sprintf("no attempt completed within request_timeout (%s). Raise request_timeout, or run again when "+
			"the tenant answers faster.", cfg.RequestTimeout)
	case client.CauseTLS:
		return "the server's TLS certificate could not be verified (verification is always on). If your network " +
			"inspects TLS with a private certificate authority, point the SSL_CERT_FILE environment variable at a PEM " +
			"bundle that includes it."
	case client.CauseDNS:
		return "that host does not exist. Check tenant (\"acme\" means acme.api.identitynow.com) or " + where +
			" for a typo; demo, FedRAMP and vanity hosts need base_url."
	}
	return "check that " + where + " is right and reachable from this machine (proxy, firewall), then run again."
}

func tokenHint(e *client.Error) string {
	switch {
	case e.DetailCode == "invalid_client" || e.StatusCode == http.StatusUnauthorized:
		return "the token endpoint rejected the client credentials. Check client_id and client_secret (SAIL_CLIENT_ID, " +
			"SAIL_CLIENT_SECRET) and that they belong to this tenant; a personal access token's secret is shown only " +
			"once, when it is created."
	case e.StatusCode >= 500:
		return "the token endpoint failed on SailPoint's side, through every retry. Run again later."
	case e.StatusCode == http.StatusNotFound:
		return "token_url does not point at a token endpoint. GET {base_url}/oauth/info shows the tenant's real tokenEndpoint."
	}
	return "check token_url, client_id and client_secret, then run again."
}
