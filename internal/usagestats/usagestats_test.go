package usagestats

import (
	"encoding/json"
	"testing"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

func row(date, count string) client.SourceUsage {
	var r client.SourceUsage
	if date != "" {
		r.Date = &date
	}
	if count != "" {
		n := json.Number(count)
		r.Count = &n
	}
	return r
}

func TestSummarize(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	s := func(v string) *string { return &v }
	tests := []struct {
		name string
		rows []client.SourceUsage
		want Summary
	}{
		{name: "no rows", rows: nil, want: Summary{}},
		{name: "one row", rows: []client.SourceUsage{row("2024-01-01", "10.45")}, want: Summary{s("2024-01-01"), f(10.45), f(10.45), f(10.45)}},
		{
			name: "latest whatever the order",
			rows: []client.SourceUsage{row("2024-03-01", "3"), row("2024-12-01", "12"), row("2024-01-01", "1")},
			want: Summary{s("2024-12-01"), f(12), f(16.0 / 3), f(12)},
		},
		{
			name: "exact average",
			rows: []client.SourceUsage{row("2024-01-01", "0.1"), row("2024-02-01", "0.2")},
			want: Summary{s("2024-02-01"), f(0.2), f(0.15), f(0.2)},
		},
		{
			name: "tie keeps the first",
			rows: []client.SourceUsage{row("2024-05-01", "5"), row("2024-05-01", "6")},
			want: Summary{s("2024-05-01"), f(5), f(5.5), f(6)},
		},
		{
			name: "latest row without count",
			rows: []client.SourceUsage{row("2024-01-01", "2"), row("2024-02-01", "")},
			want: Summary{s("2024-02-01"), nil, f(2), f(2)},
		},
		{
			name: "no dates",
			rows: []client.SourceUsage{row("", "2"), row("not a date", "4")},
			want: Summary{nil, nil, f(3), f(4)},
		},
		{
			name: "no counts",
			rows: []client.SourceUsage{row("2024-01-01", "")},
			want: Summary{s("2024-01-01"), nil, nil, nil},
		},
		{
			name: "timestamps and negatives",
			rows: []client.SourceUsage{row("2024-01-01T00:00:00Z", "-1"), row("2024-01-01T00:00:01Z", "-3")},
			want: Summary{s("2024-01-01T00:00:01Z"), f(-3), f(-2), f(-1)},
		},
		{
			name: "many digits",
			rows: []client.SourceUsage{row("2024-01-01", "12.345678901234567890123"), row("2024-02-01", "1e2")},
			want: Summary{s("2024-02-01"), f(100), f(56.172839450617284), f(100)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.rows)
			eqS(t, "LatestDate", got.LatestDate, tt.want.LatestDate)
			eqF(t, "LatestCount", got.LatestCount, tt.want.LatestCount)
			eqF(t, "AverageCount", got.AverageCount, tt.want.AverageCount)
			eqF(t, "MaxCount", got.MaxCount, tt.want.MaxCount)
		})
	}
}

func eqS(t *testing.T, name string, got, want *string) {
	t.Helper()
	if (got == nil) != (want == nil) || (got != nil && *got != *want) {
		t.Errorf("%s = %v, want %v", name, str(got), str(want))
	}
}

func eqF(t *testing.T, name string, got, want *float64) {
	t.Helper()
	if (got == nil) != (want == nil) || (got != nil && *got != *want) {
		t.Errorf("%s = %v, want %v", name, flt(got), flt(want))
	}
}

func str(p *string) any {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func flt(p *float64) any {
	if p == nil {
		return "<nil>"
	}
	return *p
}
