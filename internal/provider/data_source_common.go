package provider

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// dataSourceBase is what every data source shares: the provider's data, taken in Configure.
type dataSourceBase struct {
	data *providerData
}

// Configure takes the provider's data. It is nil while Terraform validates a configuration,
// before the provider is configured.
func (d *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	d.data = data
}

// read starts a Read: the configuration into model, then the client, or nil after an error or
// a deferral.
func (d *dataSourceBase) read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse, model any) *client.Client {
	resp.Diagnostics.Append(req.Config.Get(ctx, model)...)
	if resp.Diagnostics.HasError() {
		return nil
	}
	return d.client(req, resp)
}

// setState writes the state of a read: the configuration, with the computed attributes set
// to computed, as one Terraform value.
//
// The usage data sources write their state this way, and read their arguments with
// GetAttribute, rather than through a model struct: the framework converts a struct by
// reflection, compiling a regular expression for every field on every call
// (terraform-plugin-framework#725) and converting every value twice. For the reads a plan
// makes by the hundred that was most of the CPU the provider spent above a provider that
// returns constant data (BENCHMARKS.md).
func setState(req datasource.ReadRequest, resp *datasource.ReadResponse, computed map[string]tftypes.Value) {
	var config map[string]tftypes.Value // shared with req.Config.Raw: read only
	err := req.Config.Raw.As(&config)
	state := maps.Clone(config)
	maps.Copy(state, computed)
	if err == nil {
		err = tftypes.ValidateValue(req.Config.Raw.Type(), state)
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to write the state", "This is a bug in the provider; please report it: "+err.Error())
		return
	}
	resp.State.Raw = tftypes.NewValue(req.Config.Raw.Type(), state)
}

// client returns the configured client, or nil after deferring the read or explaining why it
// cannot happen yet.
func (d *dataSourceBase) client(req datasource.ReadRequest, resp *datasource.ReadResponse) *client.Client {
	switch {
	case d.data != nil && d.data.client != nil:
		return d.data.client
	case d.data != nil && req.ClientCapabilities.DeferralAllowed:
		resp.Deferred = &datasource.Deferred{Reason: datasource.DeferredReasonProviderConfigUnknown}
	case d.data != nil:
		resp.Diagnostics.AddError("SailPoint provider configuration not known until apply",
			fmt.Sprintf("The provider block's %s depends on values known only after apply, but this data source is read "+
				"during plan. Give the provider values known at plan time (variables, locals, environment variables), or "+
				"make the data source depend on the same resource so that Terraform reads it during apply.",
				strings.Join(d.data.unknown, ", ")))
	default:
		resp.Diagnostics.AddError("SailPoint provider not configured",
			"The data source was read before the provider was configured. This is a bug in the provider or Terraform; please report it.")
	}
	return nil
}
