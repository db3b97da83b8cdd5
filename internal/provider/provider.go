// Package provider implements the sailpoint Terraform provider: its configuration and the data
// sources that read SailPoint Identity Security Cloud source usage.
package provider

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

var _ provider.Provider = (*SailPointProvider)(nil)

// SailPointProvider is the sailpoint provider.
type SailPointProvider struct {
	version string
	opts    options
}

// options are knobs for tests and tooling, never exposed in HCL.
type options struct {
	retryWaitMin, retryWaitMax time.Duration
	transport                  http.RoundTripper
	lookupEnv                  func(string) (string, bool)
}

// option adjusts a provider built by New.
type option func(*options)

// withRetryWait shortens the backoff between attempts, so fault tests do not wait seconds.
func withRetryWait(minWait, maxWait time.Duration) option {
	return func(o *options) { o.retryWaitMin, o.retryWaitMax = minWait, maxWait }
}

// withTransport replaces the innermost HTTP transport.
func withTransport(rt http.RoundTripper) option {
	return func(o *options) { o.transport = rt }
}

// withLookupEnv replaces os.LookupEnv for reading SAIL_* variables.
func withLookupEnv(fn func(string) (string, bool)) option {
	return func(o *options) { o.lookupEnv = fn }
}

// New returns a constructor of the provider at version, as providerserver expects.
func New(version string, opts ...option) func() provider.Provider {
	return func() provider.Provider {
		p := &SailPointProvider{version: version}
		for _, o := range opts {
			o(&p.opts)
		}
		return p
	}
}

// providerData is what Configure hands to every data source: a client and where its settings
// came from, or the attributes whose values are not known yet.
type providerData struct {
	client  *client.Client
	origin  origin
	unknown []string
}

func (p *SailPointProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "sailpoint"
	resp.Version = p.version
}

func (p *SailPointProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads SailPoint Identity Security Cloud (ISC) sources and accounts, and how they are used. " +
			"Every attribute is optional in HCL and falls back to its environment variable; a value set in HCL wins.",
		Attributes: map[string]schema.Attribute{
			"base_url": schema.StringAttribute{
				MarkdownDescription: "API base URL of the tenant, e.g. `https://acme.api.identitynow.com` (not the UI host " +
					"`acme.identitynow.com`), and without an API version such as `/v3` at the end: `api_version` chooses that. " +
					"A trailing slash, and a proxy's path prefix, are fine. Must be `https` unless the host is loopback. " +
					"Environment variable: `SAIL_BASE_URL`. Conflicts with `tenant`; either one set here overrides both `SAIL_BASE_URL` and `SAIL_TENANT`.",
				Optional:   true,
				Validators: []validator.String{baseURL(), stringvalidator.ConflictsWith(path.MatchRoot("tenant"))},
			},
			"tenant": schema.StringAttribute{
				MarkdownDescription: "Tenant name, a shortcut for `base_url`: `acme` means `https://acme.api.identitynow.com`. " +
					"Use `base_url` for demo, FedRAMP or vanity hosts. Environment variable: `SAIL_TENANT`. Conflicts with `base_url`; either one set here overrides both `SAIL_BASE_URL` and `SAIL_TENANT`.",
				Optional:   true,
				Validators: []validator.String{tenantName()},
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "OAuth client id of an API client or a personal access token (PAT). " +
					"Environment variable: `SAIL_CLIENT_ID`. The credentials need the scopes `idn:sources:read` (to find sources), " +
					"`idn:identity-history:manage` (to read usage) and, for the account data sources, `idn:accounts:read`. " +
					"The provider exchanges them for access tokens (`POST` to `token_url`) and refreshes those itself.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "Secret of `client_id`. Environment variable: `SAIL_CLIENT_SECRET`. Never logged and never stored in state.",
				Optional:            true,
				Sensitive:           true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "A bearer token obtained elsewhere (for example by `sail` or a CI step), used instead of client " +
					"credentials and never refreshed: when it expires, reads fail with HTTP 401. " +
					"Environment variable: `SAIL_ACCESS_TOKEN`. Conflicts with `client_id` and `client_secret` in HCL. " +
					"Precedence: a token or credentials set in HCL win; otherwise `SAIL_ACCESS_TOKEN` wins over `SAIL_CLIENT_ID`/`SAIL_CLIENT_SECRET`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), stringvalidator.ConflictsWith(path.MatchRoot("client_id"), path.MatchRoot("client_secret"))},
			},
			"token_url": schema.StringAttribute{
				MarkdownDescription: "OAuth token endpoint. Default: the base URL followed by `/oauth/token`. " +
					"`GET {base_url}/oauth/info` shows a tenant's real `tokenEndpoint`. Environment variable: `SAIL_TOKEN_URL`.",
				Optional:   true,
				Validators: []validator.String{endpointURL()},
			},
			"api_version": schema.StringAttribute{
				MarkdownDescription: "API version the calls go to: `v1` (default), the per-service paths SailPoint points every " +
					"client at since 2026 (`/sources/v1`, `/source-usages/v1/{id}/status`), or `v3`, `beta`, `v2024`, `v2025`, " +
					"`v2026` (`/v3/sources`, `/v3/source-usages/{id}/status`). The answers are the same under every version. " +
					"Environment variable: `SAIL_API_VERSION`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(client.APIVersions...)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Longest time one HTTP attempt may take, body included, as a Go duration such as `30s` (default) " +
					"or `2m`. An attempt that runs out is retried like a connection error (see `max_retries`). No environment variable.",
				Optional:   true,
				Validators: []validator.String{positiveDuration()},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a 429, a 500/502/503/504, a dropped "+
					"connection or a timeout, waiting between 1 and 30 seconds with exponential backoff and jitter, or as long as the "+
					"server's `Retry-After` says (at most 5 minutes). Default `%d`; `0` disables retries; at most `100`. "+
					"Other 4xx answers, redirects, unknown hosts and certificate errors are never retried. No environment variable.",
					client.DefaultConfig().MaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 100)},
			},
			"requests_per_second": schema.Float64Attribute{
				MarkdownDescription: "Client-side limit on API requests per second, shared by every read of this provider " +
					"configuration, retries included. Default `10`, ISC's limit of 100 requests per access token per 10 seconds; " +
					"the provider paces itself 2% below it to absorb network jitter, and a 429 pauses every read. Each provider " +
					"configuration has its own access token, so its own budget; lower this only if something else uses the same " +
					"access token (an `access_token` shared with another tool). At least `0.01`. No environment variable.",
				Optional:   true,
				Validators: []validator.Float64{float64validator.AtLeast(0.01)},
			},
		},
	}
}

