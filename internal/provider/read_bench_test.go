package provider_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/protoharness"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/replay"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/provider"
)

// The read-path benchmarks call ReadDataSource as Terraform does (msgpack config in, msgpack
// state out) on a configured provider. They are run by make bench (see BENCHMARKS.md), never
// by make test. Three variants:
//
//	replay         HTTP answered from memory, no logging: the provider's own work per read
//	               (client stack, decoding, aggregates) plus the framework's conversions
//	replay+logs    the same, logging as under Terraform: every logger at TRACE, JSON lines
//	               written (to /dev/null here, to Terraform over stderr in a plan)
//	loopback+logs  a fake tenant on 127.0.0.1 as well: adds the HTTP round trip and the
//	               fake's server work, which runs in this process and so counts too
//
// BenchmarkReadNoop* in internal/bench/noopprovider is the same call on a provider that does
// no work of its own: the framework's share.

func BenchmarkReadSourceUsageStatus(b *testing.B) {
	benchmarkRead(b, "sailpoint_source_usage_status")
}

func BenchmarkReadSourceUsages(b *testing.B) {
	benchmarkRead(b, "sailpoint_source_usages")
}

func benchmarkRead(b *testing.B, typeName string) {
	for _, variant := range []struct {
		name           string
		loopback, logs bool
	}{
		{"replay", false, false},
		{"replay+logs", false, true},
		{"loopback+logs", true, true},
	} {
		b.Run(variant.name, func(b *testing.B) {
			tenant := fakeisc.New(fakeisc.WithGeneratedSources(1))
			baseURL := "http://127.0.0.1:1" // never dialled by the replay transport
			var opts []provider.Option
			if !variant.loopback {
				opts = append(opts, provider.WithTransport(replay.New(tenant)))
			} else {
				srv := httptest.NewServer(tenant)
				b.Cleanup(srv.Close)
				baseURL = srv.URL
				// As in a plan, reuse connections: the default transport keeps 2 idle ones.
				opts = append(opts, provider.WithTransport(&http.Transport{MaxIdleConnsPerHost: 32}))
			}
			ctx := context.Background()
			h, err := protoharness.Configure(ctx, provider.New("bench", opts...), map[string]tftypes.Value{
				"base_url":      tftypes.NewValue(tftypes.String, baseURL),
				"client_id":     tftypes.NewValue(tftypes.String, fakeisc.DefaultClientID),
				"client_secret": tftypes.NewValue(tftypes.String, fakeisc.DefaultClientSecret),
				// Far above any rate a benchmark reaches, so pacing never waits.
				"requests_per_second": tftypes.NewValue(tftypes.Number, 1e9),
			})
			if err != nil {
				b.Fatal(err)
			}
			if variant.logs {
				if err := h.EnableLogging(b); err != nil {
					b.Fatal(err)
				}
			}
			cfg, err := h.DataSourceConfig(typeName, map[string]tftypes.Value{
				"source_id": tftypes.NewValue(tftypes.String, fakeisc.GeneratedSourceID(0)),
			})
			if err != nil {
				b.Fatal(err)
			}
			// The first read fetches the token; a plan pays for it once, not per read.
			if _, err := h.ReadDataSource(ctx, typeName, cfg); err != nil {
				b.Fatal(err)
			}
			tenant.Reset()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := h.ReadDataSource(ctx, typeName, cfg); err != nil {
					b.Fatal(err)
				}
			}
			if variant.loopback {
				// Exact, not timed: every read is one API request and no read asks for a token.
				st := tenant.Stats()
				b.ReportMetric(float64(st.APIRequests)/float64(b.N), "requests/op")
				b.ReportMetric(float64(st.TokenRequests)/float64(b.N), "tokens/op")
			}
		})
	}
}
