// Package noop is the benchmark's baseline: a provider with the real provider's schemas, taken
// from provider.New at run time, whose reads return constant data of the same shape without a
// client or a network. What the real provider costs above it is the provider's own work: the
// client, HTTP, decoding and aggregates.
package noop

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/provider"
)

// TypeName is the baseline's provider type name: its data sources are benchnoop_source_usages
// and so on. Address is where Terraform finds it when it reattaches.
const (
	TypeName = "benchnoop"
	Address  = "registry.terraform.io/bench/benchnoop"
)

// Rows is how many elements every computed list, set and map holds: the 12 monthly rows the
// fake tenant serves for a source with usage insights.
const Rows = 12

// New returns the baseline provider.
func New() fwprovider.Provider { return &noopProvider{real: provider.New("bench")()} }

type noopProvider struct{ real fwprovider.Provider }

func (p *noopProvider) Metadata(_ context.Context, _ fwprovider.MetadataRequest, resp *fwprovider.MetadataResponse) {
	resp.TypeName = TypeName
}

// Schema is the real provider's, validators included, so a configuration for one suits both.
func (p *noopProvider) Schema(ctx context.Context, req fwprovider.SchemaRequest, resp *fwprovider.SchemaResponse) {
	p.real.Schema(ctx, req, resp)
}

func (p *noopProvider) Configure(context.Context, fwprovider.ConfigureRequest, *fwprovider.ConfigureResponse) {
}

func (p *noopProvider) Resources(context.Context) []func() resource.Resource { return nil }

// DataSources wraps every data source of the real provider.
func (p *noopProvider) DataSources(ctx context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, newReal := range p.real.DataSources(ctx) {
		out = append(out, func() datasource.DataSource { return dataSource{real: newReal()} })
	}
	return out
}

type dataSource struct{ real datasource.DataSource }

// Metadata is the real one's: it names the type after req.ProviderTypeName, which is TypeName.
func (d dataSource) Metadata(ctx context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	d.real.Metadata(ctx, req, resp)
}

func (d dataSource) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	d.real.Schema(ctx, req, resp)
}

// Read keeps the configuration and gives every null computed attribute a constant value.
func (d dataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config map[string]tftypes.Value // shared with req.Config.Raw: never write to it
	if err := req.Config.Raw.As(&config); err != nil {
		resp.Diagnostics.AddError("benchnoop: unreadable configuration", err.Error())
		return
	}
	attrs := req.Config.Schema.GetAttributes()
	state := make(map[string]tftypes.Value, len(config))
	for name, v := range config {
		if a, ok := attrs[name]; ok && a.IsComputed() && v.IsNull() {
			v = Constant(a.GetType().TerraformType(ctx), 0)
		}
		state[name] = v
	}
	resp.State.Raw = tftypes.NewValue(req.Config.Raw.Type(), state)
}

// Constant returns a known value of type t: strings and numbers that vary with i, so that the
// elements of a set differ, and Rows elements in every collection.
func Constant(t tftypes.Type, i int) tftypes.Value {
	switch t := t.(type) {
	case tftypes.List:
		return tftypes.NewValue(t, constants(t.ElementType))
	case tftypes.Set:
		return tftypes.NewValue(t, constants(t.ElementType))
	case tftypes.Map:
		m := make(map[string]tftypes.Value, Rows)
		for j, v := range constants(t.ElementType) {
			m[fmt.Sprintf("key-%02d", j)] = v
		}
		return tftypes.NewValue(t, m)
	case tftypes.Object:
		m := make(map[string]tftypes.Value, len(t.AttributeTypes))
		for name, at := range t.AttributeTypes {
			m[name] = Constant(at, i)
		}
		return tftypes.NewValue(t, m)
	}
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, fmt.Sprintf("2025-%02d-01", i%Rows+1))
	case t.Is(tftypes.Number): // a decimal, at the precision of HCL's numbers, as the real counts are
		f, _, _ := big.ParseFloat(fmt.Sprintf("%d.45", 10+i), 10, 512, big.ToNearestEven)
		return tftypes.NewValue(t, f)
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, true)
	}
	panic(fmt.Sprintf("benchnoop: no constant for type %s", t))
}

func constants(elem tftypes.Type) []tftypes.Value {
	out := make([]tftypes.Value, Rows)
	for i := range out {
		out[i] = Constant(elem, i)
	}
	return out
}
