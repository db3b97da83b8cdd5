package noop_test

import (
	"context"
	"maps"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/noop"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/provider"
)

func schemas(t *testing.T, p fwprovider.Provider) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(p)()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v %v", err, resp.Diagnostics)
	}
	return server, resp
}

// The baseline has every data source of the real provider, with the same schema, and the
// same provider schema: nothing to keep in sync by hand.
func TestSchemasAreTheRealOnes(t *testing.T) {
	_, sailpoint := schemas(t, provider.New("test")())
	_, base := schemas(t, noop.New())
	if !reflect.DeepEqual(sailpoint.Provider, base.Provider) {
		t.Error("provider schemas differ")
	}
	if len(sailpoint.DataSourceSchemas) == 0 || len(base.DataSourceSchemas) != len(sailpoint.DataSourceSchemas) {
		t.Fatalf("%d data sources, want the real provider's %d", len(base.DataSourceSchemas), len(sailpoint.DataSourceSchemas))
	}
	for name, s := range sailpoint.DataSourceSchemas {
		baseName := noop.TypeName + strings.TrimPrefix(name, "sailpoint")
		if !reflect.DeepEqual(s, base.DataSourceSchemas[baseName]) {
			t.Errorf("%s: schema differs from %s", baseName, name)
		}
	}
}

// Every read fills each computed attribute, collections with noop.Rows elements (state of
// the size the real provider writes for a source with 12 rows), keeps the arguments, and
// leaves its configuration alone: tftypes.Value.As shares a value's map, and a filled-in
// configuration would cost the baseline work in the framework that the real provider does
// not cause.
func TestRead(t *testing.T) {
	ctx := context.Background()
	lists := map[string]string{"source_usages": "usages", "sources": "sources", "source_usage_report": "unused_source_ids"}
	for _, newDataSource := range noop.New().DataSources(ctx) {
		ds := newDataSource()
		var meta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: noop.TypeName}, &meta)
		var sr datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
		typ, ok := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
		if !ok {
			t.Fatalf("%s: no object type", meta.TypeName)
		}
		values := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			values[name] = tftypes.NewValue(at, nil)
		}
		sourceID, hasSourceID := values["source_id"]
		if hasSourceID {
			values["source_id"] = tftypes.NewValue(tftypes.String, "abc")
		}
		config, want := tftypes.NewValue(typ, values), tftypes.NewValue(typ, maps.Clone(values))
		resp := &datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema}}
		ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: config}}, resp)

		var state map[string]tftypes.Value
		if err := resp.State.Raw.As(&state); err != nil || resp.Diagnostics.HasError() || !config.Equal(want) {
			t.Fatalf("%s: Read changed its configuration or failed: %v %v", meta.TypeName, err, resp.Diagnostics)
		}
		if id := state["source_id"]; hasSourceID && (!id.Equal(values["source_id"]) || sourceID.Equal(id)) {
			t.Errorf("%s: source_id = %v, want the configured one", meta.TypeName, id)
		}
		for name, a := range sr.Schema.Attributes {
			if a.IsComputed() && state[name].IsNull() {
				t.Errorf("%s: computed %s is null", meta.TypeName, name)
			}
		}
		if list := lists[strings.TrimPrefix(meta.TypeName, noop.TypeName+"_")]; list != "" {
			var elems []tftypes.Value
			if err := state[list].As(&elems); err != nil || len(elems) != noop.Rows {
				t.Errorf("%s: %s has %d elements (%v), want %d", meta.TypeName, list, len(elems), err, noop.Rows)
			}
		}
	}
}
