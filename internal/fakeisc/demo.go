package fakeisc

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// The demo sources, by the system each one pretends to be. The ids are 32 lowercase hex
// characters, like real ISC ids; the first is the example id of the official spec.
const (
	// DemoSourceActiveDirectory is COMPLETE with 12 monthly rows for 2024, counts with two
	// decimals (March is 10.45, the spec's example value).
	DemoSourceActiveDirectory = "2c9180835d191a86015d28455b4a2329"
	// DemoSourceWorkday is INCOMPLETE and has no rows: no activity data source is set up.
	DemoSourceWorkday = "2c91808b6ef1d43e016efba0ce470904"
	// DemoSourceSalesforce is COMPLETE with 300 daily rows from 2024-01-01, more than one
	// page of 250, so clients must page to see them all.
	DemoSourceSalesforce = "2c91808c7d0e6f1a017d1b2c3d4e5f60"
	// DemoSourceServiceNow is COMPLETE with 12 monthly rows returned newest first, one of
	// which carries a field the spec does not define ("region"), as a newer API might.
	DemoSourceServiceNow = "2c9180877a9e3c5f017aa1b2c3d4e5f6"
)

// demoEpoch is the first day of the fixed calendar the demo and generated rows use. A
// fixed date, rather than "the past 12 months", keeps every fixture byte-for-byte stable.
var demoEpoch = time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)

// DemoSources returns the demo sources (see the DemoSource constants), freshly built so
// the caller may change them.
func DemoSources() []Source {
	adCounts := []string{"12.30", "11.87", "10.45", "13.02", "14.50", "9.95", "8.40", "10.10", "15.25", "16.00", "14.75", "13.60"}
	ad := Source{ID: DemoSourceActiveDirectory, Status: "COMPLETE"}
	for month, count := range adCounts {
		ad.Usages = append(ad.Usages, Row(demoEpoch.AddDate(0, month, 0).Format(time.DateOnly), count))
	}

	sf := Source{ID: DemoSourceSalesforce, Status: "COMPLETE"}
	for day := range 300 {
		// Any deterministic spread of values does; this one stays within 0..30.99.
		hundredths := (day*1237 + 500) % 3100
		sf.Usages = append(sf.Usages, Row(demoEpoch.AddDate(0, 0, day).Format(time.DateOnly), centis(hundredths)))
	}

	snCounts := []string{"4.25", "3.90", "0", "5.10", "6.75", "7", "6.20", "5.55", "4.80", "3.35", "2.95", "3.05"}
	sn := Source{ID: DemoSourceServiceNow, Status: "COMPLETE"}
	for i, count := range snCounts {
		month := 11 - i // newest first
		row := Row(demoEpoch.AddDate(0, month, 0).Format(time.DateOnly), count)
		if month == 5 {
			row = row.WithExtra("region", `"emea"`)
		}
		sn.Usages = append(sn.Usages, row)
	}

	return []Source{
		ad,
		{ID: DemoSourceWorkday, Status: "INCOMPLETE"},
		sf,
		sn,
	}
}

// GeneratedSourceID returns the id of generated source n (0-based): the first 32 hex
// characters of a SHA-256 of n, so benchmarks and scripts can name sources without asking
// the fake.
func GeneratedSourceID(n int) string {
	sum := sha256.Sum256([]byte("fakeisc/generated-source/" + strconv.Itoa(n)))
	return hex.EncodeToString(sum[:])[:32]
}

// GeneratedSource returns generated source n: COMPLETE, with 12 monthly rows for 2024
// whose counts (two decimals, 0 to 30.99) are derived from the id, so every run of a
// benchmark sees the same data.
func GeneratedSource(n int) Source {
	id := GeneratedSourceID(n)
	src := Source{ID: id, Status: "COMPLETE", Usages: make([]Usage, 0, 12)}
	for month := range 12 {
		sum := sha256.Sum256([]byte(id + "/" + strconv.Itoa(month)))
		hundredths := int(binary.BigEndian.Uint32(sum[:4]) % 3100)
		src.Usages = append(src.Usages, Row(demoEpoch.AddDate(0, month, 0).Format(time.DateOnly), centis(hundredths)))
	}
	return src
}

// centis formats a count of hundredths as decimal text with two decimals: 1045 → "10.45".
func centis(hundredths int) string {
	return fmt.Sprintf("%d.%02d", hundredths/100, hundredths%100)
}
