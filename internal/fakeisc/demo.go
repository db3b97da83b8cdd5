package fakeisc

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// GeneratedSourceID returns the id of generated source n (0-based): the first 32 hex
// characters of a SHA-256 of n, so tests and benchmarks can name sources without asking
// the fake.
func GeneratedSourceID(n int) string {
	sum := sha256.Sum256([]byte("fakeisc/generated-source/" + strconv.Itoa(n)))
	return hex.EncodeToString(sum[:16])
}

// WithGeneratedSources adds generated sources 0 to n-1, for tests and benchmarks that need
// many sources. Each is COMPLETE, with 12 monthly rows for 2024 whose counts (two
// decimals, 0 to 30.99) are derived from its id, so every run sees the same data.
func WithGeneratedSources(n int) Option {
	return func(t *Tenant) {
		for i := range max(n, 0) {
			src := Source{ID: GeneratedSourceID(i), Status: "COMPLETE"}
			for month := range 12 {
				sum := sha256.Sum256([]byte(src.ID + "/" + strconv.Itoa(month)))
				hundredths := binary.BigEndian.Uint32(sum[:4]) % 3100
				date := time.Date(2024, time.Month(month+1), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
				src.Usages = append(src.Usages, Row(date, fmt.Sprintf("%d.%02d", hundredths/100, hundredths%100)))
			}
			t.sources[src.ID] = src
		}
	}
}
