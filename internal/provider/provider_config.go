package provider

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// Environment variables read by the provider. SAIL_BASE_URL, SAIL_CLIENT_ID and
// SAIL_CLIENT_SECRET are the names SailPoint's own SDKs and CLI use.
const (
	EnvBaseURL      = "SAIL_BASE_URL"
	EnvTenant       = "SAIL_TENANT"
	EnvClientID     = "SAIL_CLIENT_ID"
	EnvClientSecret = "SAIL_CLIENT_SECRET" //nolint:gosec // the name of a variable, not a credential
	EnvAccessToken  = "SAIL_ACCESS_TOKEN"  //nolint:gosec // the name of a variable, not a credential
	EnvTokenURL     = "SAIL_TOKEN_URL"     //nolint:gosec // the name of a variable, not a credential
	EnvAPIVersion   = "SAIL_API_VERSION"
)

// providerModel maps the provider block.
type providerModel struct {
	BaseURL           types.String  `tfsdk:"base_url"`
	Tenant            types.String  `tfsdk:"tenant"`
	ClientID          types.String  `tfsdk:"client_id"`
	ClientSecret      types.String  `tfsdk:"client_secret"`
	AccessToken       types.String  `tfsdk:"access_token"`
	TokenURL          types.String  `tfsdk:"token_url"`
	APIVersion        types.String  `tfsdk:"api_version"`
	RequestTimeout    types.String  `tfsdk:"request_timeout"`
	MaxRetries        types.Int64   `tfsdk:"max_retries"`
	RequestsPerSecond types.Float64 `tfsdk:"requests_per_second"`
}

// unknown lists the attributes whose values are known only after apply, for example a URL
// taken from another resource.
func (m providerModel) unknown() []string {
	var out []string
	for _, a := range []struct {
		name  string
		value attr.Value
	}{
		{"base_url", m.BaseURL}, {"tenant", m.Tenant}, {"client_id", m.ClientID}, {"client_secret", m.ClientSecret},
		{"access_token", m.AccessToken}, {"token_url", m.TokenURL}, {"api_version", m.APIVersion},
		{"request_timeout", m.RequestTimeout}, {"max_retries", m.MaxRetries}, {"requests_per_second", m.RequestsPerSecond},
	} {
		if a.value.IsUnknown() {
			out = append(out, a.name)
		}
	}
	return out
}

