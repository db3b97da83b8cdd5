package provider

import (
	"fmt"
	"os"
	"strings"
	"time"

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

// lookupEnv reads an environment variable; set-but-empty counts as unset, and surrounding
// white space (a pasted newline) is dropped.
func lookupEnv(name string) (string, bool) {
	v, ok := os.LookupEnv(name)
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

// setting is one resolved value and where it came from, for error messages.
type setting struct {
	value  string
	source string // "base_url" or "SAIL_BASE_URL"
	set    bool
}

type resolver struct {
	lookup func(string) (string, bool)
	diags  diag.Diagnostics
}

// pick returns the HCL value when set, else the environment variable.
func (r *resolver) pick(attr string, v types.String, env string) setting {
	if r.unknown(attr, v.IsUnknown(), env) {
		return setting{}
	}
	if !v.IsNull() {
		return setting{value: v.ValueString(), source: attr, set: true}
	}
	if env != "" {
		if ev, ok := r.lookup(env); ok {
			return setting{value: ev, source: env, set: true}
		}
	}
	return setting{}
}

func (r *resolver) unknown(attr string, unknown bool, env string) bool {
	if !unknown {
		return false
	}
	alt := ""
	if env != "" {
		alt = fmt.Sprintf(", or leave it out and set the %s environment variable", env)
	}
	r.diags.AddAttributeError(path.Root(attr), "Unknown value for "+attr,
		fmt.Sprintf("The provider cannot be configured because %s depends on a value that is known only after apply. "+
			"Data sources are read during plan, so give %s a value known at plan time%s.", attr, attr, alt))
	return true
}

// resolveConfig turns the provider block and the environment into a client configuration,
// with every problem reported against the attribute (and environment variable) it concerns.
func resolveConfig(m providerModel, lookup func(string) (string, bool)) (client.Config, diag.Diagnostics) {
	r := &resolver{lookup: lookup}
	var cfg client.Config

	cfg.BaseURL = r.baseURL(m)
	r.credentials(m, &cfg)

	if tokenURL := r.pick("token_url", m.TokenURL, EnvTokenURL); tokenURL.set {
		if _, err := client.ValidateEndpointURL(tokenURL.value); err != nil {
			r.diags.AddAttributeError(path.Root("token_url"), "Invalid token URL", fmt.Sprintf("%s: %s", tokenURL.source, err))
		}
		cfg.TokenURL = tokenURL.value
	}

	cfg.APIVersion = client.DefaultAPIVersion
	if v := r.pick("api_version", m.APIVersion, EnvAPIVersion); v.set {
		if !client.IsValidAPIVersion(v.value) {
			r.diags.AddAttributeError(path.Root("api_version"), "Invalid API version",
				fmt.Sprintf("%s is %q; use one of %s.", v.source, v.value, strings.Join(client.APIVersions, ", ")))
		}
		cfg.APIVersion = v.value
	}

	cfg.RequestTimeout = client.DefaultRequestTimeout
	if v := r.pick("request_timeout", m.RequestTimeout, ""); v.set {
		d, err := parsePositiveDuration(v.value)
		if err != nil {
			r.diags.AddAttributeError(path.Root("request_timeout"), "Invalid request timeout", err.Error())
		}
		cfg.RequestTimeout = d
	}

	cfg.MaxRetries = client.DefaultMaxRetries
	if !r.unknown("max_retries", m.MaxRetries.IsUnknown(), "") && !m.MaxRetries.IsNull() {
		cfg.MaxRetries = int(m.MaxRetries.ValueInt64())
	}
	cfg.RequestsPerSecond = client.DefaultRequestsPerSecond
	if !r.unknown("requests_per_second", m.RequestsPerSecond.IsUnknown(), "") && !m.RequestsPerSecond.IsNull() {
		cfg.RequestsPerSecond = m.RequestsPerSecond.ValueFloat64()
	}
	return cfg, r.diags
}

// baseURL resolves base_url and tenant. In HCL the two conflict (a validator says so); from
// the environment, setting both SAIL_BASE_URL and SAIL_TENANT is an error too, but either one
// in HCL overrides both variables.
func (r *resolver) baseURL(m providerModel) string {
	if r.unknown("base_url", m.BaseURL.IsUnknown(), EnvBaseURL) || r.unknown("tenant", m.Tenant.IsUnknown(), EnvTenant) {
		return ""
	}
	var base, tenant setting
	switch {
	case !m.BaseURL.IsNull() && !m.Tenant.IsNull():
		r.diags.AddAttributeError(path.Root("tenant"), "Conflicting base_url and tenant", "Set base_url or tenant, not both.")
		return ""
	case !m.BaseURL.IsNull():
		base = setting{value: m.BaseURL.ValueString(), source: "base_url", set: true}
	case !m.Tenant.IsNull():
		tenant = setting{value: m.Tenant.ValueString(), source: "tenant", set: true}
	default:
		base = r.pick("base_url", m.BaseURL, EnvBaseURL)
		tenant = r.pick("tenant", m.Tenant, EnvTenant)
		if base.set && tenant.set {
			r.diags.AddAttributeError(path.Root("base_url"), "Conflicting SAIL_BASE_URL and SAIL_TENANT",
				"Both environment variables are set; unset one of them, or set base_url or tenant in the provider block, which overrides both.")
			return ""
		}
	}
	switch {
	case tenant.set:
		u, err := client.TenantBaseURL(tenant.value)
		if err != nil {
			r.diags.AddAttributeError(path.Root("tenant"), "Invalid tenant", fmt.Sprintf("%s: %s", tenant.source, err))
		}
		return u
	case base.set:
		if _, err := client.ValidateEndpointURL(base.value); err != nil {
			r.diags.AddAttributeError(path.Root("base_url"), "Invalid base URL", fmt.Sprintf("%s: %s", base.source, err))
		}
		return base.value
	}
	r.diags.AddAttributeError(path.Root("base_url"), "Missing SailPoint API base URL",
		"The provider needs the API base URL of your tenant. Set base_url (e.g. \"https://acme.api.identitynow.com\") or "+
			"tenant (e.g. \"acme\") in the provider block, or the SAIL_BASE_URL or SAIL_TENANT environment variable.")
	return ""
}

// credentials resolves the authentication method. Precedence: an access token or client
// credentials set in HCL; then SAIL_ACCESS_TOKEN; then SAIL_CLIENT_ID and SAIL_CLIENT_SECRET.
// HCL credentials may take a missing half of the pair from the environment.
func (r *resolver) credentials(m providerModel, cfg *client.Config) {
	if r.unknown("access_token", m.AccessToken.IsUnknown(), EnvAccessToken) ||
		r.unknown("client_id", m.ClientID.IsUnknown(), EnvClientID) ||
		r.unknown("client_secret", m.ClientSecret.IsUnknown(), EnvClientSecret) {
		return
	}
	hclCreds := !m.ClientID.IsNull() || !m.ClientSecret.IsNull()
	if !m.AccessToken.IsNull() {
		if hclCreds {
			r.diags.AddAttributeError(path.Root("access_token"), "Conflicting credentials",
				"Set either access_token or client_id and client_secret, not both.")
			return
		}
		cfg.AccessToken = m.AccessToken.ValueString()
		return
	}
	if !hclCreds {
		if tok, ok := r.lookup(EnvAccessToken); ok {
			cfg.AccessToken = tok
			return
		}
	}
	id := r.pick("client_id", m.ClientID, EnvClientID)
	secret := r.pick("client_secret", m.ClientSecret, EnvClientSecret)
	switch {
	case !id.set && !secret.set:
		r.diags.AddAttributeError(path.Root("client_id"), "Missing SailPoint credentials",
			"The provider needs credentials with the scope idn:identity-history:manage. Set client_id and client_secret "+
				"(an API client or a personal access token) in the provider block or as the SAIL_CLIENT_ID and SAIL_CLIENT_SECRET "+
				"environment variables, or give a ready access token as access_token or SAIL_ACCESS_TOKEN.")
	case !id.set:
		r.diags.AddAttributeError(path.Root("client_id"), "Missing client id",
			fmt.Sprintf("A client secret is set (%s) but no client id: set client_id or the SAIL_CLIENT_ID environment variable.", secret.source))
	case !secret.set:
		r.diags.AddAttributeError(path.Root("client_secret"), "Missing client secret",
			fmt.Sprintf("A client id is set (%s) but no client secret: set client_secret or the SAIL_CLIENT_SECRET environment variable.", id.source))
	}
	cfg.ClientID, cfg.ClientSecret = id.value, secret.value
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
