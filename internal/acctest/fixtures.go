package acctest

import (
	"fmt"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// The ids of the fixture sources every NewFake serves. They are 32 lowercase hex
// characters, like real ISC ids; the first is the example id of the official spec.
const (
	// SourceActiveDirectory is COMPLETE with 12 monthly rows for 2024, counts with two
	// decimals: 12.30, 11.87, 10.45 (the spec's example value), 13.02, 14.50, 9.95, 8.40,
	// 10.10, 15.25, 16.00, 14.75, 13.60.
	SourceActiveDirectory = "2c9180835d191a86015d28455b4a2329"
	// SourceWorkday is INCOMPLETE and has no rows: no activity data source is set up.
	SourceWorkday = "2c91808b6ef1d43e016efba0ce470904"
	// SourceSalesforce is COMPLETE with 300 daily rows from 2024-01-01, more than one
	// page of 250, so clients must page to see them all.
	SourceSalesforce = "2c91808c7d0e6f1a017d1b2c3d4e5f60"
	// SourceServiceNow is COMPLETE with 12 monthly rows for 2024 returned newest first,
	// the June one with a field the spec does not define ("region"), as a newer API might.
	SourceServiceNow = "2c9180877a9e3c5f017aa1b2c3d4e5f6"
)

// FixtureSources returns the fixture sources, freshly built so the caller may change
// them. Their data is fixed, so tests can assert exact values.
func FixtureSources() []fakeisc.Source {
	month := func(m int) string {
		return time.Date(2024, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}

	ad := fakeisc.Source{ID: SourceActiveDirectory, Status: "COMPLETE"}
	for i, count := range []string{"12.30", "11.87", "10.45", "13.02", "14.50", "9.95", "8.40", "10.10", "15.25", "16.00", "14.75", "13.60"} {
		ad.Usages = append(ad.Usages, fakeisc.Row(month(i+1), count))
	}

	sf := fakeisc.Source{ID: SourceSalesforce, Status: "COMPLETE"}
	for day := range 300 {
		hundredths := (day*1237 + 500) % 3100 // any deterministic spread within 0..30.99
		date := time.Date(2024, time.January, 1+day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		sf.Usages = append(sf.Usages, fakeisc.Row(date, fmt.Sprintf("%d.%02d", hundredths/100, hundredths%100)))
	}

	sn := fakeisc.Source{ID: SourceServiceNow, Status: "COMPLETE"}
	for i, count := range []string{"4.25", "3.90", "0", "5.10", "6.75", "7", "6.20", "5.55", "4.80", "3.35", "2.95", "3.05"} {
		row := fakeisc.Row(month(12-i), count)
		if 12-i == 6 {
			row = row.WithExtra("region", `"emea"`)
		}
		sn.Usages = append(sn.Usages, row)
	}

	return []fakeisc.Source{ad, {ID: SourceWorkday, Status: "INCOMPLETE"}, sf, sn}
}
