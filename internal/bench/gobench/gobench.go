// Package gobench parses the output of `go test -bench`: the standard benchmark line
// format (name, iterations, then value-unit pairs such as ns/op, B/op, allocs/op or custom
// metrics from b.ReportMetric).
package gobench

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/stats"
)

// Line is one benchmark result line.
type Line struct {
	Pkg  string
	Name string // without the -GOMAXPROCS suffix, e.g. BenchmarkReadSourceUsages/replay
	// Procs is the GOMAXPROCS suffix; 1 when the line had none.
	Procs      int
	Iterations int
	// Metrics maps a unit (ns/op, B/op, allocs/op, MB/s, requests/op...) to its value.
	Metrics map[string]float64
}

var procsSuffix = regexp.MustCompile(`-(\d+)$`)

// Parse reads `go test -bench` output. Lines that are not results (goos, cpu, PASS, ok, log
// output) are skipped, except that "pkg:" lines set the package of the results after them.
func Parse(r io.Reader) ([]Line, error) {
	var out []Line
	pkg := ""
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if p, ok := strings.CutPrefix(text, "pkg:"); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		if !strings.HasPrefix(text, "Benchmark") {
			continue
		}
		fields := strings.Fields(text)
		// A benchmark that logs or fails prints its name alone, or with text that is not
		// an iteration count; those are not results.
		if len(fields) < 4 || len(fields)%2 != 0 {
			continue
		}
		iters, err := strconv.Atoi(fields[1])
		if err != nil {
			continue
		}
		l := Line{Pkg: pkg, Name: fields[0], Procs: 1, Iterations: iters, Metrics: map[string]float64{}}
		if m := procsSuffix.FindStringSubmatch(l.Name); m != nil {
			l.Procs, _ = strconv.Atoi(m[1])
			l.Name = strings.TrimSuffix(l.Name, m[0])
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: value %q of %s is not a number", n, fields[i], fields[i+1])
			}
			l.Metrics[fields[i+1]] = v
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

// Result is the summary of every run (-count) of one benchmark.
type Result struct {
	Pkg  string
	Name string
	Runs int
	// Median maps each unit to the median of its values over the runs.
	Median map[string]float64
	// Min and Max map each unit to its extremes over the runs, to show the spread.
	Min, Max map[string]float64
}

// Summarize groups lines by package and name, in order of first appearance.
func Summarize(lines []Line) []Result {
	type key struct{ pkg, name string }
	var order []key
	values := map[key]map[string][]float64{}
	for _, l := range lines {
		k := key{l.Pkg, l.Name}
		if values[k] == nil {
			values[k] = map[string][]float64{}
			order = append(order, k)
		}
		for unit, v := range l.Metrics {
			values[k][unit] = append(values[k][unit], v)
		}
	}
	out := make([]Result, 0, len(order))
	for _, k := range order {
		r := Result{Pkg: k.pkg, Name: k.name, Median: map[string]float64{}, Min: map[string]float64{}, Max: map[string]float64{}}
		for unit, vs := range values[k] {
			r.Runs = max(r.Runs, len(vs))
			r.Median[unit] = stats.Median(vs)
			r.Min[unit] = slices.Min(vs)
			r.Max[unit] = slices.Max(vs)
		}
		out = append(out, r)
	}
	return out
}
