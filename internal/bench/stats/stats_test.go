package stats

import (
	"math"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{1, 1, 100}, 1}, // one slow outlier does not move it
	} {
		if got := Median(tc.in); got != tc.want {
			t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if got := Median([]time.Duration{3 * time.Second, time.Second, 2 * time.Second}); got != 2*time.Second {
		t.Errorf("Median of durations = %s", got)
	}
	in := []int{3, 1, 2}
	Median(in)
	if in[0] != 3 {
		t.Error("Median sorted its input in place")
	}
}

func TestMarginal(t *testing.T) {
	// 0.5 s fixed, 2 ms per data source.
	pts := []Point{{100, 0.7}, {1, 0.502}, {1000, 2.5}}
	got, err := Marginal(pts)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-0.002) > 1e-12 {
		t.Fatalf("Marginal = %v, want 0.002", got)
	}
	if _, err := Marginal([]Point{{1, 1}}); err == nil {
		t.Error("one point accepted")
	}
	if _, err := Marginal([]Point{{5, 1}, {5, 2}}); err == nil {
		t.Error("a single N accepted")
	}
}

func TestRatio(t *testing.T) {
	if got := Ratio(3, 2); got != 1.5 {
		t.Errorf("Ratio(3, 2) = %v", got)
	}
	if got := Ratio(1, 0); !math.IsNaN(got) {
		t.Errorf("Ratio(1, 0) = %v, want NaN", got)
	}
}

func TestRates(t *testing.T) {
	if got := PerWindow(300, 31*time.Second, 10*time.Second); math.Abs(got-96.774) > 0.001 {
		t.Errorf("PerWindow = %v", got)
	}
	if got := PerWindow(1, 0, time.Second); got != 0 {
		t.Errorf("PerWindow over no time = %v", got)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var arrivals []time.Time
	for i := range 99 { // 98 intervals of 102 ms, shuffled order must not matter
		arrivals = append(arrivals, t0.Add(time.Duration((i*37)%99)*102*time.Millisecond))
	}
	rate, span := SteadyRate(arrivals, 10*time.Second)
	if span != 98*102*time.Millisecond || math.Abs(rate-98.0392) > 0.001 {
		t.Errorf("SteadyRate = %v over %s", rate, span)
	}
	if rate, span := SteadyRate(arrivals[:1], time.Second); rate != 0 || span != 0 {
		t.Errorf("SteadyRate of one arrival = %v, %s", rate, span)
	}
}
