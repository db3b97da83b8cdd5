package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

func TestCheckSourceID(t *testing.T) {
	for id, wantErr := range map[string]string{
		"2c9180835d191a86015d28455b4a2329": "",
		"a/b?c#d%2F":                       "",
		"quelle-é":                         "",
		"":                                 "empty",
		" a":                               "white space at byte 0",
		"a\u00a0b":                         "white space",
		"a\x00b":                           "control character U+0000",
		"a\u200bb":                         "control character U+200B",
		"..":                               "is not an id",
	} {
		err := checkSourceID(id)
		switch {
		case wantErr == "" && err != nil:
			t.Errorf("%q: unexpected %v", id, err)
		case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
			t.Errorf("%q: error %v, want %q", id, err, wantErr)
		}
	}
}

func TestSortersPattern(t *testing.T) {
	for s, ok := range map[string]bool{
		"date": true, "-date": true, "date,-name": true, "a.b_c": true,
		"": false, " date": false, "date ": false, "date,": false, ",date": false, "--date": false, "+date": false, "date desc": false, "-": false, "1date": false,
	} {
		if got := sortersPattern.MatchString(s); got != ok {
			t.Errorf("%q: match %v, want %v", s, got, ok)
		}
	}
}

// FuzzSourceIDValidation: every id the plan-time validator accepts, the client can address;
// and no id with white space or control characters gets through.
func FuzzSourceIDValidation(f *testing.F) {
	for _, s := range []string{"2c9180835d191a86015d28455b4a2329", "a b", "..", ".", "", "a/b?c#d", "\u202e", "\t", "ключ", "%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if checkSourceID(id) != nil {
			return
		}
		if err := client.ValidateID(id); err != nil {
			t.Fatalf("%q passes plan-time validation but the client refuses it: %v", id, err)
		}
		for _, r := range id {
			if r < 0x20 || r == 0x7f || r == ' ' {
				t.Fatalf("%q passed validation with %U", id, r)
			}
		}
	})
}

func TestNameFilter(t *testing.T) {
	for name, want := range map[string]string{
		"Active Directory":     `name eq "Active Directory"`,
		`say "hi"`:             `name eq "say \"hi\""`,
		`C:\share`:             `name eq "C:\\share"`,
		`\"`:                   `name eq "\\\""`,
		"#1 & 100% Ünïcødé 名前": `name eq "#1 & 100% Ünïcødé 名前"`,
	} {
		if got := nameFilter(name); got != want {
			t.Errorf("nameFilter(%q) = %s, want %s", name, got, want)
		}
	}
}

// Every list or set argument of every data source refuses a null element at plan time, naming
// the argument, rather than leaving it to the framework's conversion ("Value Conversion Error
// ... This is always an error in the provider").
func TestCollectionArgumentsRefuseNullElements(t *testing.T) {
	ctx := context.Background()
	checked := 0
	for _, newDS := range New("test")().DataSources(ctx) {
		var sresp datasource.SchemaResponse
		newDS().Schema(ctx, datasource.SchemaRequest{}, &sresp)
		// Validators that look at other arguments (ConflictsWith) read them from the
		// configuration: every other argument null.
		typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object) //nolint:forcetypeassert // a schema is always an object
		nulls := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			nulls[name] = tftypes.NewValue(at, nil)
		}
		config := tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, nulls)}
		for name, a := range sresp.Schema.Attributes {
			at := path.Root(name)
			var diags diag.Diagnostics
			switch a := a.(type) {
			case schema.SetAttribute:
				if !a.Optional && !a.Required {
					continue
				}
				value, d := types.SetValue(types.StringType, []attr.Value{types.StringValue("a"), types.StringNull()})
				diags.Append(d...)
				for _, v := range a.Validators {
					var resp validator.SetResponse
					v.ValidateSet(ctx, validator.SetRequest{Path: at, PathExpression: at.Expression(), ConfigValue: value, Config: config}, &resp)
					diags.Append(resp.Diagnostics...)
				}
			case schema.ListAttribute:
				if !a.Optional && !a.Required {
					continue
				}
				value, d := types.ListValue(types.StringType, []attr.Value{types.StringValue("a"), types.StringNull()})
				diags.Append(d...)
				for _, v := range a.Validators {
					var resp validator.ListResponse
					v.ValidateList(ctx, validator.ListRequest{Path: at, PathExpression: at.Expression(), ConfigValue: value, Config: config}, &resp)
					diags.Append(resp.Diagnostics...)
				}
			default:
				continue
			}
			checked++
			refused := false
			for _, d := range diags.Errors() {
				if pd, ok := d.(diag.DiagnosticWithPath); ok && pd.Path().Equal(at) && strings.Contains(d.Detail(), "null value") {
					refused = true
				}
			}
			if !refused {
				t.Errorf("%s accepts a null element: %v", name, diags)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no list or set argument found: the test checks nothing")
	}
}
