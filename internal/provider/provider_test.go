package provider

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// configure runs Configure with the given attribute values (the others null) and returns
// the diagnostics' text and what was logged.
func configure(t *testing.T, attrs map[string]tftypes.Value) (string, string) {
	t.Helper()
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	p := New("test", WithLookupEnv(func(string) (string, bool) { return "", false }))()
	var sresp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object) //nolint:forcetypeassert // a schema is always an object
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range attrs {
		vals[name] = v
	}
	req := provider.ConfigureRequest{TerraformVersion: "1.5.7", Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)}}
	var resp provider.ConfigureResponse
	p.Configure(ctx, req, &resp)
	var diags []string
	for _, d := range resp.Diagnostics {
		diags = append(diags, d.Summary()+": "+d.Detail())
	}
	return strings.Join(diags, "\n"), logs.String()
}

// The configuration line is readable (an unused, empty credential must not become a mask
// that garbles every value) and carries no secret.
func TestConfigureLogsReadablyWithoutSecrets(t *testing.T) {
	for name, creds := range map[string]map[string]tftypes.Value{
		"access token": {"access_token": tftypes.NewValue(tftypes.String, "tok-123456789")},
		"client credentials": {
			"client_id":     tftypes.NewValue(tftypes.String, "id"),
			"client_secret": tftypes.NewValue(tftypes.String, "secret-123456789"),
		},
	} {
		t.Run(name, func(t *testing.T) {
			creds["base_url"] = tftypes.NewValue(tftypes.String, "https://acme.api.identitynow.com")
			diags, logs := configure(t, creds)
			if diags != "" {
				t.Fatal(diags)
			}
			for _, want := range []string{`"api_version":"v3"`, `"base_url":"https://acme.api.identitynow.com"`, `"requests_per_second":10`} {
				if !strings.Contains(logs, want) {
					t.Errorf("log lacks %s:\n%s", want, logs)
				}
			}
			for _, secret := range []string{"tok-123456789", "secret-123456789"} {
				if strings.Contains(logs, secret) {
					t.Errorf("log contains %s", secret)
				}
			}
		})
	}
}
