package gobench

import (
	"strings"
	"testing"
)

const output = `goos: linux
goarch: amd64
pkg: example.com/m/internal/client
cpu: AMD EPYC
BenchmarkDecodeUsages250-2        	    2392	    157545 ns/op	  56.65 MB/s	   21592 B/op	    1015 allocs/op
BenchmarkDecodeUsages250-2        	    2400	    150000 ns/op	  59.00 MB/s	   21592 B/op	    1015 allocs/op
BenchmarkDecodeUsages250-2        	    2300	    160000 ns/op	  55.00 MB/s	   21592 B/op	    1015 allocs/op
PASS
ok  	example.com/m/internal/client	2.027s
pkg: example.com/m/internal/provider
BenchmarkReadSourceUsages/loopback-2            	     392	    909584 ns/op	         1.000 requests/op	         0 tokens/op	  455810 B/op	    7511 allocs/op
BenchmarkReadSourceUsages/loopback-2            	     400	    900000 ns/op	         1.000 requests/op	         0 tokens/op	  455810 B/op	    7511 allocs/op
BenchmarkNoProcs 	     10	    100 ns/op
BenchmarkLogs
    read_bench_test.go:10: some log line
--- FAIL: BenchmarkBroken
`

func TestParseAndSummarize(t *testing.T) {
	lines, err := Parse(strings.NewReader(output))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 6 {
		t.Fatalf("parsed %d lines, want 6: %+v", len(lines), lines)
	}
	if l := lines[0]; l.Pkg != "example.com/m/internal/client" || l.Name != "BenchmarkDecodeUsages250" || l.Procs != 2 || l.Iterations != 2392 || l.Metrics["MB/s"] != 56.65 {
		t.Errorf("first line parsed as %+v", l)
	}
	if l := lines[5]; l.Name != "BenchmarkNoProcs" || l.Procs != 1 {
		t.Errorf("line without a procs suffix parsed as %+v", l)
	}

	res := Summarize(lines)
	if len(res) != 3 {
		t.Fatalf("%d results, want 3", len(res))
	}
	dec := res[0]
	if dec.Runs != 3 || dec.Median["ns/op"] != 157545 || dec.Min["ns/op"] != 150000 || dec.Max["ns/op"] != 160000 {
		t.Errorf("decode summary %+v", dec)
	}
	read := res[1]
	if read.Pkg != "example.com/m/internal/provider" || read.Name != "BenchmarkReadSourceUsages/loopback" {
		t.Errorf("read summary named %s %s", read.Pkg, read.Name)
	}
	if read.Median["ns/op"] != 904792 || read.Median["requests/op"] != 1 {
		t.Errorf("an even number of runs takes the mean of the middle two: %+v", read.Median)
	}
}

func TestParseRejectsBadValues(t *testing.T) {
	_, err := Parse(strings.NewReader("BenchmarkX-2 10 abc ns/op\n"))
	if err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("got %v, want an error about line 1", err)
	}
}
