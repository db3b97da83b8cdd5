package noopprovider_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/noopprovider"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/protoharness"
)

// The baseline of BenchmarkReadSourceUsageStatus and BenchmarkReadSourceUsages in
// internal/provider: the same ReadDataSource call, with the same schema, on a provider that
// does no work of its own. Run by make bench, never by make test.

func BenchmarkReadNoopSourceUsageStatus(b *testing.B) {
	benchmarkRead(b, "benchnoop_source_usage_status")
}

func BenchmarkReadNoopSourceUsages(b *testing.B) {
	benchmarkRead(b, "benchnoop_source_usages")
}

// benchmarkRead has the variants of the sailpoint benchmarks that apply to a provider without
// HTTP: bare, and logging as under Terraform (see protoharness.Harness.EnableLogging).
func benchmarkRead(b *testing.B, typeName string) {
	for _, logs := range []bool{false, true} {
		name := "bare"
		if logs {
			name = "logs"
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			h, err := protoharness.Configure(ctx, noopprovider.New, nil)
			if err != nil {
				b.Fatal(err)
			}
			if logs {
				if err := h.EnableLogging(b); err != nil {
					b.Fatal(err)
				}
			}
			cfg, err := h.DataSourceConfig(typeName, map[string]tftypes.Value{
				"source_id": tftypes.NewValue(tftypes.String, "2c9180835d191a86015d28455b4a2329"),
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := h.ReadDataSource(ctx, typeName, cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
