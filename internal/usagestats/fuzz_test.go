package usagestats

import (
	"testing"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// FuzzSummarize: for any page the decoder accepts, the aggregates are consistent: the
// average lies between the smallest and the largest count, the maximum is one of the
// counts, and the latest date is one of the dates.
func FuzzSummarize(f *testing.F) {
	for _, s := range []string{
		`[]`, `[{"date":"2024-01-01","count":10.45}]`, `[{"date":"2024-01-01","count":0.1},{"date":"2024-02-01","count":0.2}]`,
		`[{"date":null,"count":1},{"date":"2024-13-01","count":-5},{"date":"2024-02-30"}]`,
		`[{"date":"2024-01-01T00:00:00Z","count":1e308},{"date":"2024-01-02","count":1e308}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rows, err := client.DecodeUsages(body)
		if err != nil {
			return
		}
		s := Summarize(rows)
		var counts []float64
		dates := map[string]bool{}
		for _, r := range rows {
			if c, ok := r.CountFloat64(); ok {
				counts = append(counts, c)
			}
			if r.Date != nil {
				dates[*r.Date] = true
			}
		}
		if (s.AverageCount == nil) != (len(counts) == 0) || (s.MaxCount == nil) != (len(counts) == 0) {
			t.Fatalf("aggregates %+v for %d counts", s, len(counts))
		}
		if len(counts) > 0 {
			lo, hi := counts[0], counts[0]
			found := false
			for _, c := range counts {
				lo, hi = min(lo, c), max(hi, c)
				found = found || c == *s.MaxCount
			}
			if !found || *s.MaxCount != hi {
				t.Fatalf("max %v is not the largest count %v", *s.MaxCount, hi)
			}
			if *s.AverageCount < lo || *s.AverageCount > hi {
				t.Fatalf("average %v outside [%v, %v]", *s.AverageCount, lo, hi)
			}
		}
		if s.LatestDate != nil && !dates[*s.LatestDate] {
			t.Fatalf("latest date %q is not a row's date", *s.LatestDate)
		}
	})
}
