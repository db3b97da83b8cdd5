package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/usagereport"
)

// readFailure is a failed read, rendered as one diagnostic: what failed, the facts of the
// call (the call, HTTP status, the API's detailCode, message and trackingId), and what to do,
// in terms of the settings the user actually set.
type readFailure struct {
	summary string        // "Unable to read usage status of source \"abc\""
	context []client.Fact // what the user asked for, e.g. the filter that was sent
	err     error
	data    *providerData
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
	var (
		e        *client.Error
		notFound *usagereport.UsageNotFoundError
		advice   string
	)
	switch {
	case errors.As(f.err, &notFound):
		e = notFound.Err
		facts = append(facts, e.Facts()...)
		facts = append(facts, client.Fact{Label: "But", Value: notFound.Exists})
		advice = f.data.usageNotServedHint()
	case errors.As(f.err, &e):
		facts = append(facts, e.Facts()...)
		advice = f.data.hint(e)
	default:
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
	if advice != "" {
		b.WriteString("\nWhat to do: " + advice)
	}
	return b.String()
}

// setting names the setting that a call's URL comes from, as the user set it, and its value:
// `SAIL_BASE_URL (https://acme.api.identitynow.com)`. That is the base URL's setting for an API
// call, and for a token request too unless token_url or SAIL_TOKEN_URL is set: the token URL
// is then the base URL's /oauth/token.
func (d *providerData) setting(op client.Op) (name, described string) {
	cfg := d.client.Config()
	if op == client.OpToken && d.origin.tokenURL != "" {
		return d.origin.tokenURL, fmt.Sprintf("%s (%s)", d.origin.tokenURL, cfg.TokenURL)
	}
	return d.origin.baseURL, fmt.Sprintf("%s (%s)", d.origin.baseURL, cfg.BaseURL)
}

// hint says what the user can do about a failed call, by what the call was for and how it
// failed. It names only the provider's settings and the arguments of every data source that
// makes the call (TestHintsNameOnlyArgumentsTheDataSourceHas).
func (d *providerData) hint(e *client.Error) string {
	cfg := d.client.Config()
	switch e.Kind {
	case client.KindRedirect:
		_, where := d.setting(e.Op)
		if e.Op == client.OpToken {
			return "the token URL answered with a redirect, which the provider never follows (it would carry your " +
				"credentials elsewhere). Check " + where + ", or set token_url to the tenant's tokenEndpoint, shown by " +
				"GET {base_url}/oauth/info."
		}
		return "the API answered with a redirect, which the provider never follows (it would carry your token elsewhere). " +
			"Check " + where + ": it must be the API host, https://{tenant}.api.identitynow.com, not the UI host " +
			"{tenant}.identitynow.com or a proxy in front of it."
	case client.KindTransport:
		return d.transportHint(e)
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
		return d.tokenHint(e)
	}
	switch code := e.StatusCode; {
	case code == http.StatusBadRequest && (e.Op == client.OpUsageSummaries || e.Op == client.OpAccountUsages):
		return "the API rejected the request parameters. sorters may name only fields the API sorts on: date, or -date for newest first."
	case code == http.StatusBadRequest && e.Op == client.OpListSources:
		return "the API rejected the filters or sorters above; its message names the problem. Filters use SailPoint's grammar, " +
			"e.g. type eq \"Active Directory\" and name sw \"AD\", with strings in double quotes."
	case code == http.StatusBadRequest && e.Op == client.OpListAccounts:
		return "the API rejected the filters or sorters above; its message names the problem. Filters use SailPoint's grammar, " +
			"e.g. uncorrelated eq true and name sw \"svc-\", with strings in double quotes; disabled and locked cannot " +
			"be filtered on: filter on them in HCL."
	case code == http.StatusBadRequest:
		return "the API rejected the request. Check the id and api_version."
	case code == http.StatusUnauthorized && cfg.AccessToken != "":
		return "the access token given as " + d.origin.credentials + " was rejected; it has probably expired or been " +
			"revoked. Obtain a new one, or configure client_id and client_secret (or SAIL_CLIENT_ID and SAIL_CLIENT_SECRET) " +
			"so that the provider fetches and refreshes tokens itself."
	case code == http.StatusUnauthorized:
		return "the API rejected an access token the provider had just obtained. Check that the API client or personal " +
			"access token (" + d.origin.credentials + ") belongs to this tenant (" + cfg.BaseURL + ") and has not been disabled."
	case code == http.StatusForbidden && e.Op == client.OpListSources:
		return "the credentials may not list sources. If they belong to a source sub-admin, set for_subadmin = \"me\" to " +
			"list the sources you administer; otherwise grant the scope idn:sources:read."
	case code == http.StatusForbidden && e.Op == client.OpGetSource:
		return "the credentials may not read this source: grant the scope idn:sources:read (for a sub-admin, only the " +
			"sources they administer are visible)."
	case code == http.StatusForbidden && (e.Op == client.OpListAccounts || e.Op == client.OpGetAccount):
		return "the credentials may not read accounts: they lack the scope idn:accounts:read. Grant it to the API client or " +
			"personal access token (for a PAT, its user also needs a user level that allows it), then run again."
	case code == http.StatusForbidden:
		return "the credentials may not read usage: they lack the scope idn:identity-history:manage. Grant it to the API " +
			"client or personal access token (for a PAT, its user also needs a user level that allows it), then run again."
	case code == http.StatusNotFound && (e.Op == client.OpListSources || e.Op == client.OpListAccounts):
		return "the tenant does not serve this list at this path: " + d.apiVersionAdvice()
	case code == http.StatusNotFound && (e.Op == client.OpAccountUsages || e.Op == client.OpGetAccount):
		return "check that the id is the id of an account in this tenant (" + cfg.BaseURL + "); data.sailpoint_accounts " +
			"lists them. If the account was deleted, remove it from the configuration. If every account answers 404 " +
			"here, the tenant does not serve these paths: " + d.apiVersionAdvice()
	case code == http.StatusNotFound && e.Op == client.OpGetSource:
		return "no source in this tenant (" + cfg.BaseURL + ") has that id. Ids are 32 hexadecimal characters; " +
			"data.sailpoint_sources lists them, and data.sailpoint_source can look one up by name."
	case code == http.StatusNotFound:
		return "check that the id is the id of a source in this tenant (" + cfg.BaseURL + "); data.sailpoint_sources " +
			"lists them. If the source was deleted, remove it from the configuration. If every source answers 404 here, " +
			"the tenant does not serve these paths: " + d.apiVersionAdvice()
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

// usageNotServedHint explains a usage call's 404 for an object that exists: the usage API is
// not answering at these paths, so no usage can be judged and the read fails closed.
func (d *providerData) usageNotServedHint() string {
	return "the usage API answered 404 for an object that exists, so its usage cannot be judged, and the read " +
		"stopped rather than report it as missing. The tenant's gateway does not seem to serve the usage paths of " +
		"this API version: " + d.apiVersionAdvice() + " If it persists, contact SailPoint support and quote the trackingId above."
}

// apiVersionAdvice suggests another api_version, naming the one in use and where it was set.
func (d *providerData) apiVersionAdvice() string {
	version, from := d.client.Config().APIVersion, "the default"
	if d.origin.apiVersion != "" {
		from = d.origin.apiVersion
	}
	other := client.VersionV3
	if version == client.VersionV3 {
		other = client.VersionV1
	}
	return fmt.Sprintf("set api_version (or SAIL_API_VERSION) to %q instead of %q (%s) and run again.", other, version, from)
}

// quote says what to give SailPoint support: the trackingId when the API sent one.
func quote(e *client.Error) string {
	if e.TrackingID != "" {
		return "quote the trackingId above."
	}
	return "quote the call above and the time it failed."
}

func (d *providerData) transportHint(e *client.Error) string {
	cfg := d.client.Config()
	setting, where := d.setting(e.Op)
	switch e.Cause {
	case client.CauseTimeout:
		return fmt.Sprintf("no attempt completed within request_timeout (%s). Raise request_timeout, or run again when "+
			"the tenant answers faster.", cfg.RequestTimeout)
	case client.CauseTLS:
		return "the server's TLS certificate could not be verified (verification is always on). If your network " +
			"inspects TLS with a private certificate authority, point the SSL_CERT_FILE environment variable at a PEM " +
			"bundle that includes it."
	case client.CauseDNS:
		hint := fmt.Sprintf("the host %s does not exist: check %s for a typo.", host(e, cfg), where)
		if setting == "tenant" || setting == EnvTenant {
			hint += " A tenant name such as \"acme\" means acme.api.identitynow.com; demo, FedRAMP and vanity hosts need " +
				"base_url (or SAIL_BASE_URL) instead."
		}
		return hint
	case client.CauseRefused:
		return fmt.Sprintf("nothing accepts connections at %s: check the host and port of %s, and any proxy in "+
			"between. The API answers over https, on port 443.", host(e, cfg), where)
	}
	return "check that " + where + " is right and reachable from this machine (proxy, firewall), then run again."
}

// host is the host and port a call went to.
func host(e *client.Error, cfg client.Config) string {
	raw := cfg.BaseURL
	if e.Op == client.OpToken {
		raw = cfg.TokenURL
	}
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

func (d *providerData) tokenHint(e *client.Error) string {
	switch {
	case e.DetailCode == "invalid_client" || e.StatusCode == http.StatusUnauthorized:
		return "the token endpoint rejected the client credentials (" + d.origin.credentials + "). Check that they are " +
			"right and belong to this tenant; a personal access token's secret is shown only once, when it is created."
	case e.StatusCode >= 500:
		return "the token endpoint failed on SailPoint's side, through every retry. Run again later."
	case e.StatusCode == http.StatusNotFound:
		_, where := d.setting(e.Op)
		if d.origin.tokenURL != "" {
			return where + " is not a token endpoint. GET {base_url}/oauth/info shows the tenant's real tokenEndpoint."
		}
		return "the token URL, made from " + where + " as {base URL}/oauth/token, is not a token endpoint. Check that " +
			"it is the tenant's API base URL, https://{tenant}.api.identitynow.com, with nothing after the host but a " +
			"proxy's own prefix; if the tenant's tokenEndpoint (GET {base_url}/oauth/info) is elsewhere, set token_url."
	}
	return "check token_url, client_id and client_secret, then run again."
}
