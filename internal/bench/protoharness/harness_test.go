package protoharness

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var schema = &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{
	{Name: "source_id", Type: tftypes.String, Required: true},
	{Name: "limit", Type: tftypes.Number, Optional: true},
}}}

func TestDynamicValueFillsNulls(t *testing.T) {
	dv, err := DynamicValue(schema, map[string]tftypes.Value{"source_id": tftypes.NewValue(tftypes.String, "a")})
	if err != nil {
		t.Fatal(err)
	}
	v, err := dv.Unmarshal(schema.ValueType())
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	if !attrs["limit"].IsNull() || attrs["source_id"].IsNull() {
		t.Fatalf("attributes %v", attrs)
	}
}

func TestDynamicValueRejectsUnknownAttributes(t *testing.T) {
	_, err := DynamicValue(schema, map[string]tftypes.Value{"sourceid": tftypes.NewValue(tftypes.String, "a")})
	if err == nil || !strings.Contains(err.Error(), `"sourceid"`) {
		t.Fatalf("got %v, want an error naming the attribute", err)
	}
}

func TestDiagnosticsError(t *testing.T) {
	if err := diagnosticsError("Read", []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityWarning, Summary: "w"}}); err != nil {
		t.Fatalf("a warning is not an error: %v", err)
	}
	err := diagnosticsError("Read", []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: "boom", Detail: "why"}})
	if err == nil || err.Error() != "Read: boom: why" {
		t.Fatalf("got %v", err)
	}
}
