// Package stats holds the arithmetic of the plan benchmarks: medians over repeated runs, the
// marginal cost of one more data source, and the ratio of the provider's marginal cost to the
// baseline's.
package stats

import (
	"errors"
	"math"
	"slices"
	"time"
)

// Median returns the median of vs (the mean of the middle two for an even count), or 0 for
// none. Repeated runs on a shared machine have outliers in one direction, slower, which the
// median ignores and a mean would not.
func Median[T ~int | ~int64 | ~float64](vs []T) T {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Point is a measured value at N data source instances.
type Point struct {
	N     int
	Value float64
}

// Marginal is the cost of one more data source: the slope between the smallest and the
// largest N,
//
//	(value(N_max) - value(N_min)) / (N_max - N_min)
//
// which cancels what every plan pays once whatever N is (starting Terraform and the
// provider, reading schemas, configuring the provider, fetching the token). The points in
// between are not used: they show whether cost grows linearly, which the chart makes visible.
func Marginal(points []Point) (float64, error) {
	if len(points) < 2 {
		return 0, errors.New("need at least two values of N")
	}
	lo, hi := points[0], points[0]
	for _, p := range points[1:] {
		if p.N < lo.N {
			lo = p
		}
		if p.N > hi.N {
			hi = p
		}
	}
	if lo.N == hi.N {
		return 0, errors.New("need two different values of N")
	}
	return (hi.Value - lo.Value) / float64(hi.N-lo.N), nil
}

// Ratio is a/b, or NaN when b is not positive: a baseline that costs nothing measurable
// leaves the ratio undefined rather than infinite.
func Ratio(a, b float64) float64 {
	if b <= 0 {
		return math.NaN()
	}
	return a / b
}

// PerWindow converts count events over elapsed into events per window, e.g. requests per
// 10 s. It is 0 when elapsed is not positive.
func PerWindow(count int, elapsed, window time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return float64(count) / elapsed.Seconds() * window.Seconds()
}

// SteadyRate is the rate of a sequence of arrivals between its first and its last one, per
// window: (len-1) intervals over the span. Unlike PerWindow over a whole plan it leaves out
// Terraform's start-up before the first request, which is not the provider's pacing.
func SteadyRate(arrivals []time.Time, window time.Duration) (float64, time.Duration) {
	if len(arrivals) < 2 {
		return 0, 0
	}
	first, last := slices.MinFunc(arrivals, time.Time.Compare), slices.MaxFunc(arrivals, time.Time.Compare)
	span := last.Sub(first)
	return PerWindow(len(arrivals)-1, span, window), span
}
