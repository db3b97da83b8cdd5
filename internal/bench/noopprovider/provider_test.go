package noopprovider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/noopprovider"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/protoharness"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/provider"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/usagestats"
)

// The baseline is only fair while Terraform handles its objects exactly like the sailpoint
// provider's: same data source names after the prefix, same attributes, types and
// required/optional/computed flags.
func TestSchemasMirrorTheSailPointProvider(t *testing.T) {
	ctx := context.Background()
	noop, err := protoharness.Configure(ctx, noopprovider.New, nil)
	if err != nil {
		t.Fatal(err)
	}
	sailpoint, err := protoharness.Configure(ctx, provider.New("test"), map[string]tftypes.Value{
		"base_url":     tftypes.NewValue(tftypes.String, "http://127.0.0.1:1"),
		"access_token": tftypes.NewValue(tftypes.String, "unused"),
	})
	if err != nil {
		t.Fatal(err)
	}
	var mirrored []string
	for _, name := range sailpoint.DataSourceTypes() {
		mirrored = append(mirrored, noopprovider.TypeName+strings.TrimPrefix(name, "sailpoint"))
	}
	if got, want := fmt.Sprint(noop.DataSourceTypes()), fmt.Sprint(mirrored); got != want {
		t.Fatalf("data sources %s, want %s", got, want)
	}
	for _, name := range sailpoint.DataSourceTypes() {
		noopName := noopprovider.TypeName + strings.TrimPrefix(name, "sailpoint")
		want, got := shape(sailpoint.DataSourceSchema(name)), shape(noop.DataSourceSchema(noopName))
		if got != want {
			t.Errorf("%s differs from %s:\n got: %s\nwant: %s", noopName, name, got, want)
		}
	}
}

// shape renders what Terraform core sees of a schema, descriptions and validators aside.
func shape(s *tfprotov6.Schema) string {
	var b strings.Builder
	fmt.Fprintf(&b, "type=%s", s.ValueType())
	for _, a := range s.Block.Attributes {
		fmt.Fprintf(&b, " %s(req=%t opt=%t comp=%t sens=%t)", a.Name, a.Required, a.Optional, a.Computed, a.Sensitive)
	}
	fmt.Fprintf(&b, " blocks=%d", len(s.Block.BlockTypes))
	return b.String()
}

func TestReadReturnsFixedData(t *testing.T) {
	ctx := context.Background()
	h, err := protoharness.Configure(ctx, noopprovider.New, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		typeName string
		check    func(map[string]tftypes.Value) error
	}{
		{"benchnoop_source_usage_status", func(v map[string]tftypes.Value) error {
			return expectString(v["status"], "COMPLETE")
		}},
		{"benchnoop_source_usages", func(v map[string]tftypes.Value) error {
			var rows []tftypes.Value
			if err := v["usages"].As(&rows); err != nil {
				return err
			}
			if len(rows) != 12 {
				return fmt.Errorf("%d rows, want 12", len(rows))
			}
			return expectString(v["latest_date"], "2024-12-01")
		}},
	} {
		t.Run(tc.typeName, func(t *testing.T) {
			cfg, err := h.DataSourceConfig(tc.typeName, map[string]tftypes.Value{"source_id": tftypes.NewValue(tftypes.String, "src-1")})
			if err != nil {
				t.Fatal(err)
			}
			state, err := h.ReadDataSource(ctx, tc.typeName, cfg)
			if err != nil {
				t.Fatal(err)
			}
			typ := h.DataSourceSchema(tc.typeName).ValueType()
			raw, err := state.Unmarshal(typ)
			if err != nil {
				t.Fatal(err)
			}
			var attrs map[string]tftypes.Value
			if err := raw.As(&attrs); err != nil {
				t.Fatal(err)
			}
			if err := expectString(attrs["id"], "src-1"); err != nil {
				t.Error("id:", err)
			}
			if err := tc.check(attrs); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestFixedAggregatesMatchTheSailPointProvider(t *testing.T) {
	rows := make([]client.SourceUsage, len(noopprovider.FixedCounts))
	for i, c := range noopprovider.FixedCounts {
		date := noopprovider.FirstMonth.AddDate(0, i, 0).Format(time.DateOnly)
		// The shortest decimal text of c, as the API would write it.
		count := json.Number(strconv.FormatFloat(c, 'f', -1, 64))
		rows[i] = client.SourceUsage{Date: &date, Count: &count}
	}
	s := usagestats.Summarize(rows)
	if *s.LatestDate != noopprovider.LatestDate || *s.LatestCount != noopprovider.LatestCount ||
		*s.AverageCount != noopprovider.AverageCount || *s.MaxCount != noopprovider.MaxCount {
		t.Fatalf("usagestats gives %s %v %v %v; the fixed aggregates are %s %v %v %v",
			*s.LatestDate, *s.LatestCount, *s.AverageCount, *s.MaxCount,
			noopprovider.LatestDate, noopprovider.LatestCount, noopprovider.AverageCount, noopprovider.MaxCount)
	}
}

func expectString(v tftypes.Value, want string) error {
	var s string
	if err := v.As(&s); err != nil {
		return err
	}
	if s != want {
		return fmt.Errorf("%q, want %q", s, want)
	}
	return nil
}