// lookupEnv reads an environment variable; set-but-empty counts as unset, and surrounding
// white space (a pasted newline) is dropped.
func lookupEnv(name string) (string, bool) {
	v, ok := os.LookupEnv(name)
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

// setting is one value and where it came from: "base_url" or "SAIL_BASE_URL".
type setting struct {
	value, source string
	set           bool
}

// pick returns the HCL value when set, else the environment variable's.
func pick(attr string, v types.String, env string, lookup func(string) (string, bool)) setting {
	if !v.IsNull() {
		return setting{value: v.ValueString(), source: attr, set: true}
	}
	if env != "" {
		if ev, ok := lookup(env); ok {
			return setting{value: ev, source: env, set: true}
		}
	}
	return setting{}
}

// origin says which settings the user set for the URLs and credentials, by the name they set
// them under (base_url or SAIL_BASE_URL, say), so that an error can tell the user what to
// change.
type origin struct {
	baseURL     string // base_url, SAIL_BASE_URL, tenant or SAIL_TENANT
	tokenURL    string // token_url or SAIL_TOKEN_URL; "" when it is the base URL's /oauth/token
	credentials string // e.g. "SAIL_CLIENT_ID and SAIL_CLIENT_SECRET", or "access_token"
	apiVersion  string // api_version or SAIL_API_VERSION; "" for the default
}

// resolveConfig turns a fully known provider block and the environment into a client
// configuration, and says where its URLs and credentials came from: HCL wins over the
// environment, client.DefaultConfig fills the rest, and client.Config.Validate judges the
// result. Every problem is reported against the attribute it concerns, naming where the value
// came from.
func resolveConfig(m providerModel, lookup func(string) (string, bool)) (client.Config, origin, diag.Diagnostics) {
	var diags diag.Diagnostics
	var from origin
	cfg := client.DefaultConfig()
	// source records where each checked value came from; a field absent here was reported
	// missing already, so its validation error would only repeat that.
	source := map[client.Field]string{}

	base, fromTenant := resolveBaseURL(m, lookup, &diags)
	if base.set {
		cfg.BaseURL, source[client.FieldBaseURL], from.baseURL = base.value, base.source, base.source
	}
	if id, secret, token, creds, ok := resolveCredentials(m, lookup, &diags); ok {
		cfg.ClientID, cfg.ClientSecret, cfg.AccessToken = id, secret, token
		source[client.FieldCredentials], from.credentials = "credentials", creds
	}
	if v := pick("token_url", m.TokenURL, EnvTokenURL, lookup); v.set {
		cfg.TokenURL, source[client.FieldTokenURL], from.tokenURL = v.value, v.source, v.source
	}
	source[client.FieldAPIVersion] = "api_version"
	if v := pick("api_version", m.APIVersion, EnvAPIVersion, lookup); v.set {
		cfg.APIVersion, source[client.FieldAPIVersion], from.apiVersion = v.value, v.source, v.source
	}
	if !m.RequestTimeout.IsNull() {
		d, err := parsePositiveDuration(m.RequestTimeout.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid request timeout", err.Error())
		} else {
			cfg.RequestTimeout, source[client.FieldRequestTimeout] = d, "request_timeout"
		}
	}
	if !m.MaxRetries.IsNull() {
		cfg.MaxRetries, source[client.FieldMaxRetries] = int(m.MaxRetries.ValueInt64()), "max_retries"
	}
	if !m.RequestsPerSecond.IsNull() {
		cfg.RequestsPerSecond, source[client.FieldRequestsPerSecond] = m.RequestsPerSecond.ValueFloat64(), "requests_per_second"
	}

	var cerr *client.ConfigError
	for _, err := range unjoin(cfg.Validate()) {
		if !errors.As(err, &cerr) || source[cerr.Field] == "" {
			continue
		}
		attribute, summary := string(cerr.Field), invalidSummary[cerr.Field]
		if cerr.Field == client.FieldBaseURL && fromTenant {
			attribute, summary = "tenant", "Invalid tenant"
		}
		diags.AddAttributeError(path.Root(attribute), summary, fmt.Sprintf("%s: %s", source[cerr.Field], cerr.Err))
	}
	return cfg, from, diags
}

// invalidSummary is the summary of a diagnostic about each field client.Config.Validate checks.
var invalidSummary = map[client.Field]string{
	client.FieldBaseURL:           "Invalid base URL",
	client.FieldTokenURL:          "Invalid token URL",
	client.FieldCredentials:       "Invalid credentials",
	client.FieldAPIVersion:        "Invalid API version",
	client.FieldRequestTimeout:    "Invalid request timeout",
	client.FieldMaxRetries:        "Invalid max_retries",
	client.FieldRequestsPerSecond: "Invalid requests_per_second",
}

// unjoin splits an errors.Join result.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok { //nolint:errorlint // splitting, not matching
		return j.Unwrap()
	}
	if err != nil {
		return []error{err}
	}
	return nil
}