func (p *SailPointProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var model providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A value taken from a resource that does not exist yet is known only after apply. That
	// is no error: Terraform reads data sources that depend on such values during apply, and
	// configures the provider again first. Terraform versions that can defer do so for every
	// data source; with older ones, a data source read during plan says why it cannot be.
	if unknown := model.unknown(); len(unknown) > 0 {
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
		}
		resp.DataSourceData = &providerData{unknown: unknown}
		return
	}
	lookup := p.opts.lookupEnv
	if lookup == nil {
		lookup = lookupEnv
	}
	cfg, from, diags := resolveConfig(model, lookup)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.UserAgent = fmt.Sprintf("terraform-provider-sailpoint/%s (Terraform %s)", p.version, req.TerraformVersion)
	if p.opts.retryWaitMin > 0 {
		cfg.RetryWaitMin, cfg.RetryWaitMax = p.opts.retryWaitMin, p.opts.retryWaitMax
	}
	cfg.Transport = p.opts.transport

	c, err := client.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid SailPoint provider configuration", err.Error())
		return
	}
	eff := c.Config()
	ctx = tflog.MaskAllFieldValuesStrings(ctx, nonEmpty(eff.ClientSecret, eff.AccessToken)...)
	tflog.Info(ctx, "configured SailPoint ISC client", map[string]any{
		"base_url":            eff.BaseURL,
		"token_url":           eff.TokenURL,
		"api_version":         eff.APIVersion,
		"auth":                authMethod(c),
		"request_timeout":     eff.RequestTimeout.String(),
		"max_retries":         eff.MaxRetries,
		"requests_per_second": eff.RequestsPerSecond,
	})
	resp.DataSourceData = &providerData{client: c, origin: from}
}

// nonEmpty drops empty strings: masking "" would put the mask between every character of
// every logged value.
func nonEmpty(values ...string) []string {
	out := values[:0:0]
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func authMethod(c *client.Client) string {
	if c.UsesAccessToken() {
		return "access_token"
	}
	return "client_credentials"
}

func (p *SailPointProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (p *SailPointProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewSourceUsageStatusDataSource,
		NewSourceUsagesDataSource,
		NewSourcesDataSource,
		NewSourceDataSource,
		NewSourceUsageReportDataSource,
		NewAccountUsagesDataSource,
		NewAccountsDataSource,
		NewAccountUsageReportDataSource,
	}
}
