// Package protoharness drives a terraform-plugin-framework provider in process through the
// protocol 6 calls Terraform makes (GetProviderSchema, ConfigureProvider, ReadDataSource),
// with configurations encoded as msgpack DynamicValues exactly as Terraform sends them. Only
// the gRPC layer is missing, which makes it the right tool for Go benchmarks of a data
// source's read path.
package protoharness

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tfsdklog"
)

// Harness is one configured provider server.
type Harness struct {
	server      tfprotov6.ProviderServer
	dataSources map[string]*tfprotov6.Schema
	logging     bool
}

// EnableLogging makes every later call log as a provider that Terraform runs does: tf6server
// creates the SDK and provider root loggers again for every call, at TRACE unless TF_LOG_SDK
// and friends say otherwise, writing JSON lines to stderr. Terraform drops those lines unless
// TF_LOG asks for them, but the provider pays to produce them, so a realistic benchmark
// includes them. Stderr points at os.DevNull until tb ends, which keeps the lines out of the
// benchmark's output; the loggers take the writer when they are created.
func (h *Harness) EnableLogging(tb testing.TB) error {
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	saved := os.Stderr
	os.Stderr = devNull
	tb.Cleanup(func() {
		os.Stderr = saved
		_ = devNull.Close()
	})
	h.logging = true
	return nil
}

// loggingContext does what tf6server's does for every call (see EnableLogging).
func loggingContext(ctx context.Context) context.Context {
	ctx = tfsdklog.NewRootSDKLogger(ctx, tfsdklog.WithLevelFromEnv("TF_LOG_SDK"))
	ctx = tfsdklog.NewSubsystem(ctx, "proto", tfsdklog.WithAdditionalLocationOffset(1), tfsdklog.WithLevelFromEnv("TF_LOG_SDK_PROTO"))
	return tfsdklog.NewRootProviderLogger(ctx)
}

// Configure starts a provider server for newProvider, reads its schemas and configures it with
// providerConfig (attribute name to value; every attribute left out is null).
func Configure(ctx context.Context, newProvider func() provider.Provider, providerConfig map[string]tftypes.Value) (*Harness, error) {
	server, err := providerserver.NewProtocol6WithError(newProvider())()
	if err != nil {
		return nil, err
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError("GetProviderSchema", schemas.Diagnostics); err != nil {
		return nil, err
	}
	cfg, err := DynamicValue(schemas.Provider, providerConfig)
	if err != nil {
		return nil, fmt.Errorf("provider configuration: %w", err)
	}
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.5.7", Config: cfg})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError("ConfigureProvider", resp.Diagnostics); err != nil {
		return nil, err
	}
	return &Harness{server: server, dataSources: schemas.DataSourceSchemas}, nil
}

// DataSourceConfig encodes the configuration of one data source of type typeName, as
// Terraform would send it to ReadDataSource.
func (h *Harness) DataSourceConfig(typeName string, attrs map[string]tftypes.Value) (*tfprotov6.DynamicValue, error) {
	s, ok := h.dataSources[typeName]
	if !ok {
		return nil, fmt.Errorf("the provider has no data source %q", typeName)
	}
	return DynamicValue(s, attrs)
}

// ReadDataSource reads one data source and fails on an error diagnostic, so that a benchmark
// never times a failing read. It returns the new state, still encoded.
func (h *Harness) ReadDataSource(ctx context.Context, typeName string, config *tfprotov6.DynamicValue) (*tfprotov6.DynamicValue, error) {
	if h.logging {
		ctx = loggingContext(ctx)
	}
	resp, err := h.server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: config})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError("ReadDataSource "+typeName, resp.Diagnostics); err != nil {
		return nil, err
	}
	return resp.State, nil
}

// DynamicValue builds the object value of schema s with attrs set and every other attribute
// null, encoded as msgpack. Unknown attribute names are an error, so that a typo in a
// benchmark cannot silently read a different configuration.
func DynamicValue(s *tfprotov6.Schema, attrs map[string]tftypes.Value) (*tfprotov6.DynamicValue, error) {
	typ, ok := s.ValueType().(tftypes.Object)
	if !ok {
		return nil, errors.New("the schema is not an object")
	}
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(t, nil)
	}
	for name, v := range attrs {
		if _, ok := typ.AttributeTypes[name]; !ok {
			return nil, fmt.Errorf("the schema has no attribute %q", name)
		}
		vals[name] = v
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		return nil, err
	}
	return &dv, nil
}

// DataSourceTypes lists the data source type names the provider serves, sorted.
func (h *Harness) DataSourceTypes() []string {
	names := make([]string, 0, len(h.dataSources))
	for n := range h.dataSources {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// DataSourceSchema returns the schema of a data source type, or nil.
func (h *Harness) DataSourceSchema(typeName string) *tfprotov6.Schema { return h.dataSources[typeName] }

func diagnosticsError(call string, diags []*tfprotov6.Diagnostic) error {
	var msgs []string
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			msgs = append(msgs, d.Summary+": "+d.Detail)
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %s", call, strings.Join(msgs, "; "))
}
