// Package usagestats turns a source's usage rows into the numbers users compare in HCL: each
// count, and the latest, average and largest count. Every number is Terraform's own kind of
// number, a 512-bit float built from the API's decimal text exactly as HCL builds a literal,
// so `count == 10.45`, `count < 10.45` and `count * 100` give what the API's 10.45 means. The
// average is computed exactly and rounded once.
package usagestats

import (
	"encoding/json"
	"math/big"
	"slices"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// precision is the mantissa size, in bits, of the numbers Terraform and HCL compute with.
const precision = 512

// Number parses a count's decimal text as HCL parses a number literal. The client's decoder
// has checked the text is a number of bounded size; anything else gives nil.
func Number(n json.Number) *big.Float {
	f, _, err := big.ParseFloat(string(n), 10, precision, big.ToNearestEven)
	if err != nil {
		return nil
	}
	return f
}

// Summary holds the aggregates; a nil field means no row had a value for it.
type Summary struct {
	// LatestDate and LatestCount come from the row with the greatest date, whatever order the
	// rows arrived in. The first such row wins a tie.
	LatestDate  *string
	LatestCount *big.Float
	// AverageCount and MaxCount cover every row whose count is present.
	AverageCount *big.Float
	MaxCount     *big.Float
}

// Summarize computes the Summary of rows. Rows with a missing or unreadable date take no part
// in "latest"; rows with a missing count take no part in the average or maximum.
func Summarize(rows []client.SourceUsage) Summary {
	var (
		s      Summary
		latest time.Time
		sum    big.Rat
		n      int64
		maxRat *big.Rat
	)
	for _, r := range rows {
		if d, ok := rowDate(r); ok && (s.LatestDate == nil || d.After(latest)) {
			latest, s.LatestDate, s.LatestCount = d, r.Date, nil
			if r.Count != nil {
				s.LatestCount = Number(*r.Count)
			}
		}
		if r.Count == nil {
			continue
		}
		v, ok := new(big.Rat).SetString(r.Count.String())
		if !ok {
			continue
		}
		sum.Add(&sum, v)
		n++
		if maxRat == nil || v.Cmp(maxRat) > 0 {
			maxRat = v
		}
	}
	if n > 0 {
		avg := new(big.Rat).Quo(&sum, new(big.Rat).SetInt64(n))
		s.AverageCount = new(big.Float).SetPrec(precision).SetRat(avg)
		s.MaxCount = new(big.Float).SetPrec(precision).SetRat(maxRat)
	}
	return s
}

// Newest returns the n (at least 1) rows with the greatest dates, newest first; rows of equal
// dates keep their order. Rows without a readable date are left out: nobody can tell which
// month they are.
func Newest(rows []client.SourceUsage, n int) []client.SourceUsage {
	dated := make([]client.SourceUsage, 0, len(rows))
	for _, r := range rows {
		if _, ok := rowDate(r); ok {
			dated = append(dated, r)
		}
	}
	slices.SortStableFunc(dated, func(a, b client.SourceUsage) int {
		da, _ := rowDate(a)
		db, _ := rowDate(b)
		return db.Compare(da)
	})
	if n < len(dated) {
		dated = dated[:n]
	}
	return dated
}

// AnyAtLeast reports whether a row's count is at least threshold.
func AnyAtLeast(rows []client.SourceUsage, threshold *big.Float) bool {
	for _, r := range rows {
		if r.Count == nil {
			continue
		}
		if v := Number(*r.Count); v != nil && v.Cmp(threshold) >= 0 {
			return true
		}
	}
	return false
}

func rowDate(r client.SourceUsage) (time.Time, bool) {
	if r.Date == nil {
		return time.Time{}, false
	}
	return parseDate(*r.Date)
}

// parseDate reads a row date: the API's "2006-01-02", or a full RFC 3339 timestamp should a
// version ever send one.
func parseDate(s string) (time.Time, bool) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}
