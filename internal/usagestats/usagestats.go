// Package usagestats turns usage rows into the numbers users compare in HCL: each count, and
// the latest, average and largest count. Every number is Terraform's own kind of number, a
// 512-bit float built from decimal text exactly as HCL builds a literal, so `count == 10.45`,
// `count < 10.45` and `count * 100` give what the API's 10.45 means. Counts are the API's own
// text; the average is computed exactly and rounded once, half to even, to AverageDecimals
// decimal places, so that it reads like the counts it comes from.
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

// AverageDecimals is how many decimal places an average keeps. The exact average of 4 and 0
// and 0 is 1.3333..., which at Terraform's precision prints some 155 digits in every plan, in
// state and in `terraform show -json`; counts themselves have two decimals at most.
const AverageDecimals = 4

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
	// AverageCount and MaxCount cover every row whose count is present. AverageCount is the
	// exact average rounded once, half to even, to AverageDecimals places.
	AverageCount *big.Float
	MaxCount     *big.Float
}

// Summarize computes the Summary of rows. Rows with a missing or unreadable date take no part
// in "latest"; rows with a missing count take no part in the average or maximum.
func Summarize(rows []client.Usage) Summary {
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
		s.AverageCount = Round(new(big.Rat).Quo(&sum, new(big.Rat).SetInt64(n)))
		s.MaxCount = new(big.Float).SetPrec(precision).SetRat(maxRat)
	}
	return s
}

// Round rounds r half to even to AverageDecimals decimal places and returns the number HCL
// makes of that decimal literal.
func Round(r *big.Rat) *big.Float {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(AverageDecimals), nil)
	scaled := new(big.Int).Mul(r.Num(), scale)
	q, rem := new(big.Int).QuoRem(scaled, r.Denom(), new(big.Int)) // q truncated toward zero
	// Compare the remainder with half of the denominator: above half, or exactly half with an
	// odd q, moves q one step away from zero.
	switch c := new(big.Int).Lsh(rem.Abs(rem), 1).Cmp(r.Denom()); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		q.Add(q, big.NewInt(int64(r.Sign())))
	}
	return Number(json.Number(new(big.Rat).SetFrac(q, scale).FloatString(AverageDecimals)))
}

// Newest returns the n (at least 1) rows with the greatest dates, newest first; rows of equal
// dates keep their order. Rows without a readable date are left out: nobody can tell which
// month they are.
func Newest(rows []client.Usage, n int) []client.Usage {
	dated := make([]client.Usage, 0, len(rows))
	for _, r := range rows {
		if _, ok := rowDate(r); ok {
			dated = append(dated, r)
		}
	}
	slices.SortStableFunc(dated, func(a, b client.Usage) int {
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
func AnyAtLeast(rows []client.Usage, threshold *big.Float) bool {
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

func rowDate(r client.Usage) (time.Time, bool) {
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
