package client

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/replay"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// These benchmarks are run by make bench (see BENCHMARKS.md), never by make test.

// fullPage is a summaries page of 250 rows, written by the fake tenant's own encoder so that
// it is byte for byte what the fake serves: daily rows with two-decimal counts.
func fullPage(b *testing.B) []byte {
	b.Helper()
	var rows []fakeisc.Usage
	for _, s := range fakeisc.DemoSources() {
		if s.ID == fakeisc.DemoSourceSalesforce {
			rows = s.Usages[:PageSize]
		}
	}
	if len(rows) != PageSize {
		b.Fatalf("the Salesforce demo source has %d rows, want at least %d", len(rows), PageSize)
	}
	body, err := json.Marshal(rows)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func BenchmarkDecodeUsages250(b *testing.B) {
	body := fullPage(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		rows, err := DecodeUsages(body)
		if err != nil || len(rows) != PageSize {
			b.Fatalf("decoded %d rows, err %v", len(rows), err)
		}
	}
}

func BenchmarkDecodeStatus(b *testing.B) {
	body := []byte(`{"status":"COMPLETE"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeStatus(body); err != nil {
			b.Fatal(err)
		}
	}
}

// benchClient is a client whose transport answers from memory (see package replay), so the
// figures are the client's own work: token reuse, pacing, retries wrapper, logging, decoding.
func benchClient(b *testing.B) *Client {
	b.Helper()
	tenant := fakeisc.New(fakeisc.WithDemoSources(), fakeisc.WithGeneratedSources(1))
	c, err := New(Config{
		BaseURL:      "http://127.0.0.1:1", // never dialled
		ClientID:     fakeisc.DefaultClientID,
		ClientSecret: fakeisc.DefaultClientSecret,
		// Far above any rate a benchmark reaches, so pacing never waits.
		RequestsPerSecond: 1e9,
		Transport:         replay.New(tenant),
	})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkGetSourceUsageStatus(b *testing.B) {
	c := benchClient(b)
	ctx := context.Background()
	id := fakeisc.GeneratedSourceID(0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetSourceUsageStatus(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListSourceUsages(b *testing.B) {
	for _, bc := range []struct {
		name, id string
		rows     int
	}{
		{"rows=12", fakeisc.GeneratedSourceID(0), 12},
		{"rows=300", fakeisc.DemoSourceSalesforce, 300}, // two pages
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := benchClient(b)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				rows, err := c.ListSourceUsages(ctx, bc.id, UsagesOptions{})
				if err != nil || len(rows) != bc.rows {
					b.Fatalf("read %d rows, err %v", len(rows), err)
				}
			}
		})
	}
}
