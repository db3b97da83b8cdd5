// Package usagestats computes the policy-friendly aggregates of a source's usage rows. It
// works on the exact decimal text of each count, so an average or a maximum is the float64
// nearest to the true value (the average of 0.1 and 0.2 is 0.15, not 0.15000000000000002).
package usagestats

import (
	"math/big"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// Summary holds the aggregates; a nil field means "no row had a value for it".
type Summary struct {
	// LatestDate and LatestCount come from the row with the greatest date, whatever order
	// the rows arrived in. The first such row wins a tie.
	LatestDate  *string
	LatestCount *float64
	// AverageCount and MaxCount cover every row whose count is present.
	AverageCount *float64
	MaxCount     *float64
}

// Summarize computes the Summary of rows. Rows with a missing or unreadable date do not take
// part in "latest"; rows with a missing count do not take part in the average or maximum.
func Summarize(rows []client.SourceUsage) Summary {
	var (
		s          Summary
		latest     time.Time
		haveLatest bool
		sum        big.Rat
		n          int64
		maxRat     *big.Rat
	)
	for _, r := range rows {
		if r.Date != nil {
			if d, ok := ParseDate(*r.Date); ok && (!haveLatest || d.After(latest)) {
				latest, haveLatest = d, true
				s.LatestDate = r.Date
				s.LatestCount = nil
				if f, ok := r.CountFloat64(); ok {
					s.LatestCount = &f
				}
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
		avg, _ := new(big.Rat).Quo(&sum, new(big.Rat).SetInt64(n)).Float64()
		s.AverageCount = &avg
		mf, _ := maxRat.Float64()
		s.MaxCount = &mf
	}
	return s
}

// ParseDate reads a row date: the API's "2006-01-02", or a full RFC 3339 timestamp should a
// version ever send one.
func ParseDate(s string) (time.Time, bool) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}