// resolveBaseURL resolves base_url and tenant. In HCL the two conflict (a validator says so);
// from the environment, setting both SAIL_BASE_URL and SAIL_TENANT is an error too, but
// either one in HCL overrides both variables.
func resolveBaseURL(m providerModel, lookup func(string) (string, bool), diags *diag.Diagnostics) (base setting, fromTenant bool) {
	var tenant setting
	switch {
	case !m.BaseURL.IsNull() && !m.Tenant.IsNull():
		diags.AddAttributeError(path.Root("tenant"), "Conflicting base_url and tenant", "Set base_url or tenant, not both.")
		return setting{}, false
	case !m.BaseURL.IsNull():
		base = setting{value: m.BaseURL.ValueString(), source: "base_url", set: true}
	case !m.Tenant.IsNull():
		tenant = setting{value: m.Tenant.ValueString(), source: "tenant", set: true}
	default:
		base = pick("base_url", m.BaseURL, EnvBaseURL, lookup)
		tenant = pick("tenant", m.Tenant, EnvTenant, lookup)
		if base.set && tenant.set {
			diags.AddAttributeError(path.Root("base_url"), "Conflicting SAIL_BASE_URL and SAIL_TENANT",
				"Both environment variables are set; unset one of them, or set base_url or tenant in the provider block, which overrides both.")
			return setting{}, false
		}
	}
	switch {
	case tenant.set:
		u, err := client.TenantBaseURL(tenant.value)
		if err != nil {
			diags.AddAttributeError(path.Root("tenant"), "Invalid tenant", fmt.Sprintf("%s: %s", tenant.source, err))
			return setting{}, true
		}
		return setting{value: u, source: tenant.source, set: true}, true
	case base.set:
		return base, false
	}
	diags.AddAttributeError(path.Root("base_url"), "Missing SailPoint API base URL",
		"The provider needs the API base URL of your tenant. Set base_url (e.g. \"https://acme.api.identitynow.com\") or "+
			"tenant (e.g. \"acme\") in the provider block, or the SAIL_BASE_URL or SAIL_TENANT environment variable.")
	return setting{}, false
}

// resolveCredentials resolves the authentication method, and names the settings it came from.
// Precedence: an access token or client credentials set in HCL; then SAIL_ACCESS_TOKEN; then
// SAIL_CLIENT_ID and SAIL_CLIENT_SECRET. HCL credentials may take a missing half of the pair
// from the environment.
func resolveCredentials(m providerModel, lookup func(string) (string, bool), diags *diag.Diagnostics) (id, secret, token, from string, ok bool) {
	hclCreds := !m.ClientID.IsNull() || !m.ClientSecret.IsNull()
	if !m.AccessToken.IsNull() {
		if hclCreds {
			diags.AddAttributeError(path.Root("access_token"), "Conflicting credentials",
				"Set either access_token or client_id and client_secret, not both.")
			return "", "", "", "", false
		}
		return "", "", m.AccessToken.ValueString(), "access_token", true
	}
	if !hclCreds {
		if tok, ok := lookup(EnvAccessToken); ok {
			return "", "", tok, EnvAccessToken, true
		}
	}
	cid := pick("client_id", m.ClientID, EnvClientID, lookup)
	sec := pick("client_secret", m.ClientSecret, EnvClientSecret, lookup)
	switch {
	case !cid.set && !sec.set:
		diags.AddAttributeError(path.Root("client_id"), "Missing SailPoint credentials",
			"The provider needs credentials with the scopes idn:sources:read, idn:identity-history:manage and, for the account "+
				"data sources, idn:accounts:read. Set client_id "+
				"and client_secret (an API client or a personal access token) in the provider block or as the SAIL_CLIENT_ID and "+
				"SAIL_CLIENT_SECRET environment variables, or give a ready access token as access_token or SAIL_ACCESS_TOKEN.")
	case !cid.set:
		diags.AddAttributeError(path.Root("client_id"), "Missing client id",
			fmt.Sprintf("A client secret is set (%s) but no client id: set client_id or the SAIL_CLIENT_ID environment variable.", sec.source))
	case !sec.set:
		diags.AddAttributeError(path.Root("client_secret"), "Missing client secret",
			fmt.Sprintf("A client id is set (%s) but no client secret: set client_secret or the SAIL_CLIENT_SECRET environment variable.", cid.source))
	default:
		return cid.value, sec.value, "", cid.source + " and " + sec.source, true
	}
	return "", "", "", "", false
}

func parsePositiveDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration: use a number with a unit, such as \"30s\", \"90s\" or \"2m\"", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q must be more than zero", s)
	}
	return d, nil
}
